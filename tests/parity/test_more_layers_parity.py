"""The rest of Keras's layers against Keras 3, with the same weights: outputs, input and weight
gradients, output shapes, masks, configs both ways, and `.keras` / `.h5` files written by
each and loaded by the other.

Each row of CASES builds one layer in both libraries (`make(layers_module)`), gives ours
Keras's weight shapes filled with the same random numbers, and compares. Largest absolute
differences seen (float32, PyTorch CPU backend; `pytest -s` prints them per class):

    outputs    ≤ 9.5e-7 (Conv3DTranspose; sums of up to 27 products per stamp), ≤ 2.4e-7
               for the other convolutions and GroupNormalization, 0 for reshaping, pooling
               and the noise layers at inference
    gradients  ≤ 9.5e-6 (SeparableConv2D's weights: two kernels chained, sums over the
               batch and every pixel), ≤ 4.8e-6 (Conv3D, Conv3DTranspose, DepthwiseConv2D),
               ≤ 1e-6 for the rest
    SpectralNormalization in training (W / σ, u, output, three steps): ≤ 6e-8

Known difference (as in test_pooling_parity.py): Keras 3.15's PyTorch backend pads
*asymmetric* 'same' average pooling by repeating the edge; we follow Keras's documented rule
(TensorFlow's and JAX's: average over the real cells), checked here against that rule
computed with torch.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K

RTOL, ATOL = 1e-5, 1e-5
GRAD_RTOL, GRAD_ATOL = 1e-4, 1e-5
MAX_DIFF: dict[str, dict[str, float]] = {}  # class -> {"output": ..., "gradient": ...}


@pytest.fixture(scope="module", autouse=True)
def _report_max_diff():
    yield
    for name, diffs in sorted(MAX_DIFF.items()):
        parts = ", ".join(f"{k} {v:.1e}" for k, v in sorted(diffs.items()))
        print(f"\n  {name:24s} largest |ours - keras|: {parts}", end="")


def _note(case: str, kind: str, ours, theirs) -> None:
    name = case.split("-")[0]
    diff = float(np.max(np.abs(np.asarray(ours) - np.asarray(theirs)), initial=0.0))
    MAX_DIFF.setdefault(name, {})
    MAX_DIFF[name][kind] = max(MAX_DIFF[name].get(kind, 0.0), diff)


# (make(layers) -> layer, input shape with batch, call kwargs, integer inputs?)
CASES = {
    "Conv3D": (
        lambda L: L.Conv3D(3, (2, 3, 2), strides=(1, 2, 1), padding="same", activation="tanh"),
        (2, 4, 5, 6, 2),
    ),
    "Conv3D-first-dilated": (
        lambda L: L.Conv3D(2, 2, dilation_rate=(2, 1, 1), data_format="channels_first"),
        (2, 2, 5, 4, 4),
    ),
    "Conv3DTranspose": (
        lambda L: L.Conv3DTranspose(3, 3, strides=2, padding="same"),
        (2, 2, 3, 2, 2),
    ),
    "Conv3DTranspose-valid-output-padding": (
        lambda L: L.Conv3DTranspose(2, (2, 3, 2), strides=(2, 2, 1), output_padding=(1, 0, 0)),
        (1, 3, 2, 3, 2),
    ),
    "Conv3DTranspose-first": (
        lambda L: L.Conv3DTranspose(2, 2, strides=(1, 2, 2), data_format="channels_first"),
        (1, 2, 2, 3, 2),
    ),
    "Conv1DTranspose": (lambda L: L.Conv1DTranspose(3, 3, strides=2), (2, 5, 2)),
    "Conv1DTranspose-same-output-padding": (
        lambda L: L.Conv1DTranspose(2, 4, strides=3, padding="same", output_padding=1),
        (2, 4, 3),
    ),
    "Conv1DTranspose-first-dilated": (
        lambda L: L.Conv1DTranspose(2, 3, dilation_rate=2, data_format="channels_first"),
        (2, 3, 5),
    ),
    "DepthwiseConv2D": (
        lambda L: L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
        (2, 5, 6, 3),
    ),
    "DepthwiseConv2D-first-strided": (
        lambda L: L.DepthwiseConv2D(
            (3, 2), strides=2, data_format="channels_first", activation="relu"
        ),
        (2, 3, 7, 6),
    ),
    "DepthwiseConv2D-dilated": (
        lambda L: L.DepthwiseConv2D(2, dilation_rate=2, use_bias=False),
        (2, 6, 5, 2),
    ),
    "DepthwiseConv1D": (
        lambda L: L.DepthwiseConv1D(3, strides=2, depth_multiplier=3, padding="same"),
        (2, 7, 2),
    ),
    "SeparableConv2D": (
        lambda L: L.SeparableConv2D(4, 3, depth_multiplier=2, padding="same"),
        (2, 5, 5, 3),
    ),
    "SeparableConv2D-first-strided": (
        lambda L: L.SeparableConv2D(3, (2, 3), strides=(2, 1), data_format="channels_first"),
        (2, 2, 6, 5),
    ),
    "SeparableConv1D": (
        lambda L: L.SeparableConv1D(3, 2, dilation_rate=2, activation="tanh"),
        (2, 7, 3),
    ),
    "MaxPooling3D": (lambda L: L.MaxPooling3D(), (2, 4, 4, 6, 2)),
    "MaxPooling3D-same-first": (
        lambda L: L.MaxPooling3D(
            (2, 3, 2), strides=(1, 2, 2), padding="same", data_format="channels_first"
        ),
        (2, 2, 3, 5, 4),
    ),
    "AveragePooling3D": (
        lambda L: L.AveragePooling3D((2, 2, 3), strides=(1, 2, 1)),
        (2, 3, 4, 5, 2),
    ),
    "AveragePooling3D-same-even": (  # symmetric 'same' padding: Keras-torch counts the real cells too
        lambda L: L.AveragePooling3D(3, strides=1, padding="same"),
        (2, 3, 4, 4, 2),
    ),
    "GlobalMaxPooling3D": (lambda L: L.GlobalMaxPooling3D(), (2, 2, 3, 4, 3)),
    "GlobalAveragePooling3D": (
        lambda L: L.GlobalAveragePooling3D(data_format="channels_first", keepdims=True),
        (2, 3, 2, 3, 4),
    ),
    "ZeroPadding1D": (lambda L: L.ZeroPadding1D((1, 2)), (2, 4, 3)),
    "ZeroPadding1D-first": (lambda L: L.ZeroPadding1D(2, data_format="channels_first"), (2, 3, 4)),
    "ZeroPadding3D": (lambda L: L.ZeroPadding3D(((1, 0), (0, 2), (1, 1))), (2, 2, 3, 2, 2)),
    "ZeroPadding3D-first": (
        lambda L: L.ZeroPadding3D(1, data_format="channels_first"),
        (2, 2, 2, 3, 2),
    ),
    "Cropping1D": (lambda L: L.Cropping1D((2, 1)), (2, 6, 3)),
    "Cropping3D": (lambda L: L.Cropping3D(((1, 0), (0, 2), (1, 1))), (2, 3, 4, 4, 2)),
    "Cropping3D-first": (lambda L: L.Cropping3D(1, data_format="channels_first"), (2, 2, 3, 4, 3)),
    "UpSampling1D": (lambda L: L.UpSampling1D(3), (2, 4, 3)),
    "UpSampling3D": (lambda L: L.UpSampling3D((1, 2, 3)), (2, 2, 2, 2, 3)),
    "UpSampling3D-first": (
        lambda L: L.UpSampling3D(2, data_format="channels_first"),
        (2, 3, 2, 1, 2),
    ),
    "Permute": (lambda L: L.Permute((3, 1, 2)), (2, 2, 3, 4)),
    "RepeatVector": (lambda L: L.RepeatVector(3), (2, 5)),
    "PReLU": (lambda L: L.PReLU(), (2, 3, 4)),
    "PReLU-shared": (lambda L: L.PReLU(shared_axes=[1, 2]), (2, 3, 4, 5)),
    "Identity": (lambda L: L.Identity(), (2, 3, 4)),
    "ActivityRegularization": (lambda L: L.ActivityRegularization(l1=0.01, l2=0.02), (3, 4)),
    "GaussianNoise": (lambda L: L.GaussianNoise(0.5), (2, 4)),
    "GaussianDropout": (lambda L: L.GaussianDropout(0.3), (2, 4)),
    "AlphaDropout": (lambda L: L.AlphaDropout(0.3), (2, 4)),
    "SpatialDropout1D": (lambda L: L.SpatialDropout1D(0.3), (2, 3, 4)),
    "SpatialDropout2D": (
        lambda L: L.SpatialDropout2D(0.3, data_format="channels_first"),
        (2, 3, 4, 4),
    ),
    "SpatialDropout3D": (lambda L: L.SpatialDropout3D(0.3), (2, 2, 2, 2, 3)),
    "GroupNormalization": (lambda L: L.GroupNormalization(2, epsilon=1e-4), (3, 5, 4)),
    "GroupNormalization-instance-first": (
        lambda L: L.GroupNormalization(-1, axis=1, center=False),
        (2, 3, 4, 4),
    ),
    "UnitNormalization": (lambda L: L.UnitNormalization(), (3, 4)),
    "UnitNormalization-axes": (lambda L: L.UnitNormalization(axis=[1, 2]), (2, 3, 4)),
    "SpectralNormalization": (lambda L: L.SpectralNormalization(L.Dense(3)), (2, 4)),
    "SpectralNormalization-conv": (
        lambda L: L.SpectralNormalization(L.Conv2D(2, 2), power_iterations=3),
        (2, 4, 4, 3),
    ),
}
NAMES = sorted(CASES)
FIRST_OF_EACH_CLASS = sorted({name.split("-")[0]: name for name in reversed(NAMES)}.values())


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def twins(keras, name):
    """The layer in both libraries, built, with the same random weights in Keras's order."""
    make, shape = CASES[name]
    theirs, ours = make(keras.layers), make(tk.layers)
    x = _data(shape)
    theirs(keras.ops.convert_to_tensor(x))
    ours(x)
    rng = np.random.default_rng(1)
    shapes = [tuple(w.shape) for w in theirs.get_weights()]
    assert shapes == [tuple(w.shape) for w in ours.get_weights()], "weights in Keras's order"
    weights = [rng.standard_normal(s).astype("float32") for s in shapes]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return theirs, ours, x


