"""`timeseries_dataset_from_array`: one long series -> batches of sliding windows.

    data = [0, 1, 2, ..., 99]
    windows of sequence_length=5:   [0 1 2 3 4], [1 2 3 4 5], [2 3 4 5 6], ...

Window `k` starts at position `p_k = k · sequence_stride` (counted from `start_index`)
and takes the steps `p_k, p_k + r, ..., p_k + (sequence_length - 1)·r` (r =
`sampling_rate`); its target is `targets[p_k]`. To predict the value that follows a
window, pass `targets=data[sequence_length:]`.
"""

from __future__ import annotations

import math

import numpy as np

from .dataset_utils import DatasetOps
from .py_dataset import PyDataset


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
    format="tf",  # noqa: A002 (Keras's name for it)
):
    """Sliding windows over `data` (axis 0 is time) as a `PyDataset` (Keras 3's arguments).

    Args:
        data: array `(steps, ...)`: the series (its features after the time axis).
        targets: one target per start position (`targets[p]` for the window starting at
            p), or None for windows only.
        sequence_length: steps per window.
        sequence_stride: how far apart consecutive windows start.
        sampling_rate: take every r-th step inside a window.
        batch_size: windows per batch (None: one window at a time).
        shuffle, seed: shuffle the windows (the start positions, with Keras 3's seeded
            shuffle), then again after every epoch.
        start_index, end_index: use only `data[start_index:end_index]`.
        format: accepted for Keras 3's signature; a `PyDataset` either way.

    Returns:
        A `PyDataset` of `(windows, targets)` batches, windows `(batch, sequence_length, ...)`.
    """
    data = np.asarray(data)
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= len(data):
            raise ValueError(
                "`start_index` must be lower than the length of the data. Received: "
                f"start_index={start_index}, for data of length {len(data)}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= len(data):
            raise ValueError(
                "`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {len(data)}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= len(data):
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: "
                f"{name}={value}, for data of length {len(data)}"
            )
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    start_index = start_index or 0
    end_index = end_index or len(data)
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_windows = min(num_windows, len(targets))
    starts = np.arange(0, max(num_windows, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    return WindowDataset(
        data[start_index:end_index],
        None if targets is None else targets[start_index:],
        starts,
        sequence_length,
        sampling_rate,
        batch_size,
        shuffle,
        seed,
    )


class WindowDataset(DatasetOps, PyDataset):
    """Batches of windows, cut from the series when asked for (one fancy index per batch)."""

    def __init__(
        self, data, targets, starts, sequence_length, sampling_rate, batch_size, shuffle, seed
    ):
        super().__init__()
        self.data, self.targets, self.starts = data, targets, starts
        self.offsets = np.arange(sequence_length) * sampling_rate  # (sequence_length,)
        self.batch_size = batch_size
        self._rng = np.random.default_rng(seed) if shuffle else None

    def __len__(self) -> int:
        size = self.batch_size or 1
        return math.ceil(len(self.starts) / size)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(
                f"batch {index} is out of range: this dataset has {len(self)} batches."
            )
        size = self.batch_size or 1
        starts = self.starts[index * size : (index + 1) * size]  # (batch,)
        windows = self.data[starts[:, None] + self.offsets[None, :]]  # (batch, length, ...)
        if self.batch_size is None:
            windows, starts = windows[0], starts[0]
        if self.targets is None:
            return windows
        return windows, self.targets[starts]

    def on_epoch_end(self) -> None:
        if self._rng is not None:
            self.starts = self._rng.permutation(self.starts)
