"""teachkeras against Keras 3's own numbers for the layers Keras runs with TensorFlow.

Hashing, StringLookup, IntegerLookup and TextVectorization use TensorFlow's string ops and
lookup tables in Keras 3 (on every backend), and so do Discretization.adapt and
Normalization.adapt on batches; the parity extra (Keras on PyTorch) has no TensorFlow. The
numbers were recorded from Keras 3.15.1 with TensorFlow 2.21 by
`golden/make_preprocessing_goldens.py` (its docstring says how to record them again), for
the cases of `golden/preprocessing_cases.py`. These tests need neither Keras nor TensorFlow.

Ids, strings, vocabularies and configs must be equal; floats (idf weights, boundaries,
statistics) agree to 1e-6 relative (largest seen: see each assertion's tolerance).
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import teachkeras as tk
from tests.parity.golden.preprocessing_cases import CASES, FILE_INPUTS, build_file_model

GOLDEN = pathlib.Path(__file__).parent / "golden"
RECORDED = json.loads((GOLDEN / "preprocessing_goldens.json").read_text())


def run_case(case: dict):
    layer = getattr(tk.layers, case["layer"])(**case["kwargs"])
    if "adapt" in case:
        data = case["adapt"]
        if case.get("adapt_batches"):
            data = iter([np.asarray(b) for b in data])
        elif case.get("adapt_array"):
            data = np.asarray(data)
        layer.adapt(data)
    return layer


def assert_same(ours, theirs, what: str, rtol: float = 1e-6):
    ours = np.asarray(ours)
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape}, Keras {theirs.shape}"
    if ours.dtype.kind in "f" or theirs.dtype.kind == "f":
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-6, err_msg=what)
    else:
        np.testing.assert_array_equal(ours, theirs, err_msg=what)


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_vocabularies_and_configs_are_keras(name):
    case, recorded = CASES[name], RECORDED["cases"][name]
    layer = run_case(case)
    assert_same(layer(np.asarray(case["input"])).numpy(), recorded["output"], "output")
    if "get_vocabulary" in recorded:
        assert layer.get_vocabulary() == recorded["get_vocabulary"]
        assert layer.vocabulary_size() == recorded["vocabulary_size"]
    if "idf_weights" in recorded:
        assert_same(layer.idf_weights, recorded["idf_weights"], "idf_weights")
    if "bin_boundaries" in recorded:
        assert_same(layer.bin_boundaries, recorded["bin_boundaries"], "bin_boundaries")
    if "weights" in recorded:
        for ours, theirs in zip(layer.get_weights(), recorded["weights"], strict=True):
            assert_same(ours, theirs, "weights", rtol=1e-5)
    config = {k: v for k, v in layer.get_config().items() if k not in ("dtype", "name")}
    theirs = {k: v for k, v in recorded["config"].items() if k != "name"}
    assert set(config) == set(theirs)
    for key, value in theirs.items():
        ours = config[key]
        assert json.loads(json.dumps(ours)) == value, key
    again = type(layer).from_config({**recorded["config"], "name": "again"}).get_config()
    # (TextVectorization writes the vocabulary it has: none yet, before its assets are read)
    skip = {"name", "vocabulary_size"} if case["layer"] == "TextVectorization" else {"name"}
    assert {k: again[k] for k in theirs if k not in skip} == {
        k: config[k] for k in theirs if k not in skip
    }


def _outputs(model):
    return [np.asarray(out) for out in model(FILE_INPUTS)]


def test_a_keras_file_of_adapted_layers_loads_with_the_same_outputs():
    model = tk.saving.load_model(GOLDEN / "keras_preprocessing.keras")
    for i, (ours, theirs) in enumerate(
        zip(_outputs(model), RECORDED["keras_file_outputs"], strict=True)
    ):
        assert_same(ours, theirs, f"output {i}", rtol=1e-5)


def test_keras_read_a_teachkeras_file_and_computed_what_teachkeras_computes():
    model = build_file_model(tk)
    recorded = RECORDED["teachkeras_file_in_keras_outputs"]
    for i, (ours, theirs) in enumerate(zip(_outputs(model), recorded, strict=True)):
        assert_same(ours, theirs, f"output {i}", rtol=1e-5)


def test_teachkeras_writes_the_file_layout_keras_wrote(tmp_path):
    import zipfile

    build_file_model(tk).save(tmp_path / "ours.keras")
    ours = set(zipfile.ZipFile(tmp_path / "ours.keras").namelist())
    theirs = set(zipfile.ZipFile(GOLDEN / "keras_preprocessing.keras").namelist())
    assert {n for n in ours if n.startswith("assets/")} == {
        n for n in theirs if n.startswith("assets/")
    }
