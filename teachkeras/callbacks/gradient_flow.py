"""`GradientFlowRecorder`: how big are the gradients and activations, layer by layer?

The picture behind "vanishing gradients": in a deep stack of sigmoid layers the
first layers hardly learn, because the gradient that reaches them is a product of
many derivatives smaller than 1/4. This callback measures it on a fixed sample
batch, at the end of every epoch (or every N batches), and keeps the numbers:

    gradient norm of layer l    ‖∂L/∂W_l‖ = sqrt( Σ over the layer's trainable weights of Σ g² )
    activation norm of layer l  sqrt( (1/N) Σ_i ‖a_l(x_i)‖² )    (N samples; batch-size free)

The loss is `model.compute_loss` (the compiled loss plus the penalties), computed in
inference mode (`training=False`): Dropout off and no random numbers drawn, so
recording changes nothing in the training run it watches, and two records differ
only because the weights did.

Activations are read by running a Sequential model layer by layer, or, for a
functional model, through a sub-model whose outputs are every layer's output.
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from ..backend.tensor import GradientTape, as_array, no_grad
from .callback import Callback


# --- reading each layer's output ---------------------------------------------------------
class LayerOutputs:
    """Each chosen layer's output on a batch, in inference mode.

    A Sequential model is run one layer at a time (its layers' outputs are the steps
    of the loop); any other graph model gets a sub-model with one output per layer.

    Example:
        >>> outputs = LayerOutputs(model, model.layers)(x_sample)   # one array per layer
    """

    def __init__(self, model, layers) -> None:
        from ..models.functional import Functional
        from ..models.sequential import Sequential

        self.model = model
        self.layers = list(layers)
        self._submodel = None
        if isinstance(model, Sequential):
            return
        if not isinstance(model, Functional):
            raise ValueError(
                f"Cannot read the layer outputs of model {model.name!r}: it is a subclassed "
                "model, whose call() is not a graph of layers. Use a Sequential or functional "
                "model (Model(inputs, outputs)) with this callback."
            )
        # Named, so building it takes no default name (`model_1`) away from the learner.
        self._submodel = Functional(
            model.inputs, [layer.output for layer in self.layers], name=f"{model.name}_probe"
        )

    def __call__(self, x) -> list[np.ndarray]:
        with no_grad():
            if self._submodel is not None:
                outputs = self._submodel(x, training=False)
                outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
                return [as_array(o) for o in outputs]
            wanted = {id(layer) for layer in self.layers}
            found: dict[int, np.ndarray] = {}
            h = x
            for layer in self.model.layers:
                h = layer(h, training=False)
                if id(layer) in wanted:
                    found[id(layer)] = as_array(h)
            return [found[id(layer)] for layer in self.layers]


def _check_sample(owner: str, x, y=None) -> None:
    if x is None:
        raise ValueError(
            f"{owner} needs a sample batch to measure on: {owner}(x_sample, y_sample), e.g. "
            "x_train[:256], y_train[:256]."
        )
    if y is not None:
        x_len = len(x[0]) if isinstance(x, list | tuple) else len(x)
        if x_len != len(y):
            raise ValueError(
                f"{owner}: x_sample and y_sample must hold the same number of samples; "
                f"got {x_len} and {len(y)}."
            )


def trainable_layers(model) -> list:
    """The model's layers that own trainable weights (Dense, Conv2D, ...), in order."""
    return [layer for layer in model.layers if layer.trainable_weights]


