"""`ProgbarLogger`: the progress bar `fit(verbose=1)` prints."""

from __future__ import annotations

from ..utils.io_utils import print_msg
from ..utils.progbar import Progbar
from .callback import Callback


class ProgbarLogger(Callback):
    """Prints `Epoch 1/10` and a `Progbar` per epoch (and for evaluate/predict)."""

    def __init__(self) -> None:
        super().__init__()
        self.progbar: Progbar | None = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False
        self._seen = 0

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _reset(self) -> None:
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")
        self._seen = 0

    def on_train_begin(self, logs=None) -> None:
        self._called_in_fit = True

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._reset()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        self._seen = batch + 1
        self.progbar.update(self._seen, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.progbar.update(self._seen, list((logs or {}).items()), finalize=True)

    def on_test_begin(self, logs=None) -> None:
        if not self._called_in_fit:
            self._reset()

    def on_test_batch_end(self, batch: int, logs=None) -> None:
        if not self._called_in_fit:
            self._seen = batch + 1
            self.progbar.update(self._seen, list((logs or {}).items()), finalize=False)

    def on_test_end(self, logs=None) -> None:
        if not self._called_in_fit:
            self.progbar.update(self._seen, list((logs or {}).items()), finalize=True)

    def on_predict_begin(self, logs=None) -> None:
        self._reset()

    def on_predict_batch_end(self, batch: int, logs=None) -> None:
        self._seen = batch + 1
        self.progbar.update(self._seen, [], finalize=False)

    def on_predict_end(self, logs=None) -> None:
        self.progbar.update(self._seen, [], finalize=True)

    def on_train_end(self, logs=None) -> None:
        self._called_in_fit = False