@pytest.mark.parametrize("name", NAMES)
def test_outputs_and_gradients_match(keras, name):
    import torch

    theirs, ours, x = twins(keras, name)
    xt = torch.tensor(x, requires_grad=True)
    out_theirs = theirs(xt, training=False)
    upstream = np.random.default_rng(2).standard_normal(tuple(out_theirs.shape)).astype("float32")
    (out_theirs * torch.tensor(upstream)).sum().backward()
    grads_theirs = [xt.grad.numpy()] + [w.value.grad.numpy() for w in theirs.trainable_weights]

    xv = K.Variable(x)
    with K.GradientTape() as tape:
        out_ours = ours(xv, training=False)
        loss = K.sum(out_ours * upstream)
    grads_ours = tape.gradient(loss, [xv, *ours.trainable_weights])

    assert out_ours.shape == tuple(out_theirs.shape) == ours.compute_output_shape(x.shape)
    np.testing.assert_allclose(out_ours.numpy(), out_theirs.detach().numpy(), rtol=RTOL, atol=ATOL)
    _note(name, "output", out_ours.numpy(), out_theirs.detach().numpy())
    for got, want in zip(grads_ours, grads_theirs, strict=True):
        np.testing.assert_allclose(got, want, rtol=GRAD_RTOL, atol=GRAD_ATOL)
        _note(name, "gradient", got, want)
    symbolic_theirs = CASES[name][0](keras.layers)(keras.Input(x.shape[1:]))
    symbolic_ours = CASES[name][0](tk.layers)(tk.Input(x.shape[1:]))
    assert tuple(symbolic_ours.shape) == tuple(symbolic_theirs.shape)


