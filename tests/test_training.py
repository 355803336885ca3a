"""compile / fit / evaluate / predict: results, History, progress bar, and bad input."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import Input, Model, Sequential
from teachkeras.callbacks import Callback
from teachkeras.layers import Dense, Dropout
from teachkeras.models import data_adapter
from teachkeras.utils import set_random_seed, to_categorical


def classification_data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    return x, y


def classifier(units_out=2, activation="softmax"):
    return Sequential(
        [Input((4,)), Dense(8, activation="relu"), Dense(units_out, activation=activation)]
    )


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "rmsprop", "nadam", "adagrad", "adamax"])
def test_fit_updates_weights_and_optimizer_slots_in_place(optimizer):
    # Each step frees its graph before the update, so no variable needs a copy on write:
    # the same arrays are updated step after step (what keeps a step in the CPU's cache).
    x, y = classification_data()
    model = classifier()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # builds the optimizer's slots
    variables = model.weights + model.optimizer.variables
    before = [v.numpy() for v in variables]
    arrays = [v.value for v in variables]
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert all(v.value is a for v, a in zip(variables, arrays, strict=True))
    assert not np.allclose(before[0], model.weights[0].numpy())  # and they did move


def test_template_learns_and_history_has_keras_keys():
    set_random_seed(0)
    x, y = classification_data()
    model = classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=100, validation_split=0.25, verbose=0)
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert len(history.history["loss"]) == 100 and history.epoch == list(range(100))
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert (
        loss < history.history["loss"][0]
        and accuracy > 0.9
        and model.metrics_names == ["loss", "accuracy"]
    )
    assert model.predict(x[:5], verbose=0).shape == (5, 2)
    assert model.history is history


def test_linear_regression_tutorial_converges():
    set_random_seed(1)
    model = Sequential([Dense(1, input_shape=[1])])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    xs = np.array([1.0, 2.0, 3.0, 4.0])
    model.fit(xs, 2 * xs + 1, epochs=500, verbose=0)
    assert model.predict(np.array([10.0]), verbose=0)[0, 0] == pytest.approx(21.0, abs=0.3)


def test_evaluate_return_forms():
    x, y = classification_data(32)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(as_dict) == {"loss", "accuracy"}
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_loss_is_batch_size_weighted_mean_over_batches():
    """Keras 3 averages batch losses weighted by batch size: equals the loss over all data."""
    x, y = classification_data(50)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    whole = model.evaluate(x, y, batch_size=50, verbose=0)
    batched = model.evaluate(x, y, batch_size=16, verbose=0)
    assert batched == pytest.approx(whole, rel=1e-5)


def test_acc_metric_name_is_kept():
    x, y = classification_data(32)
    model = classifier(1, "sigmoid")
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=1, verbose=0)
    assert "acc" in history.history and model.metrics_names == ["loss", "acc"]


def test_user_metric_function_with_K():
    K = keras.backend

    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    x, y = classification_data(32)
    model = classifier(1, "sigmoid")
    model.compile("adam", "binary_crossentropy", metrics=["accuracy", mean_pred])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = float(model.predict(x, verbose=0).mean())
    assert logs["mean_pred"] == pytest.approx(expected, rel=1e-5)


def test_validation_data_and_sample_weight_and_class_weight():
    x, y = classification_data(64)
    model = classifier()
    model.compile("adam", "sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    history = model.fit(
        x, y, epochs=2, verbose=0, validation_data=(x[:16], y[:16]), class_weight={0: 1.0, 1: 2.0},
        sample_weight=np.ones(64),
    )  # fmt: skip
    assert "val_loss" in history.history and "val_accuracy" in history.history


def test_sample_weight_zero_ignores_samples():
    x, y = classification_data(32)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    weights = np.r_[np.ones(16), np.zeros(16)]
    weighted = model.evaluate(x, y, sample_weight=weights, batch_size=32, verbose=0)
    first_half = model.evaluate(x[:16], y[:16], batch_size=32, verbose=0)
    assert weighted == pytest.approx(first_half / 2, rel=1e-5)  # sum over batch size 32


def test_train_test_predict_on_batch():
    x, y = classification_data(8)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.train_on_batch(x, y)
    assert np.isfinite(loss) and 0 <= acc <= 1
    assert len(model.test_on_batch(x, y)) == 2
    assert model.predict_on_batch(x).shape == (8, 2)


def test_dropout_is_off_in_predict():
    model = Sequential([Input((4,)), Dropout(0.5), Dense(2)])
    x = np.ones((3, 4))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_callbacks_hooks_order_and_stop_training():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(("epoch_end", epoch, sorted(logs)))
            if epoch == 1:
                self.model.stop_training = True

        def on_batch_end(self, batch, logs=None):  # Keras 2 hook name
            calls.append("batch")

    x, y = classification_data(32)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0, callbacks=[Recorder()])
    assert calls[0] == "train_begin" and calls.count("batch") == 4
    assert calls[-1] == ("epoch_end", 1, ["loss"]) and len(history.epoch) == 2


def test_progress_bar_prints_keras_lines(capsys):
    x, y = classification_data(64)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=2, verbose=1)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2"
    assert re.fullmatch(
        r"2/2 \[={30}\] - \d+s \d+(ms|us|s)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}", out[1]
    )
    model.fit(x, y, epochs=1, verbose=2)
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(
        r"2/2 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+\w+/epoch - \d+\w+/step", line
    )


def test_legacy_nb_epoch_and_predict_classes():
    x, y = classification_data(16)
    model = classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.warns(keras.legacy.KerasLegacyWarning, match="epochs="):
        history = model.fit(x, y, nb_epoch=2, verbose=0)
    assert len(history.epoch) == 2
    with pytest.warns(keras.legacy.KerasLegacyWarning, match="np.argmax"):
        classes = model.predict_classes(x)
    np.testing.assert_array_equal(classes, model.predict(x, verbose=0).argmax(-1))
    with pytest.warns(keras.legacy.KerasLegacyWarning):
        assert model.predict_proba(x).shape == (16, 2)


def test_multi_output_losses_and_names():
    a = Input((4,))
    h = Dense(8, activation="relu")(a)
    out1, out2 = Dense(1, name="reg")(h), Dense(2, activation="softmax", name="cls")(h)
    model = Model(a, [out1, out2])
    model.compile(
        "adam",
        loss=["mse", "sparse_categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics={"cls": ["accuracy"]},
    )
    x, y = classification_data(32)
    history = model.fit(x, [x[:, :1], y], epochs=1, verbose=0)
    assert set(history.history) == {"loss", "reg_loss", "cls_loss", "cls_accuracy"}
    h_ = history.history
    assert h_["loss"][0] == pytest.approx(h_["reg_loss"][0] + 0.5 * h_["cls_loss"][0], rel=1e-4)


# --- bad input ---------------------------------------------------------------------------
def compiled():
    model = classifier()
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match=r"compile\(\)"):
        classifier().fit(np.ones((2, 4)), np.zeros(2))


def test_x_and_y_of_different_lengths():
    with pytest.raises(ValueError, match="x sizes: 10, y sizes: 9"):
        compiled().fit(np.ones((10, 4)), np.zeros(9), verbose=0)


def test_wrong_input_width_names_layer():
    with pytest.raises(ValueError, match=r"layer 'dense'.*value 4.*\(10, 5\).*x.shape"):
        compiled().fit(np.ones((10, 5)), np.zeros(10), verbose=0)


def test_bad_batch_size_and_validation_split():
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        compiled().fit(np.ones((10, 4)), np.zeros(10), batch_size=0, verbose=0)
    with pytest.raises(ValueError, match=r"validation_split must be in \[0, 1\)"):
        compiled().fit(np.ones((10, 4)), np.zeros(10), validation_split=1.5, verbose=0)


def test_empty_arrays():
    with pytest.raises(ValueError, match="empty"):
        compiled().fit(np.ones((0, 4)), np.zeros(0), verbose=0)


def test_nan_in_x_warns_with_count():
    x = np.ones((10, 4))
    x[0, 0] = x[3, 1] = np.nan
    with pytest.warns(UserWarning, match="2 NaN"):
        compiled().fit(x, np.zeros(10), verbose=0)


def test_inf_in_y_warns_with_count():
    y = np.zeros(10)
    y[2], y[5], y[7] = np.inf, -np.inf, np.nan
    model = classifier(units_out=1, activation=None)
    model.compile("sgd", "mse")
    with pytest.warns(UserWarning, match="y contains 1 NaN and 2 infinite values out of 10"):
        model.fit(np.ones((10, 4)), y, verbose=0)


def test_the_data_check_says_nothing_of_finite_values_whose_sum_overflows():
    # The quick check sums the data; a sum past float32's range is not an inf in the data,
    # and NumPy's own overflow warning about that sum must not reach the learner either.
    x = np.full((10, 4), 3e38, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data_adapter._warn_non_finite([x], "x")


def test_the_data_check_warns_once_in_its_own_words():
    x = np.array([[np.inf, -np.inf], [1.0, np.nan]], dtype="float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data_adapter._warn_non_finite([x], "x")
    assert [str(w.message)[:40] for w in caught] == ["x contains 1 NaN and 2 infinite values o"]


def test_unknown_optimizer_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        classifier().compile(optimizer="adamm", loss="mse")


def test_integer_labels_with_categorical_crossentropy_explains():
    model = classifier()
    model.compile("adam", "categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(np.ones((10, 4)), np.zeros(10, dtype=int), verbose=0)


def test_one_hot_labels_with_sparse_crossentropy_explains():
    model = compiled()
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        model.fit(np.ones((10, 4)), to_categorical(np.zeros(10), 2), verbose=0)


def test_custom_layer_in_a_model_trains_with_fit():
    from teachkeras.layers import Layer

    class Affine(Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 1), initializer="zeros", name="w")
            self.b = self.add_weight(shape=(1,), initializer="zeros", name="b")

        def call(self, x):
            return keras.backend.matmul(x, self.w) + self.b

    model = Sequential([Input((2,)), Affine()])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    model.fit(x, x @ np.array([[2.0], [-1.0]]) + 0.5, epochs=100, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0], [[2.0], [-1.0]], atol=1e-3)
    np.testing.assert_allclose(model.get_weights()[1], [0.5], atol=1e-3)


def test_steps_initial_epoch_and_validation_freq():
    x, y = classification_data(64)
    model = compiled()
    batches = []

    class Count(Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)

    # 64 samples in batches of 8 are 8 batches; with steps_per_epoch=3 each epoch continues
    # where the last stopped, and the third gets the last 2 (Keras 3: "ran out of data").
    with pytest.warns(UserWarning, match="ran out of data after 2 of 3 steps"):
        history = model.fit(
            x, y, batch_size=8, epochs=4, initial_epoch=1, steps_per_epoch=3, verbose=0,
            validation_data=(x, y), validation_freq=2, validation_steps=1, callbacks=[Count()],
        )  # fmt: skip
    assert history.epoch == [1, 2, 3] and batches == [0, 1, 2, 0, 1, 2, 0, 1]
    assert len(history.history["val_loss"]) == 2  # after epochs 1 and 3: (epoch + 1) % 2 == 0
    assert history.params == {"verbose": 0, "epochs": 4, "steps": 3}


def test_shuffle_false_keeps_order_and_true_changes_it():
    seen = []
    x = np.arange(8, dtype="float32").reshape(8, 1)
    model = Sequential([Input((1,)), Dense(1)])
    model.compile("sgd", "mse")
    original = model.train_step

    def spy(data):
        seen.append(data.x[0][:, 0].tolist())
        return original(data)

    model.train_step = spy
    model.fit(x, x, batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert seen == [[0, 1, 2, 3], [4, 5, 6, 7]]
    seen.clear()
    model.fit(x, x, batch_size=8, epochs=3, shuffle=True, verbose=0)
    assert any(order != sorted(order) for order in seen)


def test_evaluate_and_predict_print_progress(capsys):
    x, y = classification_data(40)
    model = compiled()
    model.evaluate(x, y, batch_size=20)
    model.predict(x, batch_size=20)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"2/2 \[={30}\] - \d+s \d+\w+/step - loss: \d\.\d{4}", lines[0])
    assert re.fullmatch(r"2/2 \[={30}\] - \d+s \d+\w+/step", lines[1])


def test_compile_rejects_unknown_argument():
    with pytest.raises(TypeError, match="metric"):
        classifier().compile("adam", "mse", metric=["accuracy"])


def test_callbacks_must_be_instances():
    from teachkeras.callbacks import History

    with pytest.raises(TypeError, match="instead of an instance"):
        compiled().fit(np.ones((4, 4)), np.zeros(4), callbacks=[History], verbose=0)


def test_hooks_always_receive_logs_positionally():
    seen = []

    class Strict(Callback):  # no defaults for logs, as some tutorials write them
        def on_train_begin(self, logs):
            seen.append(("train_begin", logs))

        def on_epoch_begin(self, epoch, logs):
            seen.append(("epoch_begin", logs))

        def on_train_batch_begin(self, batch, logs):
            seen.append(("batch_begin", logs))

    x, y = classification_data(8)
    compiled().fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Strict()])
    assert seen == [("train_begin", {}), ("epoch_begin", {}), ("batch_begin", {})]


def test_weighted_metric_with_a_taken_name_is_prefixed_as_in_keras():
    x, y = classification_data(32)
    model = classifier()
    model.compile(
        "sgd",
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    assert model.metrics_names == ["loss", "accuracy", "weighted_accuracy"]
    weights = np.r_[np.ones(16), np.zeros(16)]
    logs = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    predicted = model.predict(x, verbose=0).argmax(-1)
    assert logs["accuracy"] == pytest.approx(np.mean(predicted == y))
    assert logs["weighted_accuracy"] == pytest.approx(np.mean(predicted[:16] == y[:16]))
