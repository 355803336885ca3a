"""Fashion-MNIST: 28×28 grey images of 10 kinds of clothing: `keras.datasets.fashion_mnist`.

A drop-in replacement for MNIST (same shapes), harder to classify. Four gzip files
in the IDX format are downloaded once into `~/.keras/datasets/fashion-mnist/`.

Licence: copyright Zalando SE, MIT licence.
"""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

from ._download import DamagedFileError, get_file

BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
FILE_HASHES = (None, None, None, None)  # Keras checks no hash for these four files

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def _read_idx(path: str, ndim: int) -> np.ndarray:
    """One IDX file: a 4-byte magic (0x0801 labels, 0x0803 images), the sizes, then bytes.

    Layout: [0 0 8 ndim] [n] ([rows] [cols]) then n × rows × cols unsigned bytes,
    sizes as big-endian uint32 (Keras simply skips 8 or 16 header bytes).
    """
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise DamagedFileError(
            f"{path} is not a readable gzip file ({err}). Delete it and download it again."
        ) from err
    header = 4 + 4 * ndim
    if len(raw) < header or raw[:4] != bytes([0, 0, 8, ndim]):
        raise DamagedFileError(
            f"{path} is not an IDX file of {ndim}-D unsigned bytes. Delete it and download it again."
        )
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    data = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if data.size != int(np.prod(shape)):
        raise DamagedFileError(f"{path} is truncated: delete it and download it again.")
    return data.reshape(shape).copy()  # a copy: frombuffer's view would be read-only


def load_data():
    """Loads the Fashion-MNIST dataset.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x uint8 `(60000, 28, 28)` and
        `(10000, 28, 28)`, pixels 0..255; y uint8 labels 0..9 (see `CLASS_NAMES`).
    """
    folder = os.path.join("datasets", "fashion-mnist")
    paths = [
        get_file(name, origin=BASE_URL + name, file_hash=file_hash, cache_subdir=folder)
        for name, file_hash in zip(FILES, FILE_HASHES, strict=True)
    ]
    y_train, x_train = _read_idx(paths[0], 1), _read_idx(paths[1], 3)
    y_test, x_test = _read_idx(paths[2], 1), _read_idx(paths[3], 3)
    return (x_train, y_train), (x_test, y_test)
