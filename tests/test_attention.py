"""The attention layers, `EinsumDense` and `ops.dot_product_attention`."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import ops
from teachkeras.backend import GradientTape, Variable
from teachkeras.layers import (
    AdditiveAttention,
    Attention,
    EinsumDense,
    GroupQueryAttention,
    Input,
    MultiHeadAttention,
)
from teachkeras.layers.attention.masks import causal_mask, sliding_window_mask
from teachkeras.layers.core.einsum_dense import einsum_dense_shapes
from tests.helpers.layer_testing import layer_case, run_layer_test

QV = {"query_shape": (2, 3, 4), "value_shape": (2, 5, 6)}

LAYER_CASES = [
    layer_case(
        EinsumDense,
        {"equation": "abc,cde->abde", "output_shape": (None, 2, 3), "bias_axes": "de"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 2, 3),
        expected_num_trainable_weights=2,
    ),
    layer_case(
        EinsumDense,
        {"equation": "...b,bc->...c", "output_shape": 3, "activation": "tanh"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 3),
        expected_num_trainable_weights=1,
    ),
    layer_case(
        EinsumDense,
        {"equation": "ab,bc->ac", "output_shape": 5, "bias_axes": "c"},
        input_shape=(3, 4),
    ),
    layer_case(Attention, {}, input_shape=[(2, 3, 4), (2, 5, 4)], expected_output_shape=(2, 3, 4)),
    layer_case(
        Attention,
        {"use_scale": True, "score_mode": "concat"},
        input_shape=[(2, 3, 4), (2, 5, 2), (2, 5, 4)],
        expected_output_shape=(2, 3, 2),
        expected_num_trainable_weights=2,
    ),
    layer_case(
        Attention,
        {},
        input_shape=[(2, 4, 3), (2, 4, 3)],
        call_kwargs={"use_causal_mask": True},
    ),
    layer_case(
        AdditiveAttention,
        {},
        input_shape=[(2, 3, 4), (2, 5, 4)],
        expected_num_trainable_weights=1,
    ),
    layer_case(
        MultiHeadAttention,
        {"num_heads": 2, "key_dim": 3},
        input_shape=QV,
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=8,
        supports_masking=True,
    ),
    layer_case(
        MultiHeadAttention,
        {"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": 5, "use_bias": False},
        input_shape={**QV, "key_shape": (2, 5, 3)},
        expected_output_shape=(2, 3, 5),
        expected_num_trainable_weights=4,
    ),
    layer_case(
        MultiHeadAttention,
        {"num_heads": 2, "key_dim": 3, "dropout": 0.3, "seed": 1},
        input_shape={"query_shape": (2, 4, 4), "value_shape": (2, 4, 4)},
        call_kwargs={"use_causal_mask": True},
    ),
    layer_case(
        MultiHeadAttention,
        {"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2), "use_gate": True},
        input_shape={"query_shape": (2, 3, 2, 4), "value_shape": (2, 3, 2, 4)},
        expected_num_trainable_weights=10,
    ),
    layer_case(
        GroupQueryAttention,
        {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2},
        input_shape={"query_shape": (2, 3, 4), "value_shape": (2, 5, 4)},
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=8,
    ),
    layer_case(
        GroupQueryAttention,
        {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1, "sliding_window": 2},
        input_shape={"query_shape": (2, 4, 3), "value_shape": (2, 4, 3)},
        call_kwargs={"use_causal_mask": True},
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 3, 4)).astype("float32")
V = RNG.normal(size=(2, 5, 4)).astype("float32")


# --- scaled dot-product attention, the op ---------------------------------------------------
def numpy_attention(q, k, v, keep=None, scale=None):
    """softmax(Q Kᵀ·s) V with masked scores dropped, per batch entry and head, in float64."""
    q, k, v = (np.moveaxis(a.astype("float64"), 2, 1) for a in (q, k, v))  # (batch, heads, T, H)
    scores = q @ np.swapaxes(k, -1, -2) * (scale or 1 / np.sqrt(q.shape[-1]))
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return np.moveaxis(weights @ v, 1, 2)


def test_dot_product_attention_is_the_formula():
    q, k, v = (
        RNG.normal(size=(2, 3, 2, 4)),
        RNG.normal(size=(2, 5, 2, 4)),
        RNG.normal(size=(2, 5, 2, 3)),
    )
    np.testing.assert_allclose(
        ops.dot_product_attention(q, k, v).numpy(), numpy_attention(q, k, v), rtol=1e-12
    )
    keep = RNG.random((2, 1, 3, 5)) > 0.3
    keep[..., 0] = True
    np.testing.assert_allclose(
        ops.dot_product_attention(q, k, v, mask=keep, scale=0.2).numpy(),
        numpy_attention(q, k, v, keep, 0.2),
        rtol=1e-12,
    )


def test_causal_attention_sees_only_the_past_and_groups_share_key_heads():
    q, k, v = (
        RNG.normal(size=(1, 4, 4, 2)),
        RNG.normal(size=(1, 4, 2, 2)),
        RNG.normal(size=(1, 4, 2, 2)),
    )
    out = ops.dot_product_attention(q, k, v, is_causal=True).numpy()
    repeated = [np.repeat(a, 2, axis=2) for a in (k, v)]  # query heads 0, 1 read kv head 0
    expected = numpy_attention(q, *repeated, keep=np.tril(np.ones((4, 4), bool)))
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    # step 0 sees only itself
    np.testing.assert_allclose(out[:, 0], v[:, 0].repeat(2, axis=1), rtol=1e-12)


def test_a_query_with_every_key_masked_averages_the_values_as_keras_fused_op_does():
    q, k, v = (RNG.normal(size=(1, 2, 1, 3)) for _ in range(3))
    keep = np.array([True, False])[None, None, :, None]  # query 1 may look at nothing
    out = ops.dot_product_attention(q, k, v, mask=keep).numpy()
    np.testing.assert_allclose(out[0, 1, 0], v[0, :, 0].mean(axis=0), rtol=1e-12)


def test_the_fused_op_gives_the_same_numbers_and_gradients_a_block_of_the_batch_at_a_time(
    monkeypatch,
):
    from teachkeras.backend import check_gradients, nn_ops

    q, k, v = (
        RNG.normal(size=(3, 4, 4, 2)),
        RNG.normal(size=(3, 5, 2, 2)),
        RNG.normal(size=(3, 5, 2, 3)),
    )
    keep = RNG.random((3, 1, 4, 5)) > 0.3
    keep[..., 0] = True
    whole = ops.dot_product_attention(q, k, v, mask=keep).numpy()
    monkeypatch.setattr(
        nn_ops, "_batch_blocks", lambda batch, _: [slice(i, i + 1) for i in range(batch)]
    )
    np.testing.assert_allclose(
        ops.dot_product_attention(q, k, v, mask=keep).numpy(), whole, rtol=1e-12
    )
    check_gradients(lambda q, k, v: ops.dot_product_attention(q, k, v, mask=keep), q, k, v)


def test_softmax_redoes_with_the_row_maximum_only_the_rows_that_need_it():
    x = np.array([[1000.0, 999.0, 0.0], [-1e38, -1e38, -1e38], [1.0, 2.0, 3.0], [-200, -201, -202]])
    expected = np.exp(x - x.max(-1, keepdims=True))
    expected /= expected.sum(-1, keepdims=True)
    for dtype in ("float32", "float64"):
        np.testing.assert_allclose(ops.softmax(x.astype(dtype)).numpy(), expected, rtol=1e-6)


def test_dot_product_attention_refuses_what_it_cannot_do():
    x = np.ones((1, 2, 2, 4))
    with pytest.raises(ValueError, match="only supports 4D inputs"):
        ops.dot_product_attention(np.ones((2, 4)), x, x)
    with pytest.raises(ValueError, match="Only one of `bias` and `mask`"):
        ops.dot_product_attention(x, x, x, bias=np.zeros(2), mask=np.ones(2, bool))
    with pytest.raises(ValueError, match=r"query's 3 heads must be a multiple of the key's 2"):
        ops.dot_product_attention(np.ones((1, 2, 3, 4)), x, x)
    with pytest.raises(ValueError, match=r"mask has shape \(3,\).*\(1, 2, 2, 2\)"):
        ops.dot_product_attention(x, x, x, mask=np.ones(3, bool))
    with pytest.raises(ValueError, match="flash attention is a fused GPU kernel"):
        ops.dot_product_attention(x, x, x, flash_attention=True)


def test_einsum_hands_contractions_to_blas_with_the_same_numbers():
    a, b = RNG.normal(size=(3, 4, 5)), RNG.normal(size=(5, 2, 6))
    expected = np.einsum("abc,cde->abde", a, b, optimize=False)
    np.testing.assert_allclose(ops.einsum("abc,cde->abde", a, b).numpy(), expected, rtol=1e-12)


# --- EinsumDense ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "equation, bias_axes, input_shape, output_shape, kernel, bias, full",
    [
        ("ab,bc->ac", "c", (2, 4), (8,), (4, 8), (8,), (2, 8)),
        ("abc,cde->abde", "de", (2, 10, 64), (None, 4, 16), (64, 4, 16), (4, 16), (2, 10, 4, 16)),
        ("abcd,cde->abe", "e", (2, 10, 4, 16), (None, 64), (4, 16, 64), (64,), (2, 10, 64)),
        ("...b,bc->...c", "c", (2, 3, 4, 5), (6,), (5, 6), (6,), (2, 3, 4, 6)),
        ("ab...,bc->ac...", "c", (2, 3, 5, 7), (4,), (3, 4), (4, 1, 1), (2, 4, 5, 7)),
        ("abc,cd->abd", None, (2, 3, 4), (None, 5), (4, 5), None, (2, 3, 5)),
    ],
)
def test_einsum_dense_shapes(equation, bias_axes, input_shape, output_shape, kernel, bias, full):
    shapes = einsum_dense_shapes(equation, bias_axes, input_shape, output_shape)
    assert (shapes.kernel, shapes.bias, shapes.output) == (kernel, bias, full)
    layer = EinsumDense(equation, output_shape, bias_axes=bias_axes)
    assert layer(RNG.normal(size=input_shape)).shape == full


def test_einsum_dense_computes_the_einsum_plus_bias():
    layer = EinsumDense("abc,cde->abde", (None, 2, 3), bias_axes="de", bias_initializer="ones")
    x = RNG.normal(size=(2, 5, 4)).astype("float32")
    y = layer(x).numpy()
    np.testing.assert_allclose(
        y, np.einsum("abc,cde->abde", x, layer.kernel.numpy()) + 1, rtol=1e-5
    )


def test_einsum_dense_counts_glorot_fans_over_its_kernel_axes():
    layer = EinsumDense("abc,cde->abde", (None, 8, 32), kernel_initializer="glorot_uniform")
    layer.build((None, 3, 256))  # fan_in 256, fan_out 8 · 32 = 256: limit √(6/512)
    assert np.abs(layer.kernel.numpy()).max() <= np.sqrt(6 / 512)
    assert np.abs(layer.kernel.numpy()).max() > 0.9 * np.sqrt(6 / 512)
    assert layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None  # as given


@pytest.mark.parametrize(
    "equation, output_shape, match",
    [
        ("ab->b", 3, "Invalid einsum equation"),
        ("abc,cd->abd", (None, 5), r"names 3 input axes, but the input has shape \(2, 4\)"),
        ("ab,bc->ac", (3, 4), r"gives 2 axes besides the batch axis.*has 2 output axes"),
        ("ab,bc->ad", 3, r"dimension 'd' of the output 'ad' is neither in the input"),
        ("ab,bcx->ac", 3, r"kernel dimension 'x' is neither in the input"),
    ],
)
def test_einsum_dense_refuses_equations_that_do_not_fit(equation, output_shape, match):
    with pytest.raises(ValueError, match=match):
        EinsumDense(equation, output_shape)(np.ones((2, 4)))


def test_einsum_dense_refuses_a_bias_axis_that_is_not_an_output_axis():
    with pytest.raises(ValueError, match="bias dimension 'b' was requested"):
        EinsumDense("ab,bc->ac", 3, bias_axes="b")(np.ones((2, 4)))


def test_einsum_dense_refuses_lora():
    with pytest.raises(ValueError, match="lora_rank"):
        EinsumDense("ab,bc->ac", 3, lora_rank=2)


# --- Attention and AdditiveAttention --------------------------------------------------------
def test_attention_is_softmax_of_query_dot_key_times_value():
    out, weights = Attention()([Q, V], return_attention_scores=True)
    scores = Q.astype("float64") @ np.swapaxes(V, 1, 2)
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(weights.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(out.numpy(), expected @ V, rtol=1e-5, atol=1e-6)


def test_additive_attention_scores_are_a_weighted_sum_of_tanh():
    layer = AdditiveAttention()
    _, weights = layer([Q, V], return_attention_scores=True)
    w = layer.scale.numpy()
    scores = (np.tanh(Q[:, :, None, :] + V[:, None, :, :]) * w).sum(-1)
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(weights.numpy(), expected, rtol=1e-5)


def test_attention_masks_padded_values_and_zeroes_padded_queries():
    q_mask = np.array([[True, True, False], [True, True, True]])
    v_mask = np.array([[True, True, True, False, False], [True] * 5])
    out, weights = Attention()([Q, V], mask=[q_mask, v_mask], return_attention_scores=True)
    assert np.all(weights.numpy()[0, :, 3:] == 0)  # padded values get no weight
    np.testing.assert_allclose(weights.numpy().sum(-1), 1, rtol=1e-6)
    assert np.all(out.numpy()[0, 2] == 0)  # a padded query's output is 0
    assert Attention().compute_mask([Q, V], [q_mask, v_mask]).numpy().tolist() == q_mask.tolist()


def test_attention_causal_mask_hides_the_future():
    _, weights = Attention()([V, V], use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.triu(weights.numpy()[0], k=1) == 0)


def test_attention_dropout_drops_weights_only_in_training():
    layer = Attention(dropout=0.5, seed=3)
    inference = layer([Q, V]).numpy()
    np.testing.assert_array_equal(layer([Q, V], training=False).numpy(), inference)
    trained, weights = layer([Q, V], training=True, return_attention_scores=True)
    dropped = weights.numpy()
    assert np.any(dropped == 0) and np.any(dropped > 1)  # kept weights scaled by 1/(1 - 0.5)
    np.testing.assert_allclose(trained.numpy(), dropped @ V, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layer_cls", [Attention, AdditiveAttention])
def test_attention_bad_inputs_name_both_shapes(layer_cls):
    with pytest.raises(ValueError, match=r"query\.shape=\(2, 3, 4\), value\.shape=\(2, 5, 6\)"):
        layer_cls()([Q, np.ones((2, 5, 6))])
    with pytest.raises(ValueError, match=r"value mask should have shape \(2, 5\).*\(2, 4\)"):
        layer_cls()([Q, V], mask=[None, np.ones((2, 4), bool)])
    with pytest.raises(ValueError, match="must be called on a list of inputs"):
        layer_cls()(Q)


# --- MultiHeadAttention -------------------------------------------------------------------------
def numpy_mha(layer, q, v, keep=None):
    """The layer's formula, step by step in NumPy (float64), with its own weights."""
    wq, bq, wk, bk, wv, bv, wo, bo = (w.astype("float64") for w in layer.get_weights())
    query = np.einsum("btd,dnh->btnh", q, wq) + bq
    key = np.einsum("bsd,dnh->bsnh", v, wk) + bk
    value = np.einsum("bsd,dnh->bsnh", v, wv) + bv
    scores = np.einsum("btnh,bsnh->bnts", query, key) / np.sqrt(wq.shape[-1])
    if keep is not None:
        scores = np.where(keep[:, None], scores, -1e9)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    heads = np.einsum("bnts,bsnh->btnh", weights, value)
    return np.einsum("btnh,nhd->btd", heads, wo) + bo, weights


