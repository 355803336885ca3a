"""Attention and layer normalization against Keras 3 (PyTorch CPU backend).

The same weights in both, then: outputs, attention scores, every kind of mask and the
causal mask, gradients with respect to the inputs and every weight, 20 training steps,
configs, and saved files (`.keras`, `.weights.h5`, `.h5`) read by the other library.
The largest absolute difference of each comparison is kept in `LARGEST` (printed by
the last test with `pytest -s`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import ops
from teachkeras.backend import GradientTape, Tensor

LARGEST: dict[str, float] = {}
RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 3, 8)).astype("float32")
V = RNG.normal(size=(2, 5, 8)).astype("float32")
K = RNG.normal(size=(2, 5, 6)).astype("float32")
QUERY_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
VALUE_MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
KEY_MASK = np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 1]], bool)
ATTENTION_MASK = RNG.random((2, 3, 5)) > 0.4


def numpy_of(x) -> np.ndarray:
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def close(label: str, ours, theirs, rtol=1e-5, atol=1e-5) -> None:
    ours, theirs = numpy_of(ours), numpy_of(theirs)
    assert ours.shape == theirs.shape, f"{label}: shapes {ours.shape} and {theirs.shape}"
    diff = float(np.max(np.abs(ours - theirs))) if ours.size else 0.0
    LARGEST[label.split(":")[0]] = max(LARGEST.get(label.split(":")[0], 0.0), diff)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=label)


def same_weights(ours, theirs, scale=0.5, seed=1) -> None:
    """Random weights (biases too, so they count), the same in both layers or models."""
    rng = np.random.default_rng(seed)
    weights = [
        (rng.normal(size=np.shape(w)) * scale).astype("float32") for w in theirs.get_weights()
    ]
    theirs.set_weights(weights)
    ours.set_weights(weights)


def keras_tensor(keras, array, mask=None):
    """A torch tensor for Keras; `mask` rides on it as Keras's own mask (`_keras_mask`)."""
    import torch
    from keras.src.backend import set_keras_mask

    tensor = torch.tensor(array, requires_grad=array.dtype.kind == "f")
    if mask is not None:
        set_keras_mask(tensor, torch.tensor(mask))
    return tensor


def gradients_theirs(keras, layer, call, arrays, upstream, masks=None):
    """Output and d sum(output · u) / d (inputs, weights), by torch autograd through Keras."""
    import torch

    masks = masks or [None] * len(arrays)
    tensors = [keras_tensor(keras, a, m) for a, m in zip(arrays, masks, strict=True)]
    for w in layer.trainable_weights:
        w.value.grad = None
    output = call(layer, *tensors)
    (output * torch.tensor(upstream)).sum().backward()
    grads = [t.grad for t in tensors] + [w.value.grad for w in layer.trainable_weights]
    return output, grads


def gradients_ours(layer, call, arrays, upstream, masks=None):
    tensors = [Tensor(a) for a in arrays]
    with GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        output = call(layer, *tensors)
        loss = ops.sum(output * upstream)
    return output, tape.gradient(loss, [*tensors, *layer.trainable_weights])


def compare_gradients(
    label, keras, ours, theirs, call_ours, call_theirs, arrays, masks=None, upstream_mask=None
):
    """`upstream_mask`: output positions the loss ignores (masked queries, as a model's
    loss ignores them): their upstream gradient is 0."""
    upstream = np.random.default_rng(9).normal(size=numpy_of(call_ours(ours, *arrays)).shape)
    if upstream_mask is not None:
        upstream = upstream * upstream_mask
    upstream = upstream.astype("float32")
    out_theirs, g_theirs = gradients_theirs(keras, theirs, call_theirs, arrays, upstream, masks)
    out_ours, g_ours = gradients_ours(ours, call_ours, arrays, upstream)
    close(f"{label}: output", out_ours, out_theirs)
    names = [f"input {i}" for i in range(len(arrays))] + [w.path for w in ours.trainable_weights]
    for name, a, b in zip(names, g_ours, g_theirs, strict=True):
        if b is None:
            assert a is None or not np.any(a), f"{label}: {name} has a gradient only here"
            continue
        close(f"{label}: gradient of {name}", a, b, rtol=1e-4, atol=2e-5)


