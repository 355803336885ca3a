"""Masks, Embedding, Masking and TimeDistributed against Keras 3: the same weights in, the same
numbers, masks, losses, metrics, configs and files out."""

from __future__ import annotations

import json

import numpy as np
import pytest

import teachkeras as tk

RTOL, ATOL = 1e-5, 1e-6
IDS = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0], [6, 0, 0, 0, 0], [7, 8, 9, 1, 2]])
LABELS = np.random.default_rng(0).integers(0, 3, size=IDS.shape)


def same_weights(ours, theirs):
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])


def mask_of(x):
    mask = getattr(x, "_keras_mask", None)
    return None if mask is None else np.asarray(mask.cpu() if hasattr(mask, "cpu") else mask)


def pooled(lib):
    """The brief's model: Embedding(mask_zero) -> Dense -> GlobalAveragePooling1D."""
    x = lib.Input((None,), dtype="int32")
    h = lib.layers.Embedding(10, 4, mask_zero=True)(x)
    h = lib.layers.Dense(3, activation="tanh")(h)
    return lib.Model(x, lib.layers.GlobalAveragePooling1D()(h))


def tagger(lib):
    """One label per step: the loss and the metric see the output's mask."""
    model = lib.Sequential(
        [
            lib.Input((5,), dtype="int32"),
            lib.layers.Embedding(10, 4, mask_zero=True),
            lib.layers.TimeDistributed(lib.layers.Dense(6, activation="relu")),
            lib.layers.Dropout(0.0),
            lib.layers.Dense(3),
            lib.layers.Activation("softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_masked_steps_are_left_out_of_the_average(keras):
    ours, theirs = pooled(tk), pooled(keras)
    same_weights(ours, theirs)
    got = ours.predict(IDS, verbose=0)
    np.testing.assert_allclose(got, theirs.predict(IDS, verbose=0), rtol=RTOL, atol=ATOL)
    # more padding changes nothing: the padded steps are not averaged in
    longer = np.pad(IDS, ((0, 0), (0, 3)))
    np.testing.assert_allclose(ours.predict(longer, verbose=0), got, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        ours.predict(longer, verbose=0), theirs.predict(longer, verbose=0), rtol=RTOL, atol=ATOL
    )


def test_masked_gradients_match(keras):
    import torch

    ours, theirs = pooled(tk), pooled(keras)
    same_weights(ours, theirs)
    out = theirs(keras.ops.convert_to_tensor(IDS))
    upstream = np.random.default_rng(1).normal(size=tuple(out.shape)).astype("float32")
    (out * torch.tensor(upstream)).sum().backward()
    want = [w.value.grad.numpy() for w in theirs.trainable_weights]
    with tk.backend.GradientTape() as tape:
        loss = tk.backend.sum(ours(IDS) * upstream)
    got = tape.gradient(loss, ours.trainable_weights)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)


def test_the_masks_keras_writes_are_ours(keras):
    for lib_ours, lib_theirs in [(tk, keras)]:
        ids = lib_theirs.ops.convert_to_tensor(IDS)
        e_theirs = lib_theirs.layers.Embedding(10, 3, mask_zero=True)(ids)
        e_ours = lib_ours.layers.Embedding(10, 3, mask_zero=True)(IDS)
        np.testing.assert_array_equal(mask_of(e_ours), mask_of(e_theirs))
        flipped = np.flip(IDS, axis=1).copy()
        f_theirs = lib_theirs.layers.Embedding(10, 3, mask_zero=True)(
            lib_theirs.ops.convert_to_tensor(flipped)
        )
        f_ours = lib_ours.layers.Embedding(10, 3, mask_zero=True)(flipped)
        plain_theirs = lib_theirs.layers.Embedding(10, 2)(ids)
        plain_ours = lib_ours.layers.Embedding(10, 2)(IDS)
        cases = [
            (lambda L: L.Add(), lambda a, b, p: [a, b]),
            (lambda L: L.Maximum(), lambda a, b, p: [a, b]),
            (lambda L: L.Concatenate(), lambda a, b, p: [a, p]),
            (lambda L: L.Concatenate(), lambda a, b, p: [a, b]),
            (lambda L: L.Concatenate(axis=1), lambda a, b, p: [a, b]),
            (lambda L: L.Dot(axes=2), lambda a, b, p: [a, b]),
            (lambda L: L.Dense(2), lambda a, b, p: a),
            (lambda L: L.Dropout(0.5), lambda a, b, p: a),
            (lambda L: L.ReLU(), lambda a, b, p: a),
            (lambda L: L.GlobalAveragePooling1D(), lambda a, b, p: a),
            (lambda L: L.BatchNormalization(), lambda a, b, p: a),
            (lambda L: L.TimeDistributed(L.Dense(2)), lambda a, b, p: a),
        ]
        for make, args in cases:
            theirs = make(lib_theirs.layers)(args(e_theirs, f_theirs, plain_theirs))
            ours = make(lib_ours.layers)(args(e_ours, f_ours, plain_ours))
            want, got = mask_of(theirs), mask_of(ours)
            assert (got is None) == (want is None), make(lib_ours.layers)
            if want is not None:
                np.testing.assert_array_equal(got, want)


def test_masking_layer_matches(keras):
    x = np.random.default_rng(2).normal(size=(3, 4, 2)).astype("float32")
    x[0, 1] = 0.0
    x[2, 3] = 0.0
    x[1, 0, 0] = 0.0  # one zero feature does not pad a step
    theirs = keras.layers.Masking()(keras.ops.convert_to_tensor(x))
    ours = tk.layers.Masking()(x)
    np.testing.assert_array_equal(ours.numpy(), np.asarray(theirs))
    np.testing.assert_array_equal(mask_of(ours), mask_of(theirs))
    assert tk.layers.Masking(mask_value=1.5).get_config()["mask_value"] == 1.5


def test_a_masked_loss_metric_and_training_step_match(keras):
    ours, theirs = tagger(tk), tagger(keras)
    same_weights(ours, theirs)
    want = theirs.evaluate(IDS, LABELS, verbose=0)
    got = ours.evaluate(IDS, LABELS, verbose=0)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)
    for _ in range(3):
        theirs.train_on_batch(IDS, LABELS)
        ours.train_on_batch(IDS, LABELS)
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(w_ours, np.asarray(w_theirs), rtol=1e-4, atol=1e-6)
    # weights per step (Keras 3, like teachkeras, refuses one weight per sample here)
    weights = np.random.default_rng(5).random(IDS.shape)
    ours.compile("sgd", "sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    theirs.compile("sgd", "sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    np.testing.assert_allclose(
        ours.evaluate(IDS, LABELS, sample_weight=weights, verbose=0),
        theirs.evaluate(IDS, LABELS, sample_weight=weights, verbose=0),
        rtol=RTOL,
        atol=ATOL,
    )
    with pytest.raises(ValueError, match=r"sample_weight of shape \(4,\).*one weight per step"):
        ours.evaluate(IDS, LABELS, sample_weight=np.ones(4), verbose=0)


@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.TimeDistributed(L.Dense(4, activation="sigmoid")),
        lambda L: L.TimeDistributed(L.Conv1D(2, 2, padding="same")),
        lambda L: L.TimeDistributed(L.Flatten()),
    ],
    ids=["dense", "conv1d", "flatten"],
)
def test_time_distributed_matches(keras, make):
    x = np.random.default_rng(3).normal(size=(2, 3, 4, 5)).astype("float32")
    ours = tk.Sequential([tk.Input((3, 4, 5)), make(tk.layers)])
    theirs = keras.Sequential([keras.Input((3, 4, 5)), make(keras.layers)])
    same_weights(ours, theirs)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )
    assert ours.output_shape == theirs.output_shape
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def comparable(config):
    """A config as JSON, without the dtype (a string here, a DTypePolicy dict in Keras) and
    the wrapped Dense's quantization_config (which teachkeras does not write)."""
    if isinstance(config, dict):
        return {
            k: comparable(v)
            for k, v in config.items()
            if k != "dtype" and not (k == "quantization_config" and v is None)
        }
    if isinstance(config, list | tuple):
        return [comparable(v) for v in config]
    return config


