"""`CSVLogger`: one line per epoch in a CSV file, ready for a spreadsheet or pandas.

The file Keras 3 writes, byte for byte:

    epoch,accuracy,loss,val_accuracy,val_loss\r\n
    0,0.5,0.6931471824645996,0.5,0.6931471824645996\r\n

- the first column is `epoch`, counted from 0; the others are the keys of the first
  epoch's logs, sorted;
- if that first epoch has no `val_` key, a `val_<key>` column is added for each key
  anyway, filled with `NA` (a later epoch with validation then fits the header);
- numbers are written as Python prints them (`str(float)`), lines end with `\r\n`
  (the csv module's "excel" dialect);
- `append=True` adds to an existing file, writing the header only if it is empty.

Read it back with `pandas.read_csv(filename)`.
"""

from __future__ import annotations

import collections.abc
import csv
import os

import numpy as np

from .callback import Callback


class CSVLogger(Callback):
    """Callback that streams epoch results to a CSV file.

    Args:
        filename: the CSV file, e.g. `'run/log.csv'` (its folder must exist).
        separator: the string between fields. Defaults to `","`.
        append: True appends to an existing file (to continue a training run);
            False overwrites it.

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[CSVLogger("training.log")])
    """

    def __init__(self, filename, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        # newline="": the csv module writes its own "\r\n"; let no platform translate it.
        self.csv_file = open(self.filename, mode, newline="")  # closed in on_train_end
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(f"val_{key}" for key in list(self.keys))
        if self.writer is None:
            self.writer = csv.DictWriter(
                self.csv_file,
                fieldnames=["epoch", *self.keys],
                delimiter=self.sep,
                dialect="excel",
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _format_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()  # a crash later still leaves every finished epoch on disk

    def on_train_end(self, logs=None) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None


def _format_value(value):
    """Strings and numbers as they are; a list or 1-D array as `"[1, 2, 3]"` (as Keras does)."""
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
        isinstance(value, np.ndarray) and value.ndim == 0
    ):
        return f'"[{", ".join(map(str, value))}]"'
    return value
