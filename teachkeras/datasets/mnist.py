"""MNIST handwritten digits, 28×28 grey images of 0-9: `keras.datasets.mnist`.

60,000 training and 10,000 test images. Downloaded once (`mnist.npz`, 11 MB) into
`~/.keras/datasets/`. Needs no network: `teachkeras.datasets.digits` (8×8 digits,
shipped inside the package).

Licence: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative of
NIST's data, available under CC BY-SA 3.0.
"""

from __future__ import annotations

import numpy as np

from ._download import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"  # sha256


def load_data(path: str = "mnist.npz"):
    """Loads the MNIST dataset.

    Args:
        path: file name in the cache (`~/.keras/datasets/`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`:
        x_train uint8 `(60000, 28, 28)`, pixels 0..255; y_train uint8 `(60000,)`, 0..9;
        x_test uint8 `(10000, 28, 28)`; y_test uint8 `(10000,)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
        >>> x_train = x_train.reshape(-1, 784).astype("float32") / 255  # doctest: +SKIP
    """
    path = get_file(path, origin=ORIGIN_FOLDER + "mnist.npz", file_hash=FILE_HASH)
    with np.load(path, allow_pickle=False) as f:  # plain numbers: no pickle needed
        x_train, y_train = f["x_train"], f["y_train"]
        x_test, y_test = f["x_test"], f["y_test"]
    return (x_train, y_train), (x_test, y_test)
