"""Callbacks: EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN,
CSVLogger and LambdaCallback, in real `fit` runs and on synthetic epoch logs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from teachkeras.callbacks import (
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.optimizers import SGD
from teachkeras.optimizers.schedules import ExponentialDecay
from tests.helpers.callbacks import FakeMetric, FakeModel, play, regression_data, regression_model


def losses(*values):
    return [{"loss": v, "val_loss": v} for v in values]


# --- EarlyStopping -----------------------------------------------------------------------
def test_early_stopping_waits_patience_epochs_after_the_best():
    callback = EarlyStopping(patience=2)
    model, seen = play(callback, losses(1.0, 0.9, 0.95, 0.96, 0.97, 0.5))
    assert len(seen) == 4 and model.stop_training
    assert callback.stopped_epoch == 3 and callback.best_epoch == 1 and callback.best == 0.9
    assert model.weights[0][0, 0] == 3  # restore_best_weights is off: last weights kept


def test_early_stopping_patience_zero_stops_at_the_first_epoch_without_improvement():
    callback = EarlyStopping()
    _, seen = play(callback, losses(3.0, 2.0, 2.0, 1.0))  # equal is not better
    assert len(seen) == 3 and callback.stopped_epoch == 2


def test_early_stopping_min_delta_ignores_small_gains():
    values = losses(1.0, 0.95, 0.91, 0.5)
    _, seen = play(EarlyStopping(patience=1), values)
    assert len(seen) == 4  # each gain counts
    callback = EarlyStopping(patience=1, min_delta=-0.1)  # the sign is ignored
    _, seen = play(callback, values)
    assert len(seen) == 2 and callback.stopped_epoch == 1 and callback.best == 1.0


def test_early_stopping_max_mode_and_auto_mode_from_the_metric_direction():
    logs = [{"val_accuracy": a} for a in (0.5, 0.6, 0.55, 0.58)]
    callback = EarlyStopping(monitor="val_accuracy", mode="max", patience=1)
    play(callback, logs)
    assert callback.stopped_epoch == 2 and callback.best == 0.6
    # 'auto' asks the compiled metric which way is better (accuracy: up).
    callback = EarlyStopping(monitor="val_accuracy", patience=1)
    play(callback, logs, FakeModel(metrics=[FakeMetric("accuracy", "up")]))
    assert callback.stopped_epoch == 2 and callback.best == 0.6
    # ... and without that information it cannot guess.
    with pytest.raises(ValueError, match="Pass `mode='max'`"):
        play(EarlyStopping(monitor="val_accuracy"), logs)


def test_early_stopping_unknown_mode_warns_and_uses_auto():
    with pytest.warns(UserWarning, match="mode 'smallest' is unknown, fallback to auto"):
        callback = EarlyStopping(mode="smallest")
    assert callback.mode == "auto"


def test_early_stopping_baseline_must_be_beaten_within_patience():
    # Improving, but never below the baseline 0.5: patience runs out at epoch 2.
    callback = EarlyStopping(baseline=0.5, patience=2, restore_best_weights=True)
    model, seen = play(callback, losses(0.9, 0.8, 0.85, 0.7))
    assert len(seen) == 3 and callback.stopped_epoch == 2
    # The best epoch is restored although it did not beat the baseline.
    assert callback.best_epoch == 1 and model.weights[0][0, 0] == 1
    # Beating the baseline restarts patience.
    callback = EarlyStopping(baseline=0.5, patience=2)
    _, seen = play(callback, losses(0.9, 0.4, 0.45, 0.46, 0.47))
    assert callback.stopped_epoch == 3


def test_early_stopping_start_from_epoch_ignores_the_warm_up():
    callback = EarlyStopping(start_from_epoch=2)
    _, seen = play(callback, losses(1, 2, 3, 4, 5))
    assert len(seen) == 4 and callback.stopped_epoch == 3 and callback.best == 3


def test_early_stopping_restores_the_best_epoch_even_without_stopping():
    callback = EarlyStopping(patience=10, restore_best_weights=True)
    model, seen = play(callback, losses(1.0, 0.5, 0.7, 0.6))
    assert len(seen) == 4 and callback.stopped_epoch == 0 and not model.stop_training
    assert callback.best_epoch == 1
    assert all(np.all(w == 1) for w in model.weights)


def test_early_stopping_compares_in_float32_like_keras():
    # 1e-9 is below float32's resolution near 1.0: not an improvement.
    callback = EarlyStopping(monitor="loss")
    play(callback, [{"loss": 1.0}, {"loss": 1.0 - 1e-9}])
    assert callback.stopped_epoch == 1


def test_early_stopping_verbose_messages(capsys):
    play(EarlyStopping(patience=1, verbose=1, restore_best_weights=True), losses(1, 0.5, 0.6, 0.7))
    assert capsys.readouterr().out == (
        "Epoch 3: early stopping\nRestoring model weights from the end of the best epoch: 2.\n"
    )


def test_early_stopping_missing_monitor_warns_once_naming_the_keys():
    callback = EarlyStopping(patience=0)
    with pytest.warns(UserWarning) as record:
        model, seen = play(callback, [{"loss": 1.0, "accuracy": 0.5}] * 4)
    messages = [str(w.message) for w in record if "Early stopping" in str(w.message)]
    assert len(messages) == 1
    assert messages[0].startswith(
        "Early stopping conditioned on metric `val_loss` which is not available. "
        "Available metrics are: loss,accuracy"
    )
    assert "validation_data=" in messages[0]
    assert len(seen) == 4 and not model.stop_training


def test_early_stopping_without_validation_data_in_fit_warns_once_and_trains():
    x, y = regression_data()
    model = regression_model("sgd", seed=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        history = model.fit(x, y, epochs=3, verbose=0, callbacks=[EarlyStopping()])
    assert len(history.history["loss"]) == 3
    assert sum("Early stopping conditioned" in str(w.message) for w in record) == 1


def test_early_stopping_in_fit_restores_the_weights_of_the_best_val_loss_epoch():
    x, y = regression_data(48)
    model = regression_model(SGD(learning_rate=0.05), seed=0)
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stop = EarlyStopping(patience=3, restore_best_weights=True)
    history = model.fit(
        x[:16], y[:16], epochs=60, batch_size=4, validation_data=(x[16:], y[16:]),
        callbacks=[record, stop], verbose=0,
    )  # fmt: skip
    val = np.asarray(history.history["val_loss"], "float32")
    best = int(np.argmin(val))
    assert stop.best_epoch == best
    for restored, kept in zip(model.get_weights(), snapshots[best], strict=True):
        np.testing.assert_array_equal(restored, kept)
    if stop.stopped_epoch:
        assert len(val) == stop.stopped_epoch + 1 and stop.stopped_epoch - best >= 3


def test_early_stopping_can_be_reused_across_fits():
    callback = EarlyStopping(patience=1)
    play(callback, losses(1, 2, 3))
    assert callback.stopped_epoch == 1
    _, seen = play(callback, losses(5, 4, 3))
    assert callback.stopped_epoch == 0 and callback.best == 3 and len(seen) == 3


# --- ReduceLROnPlateau -------------------------------------------------------------------
def test_reduce_lr_on_plateau_sequence_with_cooldown_and_min_lr():
    callback = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1, min_lr=0.2)
    _, seen = play(callback, [{"loss": 1.0}] * 10)
    lrs = [logs["learning_rate"] for logs in seen]
    expected = np.float32([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]).tolist()
    assert lrs == expected


def test_reduce_lr_on_plateau_improvement_resets_the_wait():
    callback = ReduceLROnPlateau(patience=2, factor=0.1)
    model, seen = play(callback, losses(1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5))
    # Logged before the reduction of that epoch: 0.5 at epoch 2 reset the wait.
    lrs = [logs["learning_rate"] for logs in seen]
    assert lrs == pytest.approx([1, 1, 1, 1, 1, 0.1, 0.1])
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.01)


def test_reduce_lr_on_plateau_min_delta_default_is_1e_4():
    callback = ReduceLROnPlateau(monitor="loss", patience=1)
    model, _ = play(callback, [{"loss": 1.0}, {"loss": 1.0 - 5e-5}])
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.1)


def test_reduce_lr_on_plateau_adds_learning_rate_to_history_in_fit():
    x, y = regression_data()
    model = regression_model(SGD(learning_rate=0.01), seed=0)
    callback = ReduceLROnPlateau(monitor="loss", patience=0, min_delta=10.0, factor=0.5)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[callback])
    # Each epoch logs the rate it trained with; the reduction applies from the next one.
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.005])
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.0025)


def test_reduce_lr_on_plateau_bad_arguments_and_keras2_epsilon(capsys):
    with pytest.raises(ValueError, match=r"factor >= 1\.0"):
        ReduceLROnPlateau(factor=2)
    with pytest.warns(KerasLegacyWarning, match="min_delta"):
        callback = ReduceLROnPlateau(epsilon=0.01)
    assert callback.min_delta == 0.01
    with pytest.raises(TypeError, match="unexpected arguments"):
        ReduceLROnPlateau(patients=3)
    callback = ReduceLROnPlateau(monitor="loss", patience=0, verbose=1)
    play(callback, [{"loss": 1.0}, {"loss": 2.0}])
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.1" in capsys.readouterr().out


def test_reduce_lr_on_plateau_missing_monitor_warns_once():
    callback = ReduceLROnPlateau(patience=0)
    with pytest.warns(UserWarning) as record:
        _, seen = play(callback, [{"loss": 1.0}] * 3)
    assert sum("Learning rate reduction" in str(w.message) for w in record) == 1
    assert all(logs["learning_rate"] == 1.0 for logs in seen)


def test_reduce_lr_on_plateau_cannot_change_a_schedule():
    model = FakeModel()
    model.optimizer = SGD(learning_rate=ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="schedule"):
        play(ReduceLROnPlateau(monitor="loss", patience=0), [{"loss": 1.0}] * 2, model)


# --- LearningRateScheduler ---------------------------------------------------------------
def test_learning_rate_scheduler_two_argument_and_one_argument_forms():
    x, y = regression_data()
    model = regression_model(SGD(learning_rate=0.1), seed=0)
    halve = LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr / 2)
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[halve])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.025, 0.0125])
    by_epoch = LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[by_epoch])
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.02, 0.03])


def test_learning_rate_scheduler_rate_is_used_by_the_update():
    model = FakeModel(learning_rate=0.3)
    play(LearningRateScheduler(lambda epoch: 0.125), [{"loss": 1.0}])
    callback = LearningRateScheduler(lambda epoch: 0.125)
    play(callback, [{"loss": 1.0}], model)
    assert float(model.optimizer.learning_rate.numpy()) == 0.125


def test_learning_rate_scheduler_demands_a_float(capsys):
    with pytest.raises(ValueError, match=r"should be a float\. Got: 1"):
        play(LearningRateScheduler(lambda epoch: 1), [{}])
    with pytest.raises(TypeError, match="expects a function"):
        LearningRateScheduler(0.1)
    play(LearningRateScheduler(lambda epoch: np.float32(0.5), verbose=1), [{}])
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in capsys.readouterr().out


# --- TerminateOnNaN ----------------------------------------------------------------------
def test_terminate_on_nan_stops_after_the_first_nan_batch(capsys):
    x, y = regression_data()
    x[5, 0] = np.nan  # in the second batch of 4
    model = regression_model("sgd", seed=0)
    batches = []
    count = LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    with pytest.warns(UserWarning, match="NaN"):  # fit itself warns about the NaN input
        history = model.fit(
            x, y, batch_size=4, epochs=5, shuffle=False, verbose=0,
            callbacks=[TerminateOnNaN(), count],
        )  # fmt: skip
    assert batches == [0, 1] and len(history.history["loss"]) == 1
    assert np.isnan(history.history["loss"][0])
    assert "Batch 1: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_inf_and_raise_error():
    callback = TerminateOnNaN(raise_error=True)
    callback.set_model(FakeModel())
    callback.on_train_batch_end(0, {"loss": 0.5})
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 3"):
        callback.on_train_batch_end(3, {"loss": float("inf")})


# --- CSVLogger ---------------------------------------------------------------------------
def test_csv_logger_writes_keras_format_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    x, y = regression_data()
    model = regression_model("sgd", seed=0)
    history = model.fit(
        x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[CSVLogger(path)]
    )
    h = history.history
    rows = [f"{e},{h['loss'][e]},{h['val_loss'][e]}" for e in range(2)]
    assert path.read_bytes() == ("epoch,loss,val_loss\r\n" + "\r\n".join(rows) + "\r\n").encode()
    model.fit(
        x, y, epochs=1, validation_split=0.25, verbose=0, callbacks=[CSVLogger(path, append=True)]
    )
    lines = path.read_text().splitlines()
    assert len(lines) == 4 and lines[0] == "epoch,loss,val_loss" and lines[3].startswith("0,")
    model.fit(x, y, epochs=1, verbose=0, callbacks=[CSVLogger(path)])
    assert len(path.read_text().splitlines()) == 2  # append=False overwrites


def test_csv_logger_without_validation_adds_na_columns_and_separator(tmp_path):
    path = tmp_path / "log.tsv"
    logger = CSVLogger(str(path), separator="\t")
    play(logger, [{"loss": 0.5, "mae": 0.25}, {"loss": 0.25, "mae": np.array([1, 2])}])
    with open(path, newline="") as f:
        text = f.read()
    assert text == (
        "epoch\tloss\tmae\tval_loss\tval_mae\r\n"
        "0\t0.5\t0.25\tNA\tNA\r\n"
        '1\t0.25\t"""[1, 2]"""\tNA\tNA\r\n'
    )


def test_csv_logger_append_to_empty_file_writes_the_header(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    play(CSVLogger(path, append=True), [{"loss": 1.0, "val_loss": 2.0}])
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "0,1.0,2.0"]


# --- LambdaCallback ----------------------------------------------------------------------
def test_lambda_callback_calls_each_hook():
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(f"epoch_begin {epoch}"),
        on_train_batch_begin=lambda batch, logs: calls.append(f"batch_begin {batch}"),
        on_train_batch_end=lambda batch, logs: calls.append(f"batch_end {batch}"),
        on_epoch_end=lambda epoch, logs: calls.append(f"epoch_end {epoch} {sorted(logs)}"),
        on_train_end=lambda logs: calls.append("train_end"),
        on_test_end=lambda logs: calls.append("test_end"),
    )
    x, y = regression_data(8)
    regression_model("sgd", seed=0).fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), verbose=0,
                      callbacks=[callback])  # fmt: skip
    assert calls == [
        "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1",
        "batch_end 1", "test_end", "epoch_end 0 ['loss', 'val_loss']", "train_end",
    ]  # fmt: skip


def test_lambda_callback_keras2_batch_hooks_and_bad_names():
    seen = []
    callback = LambdaCallback(on_batch_end=lambda batch, logs: seen.append(batch))
    callback.on_train_batch_end(7, {})
    assert seen == [7]
    with pytest.raises(TypeError, match="Did you mean 'on_epoch_end'"):
        LambdaCallback(on_epoch_ends=print)
    with pytest.raises(TypeError, match="must be a function"):
        LambdaCallback(on_epoch_end=3)
