"""The rename tables (`teachkeras/legacy/renames.py`): one mechanism for every old argument name."""

from __future__ import annotations

import inspect
import json
import re
import warnings

import numpy as np
import pytest

import teachkeras as keras
import teachkeras.datasets.imdb  # their tables are registered on import
import teachkeras.datasets.reuters
from teachkeras.legacy import CHANGES, KerasLegacyWarning
from teachkeras.legacy.renames import TABLES, Change, accepts_renamed

L = keras.layers


def _legacy(caught) -> list[warnings.WarningMessage]:
    return [w for w in caught if issubclass(w.category, KerasLegacyWarning)]


def _line_of(text: str) -> int:
    """The line of this file that contains `text` (where a warning must point)."""
    lines = open(__file__, encoding="utf-8").read().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line and "_line_of" not in line)


# --- where the warning points -----------------------------------------------------------
class KerasOneDense(L.Dense):
    """A learner's own subclass, written against Keras 1."""

    def __init__(self, size, **kwargs):
        super().__init__(output_dim=size, init="zeros", **kwargs)  # the learner's line


def test_warning_from_a_users_subclass_points_at_its_super_call():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = KerasOneDense(3)
    legacy = _legacy(caught)
    assert [str(w.message).split(" is ")[0] for w in legacy] == [
        "Dense(output_dim=...)",
        "Dense(init=...)",
    ]
    line = _line_of("super().__init__(output_dim=size")
    assert all((w.filename, w.lineno) == (__file__, line) for w in legacy)
    assert layer.units == 3 and type(layer.kernel_initializer).__name__ == "Zeros"


def _keras1_json() -> str:
    """A model file written by Keras 1: its Dense layer says `output_dim`."""
    config = json.loads(keras.Sequential([L.Input((4,)), L.Dense(2)]).to_json())
    dense = config["config"]["layers"][-1]["config"]
    dense["output_dim"] = dense.pop("units")
    return json.dumps(config)


@pytest.mark.parametrize(
    "build",
    [
        lambda: L.Dense.from_config({"output_dim": 2, "name": "d"}),  # from_config
        lambda: keras.models.model_from_json(_keras1_json()),
        lambda: keras.optimizers.get({"class_name": "SGD", "config": {"lr": 0.5}}),
        lambda: L.Convolution2D(4, 3, 3, border_mode="same"),  # a Keras 1 name, then Conv2D
        lambda: keras.Sequential([L.Input((4,)), L.Dense(output_dim=2)]),
    ],
    ids=["from_config", "model_from_json", "optimizers.get", "Convolution2D", "Sequential"],
)
def test_warning_points_at_the_learners_line_from_any_depth(build):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build()
    legacy = _legacy(caught)
    assert legacy and all(w.filename == __file__ for w in legacy), [w.filename for w in legacy]


def test_other_warnings_in_a_translated_constructor_still_point_at_the_learner():
    # The table's wrapper adds a frame: a warning with a fixed stacklevel would name it.
    with pytest.warns(UserWarning, match="mode 'bogus' is unknown") as record:
        keras.callbacks.ReduceLROnPlateau(mode="bogus", epsilon=1e-3)
    assert {w.filename for w in record} == {__file__}


def test_each_old_name_warns_once_per_owner():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        L.MaxPooling2D(border_mode="same")
        L.MaxPooling2D(border_mode="same")
        L.AveragePooling2D(border_mode="same")  # another owner: its own warning
    assert [str(w.message)[:18] for w in _legacy(caught)] == [
        "MaxPooling2D(borde",
        "AveragePooling2D(b",
    ]


# --- old and new together -----------------------------------------------------------------
@pytest.mark.parametrize(
    "build, names",
    [
        (lambda: L.Dense(4, output_dim=3), ("units=", "output_dim=")),  # units given by position
        (lambda: L.Dense(units=4, output_dim=3), ("units=", "output_dim=")),
        (lambda: L.Conv2D(4, (3, 3), nb_row=3, nb_col=3), ("kernel_size=", "nb_row=, nb_col=")),
        (lambda: L.Conv2D(4, 3, padding="same", border_mode="same"), ("padding=", "border_mode=")),
        (lambda: L.MaxPooling2D(data_format="channels_last", dim_ordering="tf"), ("data_format=",)),
        (lambda: keras.optimizers.SGD(learning_rate=0.1, lr=0.2), ("learning_rate=", "lr=")),
        (lambda: keras.activations.relu(np.ones(2), 0.1, alpha=0.2), ("negative_slope=", "alpha=")),
    ],
)
def test_old_and_new_name_together_is_an_error_naming_both(build, names):
    with pytest.raises(TypeError, match="got both") as error:
        build()
    assert all(name in str(error.value) for name in names), str(error.value)


