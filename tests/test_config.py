"""`keras.config`: the process-wide settings, and that each one really acts."""

from __future__ import annotations

import json
import logging
import zipfile

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import layers
from teachkeras.backend import config as backend_config
from teachkeras.saving import ModelFileError, load_model, safe_mode
from teachkeras.utils import Progbar, io_utils


@pytest.fixture
def logging_off():
    """Interactive logging off for one test, and back on afterwards whatever happens."""
    keras.config.disable_interactive_logging()
    yield
    keras.config.enable_interactive_logging()


def test_numeric_settings_are_the_backends_own_functions():
    for name in ("floatx", "set_floatx", "epsilon", "set_epsilon"):
        assert getattr(keras.config, name) is getattr(backend_config, name)
    assert keras.config.image_data_format is backend_config.image_data_format
    keras.config.set_floatx("float64")
    assert backend_config.floatx() == "float64" and keras.config.floatx() == "float64"
    assert not hasattr(keras, "floatx")  # as in Keras 3 (and 2): keras.config.floatx, K.floatx
    keras.config.set_image_data_format("channels_first")
    assert keras.backend.image_data_format() == "channels_first"


def test_backend_is_numpy():
    assert keras.config.backend() == "numpy"


def test_no_dtype_policy_pretends_to_act():
    assert not hasattr(keras.config, "set_dtype_policy")


# --- interactive logging ------------------------------------------------------------------
def test_interactive_logging_is_on_by_default():
    assert keras.config.is_interactive_logging_enabled() is True


def test_disabled_progbar_goes_to_logging_not_stdout(logging_off, capsys, caplog):
    assert keras.config.is_interactive_logging_enabled() is False
    with caplog.at_level(logging.INFO, logger="teachkeras"):
        bar = Progbar(target=2)
        bar.update(1, [("loss", 0.5)])
        bar.update(2, [("loss", 0.25)])
    assert capsys.readouterr().out == ""
    lines = [r.getMessage() for r in caplog.records if r.name == "teachkeras"]
    assert len(lines) == 1  # only the finished line: no redraws in a log
    assert lines[0].startswith("2/2 [") and lines[0].endswith("loss: 0.2500")


def test_disabled_fit_logs_epochs_and_bars(logging_off, capsys, caplog):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    with caplog.at_level(logging.INFO, logger="teachkeras"):
        model.fit(np.ones((4, 2)), np.ones(4), epochs=2, batch_size=2, verbose=1)
        model.fit(np.ones((4, 2)), np.ones(4), epochs=1, batch_size=2, verbose=2)
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "Epoch 1/2" and "Epoch 2/2" in messages
    assert sum(m.startswith("2/2 [") for m in messages) == 2
    assert messages[-1].startswith("2/2 - ")  # verbose=2: one summary line


def test_disabled_summary_goes_to_logging(logging_off, capsys, caplog):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, name="hidden")], name="tiny")
    with caplog.at_level(logging.INFO, logger="teachkeras"):
        model.summary()
    assert capsys.readouterr().out == ""
    (record,) = caplog.records
    assert 'Model: "tiny"' in record.getMessage() and "hidden" in record.getMessage()
    lines = []
    model.summary(print_fn=lines.append)  # an explicit print_fn still wins
    assert lines and not caplog.records[1:]


def test_enabled_again_prints_to_stdout(capsys):
    keras.config.disable_interactive_logging()
    keras.config.enable_interactive_logging()
    io_utils.print_msg("hello")
    io_utils.print_msg("no newline", line_break=False)
    assert capsys.readouterr().out == "hello\nno newline"


# --- unsafe deserialization ---------------------------------------------------------------
class MyLambda(layers.Layer):
    """A learner's own stand-in for Keras's Lambda layer: its code is in this file."""

    def __init__(self, function=None, **kwargs):
        super().__init__(**kwargs)
        self.function_config = function

    def call(self, x):
        return x * 2.0


def _keras_file_with_lambda(tmp_path):
    path = tmp_path / "with_lambda.keras"
    keras.Sequential([keras.Input((2,)), layers.Dense(2, name="d")]).save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"].append(
        {
            "module": "keras.layers",
            "class_name": "Lambda",
            "config": {"name": "double", "function": {"class_name": "__lambda__", "config": {}}},
            "registered_name": None,
        }
    )
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_enable_unsafe_deserialization_lets_the_check_step_aside(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_mode._state, "unsafe_deserialization", False)
    path = _keras_file_with_lambda(tmp_path)
    with pytest.raises(ModelFileError, match="safe_mode=False"):
        load_model(path, custom_objects={"Lambda": MyLambda})
    keras.config.enable_unsafe_deserialization()
    assert safe_mode.in_safe_mode(True) is False
    # Past the check; with neither the function nor a class of the learner's own, the Lambda
    # refuses to be built (its code in the file is never run).
    with pytest.raises(ModelFileError, match="Lambda"):
        load_model(path)
    model = load_model(path, custom_objects={"Lambda": MyLambda})
    assert isinstance(model.layers[-1], MyLambda)
    np.testing.assert_allclose(
        model.predict(np.ones((1, 2)), verbose=0),
        2 * model.get_layer("d")(np.ones((1, 2))).numpy(),
        rtol=1e-6,
    )


def test_in_safe_mode_follows_the_argument_by_default(monkeypatch):
    monkeypatch.setattr(safe_mode._state, "unsafe_deserialization", False)
    assert safe_mode.in_safe_mode(True) is True
    assert safe_mode.in_safe_mode(False) is False
