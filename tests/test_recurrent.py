"""Recurrent layers: the layer contract for each, BPTT against finite differences, masks,
states (initial, returned, stateful), dropout masks per batch, a learner's own cell, and the
errors a learner meets first."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import ops
from teachkeras.backend import check_gradients, recurrent_ops
from teachkeras.layers import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    Dense,
    GRUCell,
    Input,
    Layer,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
)
from teachkeras.layers.node import flatten
from teachkeras.legacy import KerasLegacyWarning
from tests.helpers.cell_testing import run_cell_test
from tests.helpers.layer_testing import _weights_replaced, layer_case, run_layer_test

SEQ = (2, 4, 3)  # (batch, timesteps, features)
WRAPPED_DTYPE = (
    "the wrapped layer or cell keeps its own dtype (float32), as in Keras; BPTT through it is "
    "checked in float64 below (test_bptt_matches_finite_differences)"
)
DROPOUT = "dropout draws new masks at every call, so finite differences cannot follow it"


@keras.saving.register_keras_serializable(package="tests")
class MinimalRNNCell(Layer):
    """keras.io's example of a learner's own cell: h_t = x_t W + h_{t-1} U."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), initializer="orthogonal", name="recurrent_kernel"
        )

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


LAYER_CASES = [
    layer_case(LSTM, {"units": 3}, input_shape=SEQ, expected_output_shape=(2, 3),
               expected_num_trainable_weights=3, supports_masking=True),
    layer_case(LSTM, {"units": 3, "return_sequences": True, "go_backwards": True,
                      "kernel_regularizer": "l2", "recurrent_regularizer": "l2",
                      "bias_regularizer": "l1"},
               input_shape=SEQ, expected_output_shape=(2, 4, 3), expected_num_losses=3),
    layer_case(LSTM, {"units": 3, "activation": "relu", "recurrent_activation": "hard_sigmoid",
                      "unit_forget_bias": False, "bias_initializer": "ones"},
               input_shape=SEQ),
    layer_case(LSTM, {"units": 3, "activation": "elu", "use_bias": False}, input_shape=SEQ),
    layer_case(LSTM, {"units": 3, "dropout": 0.5, "recurrent_dropout": 0.5, "seed": 1},
               input_shape=SEQ, call_kwargs={"training": True}, run_gradient_check=DROPOUT),
    layer_case(GRU, {"units": 3}, input_shape=SEQ, expected_output_shape=(2, 3),
               expected_num_trainable_weights=3),
    layer_case(GRU, {"units": 3, "reset_after": False, "return_sequences": True},
               input_shape=SEQ, expected_output_shape=(2, 4, 3)),
    layer_case(GRU, {"units": 3, "use_bias": False, "go_backwards": True}, input_shape=SEQ,
               expected_num_trainable_weights=2),
    layer_case(GRU, {"units": 3, "recurrent_activation": "hard_sigmoid", "reset_after": False,
                     "use_bias": False}, input_shape=SEQ),
    layer_case(GRU, {"units": 3, "dropout": 0.3, "recurrent_dropout": 0.3, "seed": 2},
               input_shape=SEQ, call_kwargs={"training": True}, run_gradient_check=DROPOUT),
    layer_case(SimpleRNN, {"units": 3}, input_shape=SEQ, expected_output_shape=(2, 3),
               expected_num_trainable_weights=3),
    layer_case(SimpleRNN, {"units": 3, "return_sequences": True, "go_backwards": True,
                           "activation": "softsign"}, input_shape=SEQ),
    layer_case(SimpleRNN, {"units": 3, "dropout": 0.5, "seed": 3}, input_shape=SEQ,
               call_kwargs={"training": True}, run_gradient_check=DROPOUT),
    layer_case(RNN, {"cell": LSTMCell(3)}, input_shape=SEQ, expected_output_shape=(2, 3),
               run_gradient_check=WRAPPED_DTYPE),
    layer_case(RNN, {"cell": [SimpleRNNCell(4), GRUCell(3)], "return_sequences": True},
               input_shape=SEQ, expected_output_shape=(2, 4, 3),
               expected_num_trainable_weights=6, run_gradient_check=WRAPPED_DTYPE),
    layer_case(RNN, {"cell": MinimalRNNCell(3), "go_backwards": True}, input_shape=SEQ,
               run_gradient_check=WRAPPED_DTYPE),
    *[
        layer_case(Bidirectional, {"layer": LSTM(3, return_sequences=True), "merge_mode": mode},
                   input_shape=SEQ, run_gradient_check=WRAPPED_DTYPE)
        for mode in ("concat", "sum", "ave", "mul")
    ],
    layer_case(Bidirectional, {"layer": GRU(3), "backward_layer": SimpleRNN(3, go_backwards=True)},
               input_shape=SEQ, expected_output_shape=(2, 6), run_gradient_check=WRAPPED_DTYPE),
    # cells: one step, by run_cell_test (tests/helpers/cell_testing.py)
    layer_case(SimpleRNNCell, {"units": 3}, input_shape=(2, 5), expected_output_shape=(2, 3),
               expected_num_trainable_weights=3),
    layer_case(SimpleRNNCell, {"units": 3, "activation": "relu", "use_bias": False},
               input_shape=(2, 5), expected_num_trainable_weights=2),
    layer_case(LSTMCell, {"units": 3}, input_shape=(2, 5), expected_output_shape=(2, 3)),
    layer_case(LSTMCell, {"units": 3, "activation": "selu", "recurrent_activation": "sigmoid"},
               input_shape=(2, 5)),
    layer_case(GRUCell, {"units": 3}, input_shape=(2, 5), expected_output_shape=(2, 3)),
    layer_case(GRUCell, {"units": 3, "reset_after": False}, input_shape=(2, 5)),
    layer_case(StackedRNNCells, {"cells": [LSTMCell(4), GRUCell(3), SimpleRNNCell(2)]},
               input_shape=(2, 5), expected_output_shape=(2, 2),
               expected_num_trainable_weights=9),
]  # fmt: skip
CELLS = (SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells)


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    if issubclass(case["layer_cls"], CELLS):
        run_cell_test(**case, tmp_path=tmp_path)
    else:
        run_layer_test(**case, tmp_path=tmp_path)