# --- the ops ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    # (Keras's torch backend fails for contiguous axes that are not the last ones, axis=1
    # of a 4-D input: it hands them to torch's layer_norm, which takes trailing axes only.)
    "axis, params",
    [(-1, True), ([1, 3], True), (-1, False), ([-2, -1], True)],
    ids=str,
)
def test_layer_normalization_op(keras, axis, params):
    x = (RNG.normal(size=(2, 3, 4, 5)) * 3 + 1).astype("float32")
    axes = [axis] if isinstance(axis, int) else axis
    shape = tuple(x.shape[a] for a in sorted(a % 4 for a in axes))
    gamma = RNG.uniform(0.5, 2, shape).astype("float32") if params else None
    beta = RNG.normal(size=shape).astype("float32") if params else None
    close(
        "ops.layer_normalization",
        ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3),
        keras.ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-3),
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mask": ATTENTION_MASK[:, None]},
        {"is_causal": True},
        {"mask": ATTENTION_MASK[:, None], "is_causal": True, "scale": 0.3},
        {"mask": np.zeros((2, 1, 3, 5), bool)},  # no key at all: the mean of the values
        {"bias": RNG.normal(size=(2, 1, 3, 5)).astype("float32")},
    ],
    ids=["plain", "mask", "causal", "mask-causal-scale", "all-masked", "bias"],
)
@pytest.mark.parametrize("kv_heads", [4, 2, 1])
def test_dot_product_attention_op(keras, options, kv_heads):
    q = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    k = RNG.normal(size=(2, 5, kv_heads, 6)).astype("float32")
    v = RNG.normal(size=(2, 5, kv_heads, 6)).astype("float32")
    close(
        "ops.dot_product_attention",
        ops.dot_product_attention(q, k, v, **options),
        keras.ops.dot_product_attention(q, k, v, **options),
    )


# --- LayerNormalization ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "options",
    [{}, {"axis": [1, 2]}, {"axis": [0, 2], "epsilon": 0.1}, {"center": False}, {"scale": False}],
    ids=str,
)
def test_layer_normalization_outputs_and_gradients(keras, options):
    x = (RNG.normal(size=(4, 3, 6)) * 2 + 1).astype("float32")
    ours = tk.layers.LayerNormalization(**options)
    theirs = keras.layers.LayerNormalization(**options)
    ours.build(x.shape)
    theirs.build(x.shape)
    same_weights(ours, theirs)
    compare_gradients(
        "LayerNormalization", keras, ours, theirs, lambda m, x: m(x), lambda m, x: m(x), [x]
    )


def test_layer_normalization_rms_scaling(keras):
    x = (RNG.normal(size=(4, 6)) + 2).astype("float32")
    with pytest.warns(UserWarning, match="deprecated"):
        ours = tk.layers.LayerNormalization(rms_scaling=True)
    with pytest.warns(UserWarning, match="deprecated"):
        theirs = keras.layers.LayerNormalization(rms_scaling=True)
    ours.build(x.shape)
    theirs.build(x.shape)
    same_weights(ours, theirs)
    with warnings.catch_warnings():  # Keras's op warns again at each call
        warnings.simplefilter("ignore", UserWarning)
        close("LayerNormalization", ours(x), theirs(x))


# --- EinsumDense ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "equation, output_shape, bias_axes, input_shape",
    [
        ("ab,bc->ac", 5, "c", (3, 4)),
        ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 4)),
        ("abcd,cde->abe", (None, 5), "e", (2, 3, 2, 4)),
        ("...b,bc->...c", 4, "c", (2, 3, 6)),
        ("ab...,bc->ac...", 4, "c", (2, 3, 5)),
        ("abc,cd->abd", (None, 5), "bd", (2, 3, 4)),
    ],
)
def test_einsum_dense(keras, equation, output_shape, bias_axes, input_shape):
    options = {"equation": equation, "output_shape": output_shape, "bias_axes": bias_axes}
    if bias_axes == "bd":  # Keras needs the passed-through size given
        options["output_shape"] = (input_shape[1], 5)
    ours, theirs = tk.layers.EinsumDense(**options), keras.layers.EinsumDense(**options)
    ours.build(input_shape)
    theirs.build(input_shape)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    same_weights(ours, theirs)
    x = RNG.normal(size=input_shape).astype("float32")
    compare_gradients("EinsumDense", keras, ours, theirs, lambda m, x: m(x), lambda m, x: m(x), [x])


