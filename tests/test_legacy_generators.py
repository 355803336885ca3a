"""Keras 2's fit_generator / evaluate_generator / predict_generator (models/legacy_generators.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.models.epoch_iterator import EpochIterator

NAMES = ("fit_generator", "evaluate_generator", "predict_generator")
pytestmark = pytest.mark.filterwarnings("ignore::teachkeras.legacy.KerasLegacyWarning")


def test_model_has_the_generator_methods():
    assert all(hasattr(keras.Model, name) for name in NAMES)


def data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return x, y


def model_pair():
    keras.utils.set_random_seed(0)
    a = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    b = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    b.set_weights(a.get_weights())
    for m in (a, b):
        m.compile(
            optimizer=keras.optimizers.SGD(learning_rate=0.1),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
    return a, b


def batches(x, y, size, *extra):
    while True:
        for i in range(0, len(x), size):
            yield (x[i : i + size], y[i : i + size], *(e[i : i + size] for e in extra))


def test_fit_generator_trains_exactly_as_fit_on_the_same_batches():
    x, y = data()
    a, b = model_pair()
    history_a = a.fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0)
    history_b = b.fit_generator(batches(x, y, 10), steps_per_epoch=6, epochs=3, verbose=0)
    assert sorted(history_b.history) == ["accuracy", "loss"]
    np.testing.assert_allclose(history_b.history["loss"], history_a.history["loss"], rtol=1e-6)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6)


def test_the_generator_continues_across_epochs_and_sample_weights_are_used():
    x, y = data()
    sw = np.linspace(0.5, 1.5, len(x)).astype("float32")
    a, b = model_pair()
    a.fit(x, y, sample_weight=sw, batch_size=20, epochs=2, shuffle=False, verbose=0)
    seen = []

    def recording():
        for batch in batches(x, y, 20, sw):
            seen.append(batch[0][0, 0])
            yield batch

    b.fit_generator(recording(), steps_per_epoch=3, epochs=2, verbose=0)
    assert seen == [x[0, 0], x[20, 0], x[40, 0]] * 2
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6)


def test_validation_data_as_a_generator_or_as_arrays():
    x, y = data()
    vx, vy = data(30, seed=1)
    _, model = model_pair()
    history = model.fit_generator(
        batches(x, y, 10),
        6,
        epochs=2,
        validation_data=batches(vx, vy, 10),
        validation_steps=3,
        verbose=0,
    )
    assert history.history["val_loss"][-1] == pytest.approx(
        model.evaluate(vx, vy, verbose=0)[0], rel=1e-6
    )
    history = model.fit_generator(
        batches(x, y, 10), 6, epochs=1, validation_data=(vx, vy), verbose=0
    )
    assert history.history["val_accuracy"][-1] == pytest.approx(
        model.evaluate(vx, vy, verbose=0)[1]
    )


def test_evaluate_generator_and_predict_generator_equal_their_array_forms():
    x, y = data()
    model, _ = model_pair()
    model.fit(x, y, epochs=1, verbose=0)
    expected = model.evaluate(x, y, batch_size=15, verbose=0)
    got = model.evaluate_generator(batches(x, y, 15), steps=4)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    predictions = model.predict_generator(batches(x, y, 15), steps=4)
    np.testing.assert_allclose(predictions, model.predict(x, verbose=0), rtol=1e-6)

    def inputs_only():
        for i in range(0, len(x), 20):
            yield x[i : i + 20]

    assert model.predict_generator(inputs_only(), steps=3).shape == (60, 1)


def test_steps_are_required_for_a_generator():
    x, y = data()
    model, _ = model_pair()
    with pytest.raises(ValueError, match="`steps_per_epoch` is required"):
        model.fit_generator(batches(x, y, 10))
    with pytest.raises(ValueError, match="`steps` is required"):
        model.evaluate_generator(batches(x, y, 10))
    with pytest.raises(TypeError, match="Expected a generator"):
        model.fit_generator((x, y), steps_per_epoch=2)


def test_a_bad_batch_or_an_exhausted_generator_is_explained():
    x, y = data()
    model, _ = model_pair()

    def only_x():
        while True:
            yield x[:10]

    with pytest.raises(ValueError, match=r"tuple \(x, y\) or \(x, y, sample_weight\)"):
        model.fit_generator(only_x(), steps_per_epoch=2, verbose=0)

    def finite():
        yield x[:10], y[:10]

    with pytest.warns(UserWarning, match="ran out of data after 1 of 3 steps"):
        model.fit_generator(finite(), steps_per_epoch=3, verbose=0)


class Digits:
    """A Keras-style Sequence: len() batches, batch i by indexing, on_epoch_end."""

    def __init__(self, x, y, size):
        self.x, self.y, self.size, self.epochs_ended, self.asked = x, y, size, 0, []

    def __len__(self):
        return len(self.x) // self.size

    def __getitem__(self, i):
        self.asked.append(i)
        return self.x[i * self.size : (i + 1) * self.size], self.y[
            i * self.size : (i + 1) * self.size
        ]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_a_sequence_needs_no_steps_is_shuffled_and_told_of_epoch_ends():
    x, y = data()
    model, _ = model_pair()
    seq = Digits(x, y, 10)
    model.fit_generator(seq, epochs=2, verbose=0)
    assert seq.epochs_ended == 2 and len(seq.asked) == 12
    assert sorted(seq.asked[:6]) == list(range(6)) and seq.asked[:6] != seq.asked[6:]
    seq.asked.clear()
    model.fit_generator(seq, epochs=1, shuffle=False, verbose=0)
    assert seq.asked == list(range(6))
    assert len(model.predict_generator(Digits(x, y, 20))) == 60


def test_callbacks_see_every_batch():
    x, y = data()
    model, _ = model_pair()
    counted = []
    callback = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: counted.append(batch)
    )
    model.fit_generator(
        batches(x, y, 10), steps_per_epoch=6, epochs=2, callbacks=[callback], verbose=0
    )
    assert counted == list(range(6)) * 2


def test_each_method_warns_once_with_the_modern_spelling():
    x, y = data()
    model, _ = model_pair()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            model.fit_generator(batches(x, y, 30), steps_per_epoch=2, verbose=0)
            model.evaluate_generator(batches(x, y, 30), steps=2)
            model.predict_generator(batches(x, y, 30), steps=2)
    messages = [str(w.message) for w in caught if issubclass(w.category, KerasLegacyWarning)]
    assert len(messages) == 3
    assert "model.fit(generator, steps_per_epoch=" in messages[0]
    assert "model.evaluate(generator, steps=" in messages[1]
    assert "model.predict(generator, steps=" in messages[2]
    assert all(w.filename == __file__ for w in caught if issubclass(w.category, KerasLegacyWarning))


def test_generator_batches_are_packed_like_array_data():
    # fit_generator reads through fit's EpochIterator (it replaced GeneratorData)
    x, y = data()
    source = EpochIterator(batches(x, y, 25), steps_per_epoch=2)
    packed = [batch for _, batch in source.epoch()]
    assert [b.num_samples for b in packed] == [25, 25] and packed[0].y[0].shape == (25, 1)