# --- backpropagation through time against finite differences ----------------------------------
def _x(shape=SEQ, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


MASK = np.array([[1, 1, 1, 0], [0, 1, 0, 1]], dtype=bool)  # padding at the end, the start, between


def _flat_output(output):
    parts = [ops.reshape(o, (o.shape[0], -1)) for o in flatten(output)]
    return ops.concatenate(parts, axis=1)


def _bptt_check(layer, x, **call_kwargs):
    """Finite differences of everything the layer returns, over the whole sequence, with
    respect to the sequence, the initial states given, and every weight."""
    states = [np.asarray(s) for s in call_kwargs.pop("initial_state", [])]
    layer(x, **({"initial_state": states} if states else {}), **call_kwargs)
    weights = layer.trainable_weights

    def run(xx, *rest):
        given, values = rest[: len(states)], rest[len(states) :]
        with _weights_replaced(layer, weights, values):
            kwargs = {"initial_state": list(given)} if given else {}
            return _flat_output(layer(xx, **kwargs, **call_kwargs))

    grads = check_gradients(run, x, *states, *[w.numpy() for w in weights])
    assert all(g is not None for g in grads)


F64 = {"dtype": "float64"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: LSTM(3, return_sequences=True, return_state=True, **F64),
        lambda: LSTM(3, go_backwards=True, return_state=True, **F64),
        lambda: LSTM(3, activation="relu", recurrent_activation="hard_sigmoid", **F64),
        lambda: LSTM(3, activation="softplus", return_sequences=True, **F64),  # the plain-op step
        lambda: GRU(3, return_sequences=True, return_state=True, **F64),
        lambda: GRU(3, reset_after=False, go_backwards=True, return_sequences=True, **F64),
        lambda: GRU(3, reset_after=False, activation="elu", **F64),
        lambda: SimpleRNN(3, return_sequences=True, **F64),
        lambda: SimpleRNN(3, activation="linear", go_backwards=True, **F64),
        lambda: RNN(
            StackedRNNCells([LSTMCell(3, **F64), GRUCell(2, **F64)], **F64),
            return_sequences=True,
            return_state=True,
            **F64,
        ),
        lambda: RNN(MinimalRNNCell(3, **F64), return_sequences=True, **F64),
        lambda: Bidirectional(LSTM(3, return_sequences=True, **F64), **F64),
        lambda: Bidirectional(GRU(2, return_state=True, **F64), merge_mode="mul", **F64),
    ],
    ids=[
        "lstm-seq-state",
        "lstm-backwards",
        "lstm-relu-hard",
        "lstm-ops",
        "gru",
        "gru-before",
        "gru-before-ops",
        "simple",
        "simple-linear",
        "stacked",
        "own-cell",
        "bi-lstm",
        "bi-gru-mul",
    ],
)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
def test_bptt_matches_finite_differences(make, masked):
    _bptt_check(make(), _x(), **({"mask": MASK} if masked else {}))


