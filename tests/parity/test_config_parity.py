"""`keras.config` here and in Keras 3: the same names, signatures and defaults."""

from __future__ import annotations

import inspect

import pytest

import teachkeras as tk

pytestmark = pytest.mark.parity


def test_every_config_function_is_keras_3s(keras):
    for name in tk.config.__all__:
        ours, theirs = getattr(tk.config, name), getattr(keras.config, name)
        assert inspect.signature(ours).parameters.keys() == (
            inspect.signature(theirs).parameters.keys()
        ), name


def test_same_defaults(keras):
    assert tk.config.floatx() == keras.config.floatx() == "float32"
    assert tk.config.epsilon() == keras.config.epsilon() == 1e-7
    assert tk.config.image_data_format() == keras.config.image_data_format()
    assert (
        tk.config.is_interactive_logging_enabled() is keras.config.is_interactive_logging_enabled()
    )
