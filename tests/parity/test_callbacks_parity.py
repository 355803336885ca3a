"""Callbacks and learning-rate schedules against real Keras 3, on the same synthetic logs.

Each callback is driven through the epoch hooks by the same sequence of logs, in Keras
and in teachkeras, with a stand-in model exposing what the callbacks touch
(`stop_training`, `get_weights`/`set_weights`, `optimizer.learning_rate`); its weights
hold the epoch number, so restored weights tell which epoch they came from.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras
from tests.helpers.callbacks import FakeModel, play

SCHEDULE_CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9}),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.3, "decay_steps": 50, "decay_rate": 0.5, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [5, 20, 33], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("PiecewiseConstantDecay", {"boundaries": [5.5, 20.2], "values": [1.0, 0.5, 0.1]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 30, "power": 0.5}),
    (
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 30,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "cycle": True,
        },
    ),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5}),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": True},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 50, "alpha": 0.1}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 50,
            "warmup_target": 0.2,
            "warmup_steps": 20,
            "alpha": 0.05,
        },
    ),
    ("CosineDecay", {"initial_learning_rate": 0.01, "decay_steps": 50, "warmup_target": 0.2}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 10,
            "t_mul": 1.0,
            "m_mul": 0.5,
            "alpha": 0.1,
        },
    ),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 7,
            "t_mul": 1.5,
            "m_mul": 0.8,
            "alpha": 0.02,
        },
    ),
]


def learning_rate(optimizer) -> float:
    value = optimizer.learning_rate
    return float(value.numpy() if hasattr(value, "numpy") else value)


def sequences(seed: int, count: int):
    """Loss curves: noisy downward walks, some rounded to 2 decimals (ties, min_delta edges)."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(3, 25))
        values = 1.0 + np.cumsum(rng.normal(-0.02, 0.05, size=n))
        if i % 2:
            values = np.round(values, 2)
        yield [float(v) for v in values.astype("float32")]


# --- EarlyStopping -------------------------------------------------------------------------
def test_early_stopping_matches_keras_on_many_histories(keras):
    rng = np.random.default_rng(1)
    compared = 0
    for values in sequences(0, 240):
        config = {
            "patience": int(rng.integers(0, 5)),
            "min_delta": float(rng.choice([0.0, 0.01, 0.05])),
            "baseline": None if rng.random() < 0.5 else float(np.median(values)),
            "restore_best_weights": bool(rng.random() < 0.6),
            "start_from_epoch": int(rng.choice([0, 0, 2])),
        }
        mode = str(rng.choice(["auto", "min", "max"]))
        monitor = "val_loss" if mode != "max" else "val_auc"
        logs = [{"loss": v + 0.1, monitor: v} for v in values]
        results = []
        for lib in (keras, teachkeras):
            callback = lib.callbacks.EarlyStopping(monitor=monitor, mode=mode, **config)
            model = FakeModel(lib.optimizers.SGD())
            _, seen = play(callback, logs, model)
            results.append(
                (
                    len(seen),
                    model.stop_training,
                    callback.stopped_epoch,
                    callback.best_epoch,
                    callback.best,
                    callback.wait,
                    [w.tolist() for w in model.weights],
                )
            )
        assert results[0] == results[1], (values, mode, config)
        compared += 1
    assert compared == 240


def test_early_stopping_verbose_output_matches_keras(keras, capsys):
    values = [1.0, 0.8, 0.85, 0.9, 0.95]
    outputs = []
    for lib in (keras, teachkeras):
        callback = lib.callbacks.EarlyStopping(patience=2, verbose=1, restore_best_weights=True)
        play(callback, [{"val_loss": v} for v in values], FakeModel(lib.optimizers.SGD()))
        outputs.append(capsys.readouterr().out)
    assert (
        outputs[0]
        == outputs[1]
        == ("Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n")
    )