def test_bptt_through_given_initial_states():
    rng = np.random.default_rng(1)
    h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    _bptt_check(LSTM(3, return_state=True, **F64), _x(), initial_state=[h, c], mask=MASK)
    _bptt_check(GRU(3, return_sequences=True, **F64), _x(), initial_state=[h])


def test_a_100_step_lstm_gradient_reaches_the_first_step():
    layer = LSTM(4)
    x = keras.ops.convert_to_tensor(_x((3, 100, 2)).astype("float32"))
    with keras.backend.GradientTape() as tape:
        tape.watch(x)
        loss = ops.sum(layer(x))
    grad = tape.gradient(loss, x)
    assert grad.shape == x.shape and np.all(np.isfinite(grad)) and np.any(grad[:, 0] != 0)


# --- the step ops and the loop ------------------------------------------------------------------
def test_lstm_step_is_the_formula():
    rng = np.random.default_rng(0)
    x_proj, h, c, u = (rng.standard_normal(s) for s in [(2, 8), (2, 2), (2, 2), (2, 8)])
    new_h, new_c = recurrent_ops.lstm_step(x_proj, h, c, u)
    z = x_proj + h @ u
    sig = 1 / (1 + np.exp(-z))
    i, f, g, o = sig[:, :2], sig[:, 2:4], np.tanh(z[:, 4:6]), sig[:, 6:]
    np.testing.assert_allclose(new_c.numpy(), f * c + i * g)
    np.testing.assert_allclose(new_h.numpy(), o * np.tanh(f * c + i * g))


def test_gru_step_is_the_formula_in_both_orders():
    rng = np.random.default_rng(0)
    x_proj, h, u, b = (rng.standard_normal(s) for s in [(2, 6), (2, 2), (2, 6), (6,)])
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    r_h = h @ u + b
    z, r = sig(x_proj[:, :2] + r_h[:, :2]), sig(x_proj[:, 2:4] + r_h[:, 2:4])
    n = np.tanh(x_proj[:, 4:] + r * r_h[:, 4:])
    after = recurrent_ops.gru_step(x_proj, h, u, b, reset_after=True).numpy()
    np.testing.assert_allclose(after, z * h + (1 - z) * n)
    z, r = sig(x_proj[:, :2] + h @ u[:, :2]), sig(x_proj[:, 2:4] + h @ u[:, 2:4])
    n = np.tanh(x_proj[:, 4:] + (r * h) @ u[:, 4:])
    before = recurrent_ops.gru_step(x_proj, h, u, reset_after=False).numpy()
    np.testing.assert_allclose(before, z * h + (1 - z) * n)
    with pytest.raises(ValueError, match="reset_after=True"):
        recurrent_ops.gru_step(x_proj, h, u, b, reset_after=False)


def test_a_step_op_refuses_an_activation_it_cannot_differentiate():
    with pytest.raises(ValueError, match="computes its step with ops"):
        recurrent_ops.simple_rnn_step(np.ones((1, 2)), np.ones((1, 2)), np.eye(2), "selu")


def test_unstack_gathers_the_gradients_of_its_slices_into_one_array():
    x = keras.ops.convert_to_tensor(_x((2, 5, 3)))
    with keras.backend.GradientTape() as tape:
        tape.watch(x)
        steps = recurrent_ops.unstack(x, axis=1)
        loss = sum(ops.sum(s * (t + 1)) for t, s in enumerate(steps[:4]))  # step 4 unused
    grad = tape.gradient(loss, x)
    np.testing.assert_array_equal(grad[:, :, 0], np.tile([1, 2, 3, 4, 0], (2, 1)))
    with pytest.raises(ValueError, match="num=3"):
        recurrent_ops.unstack(x, num=3, axis=1)