# --- the recorder ------------------------------------------------------------------------
class GradientFlowRecorder(Callback):
    """Record, per layer, the norm of the weight gradients and of the activations.

    Args:
        x_sample, y_sample: a fixed batch (inputs and targets) to measure on; a few
            hundred samples are plenty.
        every_n_batches: record after every that many training batches (counted
            across epochs); `None` records at the end of each epoch.
        histograms: also keep a histogram of each layer's gradient values and
            activation values.
        bins: the number of histogram bins.

    Attributes (NumPy arrays, one row per record):
        layer_names: the layers with trainable weights, input side first.
        gradient_norms: shape (records, layers).
        activation_norms: shape (records, layers).
        epochs: shape (records,), the epoch of each record (from 0, as Keras counts).
        steps: shape (records,), training batches completed at each record.
        gradient_histograms, activation_histograms: shape (records, layers, bins)
            counts, with `gradient_bin_edges`, `activation_bin_edges` of shape
            (records, layers, bins + 1) (only with `histograms=True`).

    Example:
        >>> recorder = GradientFlowRecorder(x_train[:256], y_train[:256])
        >>> model.fit(x_train, y_train, epochs=5, callbacks=[recorder])
        >>> plt.semilogy(recorder.gradient_norms[0], marker="o")   # first epoch, against depth
    """

    def __init__(
        self,
        x_sample,
        y_sample,
        every_n_batches: int | None = None,
        histograms: bool = False,
        bins: int = 30,
    ) -> None:
        super().__init__()
        _check_sample("GradientFlowRecorder", x_sample, y_sample)
        if every_n_batches is not None and (
            not isinstance(every_n_batches, int) or every_n_batches < 1
        ):
            raise ValueError(
                "GradientFlowRecorder: every_n_batches must be a positive integer, or None to "
                f"record once per epoch. Received: every_n_batches={every_n_batches!r}"
            )
        self.x_sample = x_sample
        self.y_sample = y_sample
        self.every_n_batches = every_n_batches
        self.histograms = histograms
        self.bins = int(bins)
        self.layer_names: list[str] = []
        self._layers: list = []
        self._probe: LayerOutputs | None = None
        self._records: list[dict] = []
        self._epoch = 0
        self._steps = 0  # training batches seen, across epochs and fit() calls

    # --- the hooks ------------------------------------------------------------------------
    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        self._steps += 1
        if self.every_n_batches is not None and self._steps % self.every_n_batches == 0:
            self.record()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if self.every_n_batches is None:
            self.record()

    # --- measuring ------------------------------------------------------------------------
    def record(self) -> None:
        """Measure now and append one record (the hooks call this)."""
        gradients, activations = self.measure()
        record = {
            "epoch": self._epoch,
            "step": self._steps,
            "gradient_norms": [_norm(g) for g in gradients],
            "activation_norms": [_norm(a) / np.sqrt(len(a)) for a in activations],
        }
        if self.histograms:
            record["gradient_histograms"] = [self._histogram(g) for g in gradients]
            record["activation_histograms"] = [self._histogram(a) for a in activations]
        self._records.append(record)

    def measure(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per layer: its weight gradients (flattened, joined) and its output on the sample."""
        model = self.model
        if not getattr(model, "compiled", False):
            raise RuntimeError(
                "GradientFlowRecorder needs a compiled model (the loss to differentiate): "
                "call model.compile(optimizer=..., loss=...) first."
            )
        if self._probe is None:
            self._layers = trainable_layers(model)
            self.layer_names = [layer.name for layer in self._layers]
            self._probe = LayerOutputs(model, self._layers)

        weights = [w for layer in self._layers for w in layer.trainable_weights]
        with GradientTape() as tape:
            y_pred = model(self.x_sample, training=False)
            if not model._objectives.built:  # measured before the first training step
                model._build_objectives(self.y_sample, y_pred)
            loss = model.compute_loss(self.x_sample, self.y_sample, y_pred, training=False)
        grads = tape.gradient(loss, weights)
        by_weight = {id(w): g for w, g in zip(weights, grads, strict=True)}

        per_layer_grads = []
        for layer in self._layers:
            parts = [
                np.zeros(w.shape, w.dtype) if by_weight[id(w)] is None else by_weight[id(w)]
                for w in layer.trainable_weights
            ]  # None: the loss does not depend on that weight (its gradient is 0)
            per_layer_grads.append(np.concatenate([np.ravel(p) for p in parts]))
        return per_layer_grads, self._probe(self.x_sample)

    def _histogram(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        counts, edges = np.histogram(values, bins=self.bins)
        return counts, edges.astype(values.dtype)

    # --- the arrays a learner plots -------------------------------------------------------
    def _stack(self, key: str, dtype=None) -> np.ndarray:
        if not self._records:
            return np.zeros((0, len(self.layer_names)), dtype or config.floatx())
        return np.asarray([record[key] for record in self._records], dtype=dtype)

    @property
    def gradient_norms(self) -> np.ndarray:
        return self._stack("gradient_norms", config.floatx())

    @property
    def activation_norms(self) -> np.ndarray:
        return self._stack("activation_norms", config.floatx())

    @property
    def epochs(self) -> np.ndarray:
        return np.asarray([record["epoch"] for record in self._records], dtype="int64")

    @property
    def steps(self) -> np.ndarray:
        return np.asarray([record["step"] for record in self._records], dtype="int64")

    def _histogram_part(self, key: str, part: int) -> np.ndarray | None:
        if not self.histograms:
            return None
        if not self._records:
            return np.zeros((0, len(self.layer_names), self.bins + part))
        return np.asarray([[h[part] for h in record[key]] for record in self._records])

    @property
    def gradient_histograms(self) -> np.ndarray | None:
        return self._histogram_part("gradient_histograms", 0)

    @property
    def gradient_bin_edges(self) -> np.ndarray | None:
        return self._histogram_part("gradient_histograms", 1)

    @property
    def activation_histograms(self) -> np.ndarray | None:
        return self._histogram_part("activation_histograms", 0)

    @property
    def activation_bin_edges(self) -> np.ndarray | None:
        return self._histogram_part("activation_histograms", 1)


def _norm(values: np.ndarray) -> float:
    """Euclidean norm of all the values, summed in float64 (a million squares add up)."""
    return float(np.sqrt(np.sum(np.square(values, dtype=np.float64))))