def test_activity_regularization_adds_keras_penalty(keras):
    theirs, ours, x = twins(keras, "ActivityRegularization")
    theirs(keras.ops.convert_to_tensor(x))
    ours(x)
    [penalty_theirs], [penalty_ours] = theirs.losses, ours.losses
    np.testing.assert_allclose(float(penalty_ours.numpy()), float(penalty_theirs), rtol=1e-6)


def test_asymmetric_same_average_pooling_follows_the_documented_rule(keras):
    """(5, 4, 3) cells, pool 2, stride 2: one padded cell at the end of two axes."""
    import torch
    import torch.nn.functional as F

    x = _data((2, 5, 4, 3, 2))
    ours = tk.layers.AveragePooling3D(2, padding="same")(x).numpy()
    t = torch.tensor(np.moveaxis(x, -1, 1))
    widths = (0, 1, 0, 0, 0, 1)  # last axis first, as F.pad wants: (w, h, d)
    total = F.avg_pool3d(F.pad(t, widths), 2, 2, divisor_override=1)
    real = F.avg_pool3d(F.pad(torch.ones_like(t), widths), 2, 2, divisor_override=1)
    reference = np.moveaxis((total / real).numpy(), 1, -1)
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-7)
    keras_y = keras.ops.convert_to_numpy(keras.layers.AveragePooling3D(2, padding="same")(x))
    assert keras_y.shape == ours.shape  # same shape; Keras-torch 3.15 repeats the edge instead