def test_rnn_loop_masks_outputs_and_states_as_keras():
    """A masked step keeps the states; the output repeats the previous one (zeros first)."""

    def count(x_t, states):  # state += x_t, output = state
        new = states[0] + x_t
        return new, [new]

    x = np.ones((2, 4, 1), dtype="float32")
    mask = np.array([[0, 1, 0, 1], [1, 1, 1, 0]], dtype=bool)
    last, outputs, [state] = recurrent_ops.rnn(count, x, [np.zeros((2, 1), "float32")], mask=mask)
    np.testing.assert_array_equal(outputs.numpy()[..., 0], [[0, 1, 1, 2], [1, 2, 3, 3]])
    np.testing.assert_array_equal(state.numpy()[:, 0], [2, 3])
    np.testing.assert_array_equal(last.numpy()[:, 0], [2, 3])
    _, zeros, _ = recurrent_ops.rnn(
        count, x, [np.zeros((2, 1), "float32")], mask=mask, zero_output_for_mask=True
    )
    np.testing.assert_array_equal(zeros.numpy()[..., 0], [[0, 1, 0, 2], [1, 2, 3, 0]])
    _, backwards, _ = recurrent_ops.rnn(
        count, x, [np.zeros((2, 1), "float32")], mask=mask, go_backwards=True
    )
    np.testing.assert_array_equal(backwards.numpy()[..., 0], [[1, 1, 2, 2], [0, 1, 2, 3]])


# --- masks in the layers --------------------------------------------------------------------------
def test_padding_at_the_end_leaves_the_last_real_state():
    x = _x().astype("float32")
    layer = LSTM(3, return_state=True)
    padded = np.concatenate([x, np.full((2, 2, 3), 9.0, "float32")], axis=1)
    mask = np.array([[1] * 4 + [0] * 2] * 2, dtype=bool)
    short = layer(x)
    long = layer(padded, mask=mask)
    for a, b in zip(short, long, strict=True):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-6)


def test_compute_mask_keeps_the_time_axis_only():
    mask = np.ones((2, 4), bool)
    assert LSTM(3, return_sequences=True).compute_mask(None, mask) is mask
    assert LSTM(3).compute_mask(None, mask) is None
    assert LSTM(3, return_sequences=True, return_state=True).compute_mask(None, mask) == [
        mask, None, None,
    ]  # fmt: skip
    assert Bidirectional(LSTM(3, return_sequences=True), merge_mode=None).compute_mask(
        None, mask
    ) == [mask, mask]


def test_bidirectional_with_a_mask_zeroes_padding_in_both_directions():
    layer = Bidirectional(SimpleRNN(2, return_sequences=True))
    out = layer(_x().astype("float32"), mask=MASK).numpy()
    assert np.all(out[~MASK] == 0) and np.all(out[MASK] != 0)


# --- states ----------------------------------------------------------------------------------------
def test_return_state_and_initial_state():
    x = _x().astype("float32")
    sequence, h, c = LSTM(3, return_sequences=True, return_state=True)(x)
    assert sequence.shape == (2, 4, 3) and h.shape == c.shape == (2, 3)
    np.testing.assert_array_equal(sequence.numpy()[:, -1], h.numpy())
    layer = GRU(3, return_state=True)
    out, _state = layer(x)
    again, _ = layer(x, initial_state=[np.zeros((2, 3), "float32")])
    np.testing.assert_array_equal(again.numpy(), out.numpy())
    moved, _ = layer(x, initial_state=np.ones((2, 3), "float32"))  # a bare tensor: one state
    assert not np.allclose(moved.numpy(), out.numpy())


def test_an_encoder_decoder_passes_states_symbolically_and_saves(tmp_path):
    """The seq2seq tutorials' pattern: the encoder's [h, c] start the decoder."""
    encoder_inputs, decoder_inputs = Input((5, 3)), Input((4, 2))
    _, h, c = LSTM(6, return_state=True)(encoder_inputs)
    decoder = LSTM(6, return_sequences=True)
    outputs = Dense(2)(decoder(decoder_inputs, initial_state=[h, c]))
    model = keras.Model([encoder_inputs, decoder_inputs], outputs)
    assert model.output_shape == (None, 4, 2)
    xs = [_x((2, 5, 3)).astype("float32"), _x((2, 4, 2), 1).astype("float32")]
    predicted = model.predict(xs, verbose=0)
    model.compile("adam", "mse")
    model.fit(xs, np.zeros((2, 4, 2)), verbose=0)
    predicted = model.predict(xs, verbose=0)
    model.save(tmp_path / "seq2seq.keras")
    loaded = keras.saving.load_model(tmp_path / "seq2seq.keras")
    np.testing.assert_allclose(loaded.predict(xs, verbose=0), predicted, rtol=1e-6)