def test_multi_head_attention_is_the_formula_on_both_roads():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, bias_initializer="random_normal")
    fused = layer(Q, V).numpy()
    out, scores = layer(Q, V, return_attention_scores=True)
    expected, weights = numpy_mha(layer, Q, V)
    np.testing.assert_allclose(fused, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scores.numpy(), weights, rtol=1e-5, atol=1e-6)
    assert layer.query_dense.kernel.shape == (4, 2, 3)
    assert layer.output_dense.kernel.shape == (2, 3, 4)


@pytest.mark.parametrize(
    "masks",
    [
        {"value_mask": np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)},
        {"key_mask": np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 1]], bool)},
        {"attention_mask": RNG.random((2, 3, 5)) > 0.4},
        {"use_causal_mask": True},
        {"query_mask": np.array([[1, 1, 0], [1, 1, 1]], bool)},
    ],
    ids=lambda m: next(iter(m)),
)
def test_every_kind_of_mask_gives_masked_keys_no_weight(masks):
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = layer(Q, V, return_attention_scores=True, **masks)
    keep = combined = np.ones((2, 3, 5), bool)
    for name, mask in masks.items():
        keep = {
            "value_mask": lambda m: m[:, None, :],
            "key_mask": lambda m: m[:, None, :],
            "attention_mask": lambda m: m,
            "use_causal_mask": lambda m: causal_mask(3, 5),
            "query_mask": lambda m: m[:, :, None],
        }[name](mask)
        combined = combined & keep
    scores = scores.numpy()
    assert np.all(scores[np.broadcast_to(~combined[:, None], scores.shape)] == 0)
    rows = combined.any(-1)  # queries with at least one key: their weights sum to 1
    np.testing.assert_allclose(
        scores.sum(-1)[np.broadcast_to(rows[:, None], scores.shape[:3])], 1, rtol=1e-5
    )
    # the fused road (no scores returned) agrees wherever a query has a key to look at
    fused = layer(Q, V, **masks).numpy()
    np.testing.assert_allclose(fused[rows], out.numpy()[rows], rtol=1e-5, atol=1e-6)