@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.Embedding(100, 8),
        lambda L: L.Embedding(
            50,
            3,
            embeddings_initializer="he_normal",
            embeddings_regularizer="l2",
            embeddings_constraint="non_neg",
            mask_zero=True,
            name="tokens",
        ),
        lambda L: L.Masking(mask_value=-1.0),
        lambda L: L.TimeDistributed(L.Dense(3)),
    ],
    ids=["embedding", "embedding-options", "masking", "time-distributed"],
)
def test_configs_are_keras_configs(keras, make):
    ours, theirs = make(tk.layers).get_config(), make(keras.layers).get_config()
    assert comparable(ours) == comparable(theirs)
    again = type(make(tk.layers)).from_config(json.loads(json.dumps(theirs)))  # Keras's config
    assert comparable(again.get_config()) == comparable(ours)


def text_model(lib):
    model = lib.Sequential(
        [
            lib.Input((5,), dtype="int32"),
            lib.layers.Embedding(10, 4, mask_zero=True, name="tokens"),
            lib.layers.Masking(name="again"),
            lib.layers.TimeDistributed(lib.layers.Dense(3), name="per_step"),
            lib.layers.GlobalAveragePooling1D(name="average"),
            lib.layers.Dense(2, activation="softmax", name="out"),
        ],
        name="text",
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_files_interchange_both_ways(keras, suffix, tmp_path):
    y = np.array([0, 1, 1, 0])
    ours = text_model(tk)
    ours.fit(IDS, y, epochs=2, verbose=0)
    ours.save(tmp_path / f"ours{suffix}")
    theirs = keras.saving.load_model(tmp_path / f"ours{suffix}")
    np.testing.assert_allclose(
        theirs.predict(IDS, verbose=0), ours.predict(IDS, verbose=0), rtol=RTOL, atol=ATOL
    )
    keras_model = text_model(keras)
    keras_model.fit(IDS, y, epochs=2, verbose=0)
    keras_model.save(tmp_path / f"theirs{suffix}")
    loaded = tk.saving.load_model(tmp_path / f"theirs{suffix}")
    assert [type(layer).__name__ for layer in loaded.layers] == [
        "Embedding",
        "Masking",
        "TimeDistributed",
        "GlobalAveragePooling1D",
        "Dense",
    ]
    assert loaded.get_layer("tokens").mask_zero
    np.testing.assert_allclose(
        loaded.predict(IDS, verbose=0), keras_model.predict(IDS, verbose=0), rtol=RTOL, atol=ATOL
    )


def test_keras_reads_our_embedding_weights_file(keras, tmp_path):
    ours = text_model(tk)
    ours.save_weights(tmp_path / "w.weights.h5")
    theirs = text_model(keras)
    theirs.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_array_equal(a, np.asarray(b))


def test_batch_normalization_leaves_padded_steps_out_of_its_statistics(keras):
    def model(lib):
        m = lib.Sequential(
            [
                lib.Input((5,), dtype="int32"),
                lib.layers.Embedding(10, 4, mask_zero=True),
                lib.layers.BatchNormalization(momentum=0.5),
                lib.layers.GlobalAveragePooling1D(),
                lib.layers.Dense(2, activation="softmax"),
            ]
        )
        m.compile("sgd", "sparse_categorical_crossentropy")
        return m

    ours, theirs = model(tk), model(keras)
    same_weights(ours, theirs)
    y = np.array([0, 1, 1, 0])
    for _ in range(2):
        theirs.train_on_batch(IDS, y)
        ours.train_on_batch(IDS, y)
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(w_ours, np.asarray(w_theirs), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        ours.predict(IDS, verbose=0), theirs.predict(IDS, verbose=0), rtol=RTOL, atol=ATOL
    )