def test_stateful_carries_states_between_batches_until_reset():
    x = _x((2, 6, 3)).astype("float32")
    layer = LSTM(3, stateful=True)
    whole = LSTM(3)
    whole(x)
    layer(x[:, :3])
    layer.set_weights(whole.get_weights())
    layer.reset_states()
    layer(x[:, :3])
    second_half = layer(x[:, 3:])  # continues from the first half's states
    np.testing.assert_allclose(second_half.numpy(), whole(x).numpy(), rtol=1e-5)
    layer.reset_states()
    assert all(np.all(s.numpy() == 0) for s in layer.states)
    np.testing.assert_allclose(layer(x[:, :3]).numpy(), whole(x[:, :3]).numpy(), rtol=1e-6)


def test_stateful_model_in_keras2_style_and_model_reset_states():
    model = keras.Sequential(
        [LSTM(4, batch_input_shape=(1, 1, 1), stateful=True), Dense(1)]  # Brownlee's tutorial
    )
    model.compile("adam", "mse")
    series = np.linspace(0, 1, 8, dtype="float32").reshape(8, 1, 1)
    model.fit(series, series[:, 0], batch_size=1, epochs=1, shuffle=False, verbose=0)
    states = [s.numpy() for s in model.layers[0].states]
    assert any(np.any(s != 0) for s in states)
    with pytest.warns(KerasLegacyWarning, match="reset_state"):
        model.reset_states()
    assert all(np.all(s.numpy() == 0) for s in model.layers[0].states)
    with pytest.raises(ValueError, match="batch size its states were made for"):
        model.predict(np.zeros((2, 1, 1)), batch_size=2, verbose=0)


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match=r"batch_shape=\(batch, timesteps, features\)"):
        keras.Sequential([Input((4, 3)), LSTM(2, stateful=True)])


def test_reset_states_with_values_as_keras_2_allowed():
    layer = GRU(2, stateful=True)
    layer(np.zeros((3, 2, 1), "float32"))
    layer.reset_states([np.ones((3, 2), "float32")])
    np.testing.assert_array_equal(layer.states[0].numpy(), 1)
    with pytest.raises(ValueError, match=r"should have shape \(3, 2\)"):
        layer.reset_states([np.ones((3, 5))])


# --- dropout ----------------------------------------------------------------------------------------
class Recording(LSTMCell):
    """Remembers the input mask used at each step."""

    def call(self, inputs, states, training=False):
        self.seen = [*getattr(self, "seen", []), self.get_dropout_mask(inputs)]
        return super().call(inputs, states, training=training)


def test_dropout_masks_are_drawn_once_per_batch_as_keras_does():
    cell = Recording(3, dropout=0.5, seed=0)
    layer = RNN(cell)
    x = np.ones((4, 5, 6), "float32")
    layer(x, training=True)
    first = cell.seen
    assert len(first) == 5 and all(m is first[0] for m in first)  # one mask, every step
    cell.seen = []
    layer(x, training=True)
    assert not np.array_equal(cell.seen[0].numpy(), first[0].numpy())  # a new batch, a new mask
    kept = first[0].numpy()
    assert set(np.unique(kept)) <= {0.0, 2.0}


def test_dropout_is_off_at_inference_and_repeats_with_a_seed():
    x = _x((4, 5, 3)).astype("float32")
    layer = GRU(3, dropout=0.5, recurrent_dropout=0.5, seed=7)
    np.testing.assert_array_equal(layer(x).numpy(), layer(x, training=False).numpy())
    a = GRU.from_config(layer.get_config())
    b = GRU.from_config(layer.get_config())
    a(x), b(x)
    b.set_weights(a.get_weights())
    np.testing.assert_array_equal(a(x, training=True).numpy(), b(x, training=True).numpy())
    assert not np.allclose(a(x, training=True).numpy(), layer(x).numpy())