def test_a_query_with_no_key_gets_zeros_when_scores_are_returned_and_the_mean_otherwise():
    layer = MultiHeadAttention(num_heads=1, key_dim=2, use_bias=False)
    nothing = np.zeros((2, 5), bool)
    out, scores = layer(Q, V, value_mask=nothing, return_attention_scores=True)
    assert np.all(scores.numpy() == 0) and np.all(out.numpy() == 0)
    fused = layer(Q, V, value_mask=nothing).numpy()
    mean_value = np.einsum("bsd,dnh->bnh", V, layer.value_dense.kernel.numpy()) / 5
    expected = np.einsum("bnh,nhd->bd", mean_value, layer.output_dense.kernel.numpy())
    np.testing.assert_allclose(fused, np.repeat(expected[:, None], 3, axis=1), rtol=1e-5, atol=1e-6)


def test_sliding_window_mask_is_a_band():
    assert sliding_window_mask(4, 4, 2)[0].astype(int).tolist() == [
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [0, 1, 1, 1],
        [0, 0, 1, 1],
    ]
    _, scores = MultiHeadAttention(2, 2, sliding_window=2)(V, V, return_attention_scores=True)
    assert np.all(scores.numpy()[:, :, 0, 2:] == 0)


def test_dropout_acts_on_the_scores_in_training_and_returns_them_undropped():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=7)
    out, scores = layer(Q, V, return_attention_scores=True, training=True)
    expected, weights = numpy_mha(layer, Q, V)
    np.testing.assert_allclose(scores.numpy(), weights, rtol=1e-5, atol=1e-6)  # before dropout
    assert not np.allclose(out.numpy(), expected, atol=1e-3)  # the values used were dropped
    np.testing.assert_allclose(layer(Q, V, training=False).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_gradients_reach_every_projection_and_the_inputs():
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = Variable(Q), Variable(V)
    with GradientTape() as tape:
        loss = ops.sum(ops.square(layer(q, v, use_causal_mask=True)))
    grads = tape.gradient(loss, [q, v, *layer.trainable_weights])
    assert all(g is not None and np.any(g != 0) for g in grads)


def test_in_a_functional_model_the_value_is_an_input_of_the_graph(tmp_path):
    query, context = Input((3, 4)), Input((5, 4))
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    attended, scores = layer(query, context, return_attention_scores=True)
    assert attended.shape == (None, 3, 4) and scores.shape == (None, 2, 3, 5)
    model = keras.Model([query, context], [attended, scores])
    out, weights = model.predict([Q, V], verbose=0)
    eager, eager_scores = layer(Q, V, return_attention_scores=True)
    np.testing.assert_allclose(out, eager.numpy(), rtol=1e-6)
    np.testing.assert_allclose(weights, eager_scores.numpy(), rtol=1e-6)
    again = keras.Model.from_config(model.get_config())
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(again.predict([Q, V], verbose=0)[0], out, rtol=1e-6)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict([Q, V], verbose=0)[0], out, rtol=1e-6)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict([Q, V], verbose=0)[0], out)