def test_missing_monitor_same_message_but_warned_once(keras):
    logs = [{"loss": 1.0, "accuracy": 0.5}] * 3
    messages = []
    for lib in (keras, teachkeras):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            model = FakeModel(lib.optimizers.SGD())
            _, seen = play(lib.callbacks.EarlyStopping(), logs, model)
        assert len(seen) == 3 and not model.stop_training
        messages.append([str(w.message) for w in record if "Early stopping" in str(w.message)])
    keras_messages, our_messages = messages
    # Keras warns every epoch (Python's default filter then shows it once); we warn once.
    assert len(keras_messages) == 3 and len(our_messages) == 1
    assert our_messages[0].startswith(keras_messages[0])


# --- ReduceLROnPlateau ---------------------------------------------------------------------
def test_reduce_lr_on_plateau_lr_sequence_matches_keras(keras):
    rng = np.random.default_rng(2)
    for values in sequences(3, 120):
        config = {
            "factor": float(rng.choice([0.1, 0.5, 0.7])),
            "patience": int(rng.integers(0, 4)),
            "cooldown": int(rng.integers(0, 3)),
            "min_lr": float(rng.choice([0.0, 0.05, 0.2])),
            "min_delta": float(rng.choice([1e-4, 0.0, 0.02])),
            "mode": str(rng.choice(["auto", "min"])),
        }
        sequences_seen = []
        for lib in (keras, teachkeras):
            callback = lib.callbacks.ReduceLROnPlateau(monitor="loss", **config)
            optimizer = lib.optimizers.SGD(learning_rate=1.0)
            _, seen = play(callback, [{"loss": v} for v in values], FakeModel(optimizer))
            lrs = [logs["learning_rate"] for logs in seen]
            sequences_seen.append((lrs, learning_rate(optimizer), callback.wait, callback.best))
        assert sequences_seen[0] == sequences_seen[1], (values, config)


def test_reduce_lr_on_plateau_verbose_output_matches_keras(keras, capsys):
    outputs = []
    for lib in (keras, teachkeras):
        callback = lib.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, verbose=1)
        play(callback, [{"loss": 1.0}] * 4, FakeModel(lib.optimizers.SGD(learning_rate=0.5)))
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "reducing learning rate to 0.05" in outputs[0]


# --- LearningRateScheduler -----------------------------------------------------------------
@pytest.mark.parametrize(
    "schedule",
    [
        lambda epoch, lr: lr if epoch < 3 else lr * float(np.exp(-0.1)),
        lambda epoch: 0.1 / (1 + epoch),
        lambda epoch, lr: np.float32(lr * 0.5),
    ],
)
def test_learning_rate_scheduler_matches_keras(keras, capsys, schedule):
    results = []
    for lib in (keras, teachkeras):
        optimizer = lib.optimizers.SGD(learning_rate=0.2)
        callback = lib.callbacks.LearningRateScheduler(schedule, verbose=1)
        _, seen = play(callback, [{"loss": 1.0}] * 6, FakeModel(optimizer))
        results.append(([logs["learning_rate"] for logs in seen], capsys.readouterr().out))
    assert results[0] == results[1]


# --- TerminateOnNaN ------------------------------------------------------------------------
def test_terminate_on_nan_matches_keras(keras, capsys):
    batch_losses = [0.5, 0.4, float("inf"), float("nan")]
    stops = []
    for lib in (keras, teachkeras):
        model = FakeModel(lib.optimizers.SGD())
        callback = lib.callbacks.TerminateOnNaN()
        callback.set_model(model)
        for batch, loss in enumerate(batch_losses):
            callback.on_train_batch_end(batch, {"loss": loss})
            if model.stop_training:
                break
        stops.append((batch, capsys.readouterr().out))
    assert stops[0] == stops[1] == (2, "Batch 2: Invalid loss, terminating training\n")


# --- CSVLogger -----------------------------------------------------------------------------
CSV_RUNS = {
    "with validation": [{"loss": 0.6931471824645996, "val_loss": 0.7, "accuracy": 0.5}] * 2
    + [{"loss": 0.1, "val_loss": float("nan"), "accuracy": 1.0}],
    "without validation": [{"loss": 1.25, "mae": 0.5}, {"loss": 1.0, "mae": 0.25}],
    "odd values": [{"loss": 1.0, "tag": "x,y", "vec": np.array([1.5, 2.0]), "n": np.float32(3)}],
    "keys change": [{"loss": 1.0}, {"loss": 0.5, "val_loss": 0.75, "learning_rate": 0.1}],
    "empty logs": [{}, {}],
}