def test_recurrent_dropout_gives_each_gate_its_own_mask():
    cell = LSTMCell(3, recurrent_dropout=0.5, seed=0)
    RNN(cell)(np.ones((4, 2, 3), "float32"), training=True)  # draws, then forgets
    masks = cell._create_dropout_mask(ops.ones((4, 3)), 0.5)
    assert len(masks) == 4 and cell.implementation == 1
    assert LSTMCell(3).dropout_mask_count is None  # one mask for all gates


# --- weights: Keras's layout -------------------------------------------------------------------------
def test_weight_shapes_and_gate_order_are_keras_3s():
    lstm, gru, gru2, simple = LSTM(4), GRU(4), GRU(4, reset_after=False), SimpleRNN(4)
    for layer in (lstm, gru, gru2, simple):
        layer(np.zeros((1, 2, 3), "float32"))
    assert [w.shape for w in lstm.weights] == [(3, 16), (4, 16), (16,)]
    assert [w.shape for w in gru.weights] == [(3, 12), (4, 12), (2, 12)]
    assert [w.shape for w in gru2.weights] == [(3, 12), (4, 12), (12,)]
    assert [w.shape for w in simple.weights] == [(3, 4), (4, 4), (4,)]
    np.testing.assert_array_equal(lstm.cell.bias.numpy(), [0] * 4 + [1] * 4 + [0] * 8)  # i f c o
    assert lstm.count_params() == 4 * (3 * 4 + 4 * 4 + 4)


def test_unroll_is_accepted_and_computes_the_same():
    x = _x().astype("float32")
    rolled, unrolled = LSTM(3), LSTM(3, unroll=True)
    rolled(x), unrolled(x)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_array_equal(unrolled(x).numpy(), rolled(x).numpy())
    assert unrolled.get_config()["unroll"] is True


def test_a_learners_cell_trains_in_rnn():
    model = keras.Sequential([Input((4, 3)), RNN(MinimalRNNCell(5)), Dense(1)])
    model.compile("adam", "mse")
    x, y = _x((8, 4, 3)).astype("float32"), np.ones((8, 1), "float32")
    history = model.fit(x, y, epochs=5, verbose=0).history["loss"]
    assert history[-1] < history[0]


# --- errors a learner meets ----------------------------------------------------------------------------
def test_a_2d_input_says_rnns_take_sequences_and_how_to_make_one():
    with pytest.raises(ValueError, match=r"x\[\.\.\., None\]") as caught:
        LSTM(3)(np.zeros((4, 10)))
    assert "(batch, timesteps, features)" in str(caught.value) and "'lstm" in str(caught.value)
    with pytest.raises(ValueError, match="timesteps, features"):
        keras.Sequential([Input((10,)), SimpleRNN(2)])
    with pytest.raises(ValueError, match=r"x\[\.\.\., None\]"):
        Bidirectional(GRU(2))(np.zeros((4, 10)))


def test_an_initial_state_of_the_wrong_shape_names_layer_expected_and_got():
    x = np.zeros((2, 4, 3), "float32")
    with pytest.raises(ValueError, match=r"'decoder' \(LSTM\): initial_state\[1\] should have "
                       r"shape \(2, 5\).*has shape \(2, 4\)"):  # fmt: skip
        LSTM(5, name="decoder")(x, initial_state=[np.zeros((2, 5)), np.zeros((2, 4))])
    with pytest.raises(ValueError, match=r"takes 2 initial state\(s\).*received 1.*\[h, c\]"):
        LSTM(5)(x, initial_state=[np.zeros((2, 5))])
    with pytest.raises(ValueError, match=r"should have shape \(2, 5\)"):
        GRU(5)(x, initial_state=[np.zeros((3, 5))])


def test_constructor_errors():
    with pytest.raises(ValueError, match="units"):
        LSTM(0)
    with pytest.raises(ValueError, match="state_size"):
        RNN(Dense(3))
    with pytest.raises(ValueError, match="merge mode"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2))
    with pytest.raises(ValueError, match="use_cudnn"):
        GRU(2, use_cudnn="yes")


