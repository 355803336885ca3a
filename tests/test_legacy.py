"""Old spellings warn once, with the modern line, pointing at the learner's own line."""

from __future__ import annotations

import warnings

import teachkeras as keras
from teachkeras.legacy import KerasLegacyWarning, warn_once


def test_warning_points_at_the_callers_file_and_comes_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.layers.Dense(output_dim=3)
        keras.layers.Dense(output_dim=4)
    legacy = [w for w in caught if issubclass(w.category, KerasLegacyWarning)]
    assert len(legacy) == 1
    assert legacy[0].filename == __file__
    assert "Dense(units=...)" in str(legacy[0].message)


def test_warn_once_keys_are_independent():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_once("a", "first")
        warn_once("b", "second")
        warn_once("a", "again")
    assert [str(w.message) for w in caught] == ["first", "second"]
