"""`Callback`: code that `fit`, `evaluate` and `predict` call at fixed moments.

The moments, in the order they happen during `fit`:

    on_train_begin
      on_epoch_begin(epoch)
        on_train_batch_begin(batch) ... on_train_batch_end(batch, logs)   (each batch)
        on_test_begin ... on_test_end                                     (validation)
      on_epoch_end(epoch, logs)      logs has loss, metrics, val_loss, val_metrics
    on_train_end

`self.model` is the model being trained; setting `self.model.stop_training = True`
ends training after the current batch or epoch (that is how EarlyStopping works).
"""

from __future__ import annotations


class Callback:
    """Base class: override the hooks you need; each receives a `logs` dict."""

    def __init__(self) -> None:
        self.params: dict = {}
        self._model = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self._model = model

    @property
    def model(self):
        return self._model

    # Keras 2 names, still called for training batches
    def on_batch_begin(self, batch: int, logs=None) -> None: ...

    def on_batch_end(self, batch: int, logs=None) -> None: ...

    def on_epoch_begin(self, epoch: int, logs=None) -> None: ...

    def on_epoch_end(self, epoch: int, logs=None) -> None: ...

    def on_train_batch_begin(self, batch: int, logs=None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs=None) -> None: ...

    def on_test_batch_end(self, batch: int, logs=None) -> None: ...

    def on_predict_batch_begin(self, batch: int, logs=None) -> None: ...

    def on_predict_batch_end(self, batch: int, logs=None) -> None: ...

    def on_train_begin(self, logs=None) -> None: ...

    def on_train_end(self, logs=None) -> None: ...

    def on_test_begin(self, logs=None) -> None: ...

    def on_test_end(self, logs=None) -> None: ...

    def on_predict_begin(self, logs=None) -> None: ...

    def on_predict_end(self, logs=None) -> None: ...