def test_none_for_an_old_name_means_not_given():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = L.Dense(3, W_regularizer=None, bias=None)  # as old configs wrote unset arguments
    assert not _legacy(caught) and layer.use_bias and layer.kernel_regularizer is None


def test_a_value_with_no_modern_meaning_is_refused_with_the_owner_named():
    with pytest.raises(ValueError, match=r"^MaxPooling2D: dim_ordering must be 'tf'"):
        L.MaxPooling2D(dim_ordering="nhwc")
    with pytest.raises(ValueError, match=r"^SGD: `decay` must be a float >= 0"):
        keras.optimizers.SGD(decay=-1.0)


# --- what the learner reads ----------------------------------------------------------------
@pytest.mark.parametrize(
    "target, first",
    [
        (L.Dense.__init__, ["self", "units", "activation", "use_bias"]),
        (L.Conv2D.__init__, ["self", "filters", "kernel_size", "strides", "padding"]),
        (L.BatchNormalization.__init__, ["self", "axis", "momentum", "epsilon"]),
        (keras.optimizers.SGD.__init__, ["self", "learning_rate", "momentum", "nesterov"]),
        (keras.activations.relu, ["x", "negative_slope", "max_value", "threshold"]),
    ],
)
def test_the_signature_stays_keras_3s(target, first):
    names = list(inspect.signature(target).parameters)
    assert names[: len(first)] == first
    assert not {"output_dim", "nb_filter", "border_mode", "lr", "decay", "alpha"} & set(names)
    assert target.__name__ == target.__wrapped__.__name__  # functools.wraps: name and doc kept
    assert target.__doc__ == target.__wrapped__.__doc__


@pytest.mark.parametrize(
    "build",
    [
        lambda: L.Dense(3, use_bias=False, kernel_regularizer="l2"),
        lambda: L.Conv1D(2, 3, padding="causal"),
        lambda: L.Conv2D(2, 3, strides=2, data_format="channels_first"),
        lambda: L.Conv2DTranspose(2, 3, strides=2, output_padding=1),
        lambda: L.BatchNormalization(momentum=0.9),
        lambda: L.MaxPooling1D(3, strides=1),
        lambda: L.GlobalAveragePooling2D(keepdims=True),
        lambda: L.UpSampling2D((2, 3)),
        lambda: L.LeakyReLU(0.2),
        lambda: L.InputLayer(shape=(4,)),
        lambda: keras.optimizers.SGD(0.1, momentum=0.9),
        lambda: keras.optimizers.Adam(0.1),
        lambda: keras.regularizers.L2(0.1),
        lambda: keras.constraints.MaxNorm(3),
    ],
)
def test_a_config_round_trip_does_not_warn(build):
    original = build()
    with warnings.catch_warnings():
        warnings.simplefilter("error", KerasLegacyWarning)
        clone = type(original).from_config(original.get_config())
    assert clone.get_config() == original.get_config()


def test_a_learners_own_class_or_function_can_take_a_table():
    @accepts_renamed({"nb_units": "units", "flat": Change(None, message="{owner}: flat is gone")})
    class Block(L.Dense):
        pass

    @accepts_renamed({("w", "h"): Change("size", convert=lambda w, h: (w, h))})
    def area(size):
        return size[0] * size[1]

    with pytest.warns(KerasLegacyWarning, match="Block\\(nb_units=...\\).*Block\\(units=...\\)"):
        assert Block(nb_units=2).units == 2
    with pytest.warns(KerasLegacyWarning, match="Block: flat is gone"):
        Block(2, flat=True)
    with pytest.warns(KerasLegacyWarning, match=r"area\(w=..., h=...\).*area\(size=...\)"):
        assert area(w=2, h=3) == 6


# --- CHANGES stays the one table of old spellings -------------------------------------------
def test_every_old_name_in_a_table_has_its_row_in_changes():
    spellings = " ".join(row[0] for row in CHANGES)
    missing = {
        f"{owner}({name}=)"
        for owner, table in TABLES.items()
        if owner not in ("Block", "area")  # the learner's own, from the test above
        for names in table
        for name in names
        if not re.search(rf"\b{re.escape(name)}\b", spellings)
    }
    assert not missing, f"old names with no row in legacy.CHANGES: {sorted(missing)}"
