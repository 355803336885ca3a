"""`MonitorCallback`: what EarlyStopping and ReduceLROnPlateau share — watching one number.

Both callbacks read one value from the epoch's `logs` (the *monitored quantity*,
e.g. `val_loss`) and ask "is this better than the best so far?". Better means

    mode 'min':  current - min_delta < best      (a loss should go down)
    mode 'max':  current + min_delta > best      (an accuracy should go up)

so a change smaller than `min_delta` does not count. With `mode='auto'` the direction
comes from the name: `loss`/`val_loss` go down, and a compiled metric says which way
it should go (accuracy up, mean squared error down). As in Keras, the two sides are
compared in `floatx()` (float32): a gain too small for float32 to see is no gain.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..backend import config
from ..legacy import user_stacklevel
from .callback import Callback


class MonitorCallback(Callback):
    """Base class of callbacks that watch `logs[monitor]` for improvement.

    Args:
        monitor: the key of `logs` to watch, e.g. `'val_loss'` or `'accuracy'`.
        mode: `'min'`, `'max'` or `'auto'` (direction from the metric's name).
        baseline: the first "best" value; `None` means the first value seen.
        min_delta: the smallest change that counts as an improvement (its sign is ignored).
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=user_stacklevel(),
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None  # np.less or np.greater, chosen at the first epoch end
        self._warned_missing = False

    def _set_monitor_op(self) -> None:
        """Choose the direction; `auto` needs the compiled metrics, so this waits for them."""
        if self.mode == "min":
            self.monitor_op = np.less
        elif self.mode == "max":
            self.monitor_op = np.greater
        else:
            metric_name = self.monitor.removeprefix("val_")
            if metric_name == "loss":
                self.monitor_op = np.less
            for metric in getattr(self.model, "metrics", None) or []:
                direction = getattr(metric, "_direction", None)
                if getattr(metric, "name", None) == metric_name and direction is not None:
                    self.monitor_op = np.greater if direction == "up" else np.less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but Keras "
                    "isn't able to automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                    "highest metric value, or pass `mode='min'` in order to use the lowest value."
                )
        if self.monitor_op is np.less:
            # 'min' mode: subtracting a negative min_delta asks for current + |δ| < best.
            self.min_delta = -self.min_delta

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        """`current ∓ min_delta` strictly beats `reference` (anything beats `None`)."""
        if reference_value is None:
            return True
        dtype = config.floatx()
        shifted = np.asarray(float(monitor_value) - self.min_delta, dtype=dtype)
        return bool(self.monitor_op(shifted, np.asarray(reference_value, dtype=dtype)))

    def _warn_missing_monitor(self, message: str, logs: dict) -> None:
        """Warn once per `fit` that `logs` lacks the monitored key, listing the keys it has."""
        if self._warned_missing:
            return
        self._warned_missing = True
        hint = ""
        if self.monitor.startswith("val_") and not any(k.startswith("val_") for k in logs):
            hint = (
                f" (`{self.monitor}` exists only when fit() gets `validation_data=` or "
                "`validation_split=`; or monitor a training key such as 'loss'.)"
            )
        warnings.warn(message + hint, stacklevel=4)