def test_an_attention_mask_from_the_graph_is_an_input_too():
    x, mask = Input((5, 4)), Input((5, 5), dtype="bool")
    model = keras.Model([x, mask], MultiHeadAttention(2, 3)(x, x, attention_mask=mask))
    keep = np.tril(np.ones((2, 5, 5), bool))
    layer = model.layers[-1]
    np.testing.assert_allclose(
        model.predict([V, keep], verbose=0), layer(V, V, attention_mask=keep).numpy(), rtol=1e-6
    )


def test_a_transformer_block_learns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 6, 8)).astype("float32")
    y = (x[:, ::-1, :1] > 0).astype("int32")[..., 0]  # each step's label: the mirrored step's sign
    inputs = Input((6, 8))
    attended = MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    h = keras.layers.LayerNormalization()(keras.layers.Add()([inputs, attended]))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda m: m(Q, V, query_mask=np.ones((2, 5), bool)),
            r"`query_mask` should have shape \(2, 3\) .*\(2, 5\)",
        ),
        (
            lambda m: m(Q, V, value_mask=np.ones((2, 3), bool)),
            r"`value_mask` should have shape \(2, 5\) .*\(2, 3\)",
        ),
        (
            lambda m: m(Q, V, attention_mask=np.ones((2, 5, 3), bool)),
            r"`attention_mask` should have shape \(2, 3, 5\).*\(2, 5, 3\)",
        ),
        (
            lambda m: m(Q, V, key=np.ones((2, 4, 4))),
            r"value_shape=\(2, 5, 4\) and key_shape=\(2, 4, 4\)",
        ),
        (lambda m: m(Q), "needs a query and a value"),
        (lambda m: m(Q[..., 0], V[..., 0]), "same rank, at least 3"),
    ],
)
def test_multi_head_attention_bad_inputs_name_the_expected_shape(call, match):
    with pytest.raises(ValueError, match=match):
        call(MultiHeadAttention(num_heads=2, key_dim=3))


