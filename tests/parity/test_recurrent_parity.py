"""Recurrent layers against Keras 3 with the same weights: outputs and states (sequences,
states, backwards, initial states, masks), gradients, 20 training steps, both GRU forms,
Bidirectional in each merge mode, stacked cells, stateful layers, configs, and saved files
(`.keras`, `.h5`, `.weights.h5`) written by each and loaded by the other.

Largest differences seen (float32, PyTorch CPU backend): outputs and states ≤ 2.4e-7,
gradients (input and weights) ≤ 2.1e-6 (stacked cells; ≤ 1e-6 for one layer), weights
after 20 Adam steps ≤ 1.2e-7.
"""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras import backend as K
from teachkeras.layers.node import flatten

RTOL, ATOL = 1e-5, 1e-6
GRAD_RTOL, GRAD_ATOL = 1e-4, 1e-5

X = np.random.default_rng(0).normal(size=(3, 7, 4)).astype("float32")
MASK = np.ones((3, 7), dtype=bool)
MASK[0, 5:] = False  # padding at the end
MASK[1, :2] = False  # at the start
MASK[2, 3] = False  # a gap
H0 = np.random.default_rng(1).normal(size=(3, 5)).astype("float32")
C0 = np.random.default_rng(2).normal(size=(3, 5)).astype("float32")


def _numpy(keras, outputs) -> list[np.ndarray]:
    leaves = keras.tree.flatten(outputs) if isinstance(outputs, list | tuple) else [outputs]
    return [keras.ops.convert_to_numpy(o) for o in leaves]


def _ours(outputs) -> list[np.ndarray]:
    return [o.numpy() for o in flatten(outputs)]


def twins(keras, make):
    """The same layer in both libraries, built, with Keras's initial weights in ours."""
    theirs, ours = make(keras.layers), make(tk.layers)
    theirs(X)
    ours(X)
    weights = [np.asarray(w) for w in theirs.get_weights()]
    assert [w.shape for w in weights] == [w.shape for w in ours.get_weights()]
    ours.set_weights(weights)
    return theirs, ours


def assert_same_call(keras, make, **call_kwargs):
    theirs, ours = twins(keras, make)
    want = _numpy(keras, theirs(X, **call_kwargs))
    got = _ours(ours(X, **call_kwargs))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    return theirs, ours


LAYERS = {
    "SimpleRNN": lambda L, **kw: L.SimpleRNN(5, **kw),
    "LSTM": lambda L, **kw: L.LSTM(5, **kw),
    "GRU": lambda L, **kw: L.GRU(5, **kw),
    "GRU-reset-before": lambda L, **kw: L.GRU(5, reset_after=False, **kw),
}
OPTIONS = {
    "last": {},
    "sequences": {"return_sequences": True},
    "states": {"return_state": True},
    "sequences-states": {"return_sequences": True, "return_state": True},
    "backwards": {"go_backwards": True, "return_sequences": True, "return_state": True},
    "no-bias": {"use_bias": False, "return_state": True},
    "keras2-activations": {"activation": "relu", "return_sequences": True},
}


@pytest.mark.parametrize("options", sorted(OPTIONS))
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_outputs_and_states_match(keras, name, options):
    kwargs = dict(OPTIONS[options])
    if options == "keras2-activations" and name != "SimpleRNN":
        kwargs["recurrent_activation"] = "hard_sigmoid"  # Keras 2's default gate
    assert_same_call(keras, lambda L: LAYERS[name](L, **kwargs))


@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_masked_outputs_and_states_match(keras, name, backwards):
    make = lambda L: LAYERS[name](  # noqa: E731
        L, return_sequences=True, return_state=True, go_backwards=backwards
    )
    assert_same_call(keras, make, mask=MASK)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_initial_states_match(keras, name):
    states = [H0, C0] if name == "LSTM" else [H0]
    make = lambda L: LAYERS[name](L, return_sequences=True, return_state=True)  # noqa: E731
    assert_same_call(keras, make, initial_state=states)
    assert_same_call(keras, make, initial_state=states, mask=MASK)


