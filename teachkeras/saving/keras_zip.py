"""Keras 3's own format: the `.keras` file, a zip archive of three members.

    metadata.json      {"keras_version": "3.15.1", "date_saved": "2025-01-31@12:00:00"}
    config.json        the model config (`model.to_json()`), with build and compile configs
    model.weights.h5   the weights and optimizer state in Keras 3's layout (`weights_h5.py`)
    assets/<path>/...  files a layer writes with `save_assets(folder)` (TextVectorization's
                       vocabulary.txt), read back with `load_assets(folder)`

Members are stored uncompressed, as Keras writes them. Loading builds the model from
`config.json`, compiles it from its `compile_config`, then reads the weights: if any
step fails, a `ModelFileError` says which, and no model is returned.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import zipfile
from typing import NoReturn

import h5py

from .atomic import atomic_write
from .errors import ModelFileError, check_exists, reading
from .json_yaml import json_default, model_from_config, serialize_model
from .legacy_h5 import KERAS_VERSION
from .weights_h5 import (
    _require_built,
    is_keras3_layout,
    read_model_state,
    state_tree,
    write_model_state,
)

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"

# A member that inflates to far more bytes than the archive holds is a "zip bomb" (or
# corruption): refused, by its header before reading and by the bytes while reading.
_MAX_EXPANSION = 100
_BOMB_FLOOR_BYTES = 1 << 28  # 256 MiB: below this, any member is allowed
_CHUNK_BYTES = 1 << 20  # the most one read may inflate, whatever the header says
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # Keras writes the first; zip tools the 2nd


def save_model(model, filepath) -> None:
    """Write `model` as a `.keras` zip, atomically."""
    _require_built(model, "save")
    config_json = json.dumps(serialize_model(model), default=json_default)
    metadata_json = json.dumps(
        {
            "keras_version": KERAS_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        }
    )
    weights = io.BytesIO()
    with h5py.File(weights, "w") as h5file:
        write_model_state(model, h5file)
    with atomic_write(filepath) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(METADATA, metadata_json)
        archive.writestr(CONFIG, config_json)
        archive.writestr(WEIGHTS, weights.getvalue())
        _write_assets(model, archive)


def load_model(filepath, custom_objects, compile, safe_mode):  # noqa: A002 (Keras's name)
    """A model (compiled, with its optimizer state) from a `.keras` file.

    Called by `saving_api.load_model`, which documents the arguments and holds their defaults.
    """
    check_exists(filepath)
    with reading(filepath), zipfile.ZipFile(filepath, "r") as archive:
        names = archive.namelist()
        if CONFIG not in names:
            raise ModelFileError(
                filepath,
                f"the archive has no {CONFIG}, so it is not a Keras model file "
                f"(it holds: {', '.join(names[:5]) or 'nothing'}).",
            )
        config = json.loads(_read_member(archive, CONFIG).getvalue().decode("utf8"))
        model = model_from_config(config, custom_objects, compile, safe_mode, source=filepath)
        if WEIGHTS not in names:
            raise ModelFileError(
                filepath,
                f"the archive has no {WEIGHTS}"
                + (
                    " (it has Keras's .npz weights, which teachkeras does not read)."
                    if any(n.endswith(".npz") for n in names)
                    else "."
                ),
            )
        with h5py.File(_read_member(archive, WEIGHTS), "r") as h5file:
            read_model_state(model, h5file, filepath, load_optimizer=compile)
        _read_assets(model, archive)
    return model


def _write_assets(model, archive: zipfile.ZipFile) -> None:
    """Each layer with `save_assets` writes its files in a folder, stored as `assets/<path>/`."""
    for path, obj in state_tree(model):
        if hasattr(obj, "save_assets"):
            with tempfile.TemporaryDirectory() as folder:
                obj.save_assets(folder)
                for name in sorted(os.listdir(folder)):
                    with open(os.path.join(folder, name), "rb") as f:
                        archive.writestr(f"assets/{path}/{name}", f.read())


def _read_assets(model, archive: zipfile.ZipFile) -> None:
    """Give each layer with `load_assets` a folder holding its `assets/<path>/` files (by
    their plain names only: nothing is written outside the temporary folder)."""
    names = archive.namelist()
    for path, obj in state_tree(model):
        prefix = f"assets/{path}/"
        members = [n for n in names if n.startswith(prefix) and "/" not in n[len(prefix) :]]
        if not members or not hasattr(obj, "load_assets"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            for member in members:
                name = os.path.basename(member)
                if name in ("", ".", ".."):
                    continue
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(_read_member(archive, member).getvalue())
            obj.load_assets(folder)


def load_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Only the weights (and optimizer state) of a `.keras` file, into an existing model."""
    _require_built(model, "load weights")
    check_exists(filepath)
    with reading(filepath), zipfile.ZipFile(filepath, "r") as archive:
        if WEIGHTS not in archive.namelist():
            raise ModelFileError(filepath, f"the archive has no {WEIGHTS}.")
        with h5py.File(_read_member(archive, WEIGHTS), "r") as h5file:
            if not is_keras3_layout(h5file):
                raise ModelFileError(filepath, f"its {WEIGHTS} holds no Keras 3 weights.")
            read_model_state(model, h5file, filepath, skip_mismatch)


def _read_member(archive: zipfile.ZipFile, name: str) -> io.BytesIO:
    """The bytes of one member, read in bounded pieces and refused past the limit.

    A zip's headers are written by whoever made the file, and they can lie: a member
    can claim 100 bytes and inflate to 2 GB. `archive.read(name)` asks zlib for
    everything in one call, so such a file fills the memory before its CRC is even
    checked. Here every read inflates at most `_CHUNK_BYTES`, and counting stops the
    read as soon as the member passes its limit, whatever its header claims.
    """
    info = archive.getinfo(name)
    if info.compress_type not in _METHODS:
        raise ModelFileError(
            archive.filename,
            f"its member {name} is compressed with method {info.compress_type} (bzip2 is 12, "
            "LZMA 14), which Keras never writes and whose output cannot be bounded while "
            "reading: refused.",
            "Save the model again with model.save(...).",
        )
    limit = _inflation_limit(info, os.path.getsize(archive.filename))
    if info.file_size > limit:
        _refuse_bomb(archive, name, f"claims {info.file_size} bytes from {info.compress_size}")
    data, count = io.BytesIO(), 0
    with archive.open(info) as member:  # checks the CRC at the end: a flipped bit is caught
        while piece := member.read(_CHUNK_BYTES):
            # zipfile also stops at the size the header claims (checked above); counting
            # here keeps the limit ours, whatever zipfile does with a lying header
            count += len(piece)
            if count > limit:
                _refuse_bomb(archive, name, f"inflates past {limit} bytes")
            data.write(piece)
    data.seek(0)
    return data


def _inflation_limit(info: zipfile.ZipInfo, archive_bytes: int) -> int:
    """The most bytes a member may inflate to: 100 times what it really occupies, or 256 MiB.

    The compressed size comes from the header too, so it is capped by the archive's real
    size on disk, which no header can change.
    """
    stored = min(info.compress_size, archive_bytes)
    return max(_BOMB_FLOOR_BYTES, _MAX_EXPANSION * stored)


def _refuse_bomb(archive: zipfile.ZipFile, name: str, what: str) -> NoReturn:
    raise ModelFileError(
        archive.filename,
        f"its member {name} {what}: refused (a zip bomb, or a corrupted archive).",
        "If you made this file, save the model again with model.save(...).",
    )