def test_einsum_dense_initial_weights_have_keras_spread(keras):
    """Glorot's fans over the kernel's own axes: the same limit in both libraries."""
    ours = tk.layers.EinsumDense("abc,cde->abde", (None, 8, 32))
    theirs = keras.layers.EinsumDense("abc,cde->abde", (None, 8, 32))
    ours.build((2, 3, 256))
    theirs.build((2, 3, 256))
    a, b = np.abs(ours.get_weights()[0]).max(), np.abs(numpy_of(theirs.get_weights()[0])).max()
    assert a <= np.sqrt(6 / 512) and b <= np.sqrt(6 / 512) and abs(a - b) < 0.01


# --- MultiHeadAttention ------------------------------------------------------------------------------
MHA_OPTIONS = [
    {"num_heads": 2, "key_dim": 4},
    {"num_heads": 3, "key_dim": 2, "value_dim": 5, "output_shape": 7},
    {"num_heads": 2, "key_dim": 4, "use_bias": False},
    {"num_heads": 2, "key_dim": 3, "use_gate": True},
    {"num_heads": 2, "key_dim": 4, "sliding_window": 2},
    {"num_heads": 2, "key_dim": 4, "dropout": 0.5},  # inference: dropout off, the einsum road
]
MASKS = {
    "none": {},
    "query_mask": {"query_mask": QUERY_MASK},
    "value_mask": {"value_mask": VALUE_MASK},
    "key_mask": {"key_mask": KEY_MASK},
    "attention_mask": {"attention_mask": ATTENTION_MASK},
    "causal": {"use_causal_mask": True},
    "all": {
        "query_mask": QUERY_MASK,
        "value_mask": VALUE_MASK,
        "attention_mask": ATTENTION_MASK,
        "use_causal_mask": True,
    },
    "no-key-at-all": {"value_mask": np.zeros((2, 5), bool)},
}


def mha_pair(keras, options, with_key=True, cls="MultiHeadAttention"):
    ours, theirs = getattr(tk.layers, cls)(**options), getattr(keras.layers, cls)(**options)
    key = K if with_key else None
    ours(Q, V, key)
    theirs(Q, V, key)
    same_weights(ours, theirs)
    return ours, theirs


def keras_call(keras, layer, query, value, masks, **kwargs):
    """Keras 3.15's MultiHeadAttention reads the query's mask from the tensor (an explicit
    `query_mask=` is overwritten), so it rides there; the others are passed as given."""
    masks = dict(masks)
    query_mask = masks.pop("query_mask", None)
    return layer(keras_tensor(keras, query, query_mask), value, **masks, **kwargs)


@pytest.mark.parametrize("mask_kind", sorted(MASKS))
@pytest.mark.parametrize("options", MHA_OPTIONS, ids=lambda o: str(o)[1:-1])
def test_multi_head_attention_outputs_and_scores(keras, options, mask_kind):
    ours, theirs = mha_pair(keras, options)
    masks = MASKS[mask_kind]
    close(
        "MultiHeadAttention", ours(Q, V, K, **masks), keras_call(keras, theirs, Q, V, masks, key=K)
    )
    out, scores = ours(Q, V, K, return_attention_scores=True, **masks)
    out_k, scores_k = keras_call(keras, theirs, Q, V, masks, key=K, return_attention_scores=True)
    close("MultiHeadAttention", out, out_k)
    close("MultiHeadAttention: scores", scores, scores_k)


def test_multi_head_attention_scores_before_dropout_match_in_training(keras):
    options = {"num_heads": 2, "key_dim": 4, "dropout": 0.5}
    ours, theirs = mha_pair(keras, options, with_key=False)
    _, scores = ours(Q, V, return_attention_scores=True, training=True)
    _, scores_k = theirs(Q, V, return_attention_scores=True, training=True)
    close("MultiHeadAttention: scores", scores, scores_k)


@pytest.mark.parametrize(
    "attention_axes, shape", [((1, 2), (2, 3, 2, 4)), ((2,), (2, 3, 4, 4)), ((-3,), (2, 3, 2, 4))]
)
def test_multi_head_attention_over_other_axes(keras, attention_axes, shape):
    x = RNG.normal(size=shape).astype("float32")
    options = {"num_heads": 2, "key_dim": 3, "attention_axes": attention_axes}
    ours, theirs = (
        tk.layers.MultiHeadAttention(**options),
        keras.layers.MultiHeadAttention(**options),
    )
    ours(x, x)
    theirs(x, x)
    same_weights(ours, theirs)
    out, scores = ours(x, x, return_attention_scores=True)
    out_k, scores_k = theirs(x, x, return_attention_scores=True)
    close("MultiHeadAttention", out, out_k)
    close("MultiHeadAttention: scores", scores, scores_k)