# --- gradients -------------------------------------------------------------------------------------
def _their_gradients(keras, layer, x, upstream, **call_kwargs):
    import torch

    x = torch.tensor(x, requires_grad=True)
    outputs = keras.tree.flatten(layer(x, **call_kwargs))
    loss = sum((o * torch.tensor(u)).sum() for o, u in zip(outputs, upstream, strict=True))
    loss.backward()
    return [x.grad.numpy()] + [w.value.grad.numpy() for w in layer.trainable_weights]


def _our_gradients(layer, x, upstream, **call_kwargs):
    x = tk.ops.convert_to_tensor(x)
    with K.GradientTape() as tape:
        tape.watch(x)
        outputs = flatten(layer(x, **call_kwargs))
        loss = sum(K.sum(o * u) for o, u in zip(outputs, upstream, strict=True))
    return tape.gradient(loss, [x, *layer.trainable_weights])


def assert_same_gradients(keras, make, **call_kwargs):
    theirs, ours = twins(keras, make)
    rng = np.random.default_rng(5)
    upstream = [rng.normal(size=o.shape).astype("float32") for o in _ours(ours(X, **call_kwargs))]
    want = _their_gradients(keras, theirs, X, upstream, **call_kwargs)
    got = _our_gradients(ours, X, upstream, **call_kwargs)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=GRAD_RTOL, atol=GRAD_ATOL)


@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_gradients_match(keras, name, masked):
    make = lambda L: LAYERS[name](L, return_sequences=True, return_state=True)  # noqa: E731
    assert_same_gradients(keras, make, **({"mask": MASK} if masked else {}))


def test_gradients_match_for_the_plain_op_steps(keras):
    """Activations the fused steps do not know: the cells' plain-op path."""
    assert_same_gradients(keras, lambda L: L.LSTM(4, activation="elu", return_sequences=True))
    assert_same_gradients(keras, lambda L: L.GRU(4, recurrent_activation="softsign"))


# --- training ----------------------------------------------------------------------------------------
def _model(lib, name):
    return lib.Sequential(
        [
            lib.Input((7, 4)),
            LAYERS[name](lib.layers, return_sequences=True),
            lib.layers.GlobalAveragePooling1D(),
            lib.layers.Dense(1),
        ]
    )


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_twenty_training_steps_match(keras, name):
    theirs, ours = _model(keras, name), _model(tk, name)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for model in (theirs, ours):
        model.compile(optimizer="adam", loss="mse")
    y = np.random.default_rng(3).normal(size=(3, 1)).astype("float32")
    for _ in range(20):
        loss_theirs = float(theirs.train_on_batch(X, y))
        loss_ours = float(ours.train_on_batch(X, y))
        np.testing.assert_allclose(loss_ours, loss_theirs, rtol=1e-5, atol=1e-6)
    for got, want in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-4, atol=1e-5)


# --- Bidirectional, stacked cells, stateful ------------------------------------------------------------
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "ave", "mul", None])
@pytest.mark.parametrize("inner", ["LSTM", "GRU"])
def test_bidirectional_matches_in_every_merge_mode(keras, inner, merge_mode):
    def make(L, **kw):
        return L.Bidirectional(LAYERS[inner](L, **kw), merge_mode=merge_mode)

    assert_same_call(keras, lambda L: make(L, return_sequences=True), mask=MASK)
    assert_same_call(keras, lambda L: make(L, return_state=True))
    assert_same_gradients(keras, lambda L: make(L, return_sequences=True))


def test_bidirectional_with_its_own_backward_layer_and_initial_states(keras):
    def make(L):
        return L.Bidirectional(
            L.LSTM(5, return_sequences=True),
            backward_layer=L.LSTM(5, return_sequences=True, go_backwards=True),
        )

    assert_same_call(keras, make, initial_state=[H0, C0, C0, H0])


