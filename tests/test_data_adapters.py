"""fit / evaluate / predict on generators, iterators and keras.utils.PyDataset (Keras 3 rules).

The data layer: models/dataset_adapters.py (one adapter per kind of data) and
models/epoch_iterator.py (epochs and steps), behind the one training loop.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.models.epoch_iterator import EpochIterator
from teachkeras.utils import (
    PyDataset,
    Sequence,
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)


def data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return x, y


def model(deferred=False):
    keras.utils.set_random_seed(0)
    head = [] if deferred else [keras.Input((4,))]
    m = keras.Sequential(
        [*head, keras.layers.Dense(3, activation="tanh"), keras.layers.Dense(1, "sigmoid")]
    )
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy", metrics=["mae"])
    return m


def same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def forever(x, y, size, *extra):
    while True:
        for i in range(0, len(x), size):
            yield (x[i : i + size], y[i : i + size], *(e[i : i + size] for e in extra))


def once(x, y, size):
    for i in range(0, len(x), size):
        yield x[i : i + size], y[i : i + size]


class Batches(PyDataset):
    """(x, y) in batches of `size`; records which batches were read and the epoch hooks."""

    def __init__(self, x, y, size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.size, self.log = x, y, size, []

    def __len__(self):
        return int(np.ceil(len(self.x) / self.size))

    def __getitem__(self, i):
        self.log.append(i)
        return self.x[i * self.size : (i + 1) * self.size], self.y[
            i * self.size : (i + 1) * self.size
        ]

    def on_epoch_begin(self):
        self.log.append("begin")

    def on_epoch_end(self):
        self.log.append("end")


# --- generators ----------------------------------------------------------------------------
def test_fit_on_a_generator_trains_as_fit_on_the_same_arrays():
    # issue 14 item 2: fit(generator, steps_per_epoch=...) was refused as "ragged data"
    x, y = data()
    a, b = model(), model()
    history_a = a.fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0)
    history_b = b.fit(forever(x, y, 10), steps_per_epoch=6, epochs=3, verbose=0)
    assert history_b.params == {"verbose": 0, "epochs": 3, "steps": 6}
    np.testing.assert_allclose(history_b.history["loss"], history_a.history["loss"], rtol=1e-6)
    same_weights(a, b)


def test_a_generator_continues_across_epochs():
    x, y = data()
    seen = []

    def recording():
        for batch in forever(x, y, 20):
            seen.append(float(batch[0][0, 0]))
            yield batch

    model().fit(recording(), steps_per_epoch=2, epochs=3, verbose=0)
    assert seen == [x[0, 0], x[20, 0], x[40, 0], x[0, 0], x[20, 0], x[40, 0]]


def test_batch_forms_x_y_and_sample_weight():
    x, y = data()
    sw = np.linspace(0.5, 1.5, len(x)).astype("float32")
    a, b = model(), model()
    a.fit(x, y, sample_weight=sw, batch_size=20, shuffle=False, verbose=0)
    b.fit(forever(x, y, 20, sw), steps_per_epoch=3, verbose=0)
    same_weights(a, b)
    c = model()
    c.fit(iter([[x[i : i + 20], y[i : i + 20]] for i in (0, 20, 40)]), verbose=0)  # lists, iterator
    same_weights(model().fit(x, y, batch_size=20, shuffle=False, verbose=0).model, c)


@pytest.mark.parametrize(
    "batch, words",
    [
        (lambda x, y: x, r"needs targets, but the generator \(batch 1\) gave x alone \(ndarray of shape \(10, 4\)\)"),
        (lambda x, y: (x,), r"needs targets, but the generator \(batch 1\) gave x alone"),
        (lambda x, y: (x, y, y[:, 0], y), r"gave a tuple of 4 items; a batch should be x, \(x,\)"),
        (lambda x, y: (x, y[:5]), r"x sizes: 10, y sizes: 5.*\n.*in the batch that the generator \(batch 1\) gave"),
    ],
)  # fmt: skip
def test_a_generator_of_the_wrong_structure_is_explained_before_training(batch, words):
    x, y = data()
    started = []
    callback = keras.callbacks.LambdaCallback(on_train_begin=lambda logs: started.append(1))

    def gen():
        while True:
            yield batch(x[:10], y[:10])

    with pytest.raises(ValueError, match=words) as caught:
        model().fit(gen(), steps_per_epoch=2, verbose=0, callbacks=[callback])
    text = str(caught.value) + "\n".join(getattr(caught.value, "__notes__", []))
    assert not started and "got ragged" not in text


def test_a_finite_generator_with_too_few_batches_warns_and_stops():
    x, y = data()
    with pytest.warns(UserWarning, match="ran out of data after 2 of 5 steps") as caught:
        history = model().fit(once(x[:20], y[:20], 10), steps_per_epoch=5, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1  # a generator cannot start over: training stops
    assert caught[0].filename == __file__  # issue 14 item 8: the learner's own line


def test_a_finite_generator_without_steps_is_one_epoch_and_says_so():
    x, y = data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one epoch of a finite generator: no warning
        history = model().fit(once(x, y, 10), verbose=0)
    assert len(history.history["loss"]) == 1 and history.params["steps"] is None
    with pytest.warns(UserWarning, match="gave all its 6 batches, so training stops with 2 epoch"):
        history = model().fit(once(x, y, 10), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1


def test_an_empty_generator_and_misplaced_arguments_are_refused():
    x, y = data()
    with pytest.raises(ValueError, match="yielded no batches"):
        model().fit(once(x[:0], y[:0], 10), verbose=0)
    with pytest.raises(ValueError, match="x is a generator, `y` should not be passed"):
        model().fit(forever(x, y, 10), y, steps_per_epoch=2, verbose=0)
    with pytest.raises(ValueError, match="validation_split is only supported for arrays"):
        model().fit(forever(x, y, 10), steps_per_epoch=2, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="x is a PyDataset, `sample_weight` should not"):
        model().fit(Batches(x, y, 10), sample_weight=np.ones(60), verbose=0)
    with pytest.warns(UserWarning, match="batch_size=8 is ignored: x is a generator"):
        model().fit(forever(x, y, 10), batch_size=8, steps_per_epoch=2, verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive integer"):
        model().fit(forever(x, y, 10), steps_per_epoch=0, verbose=0)


def test_evaluate_and_predict_on_generators():
    x, y = data()
    m = model()
    m.fit(x, y, verbose=0)
    expected = m.evaluate(x, y, batch_size=15, verbose=0)
    np.testing.assert_allclose(m.evaluate(forever(x, y, 15), steps=4, verbose=0), expected, 1e-6)
    np.testing.assert_allclose(m.evaluate(once(x, y, 15), verbose=0), expected, 1e-6)
    predictions = m.predict(x, verbose=0)
    np.testing.assert_allclose(m.predict(once(x, y, 15), verbose=0), predictions, 1e-6)  # (x, y)
    only_x = (x[i : i + 25] for i in range(0, 60, 25))
    np.testing.assert_allclose(m.predict(only_x, verbose=0), predictions, 1e-6)
    tuples = ((x[i : i + 25],) for i in range(0, 60, 25))
    np.testing.assert_allclose(m.predict(tuples, verbose=0), predictions, 1e-6)
    with pytest.warns(UserWarning, match="ran out of data after 4 of 9 steps.*predict stops"):
        assert m.predict(once(x, y, 15), steps=9, verbose=0).shape == (60, 1)


def test_validation_generators_continue_and_validation_arrays_restart():
    x, y = data()
    vx, vy = data(30, seed=1)
    m = model()
    history = m.fit(
        forever(x, y, 10), steps_per_epoch=6, epochs=2, verbose=0,
        validation_data=forever(vx, vy, 10), validation_steps=3,
    )  # fmt: skip
    assert history.history["val_loss"][-1] == pytest.approx(m.evaluate(vx, vy, verbose=0)[0])
    history = m.fit(x, y, epochs=2, verbose=0, validation_data=Batches(vx, vy, 10))
    assert history.history["val_mae"][-1] == pytest.approx(m.evaluate(vx, vy, verbose=0)[1])
    with pytest.warns(UserWarning, match="validation data ran out of data: the generator"):
        history = m.fit(x, y, epochs=2, verbose=0, validation_data=once(vx, vy, 10))
    assert len(history.history["val_loss"]) == 1  # read once; the second validation had nothing


def test_an_unbuilt_model_is_built_from_the_first_batch():
    x, y = data()
    fitted = []
    for source, kw in [
        (forever(x, y, 10), {"steps_per_epoch": 6}),
        (Batches(x, y, 10), {"shuffle": False}),
        (x, {"y": y, "batch_size": 10, "shuffle": False}),
    ]:
        m = model(deferred=True)
        assert not m.built
        keras.utils.set_random_seed(1)  # the weights are made when the first batch builds it
        m.fit(source, verbose=0, **kw)
        fitted.append(m)
    assert fitted[0].input_shape == (None, 4)
    same_weights(fitted[0], fitted[2])
    same_weights(fitted[1], fitted[2])


# --- PyDataset -------------------------------------------------------------------------------
def test_a_py_dataset_is_one_epoch_per_pass_with_its_hooks():
    x, y = data()
    dataset = Batches(x, y, 25)  # 3 batches, the last of 10
    m, reference = model(), model()
    m.fit(dataset, epochs=2, shuffle=False, verbose=0)
    reference.fit(x, y, batch_size=25, epochs=2, shuffle=False, verbose=0)
    assert dataset.log == ["begin", 0, 1, 2, "end"] * 2
    same_weights(m, reference)


def test_shuffle_reorders_the_batches_of_a_py_dataset_each_epoch():
    x, y = data()
    dataset = Batches(x, y, 6)
    model().fit(dataset, epochs=3, verbose=0)  # shuffle=True is fit's default, as in Keras 3
    orders = [dataset.log[i * 12 + 1 : i * 12 + 11] for i in range(3)]
    assert all(sorted(order) == list(range(10)) for order in orders)
    assert len({tuple(order) for order in orders}) > 1


def test_steps_per_epoch_over_a_py_dataset_continues_and_restarts_as_in_keras():
    x, y = data()
    dataset = Batches(x, y, 15)  # 4 batches
    with pytest.warns(
        UserWarning, match="ran out of data after 1 of 3 steps: one pass over it is 4"
    ):
        model().fit(dataset, steps_per_epoch=3, epochs=3, shuffle=False, verbose=0)
    reads = [entry for entry in dataset.log if entry not in ("begin", "end")]
    assert reads == [0, 1, 2, 3, 0, 1, 2]


def test_an_endless_py_dataset_needs_steps_per_epoch():
    x, y = data()

    class Endless(PyDataset):
        num_batches = None

        def __getitem__(self, i):
            i %= 6
            return x[i * 10 : i * 10 + 10], y[i * 10 : i * 10 + 10]

    a, b = model(), model()
    a.fit(Endless(), steps_per_epoch=3, epochs=2, verbose=0)
    b.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=0)
    same_weights(a, b)


def test_a_py_dataset_whose_getitem_raises_is_named_with_the_batch():
    x, y = data()

    class Broken(Batches):
        def __getitem__(self, i):
            if i == 2:
                raise KeyError("no such file: img_0042.png")
            return super().__getitem__(i)

    with pytest.raises(KeyError, match="img_0042") as caught:
        model().fit(Broken(x, y, 10), shuffle=False, verbose=0)
    (note,) = caught.value.__notes__
    assert "Broken.__getitem__(2)" in note and "batch 2 of 6" in note and "(x, y)" in note

    class Wrong(Batches):
        def __getitem__(self, i):
            return {"pixels": x[:10]}

    with pytest.raises(ValueError, match=r"Wrong.__getitem__\(\d\) gave x alone"):
        model().fit(Wrong(x, y, 10), verbose=0)


def test_py_dataset_accepts_keras_arguments_and_works_without_super_init():
    x, y = data()
    dataset = Batches(x, y, 10, workers=4, use_multiprocessing=True, max_queue_size=2)
    assert (dataset.workers, dataset.use_multiprocessing, dataset.max_queue_size) == (4, True, 2)
    assert len(list(dataset)) == 6

    class NoSuper(PyDataset):
        def __init__(self):
            self.n = 2

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return x[:10], y[:10]

    assert NoSuper().workers == 1 and NoSuper().num_batches == 2
    assert len(model().fit(NoSuper(), verbose=0).history["loss"]) == 1
    with pytest.raises(NotImplementedError, match="__len__"):
        PyDataset().num_batches
    with pytest.raises(ValueError, match="has no batches"):
        model().fit(Batches(x[:0], y[:0], 10), verbose=0)


def test_class_weight_with_a_py_dataset_weights_as_with_arrays():
    x, y = data()
    weights = {0: 1.0, 1: 3.0}
    a, b = model(), model()
    a.fit(x, y, batch_size=10, class_weight=weights, shuffle=False, verbose=0)
    b.fit(Batches(x, y, 10), class_weight=weights, shuffle=False, verbose=0)
    same_weights(a, b)


def test_sequence_is_keras_2s_name_and_warns_at_the_class_line():
    x, y = data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        class Old(Sequence):
            def __len__(self):
                return 6

            def __getitem__(self, i):
                return x[i * 10 : i * 10 + 10], y[i * 10 : i * 10 + 10]

    (warning,) = [w for w in caught if issubclass(w.category, keras.legacy.KerasLegacyWarning)]
    assert warning.filename == __file__ and "keras.utils.PyDataset" in str(warning.message)
    a, b = model(), model()
    a.fit(Old(), shuffle=False, verbose=0)
    b.fit(x, y, batch_size=10, shuffle=False, verbose=0)
    same_weights(a, b)


# --- the pieces ------------------------------------------------------------------------------
def test_pack_and_unpack_x_y_sample_weight():
    x, y, sw = np.ones((2, 3)), np.zeros(2), np.ones(2)
    assert unpack_x_y_sample_weight(x)[0] is x and unpack_x_y_sample_weight(x)[1:] == (None, None)
    assert unpack_x_y_sample_weight((x,))[1:] == (None, None)
    assert unpack_x_y_sample_weight([x, y])[1] is y
    assert unpack_x_y_sample_weight((x, y, sw))[2] is sw
    with pytest.raises(ValueError, match="found a tuple of 4 items"):
        unpack_x_y_sample_weight((x, y, sw, sw))
    assert pack_x_y_sample_weight(x) is x
    assert pack_x_y_sample_weight([x, x]) == ([x, x],)  # several inputs are not (x, y)
    assert pack_x_y_sample_weight(x, y) == (x, y)
    assert pack_x_y_sample_weight(x, y, sw) == (x, y, sw)
    packed = pack_x_y_sample_weight([x, x], y)
    assert unpack_x_y_sample_weight(packed)[0] == [x, x]


def test_epoch_iterator_cuts_arrays_into_keras_3_epochs():
    x, y = data(50)
    # 50 samples and steps=5 with no batch_size: batches of ceil(50 / 5) = 10 (Keras 3)
    iterator = EpochIterator(x, y, steps_per_epoch=5)
    assert [b.num_samples for _, b in iterator.epoch()] == [10] * 5
    iterator = EpochIterator(x, y, batch_size=20, steps_per_epoch=2)  # 3 batches a pass
    first = [b.x[0][0, 0] for _, b in iterator.epoch()]
    with pytest.warns(UserWarning, match="ran out of data after 1 of 2 steps"):
        second = [b.x[0][0, 0] for _, b in iterator.epoch()]
    third = [b.x[0][0, 0] for _, b in iterator.epoch()]
    assert first == third == [x[0, 0], x[20, 0]] and second == [x[40, 0]]
