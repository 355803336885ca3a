"""fit / evaluate / predict on generators and PyDatasets, and steps_per_epoch, against Keras 3.

Both libraries start from the same weights and see the same batches (shuffling off,
or a fixed batch order), so histories and weights agree to float32 rounding.

Known differences, on purpose (see models/epoch_iterator.py): Keras 3 peeks at a
generator's first two batches and gives them again whenever it starts a new pass, so
after a generator runs out (or at each validation) it re-reads those two; teachkeras
reads every batch once, continues a validation generator where it stopped, and ends
training when a training generator is exhausted. The tests below stay clear of that.
"""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk

RTOL, ATOL = 2e-4, 2e-5


def data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] - 0.5 * x[:, 1] > 0.3).astype("float32")  # two unbalanced classes
    return x, y


def pair(keras, loss="binary_crossentropy"):
    def build(lib):
        model = lib.Sequential(
            [
                lib.Input((4,)),
                lib.layers.Dense(5, activation="tanh"),
                lib.layers.Dense(1, "sigmoid"),
            ]
        )
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        return model

    theirs = build(keras)
    ours = build(tk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


def dataset_class(lib):
    class Batches(lib.utils.PyDataset):
        def __init__(self, x, y, size):
            super().__init__()
            self.x, self.y, self.size = x, y, size

        def __len__(self):
            return int(np.ceil(len(self.x) / self.size))

        def __getitem__(self, i):
            return self.x[i * self.size : (i + 1) * self.size], self.y[
                i * self.size : (i + 1) * self.size
            ]

    return Batches


def forever(x, y, size):
    while True:
        for i in range(0, len(x), size):
            yield x[i : i + size], y[i : i + size]


def assert_same(h_ours, h_theirs, ours, theirs):
    assert set(h_ours) == set(h_theirs)
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=RTOL, atol=ATOL, err_msg=key)
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(w_ours, np.asarray(w_theirs), rtol=RTOL, atol=ATOL)


def test_fit_on_a_generator_with_steps_per_epoch(keras):
    x, y = data()
    ours, theirs = pair(keras)
    kw = dict(steps_per_epoch=4, epochs=3, verbose=0)  # 6 batches a cycle: epochs straddle it
    h_ours = ours.fit(forever(x, y, 10), **kw).history
    h_theirs = theirs.fit(forever(x, y, 10), shuffle=False, **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)


def test_fit_on_a_py_dataset_with_validation_py_dataset(keras):
    x, y = data()
    vx, vy = data(30, seed=1)
    ours, theirs = pair(keras)
    kw = dict(epochs=3, shuffle=False, verbose=0)
    ours_data, theirs_data = dataset_class(tk), dataset_class(keras)
    h_ours = ours.fit(ours_data(x, y, 16), validation_data=ours_data(vx, vy, 8), **kw).history
    h_theirs = theirs.fit(theirs_data(x, y, 16), validation_data=theirs_data(vx, vy, 8), **kw)
    assert_same(h_ours, h_theirs.history, ours, theirs)


def test_steps_per_epoch_continues_over_arrays_and_py_datasets(keras):
    x, y = data(50)
    ours, theirs = pair(keras)
    kw = dict(steps_per_epoch=2, epochs=4, shuffle=False, verbose=0)
    # no batch_size: batches of ceil(50 / 2) = 25, so 2 steps are one pass
    h_ours = ours.fit(x, y, **kw).history
    h_theirs = theirs.fit(x, y, **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)
    # 3 batches of 20 a pass, 2 per epoch: the second epoch gets 1, the third starts over
    with pytest.warns(UserWarning, match="ran out of data after 1 of 2 steps"):
        h_ours = ours.fit(x, y, batch_size=20, **kw).history
    h_theirs = theirs.fit(x, y, batch_size=20, **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)
    with pytest.warns(UserWarning, match="ran out of data"):
        h_ours = ours.fit(dataset_class(tk)(x, y, 20), **kw).history
    h_theirs = theirs.fit(dataset_class(keras)(x, y, 20), **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)


def test_evaluate_and_predict_on_generators(keras):
    x, y = data()
    ours, theirs = pair(keras)
    np.testing.assert_allclose(
        ours.evaluate(forever(x, y, 15), steps=4, verbose=0),
        theirs.evaluate(forever(x, y, 15), steps=4, verbose=0),
        rtol=RTOL, atol=ATOL,
    )  # fmt: skip
    inputs = ((x[i : i + 25],) for i in range(0, 60, 25))
    np.testing.assert_allclose(
        ours.predict(forever(x, y, 25), steps=3, verbose=0),
        theirs.predict(inputs, verbose=0),
        rtol=RTOL, atol=ATOL,
    )  # fmt: skip


def test_class_weight_with_a_py_dataset(keras):
    x, y = data()
    ours, theirs = pair(keras)
    kw = dict(epochs=2, shuffle=False, verbose=0, class_weight={0: 0.5, 1: 3.0})
    h_ours = ours.fit(dataset_class(tk)(x, y, 12), **kw).history
    h_theirs = theirs.fit(dataset_class(keras)(x, y, 12), **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)


def test_class_weight_weights_only_the_training_part_of_a_validation_split(keras):
    # issue 12 item 8: the held-out part is validated without class weights, as in Keras 3
    x, y = data(100)
    ours, theirs = pair(keras)
    kw = dict(epochs=2, batch_size=16, shuffle=False, verbose=0, validation_split=0.3)
    kw["class_weight"] = {0: 1.0, 1: 4.0}
    h_ours = ours.fit(x, y, **kw).history
    h_theirs = theirs.fit(x, y, **kw).history
    assert_same(h_ours, h_theirs, ours, theirs)
    unweighted = ours.evaluate(x[70:], y[70:], verbose=0)[0]
    assert h_ours["val_loss"][-1] == pytest.approx(unweighted, rel=1e-5)
