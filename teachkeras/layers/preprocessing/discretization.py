"""`Discretization`: numbers -> the index of the bin they fall in.

    Discretization(bin_boundaries=[0.0, 1.0, 2.0])(np.array([[-1.5, 1.0, 3.4, 0.5]]))
    -> [[0, 2, 3, 1]]          bin i holds boundaries[i-1] <= x < boundaries[i]

`adapt(data)` with `num_bins` finds boundaries that put about the same number of values
in each bin (quantiles), with Keras 3's approximate algorithm: each batch is summarised by
about 1/epsilon of its sorted values, each standing for as many values as it skipped;
summaries are merged and compressed back to 1/epsilon points, and the boundaries are the
summary's num_bins-quantiles, by linear interpolation of the running weights.
"""

from __future__ import annotations

import numpy as np

from ...backend import config
from ...backend.tensor import Tensor, as_array
from .adapt_data import batches
from .category_encoding import encode_categories, encoded_shape
from .data_layer import RawValuesLayer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(RawValuesLayer):
    """Bucket numbers by boundaries: bin i holds boundaries[i−1] ≤ x < boundaries[i], so
    n boundaries make n + 1 bins (from −∞ and to +∞).

    Args:
        bin_boundaries: the sorted boundaries, or None to learn them with `adapt`.
        num_bins: how many bins `adapt` should make (instead of `bin_boundaries`).
        epsilon: the summary's resolution for `adapt` (default 0.01: about 100 points).
        output_mode: "int" (default; int32 bin indices), "one_hot", "multi_hot", "count".
        sparse: TensorFlow-only in Keras 3; refused.
        dtype: of the encoded outputs (the inputs are read as floats).

    Example:
        >>> layer = Discretization(num_bins=4, epsilon=0.01)
        >>> layer.adapt(np.arange(100.0))
        >>> np.round(layer.bin_boundaries, 3)    # Keras 3's approximate quartiles
        array([24., 49., 74.])
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
    ) -> None:
        if sparse:
            raise ValueError(
                "`sparse=True` needs TensorFlow's sparse tensors; teachkeras's outputs are dense."
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"The `output_mode` argument value of the Discretization layer should be one of "
                f"{OUTPUT_MODES}. Received: {output_mode}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self._config_dtype = dtype or config.floatx()  # Keras's: the inputs are floats
        output_dtype = "int32" if output_mode == "int" else self._config_dtype
        super().__init__(name=name, dtype=output_dtype)
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.reset_state()
        self.built = True

    # --- adapt ------------------------------------------------------------------------------------
    def adapt(self, data, steps=None) -> None:
        """Learn `num_bins − 1` boundaries from `data` (an array, or batches of arrays)."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        for batch in batches(data, steps):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data) -> None:
        values = np.asarray(as_array(data) if isinstance(data, Tensor) else data).astype("float32")
        self.summary = merge_summaries(summarize(values, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is None:
            return
        if self.summary.shape[1] == 0:
            raise ValueError(
                f"Discretization layer {self.name!r}: adapt() received no values. Pass the "
                "training data, e.g. layer.adapt(x_train)."
            )
        self.bin_boundaries = bin_boundaries_of(self.summary, self.num_bins).tolist()

    def reset_state(self) -> None:
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")  # (values, weights)

    # --- call -------------------------------------------------------------------------------------
    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time "
                "or call `adapt(dataset)` before you can start using the `Discretization` layer."
            )
        values = np.asarray(as_array(inputs)).astype(config.floatx())
        indices = np.digitize(values, np.asarray(self.bin_boundaries, values.dtype))  # bin of each
        depth = len(self.bin_boundaries) + 1
        who = f"Discretization layer {self.name!r}"
        return encode_categories(
            indices.astype(np.int32), self.output_mode, depth, self.dtype, who=who
        )

    def compute_output_shape(self, input_shape):
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(input_shape, self.output_mode, depth)

    def load_own_variables(self, store) -> None:
        if len(store) == 1:  # a summary saved by Keras
            self.summary = np.asarray(store["0"])

    def get_config(self) -> dict:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self._config_dtype,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:  # adapted, then saved
            config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


# --- Keras 3's approximate quantiles --------------------------------------------------------------
def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Every `step`-th sorted value (step = n·epsilon, at least 1), each weighing `step`:
    a (2, ~1/epsilon) array of (values, weights)."""
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)  # values per kept point
    kept = values[int(step - 1) :: int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def merge_summaries(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)  # by value
    return compress_summary(merged, epsilon)


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Back to about 1/epsilon points: the values at the cumulative-weight fractions
    epsilon, 2·epsilon, …, 1 (linear interpolation), each weighing what lies before it."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    at = cumulative / cumulative[-1]
    values = np.interp(fractions, at, summary[0])
    cumulative = np.interp(fractions, at, cumulative)
    weights = cumulative - np.concatenate((np.array([0]), cumulative[:-1]))
    return np.stack((values, weights)).astype("float32")


def bin_boundaries_of(summary: np.ndarray, num_bins: int) -> np.ndarray:
    """The num_bins-quantiles of the summary, the last (the maximum) left out."""
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]
