"""Write `preprocessing_goldens.json` and `keras_preprocessing.keras`: what Keras 3 computes for
the layers that need TensorFlow (Hashing, StringLookup, IntegerLookup, TextVectorization,
Discretization.adapt, Normalization.adapt on batches).

Keras 3 runs these layers with TensorFlow's string ops and lookup tables on every backend,
and the parity extra (Keras on PyTorch) has no TensorFlow, so `test_preprocessing_goldens.py`
compares teachkeras with the numbers recorded here. To record them again (a few minutes):

    python -m venv --system-site-packages /tmp/tfenv
    /tmp/tfenv/bin/pip install tensorflow-cpu
    PYTHONPATH=. KERAS_BACKEND=tensorflow /tmp/tfenv/bin/python tests/parity/golden/make_preprocessing_goldens.py

The script also loads a `.keras` file written by teachkeras (from this checkout) into Keras
and records Keras's outputs for it, so the test can check the other direction too.
"""

from __future__ import annotations

import json
import os
import pathlib
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf

HERE = pathlib.Path(__file__).parent

from tests.parity.golden.preprocessing_cases import (  # noqa: E402
    CASES,
    FILE_INPUTS,
    build_file_model,
)


def plain(x):
    """A JSON-able copy: arrays as lists, bytes as text, NumPy scalars as Python ones."""
    if isinstance(x, tf.Tensor | tf.Variable):
        x = x.numpy()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "SO":
            return [plain(v) for v in x.tolist()] if x.ndim else plain(x.item())
        return x.tolist()
    if isinstance(x, bytes):
        return x.decode("utf-8")
    if isinstance(x, list | tuple):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, np.generic):
        return x.item()
    return x


def run_case(case: dict) -> dict:
    layer = getattr(keras.layers, case["layer"])(**case["kwargs"])
    if "adapt" in case:
        data = case["adapt"]
        if case.get("adapt_batches"):
            data = iter([np.asarray(b) for b in data])
        else:
            data = (
                np.asarray(data) if not isinstance(data, list) or case.get("adapt_array") else data
            )
        layer.adapt(data)
    out = {"config": plain({k: v for k, v in layer.get_config().items() if k != "dtype"})}
    if "input" in case:
        out["output"] = plain(layer(np.asarray(case["input"])))
    for attribute in ("get_vocabulary", "vocabulary_size"):
        if hasattr(layer, attribute):
            out[attribute] = plain(getattr(layer, attribute)())
    if getattr(layer, "idf_weights", None) is not None:
        out["idf_weights"] = plain(layer.idf_weights)
    if case["layer"] == "TextVectorization" and layer._lookup_layer.output_mode == "tf_idf":
        out["idf_weights"] = plain(layer._lookup_layer.idf_weights)
    if case["layer"] == "Discretization":
        out["bin_boundaries"] = plain(layer.bin_boundaries)
    if case["layer"] == "Normalization":
        out["weights"] = plain(layer.get_weights())
    return out


def main() -> None:
    goldens = {
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "cases": {name: run_case(case) for name, case in CASES.items()},
    }
    # a .keras file written by Keras, for teachkeras to load
    model = build_file_model(keras)
    model.save(HERE / "keras_preprocessing.keras")
    goldens["keras_file_outputs"] = plain(model(FILE_INPUTS))
    # a .keras file written by teachkeras, loaded by Keras
    import teachkeras

    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "teachkeras.keras"
        build_file_model(teachkeras).save(path)
        loaded = keras.saving.load_model(path)
        goldens["teachkeras_file_in_keras_outputs"] = plain(loaded(FILE_INPUTS))
    (HERE / "preprocessing_goldens.json").write_text(json.dumps(goldens, indent=1) + "\n")


if __name__ == "__main__":
    main()
