"""`SpatialDropout1D/2D/3D`: drop whole feature maps (channels), not single values.

Neighbouring pixels (or time steps) of one feature map are strongly correlated, so
dropping single values barely regularizes a convolution: the neighbours carry the
same information. These layers drop a channel everywhere at once: the keep/drop mask
has shape (batch, 1, ..., 1, channels) and is broadcast over the spatial axes
(Tompson et al., 2015). The op is `Dropout`'s, with that `noise_shape`.
"""

from __future__ import annotations

from ...backend.config import standardize_data_format
from ...backend.nn_ops import dropout
from ...legacy.renames import DIM_ORDERING, accepts_renamed
from ..input_spec import InputSpec
from .dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout whose mask has one value per (sample, channel); subclasses say where the
    channel axis is, through `noise_shape_for`."""

    dimensions: int

    def __init__(self, rate: float, seed=None, name=None, dtype=None, **kwargs) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=self.dimensions + 2)

    def noise_shape_for(self, shape) -> tuple:
        """(batch, 1, ..., 1, channels), or (batch, channels, 1, ..., 1) channels_first."""
        ones = (1,) * self.dimensions
        if getattr(self, "data_format", "channels_last") == "channels_first":
            return (shape[0], shape[1], *ones)
        return (shape[0], *ones, shape[-1])

    def call(self, inputs, training=None):
        if training and self.rate > 0:
            noise_shape = self.noise_shape_for(inputs.shape)  # one keep/drop per channel
            return dropout(inputs, self.rate, noise_shape=noise_shape, seed=self._generator)
        return inputs

    def get_config(self) -> dict:
        # Keras 3's keys, and no others: its SpatialDropout takes no `trainable` or `noise_shape`
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


@accepts_renamed({"p": "rate"})  # Keras 1: SpatialDropout1D(p=0.2)
class SpatialDropout1D(BaseSpatialDropout):
    """Drop whole features of a sequence: (batch, steps, features), mask (batch, 1, features).

    Keras 2 suggested it after an `Embedding` in place of Keras 1's `Embedding(dropout=)`.

    Args:
        rate: fraction of the features to drop, in [0, 1).
        seed: makes the sequence of masks repeatable.
    """

    dimensions = 1

    def __init__(self, rate: float, seed=None, name=None, dtype=None, **kwargs) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)


@accepts_renamed({"p": "rate", "dim_ordering": DIM_ORDERING})  # Keras 1 spellings
class SpatialDropout2D(BaseSpatialDropout):
    """Drop whole channels of an image: mask (batch, 1, 1, channels) (channels_last).

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).
        seed: makes the sequence of masks repeatable.
    """

    dimensions = 2

    def __init__(
        self, rate: float, data_format=None, seed=None, name=None, dtype=None, **kwargs
    ) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = standardize_data_format(data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


@accepts_renamed({"p": "rate", "dim_ordering": DIM_ORDERING})  # Keras 1 spellings
class SpatialDropout3D(BaseSpatialDropout):
    """Drop whole channels of a volume: mask (batch, 1, 1, 1, channels) (channels_last).

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: 'channels_last' or 'channels_first' (default: `keras.config.image_data_format()`).
        seed: makes the sequence of masks repeatable.
    """

    dimensions = 3

    def __init__(
        self, rate: float, data_format=None, seed=None, name=None, dtype=None, **kwargs
    ) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = standardize_data_format(data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