def test_stacked_cells_match(keras):
    def make(L):
        cells = [L.LSTMCell(5), L.GRUCell(3), L.SimpleRNNCell(2)]
        return L.RNN(cells, return_sequences=True, return_state=True)

    assert_same_call(keras, make)
    assert_same_call(keras, make, mask=MASK)
    assert_same_gradients(keras, make)


def test_stateful_layers_carry_the_same_states_and_reset_alike(keras):
    def make(L):
        return L.LSTM(5, stateful=True, return_state=True)

    theirs, ours = twins(keras, make)
    theirs.reset_state()
    ours.reset_state()
    for start in (0, 3, 5):
        chunk = X[:, start : start + 2]
        for g, w in zip(_ours(ours(chunk)), _numpy(keras, theirs(chunk)), strict=True):
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    for g, w in zip(ours.states, theirs.states, strict=True):
        np.testing.assert_allclose(g.numpy(), keras.ops.convert_to_numpy(w), rtol=RTOL, atol=ATOL)
    theirs.reset_states()
    ours.reset_states()
    for g, w in zip(_ours(ours(X[:, :2])), _numpy(keras, theirs(X[:, :2])), strict=True):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)


def test_unroll_matches(keras):
    assert_same_call(keras, lambda L: L.GRU(5, unroll=True, return_sequences=True))


# --- configs ------------------------------------------------------------------------------------------
CONFIGS = {
    "SimpleRNN": lambda L: L.SimpleRNN(3, dropout=0.1, activation="relu"),
    "LSTM": lambda L: L.LSTM(3, return_sequences=True, unit_forget_bias=False, seed=4),
    "GRU": lambda L: L.GRU(3, reset_after=False, recurrent_dropout=0.2, go_backwards=True),
    "RNN": lambda L: L.RNN([L.LSTMCell(3), L.GRUCell(2)], stateful=True),
    "Bidirectional": lambda L: L.Bidirectional(L.GRU(3, return_sequences=True), "sum"),
    "LSTMCell": lambda L: L.LSTMCell(3, recurrent_activation="hard_sigmoid"),
    "GRUCell": lambda L: L.GRUCell(3),
    "SimpleRNNCell": lambda L: L.SimpleRNNCell(3, use_bias=False),
    "StackedRNNCells": lambda L: L.StackedRNNCells([L.SimpleRNNCell(3), L.LSTMCell(2)]),
}


def _comparable(config):
    """A config with the dtype policy as its name, and no layer names (counters differ)."""
    if isinstance(config, dict):
        return {
            key: _dtype_name(value) if key == "dtype" else _comparable(value)
            for key, value in config.items()
            if key not in ("name", "build_config")
        }
    if isinstance(config, list | tuple):
        return [_comparable(item) for item in config]
    return config


def _dtype_name(dtype):
    return dtype["config"]["name"] if isinstance(dtype, dict) else dtype


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_configs_are_keras_3s_and_load_both_ways(keras, name):
    theirs = keras.saving.serialize_keras_object(CONFIGS[name](keras.layers))
    ours = tk.saving.serialize_keras_object(CONFIGS[name](tk.layers))
    ours_cmp, theirs_cmp = _comparable(ours), _comparable(theirs)
    if name == "SimpleRNN":  # Keras 3 leaves `seed` out of SimpleRNN's config; we keep it
        assert ours_cmp["config"].pop("seed") is None
    assert ours_cmp == theirs_cmp
    assert type(tk.saving.deserialize_keras_object(theirs)).__name__ == name
    assert type(keras.saving.deserialize_keras_object(ours)).__name__ == name


# --- files both ways ----------------------------------------------------------------------------------
def _file_model(lib):
    L = lib.layers
    model = lib.Sequential(
        [
            lib.Input((7, 4)),
            L.LSTM(5, return_sequences=True, name="lstm"),
            L.Bidirectional(L.GRU(3, return_sequences=True), name="bi"),
            L.RNN([L.SimpleRNNCell(3), L.LSTMCell(2)], return_sequences=True, name="stack"),
            L.GRU(2, reset_after=False, name="gru"),
            L.Dense(1, name="out"),
        ],
        name="recurrent",
    )
    model.compile(optimizer="adam", loss="mse")
    return model