@pytest.mark.parametrize("scores", [False, True], ids=["fused-road", "einsum-road"])
@pytest.mark.parametrize("mask_kind", ["none", "value_mask", "causal", "all"])
def test_multi_head_attention_gradients(keras, mask_kind, scores):
    ours, theirs = mha_pair(keras, {"num_heads": 2, "key_dim": 4})
    masks = dict(MASKS[mask_kind])
    query_mask = masks.pop("query_mask", None)

    def call_ours(layer, q, v, k):
        out = layer(q, v, k, query_mask=query_mask, return_attention_scores=scores, **masks)
        return out[0] if scores else out

    def call_theirs(layer, q, v, k):
        out = layer(q, v, k, return_attention_scores=scores, **masks)
        return out[0] if scores else out

    # A masked query has no key to look at. On the fused road torch's kernel sends back S
    # times the gradient of the average it computed for it; the loss of a model ignores
    # masked queries anyway (their mask rides on the output), so the comparison does too.
    compare_gradients(
        "MultiHeadAttention",
        keras,
        ours,
        theirs,
        call_ours,
        call_theirs,
        [Q, V, K],
        masks=[query_mask, None, None],
        upstream_mask=queries_with_a_key(MASKS[mask_kind])[..., None],
    )


def queries_with_a_key(masks: dict) -> np.ndarray:
    """(batch, T): True for a query that may look at some key under all these masks."""
    keep = np.ones((2, 3, 5), bool)
    if "query_mask" in masks:
        keep &= masks["query_mask"][:, :, None]
    for name in ("value_mask", "key_mask"):
        if name in masks:
            keep &= masks[name][:, None, :]
    if "attention_mask" in masks:
        keep &= masks["attention_mask"]
    if masks.get("use_causal_mask"):
        keep &= np.tril(np.ones((3, 5), bool))
    return keep.any(-1)


# --- GroupQueryAttention -------------------------------------------------------------------------------
GQA_OPTIONS = [
    {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2},
    {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1, "use_bias": False},
    {"head_dim": 4, "num_query_heads": 2, "num_key_value_heads": 2, "use_gate": True},
    {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 1, "sliding_window": 2},
]


@pytest.mark.parametrize("mask_kind", sorted(MASKS))
@pytest.mark.parametrize("options", GQA_OPTIONS, ids=lambda o: str(o)[1:-1])
def test_group_query_attention(keras, options, mask_kind):
    ours, theirs = mha_pair(keras, options, with_key=False, cls="GroupQueryAttention")
    masks = MASKS[mask_kind]
    close("GroupQueryAttention", ours(Q, V, **masks), theirs(Q, V, **masks))
    out, scores = ours(Q, V, return_attention_scores=True, **masks)
    out_k, scores_k = theirs(Q, V, return_attention_scores=True, **masks)
    close("GroupQueryAttention", out, out_k)
    close("GroupQueryAttention: scores", scores, scores_k)


@pytest.mark.parametrize("scores", [False, True], ids=["fused-road", "einsum-road"])
def test_group_query_attention_gradients(keras, scores):
    ours, theirs = mha_pair(keras, GQA_OPTIONS[0], with_key=False, cls="GroupQueryAttention")

    def call(layer, q, v):
        out = layer(q, v, value_mask=VALUE_MASK, return_attention_scores=scores)
        return out[0] if scores else out

    compare_gradients("GroupQueryAttention", keras, ours, theirs, call, call, [Q, V])


# --- Attention and AdditiveAttention ---------------------------------------------------------------
ATTENTION_OPTIONS = [
    ("Attention", {}),
    ("Attention", {"use_scale": True}),
    ("Attention", {"score_mode": "concat"}),
    ("Attention", {"use_scale": True, "score_mode": "concat"}),
    ("AdditiveAttention", {}),
    ("AdditiveAttention", {"use_scale": False}),
]
ATTENTION_CALLS = {
    "plain": {},
    "masks": {"mask": [QUERY_MASK, VALUE_MASK]},
    "value mask": {"mask": [None, VALUE_MASK]},
    "causal": {"use_causal_mask": True},
    "masks causal": {"mask": [QUERY_MASK, VALUE_MASK], "use_causal_mask": True},
    "no value at all": {"mask": [None, np.zeros((2, 5), bool)]},
}


@pytest.mark.parametrize("call_kind", sorted(ATTENTION_CALLS))
@pytest.mark.parametrize("cls, options", ATTENTION_OPTIONS, ids=lambda o: str(o))
def test_attention_layers(keras, cls, options, call_kind):
    kwargs = ATTENTION_CALLS[call_kind]
    q = Q[..., :6]
    for inputs in ([Q, V], [q, V, K]):  # the key is the value, or its own (6 features)
        ours, theirs = getattr(tk.layers, cls)(**options), getattr(keras.layers, cls)(**options)
        ours(inputs)
        theirs(inputs)
        same_weights(ours, theirs, scale=1.0)
        out, scores = ours(inputs, return_attention_scores=True, **kwargs)
        out_k, scores_k = theirs(inputs, return_attention_scores=True, **kwargs)
        close(cls, out, out_k)
        close(f"{cls}: scores", scores, scores_k)

    def call(layer, q, v, k):
        return layer([q, v, k], **kwargs)

    compare_gradients(cls, keras, ours, theirs, call, call, [q, V, K])


# --- 20 training steps ----------------------------------------------------------------------------
def transformer(lib, kind):
    """A post-norm block: attention, residual, LayerNormalization, EinsumDense, Dense."""
    inputs, context = lib.Input((6, 8)), lib.Input((5, 8))
    if kind == "MultiHeadAttention":
        attended = lib.layers.MultiHeadAttention(2, 4, dropout=0.0)(
            inputs, inputs, use_causal_mask=True
        )
    elif kind == "GroupQueryAttention":
        attended = lib.layers.GroupQueryAttention(4, 4, 2)(inputs, context)
    elif kind == "cross":
        attended = lib.layers.MultiHeadAttention(2, 4, value_dim=3)(inputs, context, key=context)
    else:
        attended = getattr(lib.layers, kind)()([inputs, context])
    h = lib.layers.LayerNormalization()(lib.layers.Add()([inputs, attended]))
    h = lib.layers.EinsumDense("abc,cd->abd", (None, 16), bias_axes="d", activation="relu")(h)
    outputs = lib.layers.Dense(3, activation="softmax")(h)
    # (self-attention reads no context: a model input no output needs cannot be saved here)
    return lib.Model(inputs if kind == "MultiHeadAttention" else [inputs, context], outputs)


def data_for(kind, samples=80):
    return TRAIN_X[0][:samples] if kind == "MultiHeadAttention" else [a[:samples] for a in TRAIN_X]


TRAIN_X = [
    RNG.normal(size=(80, 6, 8)).astype("float32"),
    RNG.normal(size=(80, 5, 8)).astype("float32"),
]
TRAIN_Y = RNG.integers(0, 3, (80, 6))


@pytest.mark.parametrize(
    "kind", ["MultiHeadAttention", "cross", "GroupQueryAttention", "Attention", "AdditiveAttention"]
)
def test_twenty_training_steps_match(keras, kind):
    ours, theirs = transformer(tk, kind), transformer(keras, kind)
    same_weights(ours, theirs, scale=0.3)
    for model, lib in ((ours, tk), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        model.fit(data_for(kind), TRAIN_Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert ours.optimizer.iterations.numpy() == 20
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        close(f"training {kind}", a, b, rtol=1e-3, atol=2e-4)
    x = data_for(kind)
    close(f"training {kind}", ours.predict(x, verbose=0), theirs.predict(x, verbose=0), 1e-3, 1e-4)


# --- configs ------------------------------------------------------------------------------------------
CONFIGS = [
    ("LayerNormalization", {"axis": [1, 2], "epsilon": 0.01, "center": False}),
    ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (None, 2, 3), "bias_axes": "de"}),
    ("Attention", {"use_scale": True, "score_mode": "concat", "dropout": 0.1, "seed": 3}),
    ("AdditiveAttention", {"use_scale": False, "dropout": 0.2}),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 3, "value_dim": 4, "dropout": 0.1, "output_shape": (5,),
         "attention_axes": (1,), "use_gate": True, "sliding_window": 3, "seed": 2,
         "kernel_initializer": "he_normal", "bias_regularizer": "l2"},
    ),
    (
        "GroupQueryAttention",
        {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, "dropout": 0.1,
         "use_bias": False, "sliding_window": 2, "kernel_constraint": "non_neg"},
    ),
]  # fmt: skip


