"""CIFAR-10: 32×32 colour photos of 10 kinds of object: `keras.datasets.cifar10`.

50,000 training and 10,000 test images. The 163 MB archive is downloaded once to
`~/.keras/datasets/cifar-10-batches-py-target_archive` and unpacked into the folder
`~/.keras/datasets/cifar-10-batches-py-target/` (Keras 3's names). Its six
`*_batch*` files are Python 2 pickles of `{b"data": uint8 (10000, 3072), b"labels":
[...]}`; they are read as data only, never run (see `_safe_pickle`).

Note (as in Keras): a small share of CIFAR-10's labels are known to be wrong.
"""

from __future__ import annotations

import os

import numpy as np

from ..backend.config import image_data_format
from ._download import DamagedFileError, get_file
from ._safe_pickle import load_pickled_data

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"  # sha256
DIRNAME = "cifar-10-batches-py-target"

CLASS_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, list]:
    """One CIFAR batch file -> `(data uint8 (n, 3, 32, 32), labels list)`.

    Each row of `data` is 3072 bytes: 1024 red, then 1024 green, then 1024 blue
    values, each a 32×32 image row by row; hence the reshape to (n, 3, 32, 32).
    """
    if not os.path.exists(fpath):
        raise DamagedFileError(
            f"{fpath} is missing: the unpacked CIFAR folder is incomplete. Delete the folder "
            f"{os.path.dirname(os.path.dirname(fpath))} and run again."
        )
    with open(fpath, "rb") as f:
        batch = load_pickled_data(f, fpath)
    if not isinstance(batch, dict):
        raise DamagedFileError(f"{fpath} does not hold a CIFAR batch (a dict).")
    batch = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in batch.items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def load_data():
    """Loads the CIFAR-10 dataset.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x uint8 `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` with `image_data_format() == "channels_last"` (else
        `(n, 3, 32, 32)`), pixels 0..255; y uint8 `(n, 1)` labels 0..9 (a column, as in
        Keras: flatten with `y.ravel()` where a 1-D vector is wanted).
    """
    path = get_file(DIRNAME, origin=ORIGIN, extract=True, file_hash=FILE_HASH)
    path = os.path.join(path, "cifar-10-batches-py")  # the archive's inner folder

    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([data for data, _ in parts]).astype(np.uint8)
    y_train = np.concatenate([np.asarray(labels) for _, labels in parts]).astype(np.uint8)
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    x_test = x_test.astype(np.uint8)
    y_test = np.asarray(y_test).astype(np.uint8)

    y_train = y_train.reshape(len(y_train), 1)
    y_test = y_test.reshape(len(y_test), 1)
    if image_data_format() == "channels_last":  # (n, 3, 32, 32) -> (n, 32, 32, 3)
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
