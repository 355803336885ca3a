"""`keras.layers.experimental`: where tf.keras 2.2–2.5 kept its preprocessing layers."""

from . import preprocessing

__all__ = ["preprocessing"]