@pytest.mark.parametrize("cls, options", CONFIGS, ids=lambda o: str(o)[:30])
def test_configs_are_keras_configs(keras, cls, options):
    from keras.saving import serialize_keras_object as keras_serialize

    ours = tk.saving.serialize_keras_object(getattr(tk.layers, cls)(name="x", **options))
    theirs = keras_serialize(getattr(keras.layers, cls)(name="x", **options))
    assert ours["class_name"] == theirs["class_name"] and ours["module"] == theirs["module"]
    a, b = ours["config"], theirs["config"]
    assert set(a) == set(b), f"keys only ours: {set(a) - set(b)}, only Keras's: {set(b) - set(a)}"
    for key in set(a) - {"dtype"}:
        assert tk.saving.serialize_keras_object(a[key]) == b[key] or list(a[key]) == list(b[key]), (
            key
        )
    # each reads the other's
    from keras.saving import deserialize_keras_object as keras_deserialize

    assert keras_deserialize(ours).get_config()["name"] == "x"
    assert type(tk.saving.deserialize_keras_object(theirs)) is getattr(tk.layers, cls)


# --- saved files, both ways ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind", ["MultiHeadAttention", "cross", "GroupQueryAttention", "Attention", "AdditiveAttention"]
)
@pytest.mark.parametrize("suffix", [".keras", ".weights.h5", ".h5"])
def test_saved_files_interchange(keras, kind, suffix, tmp_path):
    x = data_for(kind, 4)
    ours, theirs = transformer(tk, kind), transformer(keras, kind)
    same_weights(ours, theirs, scale=0.3)
    expected = theirs.predict(x, verbose=0)
    # Keras 3.15 cannot read an Attention layer from its own .h5 files (their config's
    # score_mode "dot" comes back as the function keras.ops.dot), so only we read theirs.
    keras_reads_h5 = kind not in ("Attention", "AdditiveAttention")
    if suffix == ".weights.h5":
        ours.save_weights(tmp_path / "ours.weights.h5")
        fresh = transformer(keras, kind)
        fresh.load_weights(tmp_path / "ours.weights.h5")
        close(f"saving {kind}", fresh.predict(x, verbose=0), expected)
        theirs.save_weights(tmp_path / "theirs.weights.h5")
        mine = transformer(tk, kind)
        mine.load_weights(tmp_path / "theirs.weights.h5")
        close(f"saving {kind}", mine.predict(x, verbose=0), expected)
        return
    ours.save(tmp_path / f"ours{suffix}")
    theirs.save(tmp_path / f"theirs{suffix}")
    loaded_ours = tk.saving.load_model(tmp_path / f"theirs{suffix}")
    close(f"saving {kind}", loaded_ours.predict(x, verbose=0), expected)
    assert [type(a).__name__ for a in loaded_ours.layers] == [type(b).__name__ for b in ours.layers]
    if suffix == ".keras" or keras_reads_h5:
        loaded_theirs = keras.saving.load_model(tmp_path / f"ours{suffix}")
        close(f"saving {kind}", loaded_theirs.predict(x, verbose=0), expected)


def test_weights_file_layouts_are_the_same(keras, tmp_path):
    import h5py

    paths = {}
    for lib in (tk, keras):
        model = transformer(lib, "GroupQueryAttention")
        model.save_weights(tmp_path / f"{lib.__name__}.weights.h5")
        with h5py.File(tmp_path / f"{lib.__name__}.weights.h5") as f:
            found = []
            f.visititems(
                lambda name, obj, found=found: found.append((name, getattr(obj, "shape", None)))
            )
            paths[lib.__name__] = found
    assert paths["teachkeras"] == paths["keras"]


def test_print_largest_differences():
    """Run with `pytest -s` to see the largest |ours - Keras's| of each comparison."""
    for label, diff in sorted(LARGEST.items()):
        print(f"{label:40s} {diff:.2e}")
