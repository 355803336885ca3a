"""`teachkeras.datasets`: data to learn with, as `keras.datasets` serves it.

Downloaded once into `~/.keras/datasets/` (or `$KERAS_HOME/datasets/`), the same
files as Keras and the same return values:

    mnist, fashion_mnist, cifar10, boston_housing, imdb, reuters

Needing no network at all (what the notebooks use):

    digits   the 8×8 handwritten digits (1,797 images), shipped in the package
    iris     Fisher's 150 iris flowers, shipped in the package
    toy      xor, circles, moons, spirals, noisy_sine, reviews (text): drawn on the spot, seeded

Every loader returns `(x_train, y_train), (x_test, y_test)`:

    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
"""

from . import (
    boston_housing,
    cifar10,
    digits,
    fashion_mnist,
    imdb,
    iris,
    mnist,
    reuters,
    toy,
)
from ._download import DamagedFileError, DownloadError, get_file

__all__ = [
    "DamagedFileError",
    "DownloadError",
    "boston_housing",
    "cifar10",
    "digits",
    "fashion_mnist",
    "get_file",
    "imdb",
    "iris",
    "mnist",
    "reuters",
    "toy",
]
