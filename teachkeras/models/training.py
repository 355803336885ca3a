"""compile, fit, evaluate, predict: the training loop, one small function per verb.

One training step is the whole of deep learning in five lines (`train_step`):

    y_pred = model(x, training=True)          # forward pass, recording the graph
    loss = compiled loss(y, y_pred) + penalties
    grads = gradients(loss, weights)          # backward pass
    optimizer.apply(grads, weights)           # update
    metrics.update_state(y, y_pred)           # bookkeeping for the progress bar

`fit` runs it over batches and epochs and tells the callbacks at each point; the
numbers it reports (`history.history`) are those Keras 3 reports: the loss and metrics
averaged over the epoch's batches, weighted by batch size, as the weights changed.
The batches come from an `EpochIterator` (`epoch_iterator.py`), the same loop whether
the data is arrays, a Python generator or a `keras.utils.PyDataset`.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import ops
from ..backend import memory
from ..backend.tensor import Tensor, as_array, enable_grad, gradients, no_grad
from ..legacy import pop_renamed
from . import data_adapter
from .compile_utils import CompiledObjectives
from .epoch_iterator import EpochIterator


class Trainer:
    """The training half of `Model` (mixed in; `self` is the model)."""

    def __init__(self) -> None:
        self.optimizer = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._initial_epoch = None  # set by BackupAndRestore when it resumes a run
        self._objectives: CompiledObjectives | None = None
        self._compile_config: dict | None = None

    # --- compile ---------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile="auto",
        auto_scale_loss: bool = True,
        **kwargs,
    ) -> None:
        """Choose the optimizer, the loss to minimise and the metrics to report.

        Example:
            >>> model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
        from .. import optimizers

        for old in ("sample_weight_mode", "target_tensors", "distribute"):
            if kwargs.pop(old, None) is not None:
                warnings.warn(
                    f"compile({old}=...) is a Keras 1/2 argument with no effect here.", stacklevel=2
                )
        if kwargs:
            raise TypeError(f"Unrecognized arguments passed to compile(): {sorted(kwargs)}")
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._objectives = CompiledObjectives(loss, loss_weights, metrics, weighted_metrics)
        self._compile_config = {
            "optimizer": optimizer,
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
        }
        self.compiled = True

    def _assert_compiled(self, verb: str) -> None:
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using the model for {verb}(): e.g. "
                "model.compile(optimizer='adam', loss='mse')."
            )

    @property
    def metrics_names(self) -> list[str]:
        """`['loss', 'accuracy']`: the order of the values `evaluate` returns."""
        if self._objectives is None:
            return []
        return self._objectives.metric_names(self._output_names())

    @property
    def metrics(self) -> list:
        return [] if self._objectives is None else self._objectives.all_metrics()

    def reset_metrics(self) -> None:
        if self._objectives is not None:
            self._objectives.reset()

    def _output_names(self) -> list[str]:
        names = getattr(self, "output_names", None)
        return list(names) if names else ["output"]

    # --- one step --------------------------------------------------------------------
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ) -> Tensor:
        """Compiled loss over the outputs, plus every penalty in `model.losses`."""
        total = self._objectives.compute_loss(_as_list(y), _as_list(y_pred), sample_weight)
        for penalty in self.losses:
            penalty = ops.sum(penalty)
            total = penalty if total is None else total + penalty
        return total

    def _build_objectives(self, y, y_pred) -> None:
        if not self._objectives.built:
            self._objectives.build(self._output_names(), _as_list(y), _as_list(y_pred))

    def train_step(self, data: data_adapter.ArrayData) -> dict[str, float]:
        """Forward, loss, gradients, update; returns the running logs."""
        x, y, sample_weight = _unpack(data)
        with enable_grad():
            y_pred = self(x, training=True)
            self._build_objectives(y, y_pred)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self._objectives.loss_tracker.update_state(as_array(loss), sample_weight=data.num_samples)
        weights = self.trainable_weights
        if weights:
            grads = gradients(loss, weights, retain_graph=False)
            self.optimizer.apply(grads, weights)
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        self._objectives.update_metrics(_as_list(y), _as_list(y_pred), sample_weight)
        return self._objectives.results()

    def test_step(self, data: data_adapter.ArrayData) -> dict[str, float]:
        """Forward and loss in inference mode (Dropout off); returns the running logs."""
        x, y, sample_weight = _unpack(data)
        with no_grad():
            y_pred = self(x, training=False)
            self._build_objectives(y, y_pred)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self._objectives.loss_tracker.update_state(as_array(loss), sample_weight=data.num_samples)
        self._objectives.update_metrics(_as_list(y), _as_list(y_pred), sample_weight)
        return self._objectives.results()

    def predict_step(self, data: data_adapter.ArrayData):
        x, _, _ = _unpack(data)
        with no_grad():
            return self(x, training=False)

    # --- fit -------------------------------------------------------------------------
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs: int = 1,
        verbose="auto",
        callbacks=None,
        validation_split: float = 0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch: int = 0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq: int = 1,
        **kwargs,
    ):
        """Train for `epochs` passes over the data, in batches of `batch_size` samples.

        `x` is arrays (with `y`), or a dataset that gives whole batches: a
        `keras.utils.PyDataset` or a Python generator (see `epoch_iterator.py` for what
        `steps_per_epoch` then means). Returns a `History` whose `.history` dict holds,
        per epoch, `loss`, each metric, and `val_loss`/`val_<metric>` when validating.
        """
        from ..callbacks.callback_list import CallbackList

        nb_epoch = pop_renamed(kwargs, "fit", "nb_epoch", "epochs=")
        epochs = nb_epoch if nb_epoch is not None else epochs
        if kwargs:
            raise TypeError(f"Unrecognized arguments passed to fit(): {sorted(kwargs)}")
        self._assert_compiled("fit")
        memory.keep_freed_memory_for_training()
        verbose = data_adapter.check_verbose(verbose)
        batch_size = data_adapter.check_batch_size(batch_size)
        if validation_split and validation_data is None:
            # Keras 3 holds out the last samples first: class weights and shuffling touch only the rest.
            x, validation_data = data_adapter.split_validation(
                x, y, sample_weight, validation_split, model=self
            )
            y = sample_weight = None  # both are inside x and validation_data now
        train = EpochIterator(
            x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight, model=self
        )
        val = None
        if validation_data is not None:
            vx, vy, vsw = data_adapter.unpack_validation_data(validation_data)
            val = EpochIterator(
                vx, vy, vsw, validation_batch_size or batch_size, validation_steps,
                model=self, verb="validation",
            )  # fmt: skip
        self._build_for_data(train)

        callbacks = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=train.num_batches,
        )
        self.stop_training = False
        callbacks.on_train_begin()
        # BackupAndRestore, restoring an interrupted run, says where to resume.
        initial_epoch = self._initial_epoch or initial_epoch
        logs: dict[str, float] = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, batch in train.epoch():
                callbacks.on_train_batch_begin(step)
                logs = self.train_step(batch)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_epoch(val, callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self.stop_training or train.ran_out(epochs_left=epochs - epoch - 1):
                break
        callbacks.on_train_end(logs)
        return self.history

    def _build_for_data(self, data: EpochIterator | data_adapter.ArrayData) -> None:
        """A model without a known input shape (deferred Sequential) builds on the first batch."""
        if not self.built:
            batch = data.first_batch() if isinstance(data, EpochIterator) else data
            self.build_from_data(batch.x)

    def build_from_data(self, xs: list[np.ndarray]) -> None:
        sample = [a[:1] for a in xs]
        with no_grad():
            self(sample[0] if len(sample) == 1 else sample, training=False)

    # --- evaluate --------------------------------------------------------------------
    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict: bool = False,
        **kwargs,
    ):
        """Loss and metrics on the given data: a scalar, a list (`metrics_names` order) or a dict."""
        if kwargs:
            raise TypeError(f"Unrecognized arguments passed to evaluate(): {sorted(kwargs)}")
        self._assert_compiled("evaluate")
        verbose = data_adapter.check_verbose(verbose)
        batch_size = data_adapter.check_batch_size(batch_size)
        data = EpochIterator(x, y, sample_weight, batch_size, steps, model=self, verb="evaluate")
        self._build_for_data(data)
        callbacks = self._callbacks_for_one_pass(callbacks, verbose, data)
        logs = self._evaluate_epoch(data, callbacks)
        return self._format_logs(logs, return_dict)

    def _callbacks_for_one_pass(self, callbacks, verbose: int, data: EpochIterator):
        """evaluate's and predict's `CallbackList`: the user's callbacks, and a progress bar
        over `data`'s batches unless `verbose=0` (fit's also has the History and the epochs)."""
        from ..callbacks.callback_list import CallbackList

        return CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, steps=data.num_batches
        )

    def _evaluate_epoch(self, data: EpochIterator, callbacks) -> dict[str, float]:
        """`test_step` over one pass of `data`, from its beginning (a generator goes on)."""
        self.reset_metrics()
        callbacks.on_test_begin()
        logs: dict[str, float] = {}
        data.restart()
        for step, batch in data.epoch():
            callbacks.on_test_batch_begin(step)
            logs = self.test_step(batch)
            callbacks.on_test_batch_end(step, logs)
        callbacks.on_test_end(logs)
        return logs

    # --- predict ---------------------------------------------------------------------
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for `x` (arrays or a dataset), as NumPy arrays, batch by batch."""
        verbose = data_adapter.check_verbose(verbose)
        batch_size = data_adapter.check_batch_size(batch_size)
        data = EpochIterator(x, None, None, batch_size, steps, model=self, verb="predict")
        callbacks = self._callbacks_for_one_pass(callbacks, verbose, data)
        callbacks.on_predict_begin()
        outputs = []
        for step, batch in data.epoch():
            callbacks.on_predict_batch_begin(step)
            batch_out = self.predict_step(batch)
            outputs.append([as_array(o) for o in _as_list(batch_out)])
            callbacks.on_predict_batch_end(step, {"outputs": batch_out})
        callbacks.on_predict_end()
        joined = [np.concatenate(parts, axis=0) for parts in zip(*outputs, strict=True)]
        return joined[0] if len(joined) == 1 else joined

    # --- one batch at a time -----------------------------------------------------------
    def train_on_batch(
        self, x, y=None, sample_weight=None, class_weight=None, return_dict: bool = False
    ):
        """One optimizer step on exactly this batch; returns its loss (and metrics)."""
        self._assert_compiled("train_on_batch")
        memory.keep_freed_memory_for_training()
        data = data_adapter.prepare(x, y, sample_weight, class_weight, model=self)
        self._build_for_data(data)
        self.reset_metrics()
        return self._format_logs(self.train_step(data), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        self._assert_compiled("test_on_batch")
        data = data_adapter.prepare(x, y, sample_weight, model=self)
        self._build_for_data(data)
        self.reset_metrics()
        return self._format_logs(self.test_step(data), return_dict)

    def predict_on_batch(self, x):
        data = data_adapter.prepare(x, model=self, verb="predict")
        outputs = [as_array(o) for o in _as_list(self.predict_step(data))]
        return outputs[0] if len(outputs) == 1 else outputs

    def _format_logs(self, logs: dict, return_dict: bool):
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values


def _unpack(data: data_adapter.ArrayData):
    x = data.x[0] if len(data.x) == 1 else data.x
    y = None if data.y is None else (data.y[0] if len(data.y) == 1 else data.y)
    return x, y, data.sample_weight


def _as_list(value) -> list:
    if value is None:
        return [None]
    return list(value) if isinstance(value, list | tuple) else [value]
