"""Every test starts from the same state: seeded randomness, fresh layer names."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend, legacy
from teachkeras.backend import config, random

# The shared helpers assert too: let pytest show the values in their failed asserts.
pytest.register_assert_rewrite("tests.helpers")


@pytest.fixture(autouse=True)
def _fresh_state():
    random.set_seed(1234)
    backend.clear_session()  # fresh layer names, and no learning phase left set
    legacy.reset_warnings()
    saved = (config.floatx(), config.epsilon(), config.image_data_format())
    yield
    config.set_floatx(saved[0])
    config.set_epsilon(saved[1])
    config.set_image_data_format(saved[2])


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