def test_inputs_of_other_sizes_after_building_are_refused_naming_both_shapes():
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    layer(Q, V)
    with pytest.raises(
        ValueError, match=r"built for a value .* 4 features.*value\.shape=\(2, 5, 6\)"
    ):
        layer(Q, np.ones((2, 5, 6)))


def test_multi_head_attention_arguments_are_checked():
    with pytest.raises(ValueError, match="num_heads=0"):
        MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="flash attention is a fused GPU kernel"):
        MultiHeadAttention(2, 2, flash_attention=True)
    with pytest.raises(ValueError, match="attention_axes"):
        MultiHeadAttention(2, 2, attention_axes="time")


# --- GroupQueryAttention --------------------------------------------------------------------------
def test_group_query_attention_shares_each_key_value_head_with_a_group_of_query_heads():
    gqa = GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    out, scores = gqa(Q, V, return_attention_scores=True)
    assert gqa._key_dense.kernel.shape == (4, 2, 3) and gqa._query_dense.kernel.shape == (4, 4, 3)
    mha = MultiHeadAttention(num_heads=4, key_dim=3)  # the same with its key/value heads repeated
    mha(Q, V)
    q_k, q_b, k_k, k_b, v_k, v_b, o_k, o_b = gqa.get_weights()
    mha.set_weights(
        [q_k, q_b, k_k.repeat(2, 1), k_b.repeat(2, 0), v_k.repeat(2, 1), v_b.repeat(2, 0), o_k, o_b]
    )
    expected, expected_scores = mha(Q, V, return_attention_scores=True)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scores.numpy(), expected_scores.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gqa(Q, V).numpy(), out.numpy(), rtol=1e-5, atol=1e-6)


