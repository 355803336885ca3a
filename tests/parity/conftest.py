"""Differential tests against real Keras 3 (PyTorch CPU backend).

Every test in this folder gets the `keras` fixture: the real Keras module. On a
developer machine without the `parity` extra they are skipped with a reason; in CI
(`CI` set) a missing Keras is an error, so these tests can never be skipped there.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import pytest

try:
    import keras as _keras
except ImportError:
    if os.environ.get("CI"):
        raise
    _keras = None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/parity" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.parity)


@pytest.fixture
def keras():
    """The real Keras 3 module (skips locally when not installed; never in CI)."""
    if _keras is None:
        pytest.skip("real Keras 3 is not installed: pip install -e .[parity]")
    _keras.utils.clear_session(free_memory=False)  # skips a full gc.collect(): 0.15 s a test
    # Keras's own random state too (initial weights, dropout masks): a test's numbers must
    # not depend on how much randomness the tests before it used.
    _keras.utils.set_random_seed(1234)
    return _keras