# --- Keras 1/2 spellings --------------------------------------------------------------------------
def test_keras1_lstm_arguments_mean_what_they_meant():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = LSTM(
            output_dim=8, init="he_normal", inner_init="identity", inner_activation="hard_sigmoid",
            W_regularizer="l2", U_regularizer="l1", b_regularizer="l2", dropout_W=0.2,
            dropout_U=0.3, forget_bias_init="one", consume_less="mem", input_dim=5,
            input_length=10,
        )  # fmt: skip
    assert all(w.filename == __file__ for w in caught if issubclass(w.category, KerasLegacyWarning))
    cell = layer.cell
    assert (cell.units, cell.dropout, cell.recurrent_dropout) == (8, 0.2, 0.3)
    assert type(cell.kernel_initializer).__name__ == "HeNormal"
    assert type(cell.recurrent_initializer).__name__ == "Identity"
    assert cell.recurrent_activation is keras.activations.hard_sigmoid
    assert cell.unit_forget_bias is True and cell.implementation == 1
    assert layer._input_shape_arg == (10, 5)
    model = keras.Sequential([layer])
    assert model.output_shape == (None, 8)
    with pytest.raises(ValueError, match="forget_bias_init"):
        LSTM(2, forget_bias_init="zero")


def test_keras2_implementation_is_kept_out_of_the_config():
    with pytest.warns(KerasLegacyWarning, match="implementation"):
        layer = GRU(3, implementation=1)
    assert layer.cell.implementation == 1 and "implementation" not in layer.get_config()


# --- Bidirectional and multi-output shapes -------------------------------------------------------------
def test_bidirectional_outputs_states_and_symbolic_shapes_agree():
    x = _x().astype("float32")
    for merge_mode, width in (("concat", 6), ("sum", 3), (None, 3)):
        layer = Bidirectional(LSTM(3, return_sequences=True, return_state=True), merge_mode)
        eager = flatten(layer(x))
        symbolic = flatten(layer(Input((4, 3))))
        assert [t.shape[1:] for t in eager] == [t.shape[1:] for t in symbolic]
        assert eager[0].shape == (2, 4, width)
        assert len(eager) == (2 if merge_mode is None else 1) + 4  # h, c forward; h, c backward


def test_bidirectional_takes_keras2_weights_and_symbolic_initial_states():
    template = Bidirectional(GRU(2))
    template(_x().astype("float32"))
    weights = [w * 0 + i for i, w in enumerate(template.get_weights())]
    layer = Bidirectional(GRU(2), weights=weights)
    layer(_x().astype("float32"))
    for got, want in zip(layer.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(got, want)
    h_forward, h_backward = Input((2,)), Input((2,))
    sequence = Input((4, 3))
    output = Bidirectional(GRU(2))(sequence, initial_state=[h_forward, h_backward])
    model = keras.Model([sequence, h_forward, h_backward], output)
    states = [np.zeros((2, 2), "float32")] * 2
    assert model.predict([_x().astype("float32"), *states], verbose=0).shape == (2, 4)


def test_return_state_shapes_symbolic_and_eager_for_stacked_cells():
    layer = RNN([LSTMCell(3), GRUCell(2)], return_state=True)
    symbolic = layer(Input((4, 3)))
    eager = layer(_x().astype("float32"))
    assert [t.shape for t in flatten(symbolic)] == [(None, 2), (None, 3), (None, 3), (None, 2)]
    assert [t.shape for t in flatten(eager)] == [(2, 2), (2, 3), (2, 3), (2, 2)]


def test_a_tensorflow2_h5_file_with_time_major_and_implementation_loads(tmp_path):
    """tf.keras 2 wrote `time_major` and `implementation` into every LSTM's config (Keras 3.15
    refuses `time_major`): both are read, with the warning that teaches what they were."""
    import json

    import h5py

    model = keras.Sequential([Input((4, 3)), LSTM(3, name="lstm"), Dense(1, name="out")])
    x = _x().astype("float32")
    model.save(tmp_path / "tf2.h5")
    with h5py.File(tmp_path / "tf2.h5", "r+") as f:
        config = json.loads(f.attrs["model_config"])
        lstm = next(c for c in config["config"]["layers"] if c["class_name"] == "LSTM")
        lstm["config"].update(time_major=False, implementation=2)
        f.attrs["model_config"] = json.dumps(config)
    with pytest.warns(KerasLegacyWarning) as caught:
        loaded = keras.saving.load_model(tmp_path / "tf2.h5")
    messages = " ".join(str(w.message) for w in caught)
    assert "time_major=False" in messages and "implementation=2" in messages
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