# Keras's own note when a weights file carries optimizer slots its fresh optimizer lacks.
@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
@pytest.mark.parametrize("suffix", [".keras", ".h5", ".weights.h5"])
@pytest.mark.parametrize("direction", ["ours-to-keras", "keras-to-ours"])
def test_files_written_by_each_load_in_the_other(keras, direction, suffix, tmp_path):
    source, target = (tk, keras) if direction == "ours-to-keras" else (keras, tk)
    model = _file_model(source)
    model.fit(X, np.ones((3, 1), "float32"), epochs=2, verbose=0)
    path = tmp_path / f"model{suffix}"
    if suffix == ".weights.h5":
        model.save_weights(path)
        loaded = _file_model(target)
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = target.saving.load_model(path)
    np.testing.assert_allclose(
        np.asarray(loaded.predict(X, verbose=0)),
        np.asarray(model.predict(X, verbose=0)),
        rtol=RTOL,
        atol=ATOL,
    )


def test_summary_is_keras_3s(keras):
    ours, theirs = [], []
    _file_model(tk).summary(print_fn=ours.append)
    _file_model(keras).summary(print_fn=theirs.append)
    assert ours[0].splitlines() == "".join(theirs).splitlines()


def test_embedding_mask_reaches_an_lstm_as_in_keras(keras):
    """Embedding(mask_zero=True) -> LSTM -> Dense: padded steps are skipped without the
    learner passing any mask, in both libraries, with the same weights."""
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2], [0, 0, 5, 9, 6]], dtype="int32")

    def build(lib):
        inputs = lib.Input((5,), dtype="int32")
        hidden = lib.layers.Embedding(10, 4, mask_zero=True)(inputs)
        hidden = lib.layers.LSTM(3)(hidden)
        return lib.Model(inputs, lib.layers.Dense(1)(hidden))

    theirs, ours = build(keras), build(tk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    want = keras.ops.convert_to_numpy(theirs(ids))
    np.testing.assert_allclose(ours.predict(ids, verbose=0), want, rtol=RTOL, atol=ATOL)
    unmasked = build(tk)
    unmasked.layers[1].mask_zero = False  # the padding would then count
    unmasked.set_weights(ours.get_weights())
    assert not np.allclose(unmasked.predict(ids, verbose=0)[0], want[0], atol=1e-4)


@pytest.mark.parametrize("direction", ["ours_to_keras", "keras_to_ours"])
def test_a_seq2seq_model_with_symbolic_initial_states_loads_in_both(keras, direction, tmp_path):
    """An encoder's states start the decoder (`initial_state=` on symbolic tensors): the
    file records them as inputs of the decoder's call, as Keras 3 does, so each loads the other's."""

    def build(lib):
        encoder_in, decoder_in = lib.Input((6, 3)), lib.Input((4, 2))
        _, h, c = lib.layers.LSTM(5, return_state=True)(encoder_in)
        decoded = lib.layers.LSTM(5, return_sequences=True)(decoder_in, initial_state=[h, c])
        return lib.Model([encoder_in, decoder_in], lib.layers.Dense(2)(decoded))

    rng = np.random.default_rng(3)
    x = [rng.normal(size=(2, 6, 3)).astype("float32"), rng.normal(size=(2, 4, 2)).astype("float32")]
    path = tmp_path / "seq2seq.keras"
    if direction == "ours_to_keras":
        model = build(tk)
        model.save(path)
        loaded = keras.models.load_model(path)
        want, got = model.predict(x, verbose=0), keras.ops.convert_to_numpy(loaded(x))
    else:
        model = build(keras)
        model.save(path)
        loaded = tk.models.load_model(path)
        want, got = keras.ops.convert_to_numpy(model(x)), loaded.predict(x, verbose=0)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)
