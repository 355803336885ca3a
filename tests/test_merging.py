"""Merge layers: values, shapes, errors, configs, gradients, and models with branches."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras.layers.merging.add import Add, add
from teachkeras.layers.merging.average import Average, average
from teachkeras.layers.merging.base_merge import Merge
from teachkeras.layers.merging.concatenate import Concatenate, concatenate
from teachkeras.layers.merging.dot import Dot, dot
from teachkeras.layers.merging.legacy_merge import merge
from teachkeras.layers.merging.maximum import Maximum, maximum
from teachkeras.layers.merging.minimum import Minimum, minimum
from teachkeras.layers.merging.multiply import Multiply, multiply
from teachkeras.layers.merging.subtract import Subtract, subtract
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.layer_testing import layer_case, run_layer_test

L = tk.layers

ELEMENTWISE = [
    (Add, add, lambda xs: xs[0] + xs[1] + xs[2]),
    (Multiply, multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (Average, average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3),
    (Maximum, maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (Minimum, minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


def arrays(rng, *shapes, dtype="float32"):
    return [rng.normal(size=s).astype(dtype) for s in shapes]


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE)
def test_elementwise_values_and_functional_form(rng, cls, fn, reference):
    xs = arrays(rng, (4, 3), (4, 3), (4, 3))
    y = cls()(xs)
    np.testing.assert_allclose(y.numpy(), reference(xs), rtol=1e-6)
    assert y.dtype == np.float32
    np.testing.assert_allclose(fn(xs).numpy(), y.numpy())
    assert isinstance(cls(), Merge)


def test_subtract_values(rng):
    a, b = arrays(rng, (2, 5), (2, 5))
    np.testing.assert_allclose(Subtract()([a, b]).numpy(), a - b)
    np.testing.assert_allclose(subtract([a, b]).numpy(), a - b)


def test_broadcasting_shapes_and_values(rng):
    a, b = arrays(rng, (2, 1, 5), (2, 3, 1))
    assert Add().compute_output_shape([(None, 1, 5), (None, 3, 1)]) == (None, 3, 5)
    np.testing.assert_allclose(Add()([a, b]).numpy(), a + b)


def test_inputs_of_different_rank_get_axes_after_the_batch_axis(rng):
    a, b = arrays(rng, (2, 5), (2, 3, 5))
    y = Add()([a, b])
    np.testing.assert_allclose(y.numpy(), a[:, None, :] + b)
    assert Add().compute_output_shape([(None, 5), (None, 3, 5)]) == (None, 3, 5)


def test_output_shape_takes_the_known_batch_size():
    assert Multiply().compute_output_shape([(None, 4), (8, 4)]) == (8, 4)


def test_symbolic_call_on_a_list_of_keras_tensors():
    x1, x2 = L.Input((4,)), L.Input((4,))
    y = Add()([x1, x2])
    assert y.shape == (None, 4)
    model = tk.Model([x1, x2], y)
    a, b = np.ones((3, 4), "float32"), np.full((3, 4), 2, "float32")
    np.testing.assert_allclose(model.predict([a, b], verbose=0), a + b)


def test_incompatible_shapes_name_both_shapes(rng):
    with pytest.raises(ValueError, match=r"received shapes \(2, 3\) and \(2, 4\)"):
        Add()(arrays(rng, (2, 3), (2, 4)))
    with pytest.raises(ValueError, match=r"received shapes \(None, 3\) and \(None, 4\)"):
        Maximum()([L.Input((3,)), L.Input((4,))])
    with pytest.raises(ValueError, match=r"\(None, 3\), \(None, 3\) and \(None, 4\)"):
        Average()([L.Input((3,)), L.Input((3,)), L.Input((4,))])


def test_different_batch_sizes_are_refused(rng):
    with pytest.raises(ValueError, match="different batch sizes"):
        Add()(arrays(rng, (2, 3), (3, 3)))


def test_single_tensor_is_refused_with_the_fix(rng):
    with pytest.raises(ValueError, match=r"list of inputs.*Add\(\)\(\[x1, x2\]\)"):
        Add()(arrays(rng, (2, 3))[0])
    with pytest.raises(ValueError, match="at least 1 input"):
        Add().build([])


def test_subtract_needs_exactly_two(rng):
    with pytest.raises(ValueError, match=r"exactly 2 inputs.*received 3"):
        Subtract()(arrays(rng, (2, 3), (2, 3), (2, 3)))


# --- Concatenate ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shapes, axis, expected",
    [
        ([(2, 4), (2, 3)], -1, (2, 7)),
        ([(2, 3, 4), (2, 5, 4)], 1, (2, 8, 4)),
        ([(2, 3, 4), (3, 3, 4)], 0, (5, 3, 4)),
        ([(2, 2, 2, 3), (2, 2, 2, 5), (2, 2, 2, 1)], 3, (2, 2, 2, 9)),
    ],
)
def test_concatenate_values_and_shapes(rng, shapes, axis, expected):
    xs = arrays(rng, *shapes)
    y = Concatenate(axis=axis)(xs)
    assert y.shape == expected
    np.testing.assert_allclose(y.numpy(), np.concatenate(xs, axis=axis))
    np.testing.assert_allclose(concatenate(xs, axis=axis).numpy(), y.numpy())
    assert Concatenate(axis=axis).compute_output_shape(shapes) == expected


def test_concatenate_unknown_size_stays_unknown():
    assert Concatenate(axis=1).compute_output_shape([(None, 3), (None, None)]) == (None, None)


def test_concatenate_mismatch_names_the_shapes(rng):
    with pytest.raises(ValueError, match=r"\(2, 3, 4\) and \(2, 2, 5\): they differ on axis 2"):
        Concatenate(axis=1)(arrays(rng, (2, 3, 4), (2, 2, 5)))
    with pytest.raises(ValueError, match="different ranks"):
        Concatenate()([L.Input((3,)), L.Input((2, 3))])
    with pytest.raises(ValueError, match="axis=3, but its inputs have rank 2"):
        Concatenate(axis=3)(arrays(rng, (2, 3), (2, 3)))


# --- Dot ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shapes, axes, expected",
    [
        ([(3, 4), (3, 4)], 1, (3, 1)),
        ([(3, 4), (3, 4)], -1, (3, 1)),
        ([(2, 3, 5), (2, 10, 3)], (1, 2), (2, 5, 10)),
        ([(2, 5, 3), (2, 3)], (2, 1), (2, 5)),
        ([(2, 3), (2, 3, 4)], (1, 1), (2, 4)),
        ([(2, 4, 3, 2), (2, 3, 5)], (2, 1), (2, 4, 2, 5)),
    ],
)
def test_dot_values_and_shapes(rng, shapes, axes, expected):
    x, y = arrays(rng, *shapes)
    out = Dot(axes=axes)([x, y])
    assert out.shape == expected
    assert Dot(axes=axes).compute_output_shape(
        [(None, *shapes[0][1:]), (None, *shapes[1][1:])]
    ) == (
        None,
        *expected[1:],
    )
    a1, a2 = (axes, axes) if isinstance(axes, int) else axes
    reference = np.stack(
        [np.tensordot(x[i], y[i], axes=(a1 % x.ndim - 1, a2 % y.ndim - 1)) for i in range(len(x))]
    )
    np.testing.assert_allclose(out.numpy(), reference.reshape(expected), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dot([x, y], axes=axes).numpy(), out.numpy())


def test_dot_normalize_gives_cosine_similarity(rng):
    x, y = arrays(rng, (4, 6), (4, 6))
    out = Dot(axes=1, normalize=True)([x, y]).numpy()
    cosine = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    np.testing.assert_allclose(out[:, 0], cosine, rtol=1e-5)
    assert np.all(np.isfinite(Dot(axes=1, normalize=True)([np.zeros((1, 3)), x[:1, :3]]).numpy()))


def test_dot_errors(rng):
    with pytest.raises(TypeError, match=r"Received: axes=1\.5"):
        Dot(axes=1.5)
    with pytest.raises(ValueError, match="two elements"):
        Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match=r"axis values 4 \(at axis 1\) != 5 \(at axis 1\)"):
        Dot(axes=1)(arrays(rng, (2, 4), (2, 5)))
    with pytest.raises(ValueError, match="axis 0"):
        Dot(axes=0)(arrays(rng, (2, 4), (2, 4)))
    with pytest.raises(ValueError, match="list of 2 inputs"):
        Dot(axes=1)(arrays(rng, (2, 4), (2, 4), (2, 4)))


# --- the contract: config, shapes, gradients, one training step, saving, for every layer -------
# The elementwise rows broadcast a (3, 1) input against (3, 4) ones: the gradient check then
# covers the un-broadcasting (the adjoint of broadcast is a sum).
LAYER_CASES = [
    *[
        layer_case(
            cls,
            {},
            input_shape=[(3, 4), (3, 1), (3, 4)],
            expected_output_shape=(3, 4),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
        )
        for cls, _, _ in ELEMENTWISE
    ],
    layer_case(
        Subtract,
        {},
        input_shape=[(3, 4), (3, 4)],
        expected_output_shape=(3, 4),
        supports_masking=True,
    ),
    layer_case(Add, {}, input_shape=[(2, 5), (2, 3, 5)], expected_output_shape=(2, 3, 5)),
    layer_case(
        Concatenate,
        {"axis": 1},
        input_shape=[(2, 3, 2), (2, 1, 2)],
        expected_output_shape=(2, 4, 2),
    ),
    layer_case(Concatenate, {}, input_shape=[(2, 3), (2, 4)], expected_output_shape=(2, 7)),
    *[
        layer_case(
            Dot,
            {"axes": (1, 2), "normalize": normalize},
            input_shape=[(2, 3, 2), (2, 4, 3)],
            expected_output_shape=(2, 2, 4),
        )
        for normalize in (False, True)
    ],
    layer_case(Dot, {"axes": -1}, input_shape=[(3, 4), (3, 4)], expected_output_shape=(3, 1)),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- configs -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer, own_keys",
    [
        (Add(name="a"), {}),
        (Subtract(), {}),
        (Multiply(), {}),
        (Average(), {}),
        (Maximum(), {}),
        (Minimum(), {}),
        (Concatenate(axis=2), {"axis": 2}),
        (Dot(axes=(1, 2), normalize=True), {"axes": (1, 2), "normalize": True}),
    ],
)
def test_config_keys_match_keras_and_round_trip(layer, own_keys):
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", *own_keys}
    assert all(config[k] == v for k, v in own_keys.items())
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_functional_forms_take_layer_keywords(rng):
    x1, x2 = L.Input((3,)), L.Input((3,))
    y = add([x1, x2], name="skip")
    assert y._keras_history[0].name == "skip"
    assert concatenate([x1, x2], axis=1, name="cat")._keras_history[0].get_config()["axis"] == 1


# --- models --------------------------------------------------------------------------------
def test_residual_model_with_add_trains_with_fit(rng):
    inputs = L.Input((6,))
    h = L.Dense(6, activation="relu")(inputs)
    h = L.Dense(6)(h)
    h = Add()([inputs, h])  # the skip connection
    outputs = L.Dense(1)(h)
    model = tk.Model(inputs, outputs)
    x = rng.normal(size=(64, 6)).astype("float32")
    y = x @ rng.normal(size=(6, 1)).astype("float32")
    model.compile(optimizer=tk.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=20, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    assert model.predict(x[:5], verbose=0).shape == (5, 1)
    assert model.count_params() == 2 * (6 * 6 + 6) + (6 + 1)


def test_two_input_model_with_concatenate_and_dot(rng):
    a, b = L.Input((4,)), L.Input((4,))
    joined = Concatenate()([L.Dense(3)(a), L.Dense(2)(b)])
    similarity = Dot(axes=1, normalize=True)([a, b])
    out = L.Dense(1, activation="sigmoid")(Concatenate()([joined, similarity]))
    model = tk.Model([a, b], out)
    xa, xb = arrays(rng, (32, 4), (32, 4))
    y = (xa[:, 0] > xb[:, 0]).astype("float32")
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit([xa, xb], y, batch_size=8, epochs=5, shuffle=False, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict([xa, xb], verbose=0).shape == (32, 1)
    assert model.layers[-2].output_shape == (None, 6)


# --- Keras 1 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "mode, kwargs, reference",
    [
        ("sum", {}, lambda a, b: a + b),
        ("mul", {}, lambda a, b: a * b),
        ("ave", {}, lambda a, b: (a + b) / 2),
        ("max", {}, np.maximum),
        ("concat", {"concat_axis": 1}, lambda a, b: np.concatenate([a, b], axis=1)),
        ("dot", {"dot_axes": 1}, lambda a, b: (a * b).sum(1, keepdims=True)),
    ],
)
def test_keras1_merge_modes_warn_and_work(rng, mode, kwargs, reference):
    a, b = arrays(rng, (3, 4), (3, 4))
    with pytest.warns(KerasLegacyWarning, match=f"mode='{mode}'"):
        y = merge([a, b], mode=mode, **kwargs)
    np.testing.assert_allclose(y.numpy(), reference(a, b), rtol=1e-6)


def test_keras1_merge_cos_and_unknown_mode(rng):
    a, b = arrays(rng, (3, 4), (3, 4))
    with pytest.warns(KerasLegacyWarning, match="normalize=True"):
        y = merge([a, b], mode="cos", dot_axes=1)
    np.testing.assert_allclose(y.numpy(), Dot(axes=1, normalize=True)([a, b]).numpy())
    with pytest.raises(ValueError, match="Valid modes"):
        merge([a, b], mode="concatenate")
