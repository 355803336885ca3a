"""`Normalization`: shift and scale each feature to mean 0 and variance 1.

    norm = Normalization()          # one mean and variance per feature (axis=-1)
    norm.adapt(x_train)             # learn them from the data
    norm(x)                         # (x - mean) / sqrt(variance)

The statistics are weights (not trained): `mean`, `variance` and `count`, saved with the model,
in Keras 3's order and names.
"""

from __future__ import annotations

import warnings

import numpy as np

from ... import ops
from ...backend import config
from ...legacy import user_stacklevel
from ..layer import Layer
from .adapt_data import batches, is_one_batch


class Normalization(Layer):
    """y = (x − mean) / max(√variance, ε) per feature; with `invert=True`, x·max(√variance, ε) + mean.

    `axis` names the axes that keep their own statistics (default −1: one mean per
    feature, the last axis); the others are averaged over. `axis=None` gives one mean and
    variance for everything. `adapt(data)` computes them over the whole data, or batch by
    batch for a dataset, merging each batch's mean and variance into the running ones:

        n ← n + b,  w = b / n
        mean' = (1 − w)·mean + w·mean_b
        var'  = (1 − w)·(var + (mean − mean')²) + w·(var_b + (mean_b − mean')²)

    (the population variance, dividing by n, as NumPy's `var` and Keras 3).

    Args:
        axis: int, tuple of ints, or None (default −1).
        mean, variance: the statistics, if known (then no `adapt` and no weights).
        invert: undo the normalization instead (y = x·σ + mean), e.g. for predictions.

    Example:
        >>> norm = Normalization()
        >>> norm.adapt(np.array([[1.0], [2.0], [3.0]]))
        >>> norm(np.array([[1.0], [3.0]]))          # mean 2, variance 2/3
        [[-1.2247], [1.2247]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs) -> None:
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        self.axis = tuple(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self.mean = self.variance = None  # broadcastable statistics, once known
        self._adapted = False
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                    f"{np.shape(variance)}"
                )
            if np.ndim(mean) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                    f"{self.axis}"
                )

    # --- build: which axes keep statistics ------------------------------------------------
    def build(self, input_shape) -> None:
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization layer {self.name!r}: all `axis` values must be in the range "
                f"[-ndim, ndim). Received inputs with ndim={ndim} (shape {tuple(input_shape)}), "
                f"while axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. Received "
                    f"axis={self.axis}, inputs.shape={tuple(input_shape)}, with unknown axis "
                    f"at index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        self._stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        self._built_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._stats_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._stats_shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(
                name="count", shape=(), dtype="int32", initializer="zeros", trainable=False
            )
            self.finalize_state()
        else:
            self.mean = self._broadcast(self.input_mean, ndim)
            self.variance = self._broadcast(self.input_variance, ndim)

    def _broadcast(self, value, ndim: int) -> np.ndarray:
        """A given mean or variance, its axes laid on the kept axes (from the last)."""
        value = np.asarray(value, dtype=self.dtype)
        shape = [1] * ndim
        for i in range(1, value.ndim + 1):
            shape[self._keep_axis[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(shape), self._broadcast_shape)

    # --- adapt: learn the statistics --------------------------------------------------------
    def adapt(self, data, steps=None) -> None:
        """Compute the mean and variance of `data` (an array, or a dataset / iterable of
        batches; a batch `(x, y)` counts as its x) along the axes that are averaged over."""
        if isinstance(data, list) and data and np.isscalar(data[0]):
            data = np.asarray(data)  # a list of numbers: one batch (Keras wants an array)
        if is_one_batch(data):
            array = np.asarray(ops.convert_to_numpy(data))
            self._build_for(array.shape)
            total_mean = np.mean(array, axis=self._reduce_axis)
            total_var = np.var(array, axis=self._reduce_axis)
        else:
            total_mean = total_var = None
            total_count = 0
            for batch in batches(data, steps):
                batch = batch.astype(self.dtype)
                self._build_for(batch.shape)
                if total_mean is None:
                    total_mean = np.zeros(self._stats_shape, self.dtype)
                    total_var = np.zeros(self._stats_shape, self.dtype)
                batch_mean = np.mean(batch, axis=self._reduce_axis)
                batch_var = np.var(batch, axis=self._reduce_axis)
                batch_count = int(np.prod([batch.shape[d] for d in self._reduce_axis]))
                total_count += batch_count
                w = batch_count / total_count  # the new batch's share of everything seen
                new_mean = total_mean * (1.0 - w) + batch_mean * w
                total_var = (total_var + (total_mean - new_mean) ** 2) * (1.0 - w) + (
                    batch_var + (batch_mean - new_mean) ** 2
                ) * w
                total_mean = new_mean
            if total_mean is None:
                raise ValueError(
                    f"Normalization layer {self.name!r}: adapt() received no batches. Pass "
                    "the training data, e.g. layer.adapt(x_train)."
                )
        self.adapt_mean.assign(np.asarray(total_mean, self.dtype))
        self.adapt_variance.assign(np.asarray(total_var, self.dtype))
        self.finalize_state()
        self._adapted = True

    def _build_for(self, shape) -> None:
        """Build for data of `shape`, or check that it fits the statistics already built."""
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization layer {self.name!r} was given `mean` and `variance`: there is "
                "nothing to adapt. Leave them out to learn them with adapt()."
            )
        if not self.built:
            self._maybe_build(tuple(shape))
            return
        built = self._built_input_shape
        if len(shape) != len(built) or any(shape[d] != built[d] for d in self._keep_axis):
            raise ValueError(
                f"Normalization layer {self.name!r} was built for inputs of shape {built} "
                f"(keeping axes {self._keep_axis}), but adapt() received data of shape "
                f"{tuple(shape)}. Give adapt() data shaped like the model's inputs."
            )

    def finalize_state(self) -> None:
        """The weights, reshaped to broadcast against the inputs."""
        if self.input_mean is not None or not hasattr(self, "adapt_mean"):
            return
        self.mean = self.adapt_mean.numpy().reshape(self._broadcast_shape)
        self.variance = self.adapt_variance.numpy().reshape(self._broadcast_shape)

    # --- call ---------------------------------------------------------------------------------
    def call(self, inputs):
        if self.mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        self._warn_if_not_adapted()
        self._check_fits(inputs.shape)
        inputs = ops.cast(inputs, self.dtype)
        mean, variance = self.mean.astype(self.dtype), self.variance.astype(self.dtype)
        std = ops.maximum(ops.sqrt(variance), config.epsilon())  # σ, kept away from 0
        if self.invert:
            return ops.add(mean, ops.multiply(inputs, std))
        return ops.divide(ops.subtract(inputs, mean), std)

    def _check_fits(self, shape) -> None:
        try:
            np.broadcast_shapes(tuple(shape), self.mean.shape)
        except ValueError:
            raise ValueError(
                f"Normalization layer {self.name!r} has statistics of shape "
                f"{self.mean.shape} (for inputs like {self._built_input_shape}), which do not "
                f"fit inputs of shape {tuple(shape)}. Adapt it on data shaped like these "
                "inputs, or check which axis holds the features (axis=-1 by default)."
            ) from None

    def _warn_if_not_adapted(self) -> None:
        if self._adapted or self.input_mean is not None or self._non_trainable_variables == []:
            return
        if np.any(self.adapt_mean.numpy() != 0) or np.any(self.adapt_variance.numpy() != 1):
            self._adapted = True  # statistics loaded or set by hand
            return
        self._adapted = True  # warn once
        warnings.warn(
            f"Normalization layer {self.name!r} has not been adapted: its mean is 0 and its "
            "variance 1, so it passes the inputs through unchanged. Call "
            f"{self.name}.adapt(x_train) before training, or pass mean= and variance=.",
            stacklevel=user_stacklevel(),
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def load_own_variables(self, store) -> None:
        for i, variable in enumerate(self._non_trainable_variables):
            variable.assign(np.asarray(store[str(i)]))
        self.finalize_state()
        self._adapted = True

    def set_weights(self, weights) -> None:
        super().set_weights(weights)
        self.finalize_state()
        self._adapted = True

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }
