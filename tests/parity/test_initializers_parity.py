"""Initializers against real Keras 3: exact constants, matching distributions, same configs.

Random values cannot match number for number (different generators), so for the random
initializers we compare what Keras computes from the shape: the uniform limit (the largest
|x| of a large sample) and the normal standard deviation (of a large sample).
"""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import initializers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def keras_values(keras, init, shape) -> np.ndarray:
    return keras.ops.convert_to_numpy(init(shape))


def test_deterministic_initializers_are_exact(keras):
    cases = [
        ("Zeros", {}, (3, 4)),
        ("Ones", {}, (2, 3, 5)),
        ("Constant", {"value": 2.5}, (4, 2)),
        ("Identity", {}, (3, 3)),
        ("Identity", {"gain": 0.5}, (3, 5)),
        ("Identity", {"gain": 2.0}, (4, 2)),
    ]
    for name, kwargs, shape in cases:
        ours = getattr(initializers, name)(**kwargs)(shape)
        theirs = keras_values(keras, getattr(keras.initializers, name)(**kwargs), shape)
        assert ours.dtype == theirs.dtype == np.float32, name
        np.testing.assert_array_equal(ours, theirs, err_msg=f"{name}{kwargs}")


SHAPES = [(400, 300), (3, 3, 32, 64), (5, 40, 60)]  # dense, conv2d, conv1d kernels


def _limit_and_std(x: np.ndarray) -> tuple[float, float]:
    return float(np.abs(x).max()), float(x.std())


def test_variance_scaling_distributions_match_keras(keras):
    for shape in SHAPES:
        _compare_variance_scaling(keras, shape)


def _compare_variance_scaling(keras, shape) -> None:
    worst = 0.0
    for mode in ("fan_in", "fan_out", "fan_avg"):
        for distribution in ("uniform", "truncated_normal", "untruncated_normal"):
            kwargs = {"scale": 1.7, "mode": mode, "distribution": distribution, "seed": 1}
            ours = initializers.VarianceScaling(**kwargs)(shape)
            theirs = keras_values(keras, keras.initializers.VarianceScaling(**kwargs), shape)
            (lim, std), (ref_lim, ref_std) = _limit_and_std(ours), _limit_and_std(theirs)
            # each std is a sample estimate (error ≈ 1/sqrt(2n) ≈ 0.5%): allow 3%
            assert std == pytest.approx(ref_std, rel=3e-2), (mode, distribution)
            worst = max(worst, abs(std / ref_std - 1))
            if distribution == "uniform":
                assert lim == pytest.approx(ref_lim, rel=1e-2), (mode, distribution)
            if distribution == "truncated_normal":  # both cut at 2 stddev (before correction)
                assert lim == pytest.approx(ref_lim, rel=2e-2), (mode, distribution)
    print(f"VarianceScaling {shape}: worst relative std difference {worst:.4f}")


NAMED = ["GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal"]


def test_named_variance_scaling_match_keras(keras):
    for name, shape in ((name, shape) for name in NAMED for shape in SHAPES):
        ours = getattr(initializers, name)(seed=2)(shape)
        theirs = keras_values(keras, getattr(keras.initializers, name)(seed=2), shape)
        assert ours.std() == pytest.approx(theirs.std(), rel=3e-2), (name, shape)
        if "Uniform" in name:
            assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=1e-2), (
                name,
                shape,
            )


def test_plain_random_initializers_match_keras(keras):
    cases = [
        ("RandomUniform", {"minval": -0.3, "maxval": 0.9}),
        ("RandomNormal", {"mean": 0.4, "stddev": 1.5}),
        ("TruncatedNormal", {"mean": -0.2, "stddev": 0.7}),
    ]
    for name, kwargs in cases:
        ours = getattr(initializers, name)(seed=3, **kwargs)((500, 200))
        theirs = keras_values(
            keras, getattr(keras.initializers, name)(seed=3, **kwargs), (500, 200)
        )
        assert ours.mean() == pytest.approx(theirs.mean(), abs=float(0.01 * theirs.std())), name
        assert ours.std() == pytest.approx(theirs.std(), rel=1e-2), name
        assert ours.min() == pytest.approx(theirs.min(), rel=2e-2), name
        if name != "RandomNormal":  # the normal's extremes are themselves random
            assert ours.max() == pytest.approx(theirs.max(), rel=2e-2), name


def test_orthogonal_like_keras(keras):
    for shape in [(6, 6), (10, 4), (4, 10), (3, 3, 4, 8)]:
        ours = initializers.Orthogonal(gain=1.5, seed=0)(shape)
        theirs = keras_values(keras, keras.initializers.Orthogonal(gain=1.5, seed=0), shape)
        _assert_scaled_orthogonal(ours, shape)
        _assert_scaled_orthogonal(theirs, shape)


def _assert_scaled_orthogonal(values, shape) -> None:
    """`values` is 1.5 times a matrix with orthonormal rows or columns."""
    flat = values.reshape(-1, shape[-1]) / 1.5
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, np.eye(min(flat.shape)), atol=1e-5)
    assert values.shape == shape and values.dtype == np.float32


ALL_CLASSES = [
    "Zeros", "Ones", "Constant", "Identity", "RandomUniform", "RandomNormal", "TruncatedNormal",
    "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform",
    "LecunNormal", "Orthogonal",
]  # fmt: skip


def test_configs_match_keras(keras):
    for name in ALL_CLASSES:
        ours = getattr(initializers, name)().get_config()
        theirs = getattr(keras.initializers, name)().get_config()
        if name == "Identity":
            # Keras 3 writes {} and forgets the gain; we keep it (and Keras reads it back).
            assert theirs == {} and ours == {"gain": 1.0}
            continue
        assert list(ours) == list(theirs), name  # same keys, same order
        assert ours == theirs, name
    seeded = initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=5)
    assert (
        seeded.get_config()
        == keras.initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=5).get_config()
    )


def test_serialized_configs_load_in_both(keras):
    init = initializers.HeNormal(seed=4)
    theirs = keras.initializers.HeNormal(seed=4)
    assert initializers.serialize(init) == keras.initializers.serialize(theirs)
    assert type(initializers.deserialize(keras.initializers.serialize(theirs))) is type(init)
    assert isinstance(keras.initializers.deserialize(initializers.serialize(init)), type(theirs))
    identity = keras.initializers.Identity.from_config(initializers.Identity(3.0).get_config())
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(identity((2, 2))), 3 * np.eye(2))


def test_every_keras_name_resolves(keras):
    from keras.src.initializers import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        if "STFT" in name.upper():  # the audio STFT kernel is not part of teachkeras
            continue
        if cls.__name__ == "Initializer":
            assert initializers.ALL_OBJECTS[name] is initializers.Initializer
            continue
        assert type(initializers.get(name)).__name__ == cls.__name__, name
