"""`save_model` and `load_model`: one door to the file formats, chosen by the file.

    model.save("model.keras")        Keras 3's zip (recommended)       keras_zip.py
    model.save("model.h5")           Keras 2's HDF5, still read by 3   legacy_h5.py
    model.save_weights("w.weights.h5")   weights only, Keras 3 layout  weights_h5.py
    model.save_weights("w.h5")           weights only, Keras 2 layout  legacy_h5.py

Saving picks the format from the extension. Loading looks at the first bytes
instead (a zip starts with `PK`, an HDF5 file with `\\x89HDF`), so a file with a
misleading name still loads, and a file that is neither gets a clear error.
"""

from __future__ import annotations

import os
import zipfile

import h5py

from .. import legacy
from . import keras_zip, legacy_h5, weights_h5
from .errors import ModelFileError, check_exists, reading

_H5_SUFFIXES = (".h5", ".hdf5")


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True, **kwargs):
    """Save the whole model: architecture, weights and compile state (optimizer included).

    Args:
        filepath: ends in `.keras` (Keras 3's zip) or `.h5`/`.hdf5` (HDF5, Keras 2's layout).
        overwrite: if False and the file exists, raise instead of replacing it.
        include_optimizer: for `.h5`, also store the compile arguments and optimizer state.

    Example:
        >>> model.save("model.keras")
        >>> same = keras.models.load_model("model.keras")
    """
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {sorted(kwargs)}")
    path = os.fspath(filepath)
    if save_format is not None:
        _check_save_format(save_format, path)
    _check_overwrite(path, overwrite)
    if path.endswith(".keras"):
        keras_zip.save_model(model, path)
    elif path.endswith(_H5_SUFFIXES):
        legacy_h5.save_model(model, path, include_optimizer=include_optimizer)
    else:
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension "
            "for the native Keras format (recommended) or a `.h5` extension. "
            f"Received: filepath={path}."
        )


def _check_overwrite(path: str, overwrite: bool) -> None:
    """With `overwrite=False`, an existing file is an error rather than replaced."""
    if not overwrite and os.path.exists(path):
        raise FileExistsError(
            f"{path!r} already exists and overwrite=False. Pass overwrite=True to replace it."
        )


def _check_save_format(save_format: str, path: str) -> None:
    if save_format in ("h5", "keras") and path.endswith((".keras", *_H5_SUFFIXES)):
        legacy.warn_once(
            "save_format",
            "save(save_format=...) is a Keras 2 argument: the format now follows the file "
            "extension ('.keras' or '.h5'). Remove save_format.",
        )
        return
    raise ValueError(
        f"save_format={save_format!r} is not supported (Keras 3 removed it; TensorFlow's "
        "SavedModel 'tf' format does not exist here). Save to a path ending in '.keras' or '.h5'."
    )


def load_model(
    filepath,
    custom_objects=None,
    compile: bool = True,  # noqa: A002 (Keras's name for it)
    safe_mode: bool = True,
):
    """Load a model saved with `model.save` here or in Keras 3 (or Keras 2's `.h5`).

    Args:
        custom_objects: `{'MyLayer': MyLayer}` for your own classes (or register them
            with `@keras.saving.register_keras_serializable()`).
        compile: if True, compile the model as it was saved (optimizer state included).
        safe_mode: if True, refuse files holding Python code (a `Lambda(lambda ...)` layer).

    Raises:
        ModelFileError: the file is missing, empty, truncated, corrupted, or not a model.
    """
    path = os.fspath(filepath)
    check_exists(path)
    kind = _sniff(path)
    if kind == "zip":
        return keras_zip.load_model(path, custom_objects, compile, safe_mode)
    if kind == "hdf5":
        return legacy_h5.load_model(path, custom_objects, compile, safe_mode)
    raise ModelFileError(
        path,
        "it is neither a .keras zip archive nor an HDF5 file (or its beginning is damaged).",
        "Keras 3 reads '.keras' and '.h5' files; TensorFlow SavedModel folders are not supported.",
    )


def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Save only the weights: Keras 3's layout for `.weights.h5`, Keras 2's for other `.h5`."""
    path = os.fspath(filepath)
    _check_overwrite(path, overwrite)
    if path.endswith(".weights.h5"):
        weights_h5.save_weights(model, path)
    elif path.endswith(_H5_SUFFIXES):
        legacy_h5.save_weights(model, path)
    else:
        raise ValueError(
            "The filename must end in `.weights.h5` (Keras 3) or `.h5` (Keras 2's layout). "
            f"Received: filepath={path}"
        )


def load_weights(model, filepath, by_name: bool = False, skip_mismatch: bool = False) -> None:
    """Load weights saved by `save_weights` or `save` (here, in Keras 3, or Keras 2's `.h5`).

    Args:
        by_name: (Keras 2 `.h5` layout only) match layers by name; layers whose name is
            not in the file keep their weights.
        skip_mismatch: skip, with a warning, layers whose weight count or shapes differ.
    """
    path = os.fspath(filepath)
    check_exists(path)
    kind = _sniff(path)
    if kind == "zip":
        if by_name:
            raise ValueError("`by_name` only supports loading legacy '.h5' or '.hdf5' files.")
        keras_zip.load_weights(model, path, skip_mismatch)
        return
    if kind != "hdf5":
        raise ModelFileError(path, "it is not an HDF5 file (or its beginning is damaged).")
    with reading(path), h5py.File(path, "r") as f:
        legacy_layout = legacy_h5.is_legacy_layout(f)
        keras3_layout = weights_h5.is_keras3_layout(f)
    if legacy_layout:
        legacy_h5.load_weights(model, path, by_name=by_name, skip_mismatch=skip_mismatch)
    elif keras3_layout:
        if by_name:
            raise ValueError(
                "`by_name` only supports loading legacy '.h5' or '.hdf5' files; "
                f"{path!r} is in Keras 3's layout, which matches layers by position."
            )
        weights_h5.load_weights(model, path, skip_mismatch=skip_mismatch)
    else:
        raise ModelFileError(path, "it is an HDF5 file, but it holds no Keras weights.")


def _sniff(path: str) -> str:
    """'zip', 'hdf5' or 'unknown', from the file's content rather than its name."""
    with reading(path):
        with open(path, "rb") as f:
            head = f.read(8)
        # the signature first: a truncated zip has lost its end record, but not its start
        if head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
            return "zip"
        if head == b"\x89HDF\r\n\x1a\n" or h5py.is_hdf5(path):
            return "hdf5"
    return "unknown"
