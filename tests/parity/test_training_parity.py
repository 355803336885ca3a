"""fit/evaluate/predict/summary against real Keras 3 from the same weights.

Shuffling is off (the two libraries draw different random numbers), so both see the
same batches in the same order; everything else is each library's own code.
"""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk

RTOL, ATOL = 2e-4, 2e-5  # 20+ float32 optimizer steps accumulate rounding differences


def data(n=100, features=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ rng.normal(size=(features, classes))).argmax(-1)
    return x, y


def build_pair(
    keras, hidden_activation="relu", out_activation="softmax", classes=3, regularizer=None
):
    def stack(lib):
        return lib.Sequential(
            [
                lib.Input((4,)),
                lib.layers.Dense(8, activation=hidden_activation, kernel_regularizer=regularizer),
                lib.layers.Dense(classes, activation=out_activation),
            ]
        )

    ours, theirs = stack(tk), stack(keras)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


@pytest.mark.parametrize(
    "optimizer, loss, labels",
    [
        ("adam", "sparse_categorical_crossentropy", "sparse"),
        ("sgd", "categorical_crossentropy", "onehot"),
        ("rmsprop", "categorical_crossentropy", "onehot"),
        ("nadam", "sparse_categorical_crossentropy", "sparse"),
    ],
)
def test_history_matches_keras(keras, optimizer, loss, labels):
    x, y = data()
    if labels == "onehot":
        y = np.eye(3, dtype="float32")[y]
    ours, theirs = build_pair(keras)
    for model in (ours, theirs):
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    kw = dict(batch_size=16, epochs=3, shuffle=False, validation_split=0.2, verbose=0)
    h_ours, h_theirs = ours.fit(x, y, **kw).history, theirs.fit(x, y, **kw).history
    assert set(h_ours) == set(h_theirs)
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=RTOL, atol=ATOL, err_msg=key)
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(w_ours, np.asarray(w_theirs), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=RTOL, atol=ATOL
    )
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )


def test_binary_with_regularizer_and_sample_weight(keras):
    x, y = data(classes=2)
    weights = np.linspace(0.5, 1.5, len(x)).astype("float32")
    ours, theirs = build_pair(keras, "tanh", "sigmoid", classes=1, regularizer="l2")
    for model in (ours, theirs):
        model.compile(
            optimizer="adam",
            loss="binary_crossentropy",
            metrics=["accuracy"],
            weighted_metrics=["mae"],
        )
    kw = dict(batch_size=32, epochs=2, shuffle=False, verbose=0, sample_weight=weights)
    h_ours, h_theirs = ours.fit(x, y, **kw).history, theirs.fit(x, y, **kw).history
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=RTOL, atol=ATOL, err_msg=key)


def test_twenty_steps_of_train_on_batch(keras):
    x, y = data(32)
    ours, theirs = build_pair(keras)
    for model in (ours, theirs):
        model.compile(optimizer=keras.optimizers.Adam(0.01) if model is theirs else tk.optimizers.Adam(0.01),
                      loss="sparse_categorical_crossentropy")  # fmt: skip
    losses = [(ours.train_on_batch(x, y), theirs.train_on_batch(x, y)) for _ in range(20)]
    np.testing.assert_allclose(*zip(*losses, strict=True), rtol=RTOL, atol=ATOL)


def test_summary_counts_match_keras(keras):
    def deep(lib):
        return lib.Sequential([lib.Input((2,)), *[lib.layers.Dense(10, activation="sigmoid") for _ in range(3)],
                               lib.layers.Dense(1, activation="sigmoid")])  # fmt: skip

    ours, theirs = deep(tk), deep(keras)
    lines_ours, lines_theirs = [], []
    ours.summary(print_fn=lines_ours.append)
    theirs.summary(print_fn=lines_theirs.append)
    assert lines_ours[0].replace("\n", "") and "261" in lines_ours[0]
    ours_text, theirs_text = lines_ours[0].splitlines(), "".join(lines_theirs).splitlines()
    # the same table, line for line, once layer names are aligned (both start at dense)
    assert ours_text[-3:] == theirs_text[-3:]
    assert len(ours_text) == len(theirs_text)
    assert ours_text[1:4] == theirs_text[1:4]  # borders and header


def test_metrics_names_reads_like_tutorials(keras):
    ours, _ = build_pair(keras)
    ours.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    assert ours.metrics_names == ["loss", "accuracy"]