@pytest.mark.parametrize("run", list(CSV_RUNS))
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_logger_file_matches_keras(keras, tmp_path, run, separator):
    texts = []
    for lib in (keras, teachkeras):
        path = tmp_path / f"{lib.__name__}.csv"
        callback = lib.callbacks.CSVLogger(str(path), separator=separator)
        play(callback, CSV_RUNS[run], FakeModel(lib.optimizers.SGD()))
        # A second run that appends (header only if the file was empty).
        callback = lib.callbacks.CSVLogger(str(path), separator=separator, append=True)
        play(callback, CSV_RUNS[run], FakeModel(lib.optimizers.SGD()))
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]


def test_csv_logger_append_to_an_empty_file_matches_keras(keras, tmp_path):
    texts = []
    for lib in (keras, teachkeras):
        path = tmp_path / f"{lib.__name__}.csv"
        path.write_text("")
        callback = lib.callbacks.CSVLogger(str(path), append=True)
        play(callback, CSV_RUNS["with validation"], FakeModel(lib.optimizers.SGD()))
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]


# --- LambdaCallback ------------------------------------------------------------------------
def test_lambda_callback_calls_match_keras(keras):
    calls = {}
    for lib in (keras, teachkeras):
        log = calls[lib.__name__] = []
        callback = lib.callbacks.LambdaCallback(
            on_train_begin=lambda logs, log=log: log.append(("train_begin", logs)),
            on_epoch_begin=lambda epoch, logs, log=log: log.append(("epoch_begin", epoch)),
            on_epoch_end=lambda epoch, logs, log=log: log.append(("epoch_end", epoch, logs)),
            on_train_end=lambda logs, log=log: log.append(("train_end", logs)),
        )
        play(callback, [{"loss": 1.0}, {"loss": 0.5}], FakeModel(lib.optimizers.SGD()))
    assert calls["keras"] == calls["teachkeras"]


# --- schedules -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "config"), SCHEDULE_CASES)
def test_schedule_values_match_keras(keras, name, config):
    import torch

    theirs = getattr(keras.optimizers.schedules, name)(**config)
    ours = getattr(teachkeras.optimizers.schedules, name)(**config)
    steps = np.concatenate([np.arange(0, 300), [1000, 12345, 10**6]])
    expected = np.array(
        [float(theirs(torch.tensor(int(s), dtype=torch.int64))) for s in steps], "float32"
    )
    np.testing.assert_allclose(ours(steps), expected, rtol=1e-6, atol=1e-8)
    assert ours.get_config() == theirs.get_config()
    assert teachkeras.optimizers.schedules.serialize(ours) == keras.optimizers.schedules.serialize(
        theirs
    )
    restored = teachkeras.optimizers.schedules.deserialize(
        keras.optimizers.schedules.serialize(theirs)
    )
    np.testing.assert_allclose(restored(steps), ours(steps), rtol=0, atol=0)


def test_schedule_in_an_optimizer_matches_keras(keras):
    config = {"initial_learning_rate": 0.2, "decay_steps": 3, "decay_rate": 0.5}
    grads = [np.full(4, 0.5 + step, "float32") for step in range(8)]
    results = []
    for lib, make_variable, as_grad in (
        (keras, keras.Variable, keras.ops.convert_to_tensor),
        (teachkeras, teachkeras.backend.Variable, lambda g: g),
    ):
        schedule = lib.optimizers.schedules.ExponentialDecay(**config)
        optimizer = lib.optimizers.SGD(learning_rate=schedule, momentum=0.9)
        variable = make_variable(np.ones(4, "float32"))
        rates = []
        for grad in grads:
            rates.append(learning_rate(optimizer))  # schedule(iterations), before the step
            optimizer.apply([as_grad(grad)], [variable])
        results.append((rates, np.asarray(variable.numpy())))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-6)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-5, atol=1e-6)