# --- training behaviour ----------------------------------------------------------------------------
def test_spectral_normalization_trains_as_in_keras(keras):
    """The same kernel and u: the same W / σ, the same new u, the same output, step after step."""
    for name in ("SpectralNormalization", "SpectralNormalization-conv"):
        theirs, ours, x = twins(keras, name)
        for _ in range(3):
            y_theirs = keras.ops.convert_to_numpy(
                theirs(keras.ops.convert_to_tensor(x), training=True)
            )
            y_ours = ours(x, training=True).numpy()
            np.testing.assert_allclose(y_ours, y_theirs, rtol=1e-5, atol=1e-6)
            _note(name, "training output", y_ours, y_theirs)
            for mine, real in zip(ours.get_weights(), theirs.get_weights(), strict=True):
                np.testing.assert_allclose(mine, real, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["GaussianNoise", "GaussianDropout", "AlphaDropout"])
def test_noise_in_training_has_keras_statistics(keras, name):
    """Random numbers differ between the libraries; their distribution must not."""
    rate = 0.3 if name != "GaussianNoise" else 0.5
    make = {
        "GaussianNoise": lambda L: L.GaussianNoise(rate, seed=1),
        "GaussianDropout": lambda L: L.GaussianDropout(rate, seed=1),
        "AlphaDropout": lambda L: L.AlphaDropout(rate, seed=1),
    }[name]
    x = _data((400, 250), seed=3) * 0.5 + 0.25
    theirs = keras.ops.convert_to_numpy(make(keras.layers)(x, training=True))
    ours = make(tk.layers)(x, training=True).numpy()
    for statistic in (np.mean, np.std):
        assert abs(statistic(ours) - statistic(theirs)) < 0.01, statistic.__name__
    if name == "AlphaDropout":  # the same two values for a dropped unit
        np.testing.assert_allclose(np.min(np.abs(ours - theirs.min())), 0, atol=1e-6)


