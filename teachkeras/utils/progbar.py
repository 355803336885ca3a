"""`Progbar`: the line that shows how far an epoch has got.

    32/32 [==============================] - 0s 2ms/step - loss: 0.6931 - accuracy: 0.5000

The line is redrawn in place as batches finish: with `\\r` in a terminal, and with a
display update in a notebook (`utils.notebook.LiveLine`, which also keeps saved
notebooks stable for nbval). Where output cannot be redrawn (a log file, a pipe) only
the finished line is printed, once per epoch.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from .io_utils import is_interactive_logging_enabled, print_msg
from .notebook import LiveLine, in_notebook


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps expected (None if unknown).
        width: width of the bar in characters.
        verbose: 1 = bar, 2 = one summary line at the end, 0 = silent.
        interval: minimum seconds between redraws in a terminal.
        unit_name: shown in the time per unit, e.g. "2ms/step".
    """

    def __init__(
        self,
        target,
        width: int = 30,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics=None,
        unit_name: str = "step",
    ) -> None:
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self._values: dict[str, float] = {}
        self._start = time.time()
        self._last_update = 0.0
        interactive = is_interactive_logging_enabled()  # off: finished lines go to `logging`
        self._dynamic = interactive and _is_interactive_terminal()
        self._notebook = interactive and not self._dynamic and in_notebook()
        self._live: LiveLine | None = None  # a notebook's redrawn line, made at the first update
        self._previous_width = 0
        self._seen = 0  # the last `current` shown, for `add`

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Show progress `current` (out of `target`) with the given `(name, value)` pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._seen = current
        for name, value in values or []:
            self._values[name] = value
        now = time.time()
        if self.verbose == 1:
            if self._notebook and self._live is None:
                # Made at the first update, however quick the epoch, so that every run of a
                # cell has the same outputs (see `LiveLine`).
                self._live = LiveLine()
            redraws = self._dynamic or self._notebook
            if not finalize and (not redraws or now - self._last_update < self.interval):
                return
            line = self._bar_line(current, now, finalize)
            if self._notebook:
                if finalize:
                    self._live.finish(line)
                else:
                    self._live.show(line)
            elif self._dynamic:
                padding = max(0, self._previous_width - len(line))
                sys.stdout.write("\r" + line + " " * padding)
                self._previous_width = len(line)
                if finalize:
                    sys.stdout.write("\n")
            else:
                print_msg(line)
            sys.stdout.flush()
        elif self.verbose == 2 and finalize:
            elapsed = now - self._start
            line = f"{current}/{self.target}" if self.target else f"{current}"
            line += f" - {elapsed:.0f}s" + self._values_text()
            line += f" - {_format_time(elapsed, 'epoch')}"
            if current:
                line += f" - {_format_time(elapsed / current, self.unit_name)}"
            print_msg(line)
        self._last_update = now

    def add(self, n: int, values=None) -> None:
        """Advance by `n` steps (Keras's `Progbar.add`)."""
        self.update(self._seen + n, values)

    def _bar_line(self, current: int, now: float, finalize: bool) -> str:
        elapsed = now - self._start
        if self.target is not None:
            digits = len(str(self.target))
            line = f"{current:>{digits}}/{self.target} ["
            filled = int(self.width * current / self.target) if self.target else self.width
            if filled > 0:
                line += "=" * (filled - 1) + (">" if current < self.target else "=")
            line += "." * (self.width - filled) + "]"
        else:
            line = f"{current:7d}/Unknown"
        per_unit = elapsed / current if current else 0.0
        if finalize:
            line += f" - {elapsed:.0f}s {_format_time(per_unit, self.unit_name)}"
        else:
            eta = per_unit * (self.target - current) if self.target else 0.0
            line += f" - ETA: {_format_eta(eta)}"
        return line + self._values_text()

    def _values_text(self) -> str:
        parts = []
        for name, value in self._values.items():
            value = float(np.mean(value))  # a per-class metric shows its mean, as Keras's does
            parts.append(
                f" - {name}: {value:.4f}" if abs(value) > 1e-3 else f" - {name}: {value:.4e}"
            )
        return "".join(parts)


def _format_time(seconds: float, unit: str) -> str:
    """`2ms/step`, `150us/step` or `3s/step`, as Keras prints time per unit."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit}"
    return f"{seconds * 1e6:.0f}us/{unit}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
    if eta > 60:
        return f"{int(eta // 60)}:{int(eta % 60):02d}"
    return f"{int(eta)}s"


def _is_interactive_terminal() -> bool:
    """True in a terminal, where `\\r` redraws the line; False in notebooks and logs."""
    if "ipykernel" in sys.modules:
        return False
    return hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
