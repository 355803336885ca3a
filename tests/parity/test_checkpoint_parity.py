"""ModelCheckpoint against real Keras 3: driven by the same logs, it saves at the same
moments, to the same file names, and says the same things.

A stand-in model records each `save`/`save_weights` call instead of writing, so many
random runs are cheap; one run with real models compares the files on disk.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import teachkeras
from tests.helpers.callbacks import play


class RecordingModel:
    """What ModelCheckpoint touches: save, save_weights, metrics."""

    def __init__(self) -> None:
        self.stop_training = False
        self.metrics = []
        self.saved: list[tuple[str, str]] = []

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))


def running_loss(logs: dict, batch: int) -> dict:
    """The logs after a batch: a running loss that moves a little from batch to batch."""
    return {"loss": logs["loss"] + 0.01 * batch}


def random_run(rng):
    n = int(rng.integers(2, 15))
    values = 1.0 + np.cumsum(rng.normal(-0.02, 0.06, size=n))
    if rng.random() < 0.5:
        values = np.round(values, 2)  # ties
    logs = [
        {"loss": float(v) + 0.1, "val_loss": float(v), "val_acc": float(1 - v / 2)}
        for v in values.astype("float32")
    ]
    save_weights_only = bool(rng.random() < 0.5)
    save_freq = "epoch" if rng.random() < 0.6 else int(rng.integers(1, 7))
    stem = "ckpt-{epoch:02d}"
    if save_freq == "epoch":
        stem += str(rng.choice(["", "-{val_loss:.2f}", "-{loss:.3f}-{val_acc:.1f}"]))
    else:
        stem += str(rng.choice(["-{batch}", "-b{batch:03d}-{loss:.2f}", ""]))
    monitor, mode = [("val_loss", "auto"), ("val_loss", "min"), ("val_acc", "max"),
                     ("loss", "auto"), ("val_acc", "min")][int(rng.integers(0, 5))]  # fmt: skip
    config = {
        "filepath": stem + (".weights.h5" if save_weights_only else ".keras"),
        "monitor": monitor,
        "mode": mode,
        "save_best_only": bool(rng.random() < 0.7),
        "save_weights_only": save_weights_only,
        "save_freq": save_freq,
        "initial_value_threshold": None if rng.random() < 0.7 else float(np.median(values)),
    }
    if save_freq != "epoch" and monitor == "loss" and config["save_best_only"]:
        # Keras 3 compares a batch's loss before its first epoch end has chosen the
        # direction, and fails (TypeError: 'NoneType' object is not callable); we choose
        # it then. Tested on our side in test_callbacks_checkpoint.py.
        config["save_freq"] = "epoch"
        config["filepath"] = config["filepath"].replace("{batch}", "").replace("-b{batch:03d}", "")
    return logs, config, int(rng.integers(1, 5))


@pytest.mark.filterwarnings("ignore:Can save best model only")
def test_saves_at_the_same_moments_with_the_same_names_as_keras(keras):
    rng = np.random.default_rng(0)
    for _ in range(200):
        logs, config, batches = random_run(rng)
        saved = []
        for lib in (keras, teachkeras):
            model = RecordingModel()
            callback = lib.callbacks.ModelCheckpoint(**config)
            play(callback, logs, model, batches_per_epoch=batches, batch_logs=running_loss)
            saved.append((model.saved, callback.best))
        assert saved[0] == saved[1], (logs, config, batches)


def test_verbose_messages_match_keras(keras, capsys):
    logs = [{"loss": 1.0, "val_loss": v} for v in (0.9, 0.95, 0.5)]
    outputs = []
    for lib in (keras, teachkeras):
        for best_only in (True, False):
            callback = lib.callbacks.ModelCheckpoint(
                "m-{epoch}.keras", save_best_only=best_only, verbose=1
            )
            play(callback, logs, RecordingModel(), batches_per_epoch=1, batch_logs=running_loss)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "val_loss improved from 0.90000 to 0.50000, saving model to m-3.keras" in outputs[0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filepath": "w.h5", "save_weights_only": True},
        {"filepath": "w.keras", "save_weights_only": True},
        {"filepath": "model"},
        {"filepath": "model.tf"},
        {"filepath": "m.keras", "save_freq": "batch"},
        {"filepath": "m.keras", "save_freq": 1.5},
    ],
)
def test_argument_errors_match_keras(keras, kwargs):
    messages = []
    for lib in (keras, teachkeras):
        with pytest.raises(ValueError) as error:
            lib.callbacks.ModelCheckpoint(**kwargs)
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def test_placeholder_error_starts_as_keras_does(keras):
    messages = []
    for lib in (keras, teachkeras):
        callback = lib.callbacks.ModelCheckpoint("{epoch}-{val_auc:.2f}.keras")
        with pytest.raises(KeyError) as error:
            play(
                callback,
                [{"loss": 1.0, "val_loss": 1.0}],
                RecordingModel(),
                batches_per_epoch=1,
                batch_logs=running_loss,
            )
        messages.append(str(error.value))
    assert messages[1].startswith(messages[0].rstrip("'\""))


def test_real_models_write_the_same_files(keras, tmp_path):
    logs = [{"loss": 1.0 - 0.1 * i, "val_loss": v} for i, v in enumerate([0.8, 0.7, 0.75, 0.6])]
    listings = []
    for lib in (keras, teachkeras):
        folder = tmp_path / lib.__name__
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
        model.compile(optimizer="sgd", loss="mse")
        for kwargs in (
            {"filepath": str(folder / "{epoch:02d}-{val_loss:.2f}.keras"), "save_best_only": True},
            {"filepath": str(folder / "w-{epoch}.weights.h5"), "save_weights_only": True},
        ):
            play(
                lib.callbacks.ModelCheckpoint(**kwargs),
                logs,
                model,
                batches_per_epoch=1,
                batch_logs=running_loss,
            )
        listings.append(sorted(os.listdir(folder)))
    assert listings[0] == listings[1]
    assert listings[1][:3] == ["01-0.80.keras", "02-0.70.keras", "04-0.60.keras"]