@pytest.mark.parametrize("name", ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"])
def test_spatial_dropout_drops_the_channels_keras_drops(keras, name):
    make, shape = CASES[name]
    x = np.ones((64, *shape[1:]), "float32")
    theirs = keras.ops.convert_to_numpy(make(keras.layers)(x, training=True))
    ours = make(tk.layers)(x, training=True).numpy()
    assert set(np.unique(theirs)) == set(np.unique(ours)) == {0.0, np.float32(1 / 0.7)}
    channel_axis = 1 if name == "SpatialDropout2D" else -1  # the 2-D row is channels_first
    for y in (theirs, ours):
        per_channel = np.moveaxis(y, channel_axis, -1).reshape(64, -1, y.shape[channel_axis])
        assert np.all(
            np.ptp(per_channel, axis=1) == 0
        )  # a channel is dropped everywhere or nowhere
    assert abs(np.mean(ours == 0) - np.mean(theirs == 0)) < 0.1


@pytest.mark.filterwarnings(
    "ignore:.*does not support masking"
)  # Permute, Conv1DTranspose: both warn
def test_masks_travel_as_in_keras(keras):
    ids = np.array([[1, 2, 0, 0], [3, 0, 4, 0]])
    for make in (
        lambda L: L.GaussianNoise(0.1),
        lambda L: L.PReLU(),
        lambda L: L.Identity(),
        lambda L: L.GroupNormalization(2),
        lambda L: L.UnitNormalization(),
        lambda L: L.SpatialDropout1D(0.2),
        lambda L: L.ActivityRegularization(0.01),
        lambda L: L.Permute((2, 1)),
        lambda L: L.Conv1DTranspose(4, 1),
    ):
        masks = []
        for lib in (keras, tk):
            inputs = lib.Input((4,), dtype="int32")
            y = make(lib.layers)(lib.layers.Embedding(5, 4, mask_zero=True)(inputs))
            model = lib.Model(inputs, y)
            out = model(ids)
            mask = getattr(out, "_keras_mask", None)
            masks.append(None if mask is None else np.asarray(lib.ops.convert_to_numpy(mask)))
        if masks[0] is None:
            assert masks[1] is None
        else:
            np.testing.assert_array_equal(masks[1], masks[0])


# --- configs ------------------------------------------------------------------------------------------
def _comparable(config):
    """JSON types, the dtype policy as its name, and no layer names (counters differ)."""
    config = json.loads(json.dumps(config))

    def clean(value):
        if isinstance(value, dict):
            return {
                key: (
                    item["config"]["name"]
                    if key == "dtype" and isinstance(item, dict)
                    else clean(item)
                )
                for key, item in value.items()
                if key not in ("name", "build_config", "quantization_config")  # (Keras's: None)
            }
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return clean(config)


@pytest.mark.parametrize("name", NAMES)
def test_configs_are_keras_3s_and_load_both_ways(keras, name):
    make = CASES[name][0]
    theirs, ours = make(keras.layers), make(tk.layers)
    assert _comparable(ours.get_config()) == _comparable(theirs.get_config())
    from_theirs = type(ours).from_config(theirs.get_config())
    assert _comparable(from_theirs.get_config()) == _comparable(ours.get_config())
    from_ours = type(theirs).from_config(json.loads(json.dumps(ours.get_config())))
    assert _comparable(from_ours.get_config()) == _comparable(theirs.get_config())


# --- files both ways --------------------------------------------------------------------------------
def _file_model(lib, name):
    make, shape = CASES[name]
    return lib.Sequential([lib.Input(shape[1:]), make(lib.layers)], name="one_layer")


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("direction", ["ours-to-keras", "keras-to-ours"])
@pytest.mark.parametrize("name", FIRST_OF_EACH_CLASS)
def test_files_written_by_each_load_in_the_other(keras, name, direction, suffix, tmp_path):
    source, target = (tk, keras) if direction == "ours-to-keras" else (keras, tk)
    model = _file_model(source, name)
    rng = np.random.default_rng(4)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in model.get_weights()])
    path = tmp_path / f"model{suffix}"
    model.save(path)
    loaded = target.saving.load_model(path)
    x = _data(CASES[name][1], seed=5)
    np.testing.assert_allclose(
        np.asarray(loaded.predict(x, verbose=0)),
        np.asarray(model.predict(x, verbose=0)),
        rtol=RTOL,
        atol=ATOL,
    )
    for mine, real in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(real))


# --- Lambda: configs and files both ways ----------------------------------------------------------------
def _cube(x):
    return x**3


@pytest.fixture
def cube_in_both(keras):
    """The same function registered under the same name in both libraries."""
    keras.saving.register_keras_serializable(package="parity", name="cube")(_cube)
    ours = tk.saving.register_keras_serializable(package="parity", name="cube")(lambda x: x**3)
    return ours


