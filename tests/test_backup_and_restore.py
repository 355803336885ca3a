"""BackupAndRestore: an interrupted fit resumes at the right epoch, with the same state."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from teachkeras import Sequential
from teachkeras.callbacks import BackupAndRestore, Callback
from teachkeras.layers import Dense
from tests.helpers.callbacks import regression_model


class Interrupt(Callback):
    """Raise at the start of epoch `at`, or after its batch `batch`, as a crash would."""

    def __init__(self, at: int, batch: int | None = None) -> None:
        super().__init__()
        self.at, self.batch, self.epoch = at, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        if epoch == self.at and self.batch is None:
            raise RuntimeError("Interrupting!")

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == self.at and batch == self.batch:
            raise RuntimeError("Interrupting!")


def make_model(seed: int = 0):
    """Models made with one seed start from the same weights; another seed, from others."""
    return regression_model(units=5, activation="tanh", seed=seed)


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(24, 3)).astype("float32")
    y = np.sin(x.sum(axis=1, keepdims=True))
    return x, y


def fit(model, data, callbacks, epochs=6):
    return model.fit(*data, epochs=epochs, batch_size=8, shuffle=False, verbose=0,
                     callbacks=callbacks)  # fmt: skip


def optimizer_state(model):
    return [np.array(v.numpy()) for v in model.optimizer.variables]


def test_resumes_at_the_interrupted_epoch_with_the_same_weights_and_optimizer(tmp_path, data):
    reference = make_model()
    reference_history = fit(reference, data, [])

    backup_dir = str(tmp_path / "backup")
    model = make_model()
    with pytest.raises(RuntimeError, match="Interrupting"):
        fit(model, data, [BackupAndRestore(backup_dir), Interrupt(at=3)])
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        assert json.load(f) == {"epoch": 3, "batch": 0}

    # A new process: a fresh model (other initial weights), compiled the same way.
    resumed = make_model(seed=99)
    history = fit(resumed, data, [BackupAndRestore(backup_dir)])
    assert history.epoch == [3, 4, 5]
    np.testing.assert_allclose(
        history.history["loss"], reference_history.history["loss"][3:], rtol=1e-6
    )
    for ours, theirs in zip(resumed.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)
    for ours, theirs in zip(optimizer_state(resumed), optimizer_state(reference), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)
    assert not os.path.exists(backup_dir)  # deleted once training ended normally


def test_the_same_callback_and_model_can_simply_be_fitted_again(tmp_path, data):
    backup = BackupAndRestore(str(tmp_path / "backup"))
    model = make_model()
    with pytest.raises(RuntimeError):
        fit(model, data, [backup, Interrupt(at=2)])
    assert len(fit(model, data, [backup]).epoch) == 4
    # Training ended: the next fit (with or without the callback) starts from epoch 0 again.
    assert fit(model, data, [], epochs=2).epoch == [0, 1]
    assert fit(model, data, [backup], epochs=2).epoch == [0, 1]


def test_without_a_backup_fit_starts_at_initial_epoch(tmp_path, data):
    model = make_model()
    history = model.fit(*data, epochs=3, initial_epoch=1, verbose=0,
                        callbacks=[BackupAndRestore(str(tmp_path / "b"))])  # fmt: skip
    assert history.epoch == [1, 2]


def test_delete_checkpoint_false_keeps_the_backup(tmp_path, data):
    backup_dir = tmp_path / "backup"
    model = make_model()
    fit(model, data, [BackupAndRestore(str(backup_dir), delete_checkpoint=False)], epochs=2)
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    assert json.loads((backup_dir / "training_metadata.json").read_text()) == {
        "epoch": 2,
        "batch": 0,
    }
    # Everything was done already: a new fit finds nothing left to run.
    assert fit(model, data, [BackupAndRestore(str(backup_dir))], epochs=2).epoch == []


def test_save_freq_in_batches_backs_up_mid_epoch(tmp_path, data):
    backup_dir = str(tmp_path / "backup")
    model = make_model()
    with pytest.raises(RuntimeError):
        fit(model, data, [BackupAndRestore(backup_dir, save_freq=2), Interrupt(at=1, batch=2)])
    # 3 batches an epoch: backups after batches 2, 4 and 6 overall, the last one being
    # batch index 2 of epoch index 1 (epochs completed: 1)
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        assert json.load(f) == {"epoch": 1, "batch": 2}
    history = fit(model, data, [BackupAndRestore(backup_dir)], epochs=3)
    assert history.epoch == [1, 2]  # the epoch in progress is run again from its start


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path, data):
    backup_dir = tmp_path / "backup"
    model = make_model()
    with pytest.raises(RuntimeError):
        fit(model, data, [BackupAndRestore(str(backup_dir), double_checkpoint=True),
                          Interrupt(at=3)])  # fmt: skip
    assert sorted(os.listdir(backup_dir)) == [
        "latest.weights.h5",
        "latest.weights.h5.bkp",
        "training_metadata.json",
        "training_metadata.json.bkp",
    ]
    latest = backup_dir / "latest.weights.h5"
    latest.write_bytes(latest.read_bytes()[:200])  # the crash cut the last backup short
    history = fit(make_model(seed=5), data, [BackupAndRestore(str(backup_dir))])
    assert history.epoch == [2, 3, 4, 5]


def test_a_damaged_backup_without_a_previous_one_is_an_error(tmp_path, data):
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "latest.weights.h5").write_bytes(b"not a weights file")
    with pytest.raises(ValueError, match=r"latest\.weights\.h5"):
        fit(make_model(), data, [BackupAndRestore(str(backup_dir))])


def test_an_unbuilt_model_is_refused(tmp_path):
    # fit() builds a model from its first batch before on_train_begin; called on its own:
    model = Sequential([Dense(1)])
    callback = BackupAndRestore(str(tmp_path / "b"))
    callback.set_model(model)
    with pytest.raises(ValueError, match="must be built before you call `fit\\(\\)`"):
        callback.on_train_begin({})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backup_dir": ""}, "Empty `backup_dir` argument passed"),
        ({"backup_dir": "b", "save_freq": "batch"}, "Invalid value for argument `save_freq`"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BackupAndRestore(**kwargs)