def test_group_query_attention_refuses_mismatched_features_naming_both_shapes():
    with pytest.raises(ValueError, match=r"query_shape=\(2, 3, 4\), value_shape=\(2, 5, 6\)"):
        GroupQueryAttention(2, 2, 1)(Q, np.ones((2, 5, 6)))
    with pytest.raises(ValueError, match="must be divisible"):
        GroupQueryAttention(2, 3, 2)


def test_group_query_attention_saves_under_keras_public_name():
    config = keras.saving.serialize_keras_object(GroupQueryAttention(2, 2, 1))
    assert config["class_name"] == "GroupQueryAttention"
    assert type(keras.saving.deserialize_keras_object(config)) is GroupQueryAttention
    assert GroupQueryAttention(2, 2, 1).name.startswith("grouped_query_attention")


def test_masked_inputs_reach_the_projections_without_a_mask_warning():
    """The masks are in the combined attention mask; the EinsumDense projections must not see
    them (they would warn that they drop one), and the input keeps its mask for other layers."""
    import warnings

    from teachkeras import layers

    inputs = keras.Input((5,), dtype="int32")
    embedding = layers.Embedding(10, 8, mask_zero=True)
    mha, gqa, pool = (
        layers.MultiHeadAttention(2, 4),
        layers.GroupQueryAttention(4, 2, 1),
        layers.GlobalAveragePooling1D(),
    )
    embedded = embedding(inputs)
    both = keras.Model(inputs, [pool(mha(embedded, embedded)), pool(gqa(embedded, embedded))])
    alone = keras.Model(inputs, pool(gqa(embedding(inputs), embedding(inputs))))
    ids = np.array([[1, 2, 0, 0, 0], [3, 0, 0, 0, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, after_mha = both.predict(ids, verbose=0)
    # GQA, run after MHA on the same tensor, still saw the mask
    np.testing.assert_allclose(after_mha, alone.predict(ids, verbose=0), rtol=1e-6)