def test_lambda_of_a_named_function_is_keras_config_both_ways(keras, cube_in_both):
    theirs = keras.layers.Lambda(_cube, output_shape=(3,))
    ours = tk.layers.Lambda(cube_in_both, output_shape=(3,))
    assert _comparable(ours.get_config()) == _comparable(theirs.get_config())
    assert tk.layers.Lambda.from_config(theirs.get_config()).function is cube_in_both
    assert (
        keras.layers.Lambda.from_config(json.loads(json.dumps(ours.get_config()))).function is _cube
    )


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_lambda_files_both_ways(keras, suffix, tmp_path):
    """A Python lambda: Keras loads ours (running the bytecode we wrote, with safe_mode=False);
    we load Keras's only with the function given under the layer's name."""
    x = _data((3, 4), seed=6)
    for lib in (tk, keras):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2, name="d"),
                                lib.layers.Lambda(lambda t: t**2 + 1.0, name="square_plus_one")])  # fmt: skip
        path = tmp_path / f"{lib.__name__}{suffix}"
        model.save(path)
        if lib is tk:
            loaded = keras.saving.load_model(path, safe_mode=False)
        else:
            with pytest.raises(ValueError, match="safe_mode=False"):
                tk.saving.load_model(path)
            with pytest.raises(ValueError, match="never runs code read from a file"):
                tk.saving.load_model(path, safe_mode=False)
            loaded = tk.saving.load_model(
                path, safe_mode=False, custom_objects={"square_plus_one": lambda t: t**2 + 1.0}
            )
        np.testing.assert_allclose(
            np.asarray(loaded.predict(x, verbose=0)),
            np.asarray(model.predict(x, verbose=0)),
            rtol=1e-6,
        )


# --- the ops under the layers: keras.ops on the same arrays ---------------------------------------------
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides, dilation", [(1, 1), (2, 1), (1, 2), (2, 2)])
def test_ops_match_keras_ops(keras, rank, data_format, padding, strides, dilation):
    """conv, conv_transpose, depthwise_conv, separable_conv, max/average_pool in every rank
    (the ops take strides and dilation together, which the layers refuse)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, *(7, 6, 5)[:rank], 3)).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    kernel = rng.standard_normal((*(3,) * rank, 3, 4)).astype("float32")
    depthwise = rng.standard_normal((*(3,) * rank, 3, 2)).astype("float32")
    pointwise = rng.standard_normal((*(1,) * rank, 6, 4)).astype("float32")
    pairs = [
        (tk.ops.conv(x, kernel, strides, padding, data_format, dilation),
         keras.ops.conv(x, kernel, strides, padding, data_format, dilation)),
        (tk.ops.depthwise_conv(x, depthwise, strides, padding, data_format, dilation),
         keras.ops.depthwise_conv(x, depthwise, strides, padding, data_format, dilation)),
        (tk.ops.separable_conv(x, depthwise, pointwise, strides, padding, data_format, dilation),
         keras.ops.separable_conv(x, depthwise, pointwise, strides, padding, data_format, dilation)),
    ]  # fmt: skip
    if strides == 1 or dilation == 1:
        transposed = np.swapaxes(kernel, -1, -2)  # (*k, out=4, in=3)
        for extra in (None, strides - 1):
            pairs.append(
                (tk.ops.conv_transpose(x, transposed, strides, padding, extra, data_format, dilation),
                 keras.ops.conv_transpose(x, transposed, strides, padding, extra, data_format, dilation))
            )  # fmt: skip
    if dilation == 1:
        pairs.append((tk.ops.max_pool(x, 2, strides, padding, data_format),
                      keras.ops.max_pool(x, 2, strides, padding, data_format)))  # fmt: skip
        if padding == "valid":  # asymmetric 'same': see the module docstring
            pairs.append((tk.ops.average_pool(x, 2, strides, padding, data_format),
                          keras.ops.average_pool(x, 2, strides, padding, data_format)))  # fmt: skip
    for ours, theirs in pairs:
        theirs = keras.ops.convert_to_numpy(theirs)
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=RTOL, atol=2e-5)


@pytest.mark.parametrize("axis, order", [(-1, 2), (0, 2), (None, 2), (-1, 1), (0, 3), ((1, 2), 2)])
def test_normalize_matches_keras(keras, axis, order):
    x = _data((3, 4, 2), seed=8)
    if axis is None or isinstance(axis, tuple):
        x = x.reshape(3, 8) if axis is None else x
    np.testing.assert_allclose(
        tk.ops.normalize(x, axis=axis, order=order).numpy(),
        keras.ops.convert_to_numpy(keras.ops.normalize(x, axis=axis, order=order)),
        rtol=1e-6,
        atol=1e-7,
    )
