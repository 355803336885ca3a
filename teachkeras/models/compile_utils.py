"""What `compile(loss=..., metrics=..., loss_weights=...)` becomes, per model output.

A model may have several outputs; the user may give one loss for all, a list (one
per output) or a dict (by output name). This file turns any of those into one loss
object, one weight and a list of metrics for each output, names them as Keras does
(`loss`, `accuracy`; with several outputs `out1_loss`, `out1_accuracy`), and
computes them.
"""

from __future__ import annotations

from .. import losses as losses_module
from .. import metrics as metrics_module
from ..backend.tensor import Tensor, as_array, no_grad


def per_output(value, output_names: list[str], what: str, default=None) -> list:
    """Spread a compile argument over the outputs: one value for all, a list, or a dict."""
    n = len(output_names)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in output_names]
        if unknown:
            raise ValueError(
                f"Unknown output names {unknown} in `{what}`; the model's outputs are {output_names}."
            )
        return [value.get(name, default) for name in output_names]
    if isinstance(value, list | tuple) and what != "metrics":
        if len(value) != n:
            raise ValueError(
                f"`{what}` has {len(value)} entries but the model has {n} outputs {output_names}."
            )
        return list(value)
    return [value] * n


def metric_display_name(identifier) -> str:
    """The name a metric will have in logs, known before it is built."""
    if isinstance(identifier, str):
        return identifier
    if isinstance(identifier, metrics_module.Metric):
        return identifier.name
    return getattr(identifier, "__name__", type(identifier).__name__)


class CompiledObjectives:
    """The losses and metrics of a compiled model, resolved on the first batch.

    Resolution waits for data because `'accuracy'` means binary, categorical or
    sparse categorical accuracy depending on the loss and on the shapes of y.
    """

    def __init__(self, loss, loss_weights, metrics, weighted_metrics) -> None:
        self.loss_config = loss
        self.loss_weights_config = loss_weights
        self.metrics_config = metrics
        self.weighted_metrics_config = weighted_metrics
        self.built = False
        self.loss_tracker = metrics_module.Mean(name="loss")
        self.output_loss_trackers: list = []
        self.metrics: list[list] = []
        self.output_names: list[str] = []

    def metric_names(self, output_names: list[str]) -> list[str]:
        """`metrics_names` as tutorials read it: `['loss', 'accuracy']`."""
        names = ["loss"]
        if len(output_names) > 1 and self.loss_config is not None:
            names += [f"{o}_loss" for o in output_names]
        return names + [name for group in self._display_names(output_names) for name in group]

    def _display_names(self, output_names: list[str]) -> list[list[str]]:
        """Each metric's name in the logs, as Keras 3 names them.

        Plain metrics first, then weighted ones; with several outputs each name starts
        with its output's. A repeated plain name gets `_1`, `_2`, ...; a weighted metric
        whose name is taken becomes `weighted_<name>` (so `metrics=['accuracy']` with
        `weighted_metrics=['accuracy']` logs both `accuracy` and `weighted_accuracy`).
        """
        groups = self._metric_identifiers(output_names)
        multi = len(output_names) > 1
        names: list[list[str]] = [[""] * len(group) for group in groups]
        counters: dict[str, int] = {}

        def claim(name: str) -> str:
            if name not in counters:
                counters[name] = 1
                return name
            counters[name] += 1
            return f"{name}_{counters[name] - 1}"

        for weighted_pass in (False, True):
            for i, group in enumerate(groups):
                prefix = f"{output_names[i]}_" if multi else ""
                for j, (identifier, weighted) in enumerate(group):
                    if weighted != weighted_pass:
                        continue
                    name = prefix + metric_display_name(identifier)
                    if weighted and name in counters:
                        name = prefix + "weighted_" + metric_display_name(identifier)
                    names[i][j] = claim(name)
        return names

    def _metric_identifiers(self, output_names: list[str]) -> list[list[tuple]]:
        """Per output, `(identifier, weighted)` pairs: `weighted_metrics` use sample weights,
        plain `metrics` do not (Keras 3)."""
        n = len(output_names)
        groups = [[] for _ in range(n)]
        for config, weighted in (
            (self.metrics_config, False),
            (self.weighted_metrics_config, True),
        ):
            if config is None:
                continue
            if isinstance(config, dict):
                spread = per_output(config, output_names, "metrics", default=[])
            elif (
                isinstance(config, list | tuple)
                and n > 1
                and all(isinstance(c, list | tuple) for c in config)
            ):
                spread = per_output(list(config), output_names, "loss")  # one list per output
            else:
                spread = [config] * n
            for i, item in enumerate(spread):
                items = item if isinstance(item, list | tuple) else [item]
                groups[i].extend((identifier, weighted) for identifier in items)
        return groups

    def build(self, output_names: list[str], y_true: list, y_pred: list) -> None:
        self.output_names = output_names
        multi = len(output_names) > 1
        if self.loss_config is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()`, e.g. "
                "model.compile(optimizer='adam', loss='mse')."
            )
        self.losses = [
            losses_module.resolve_compile_loss(identifier, y_true[i].shape, y_pred[i].shape)
            for i, identifier in enumerate(per_output(self.loss_config, output_names, "loss"))
        ]
        self.loss_weights = [
            1.0 if w is None else float(w)
            for w in per_output(self.loss_weights_config, output_names, "loss_weights")
        ]
        if multi:
            self.output_loss_trackers = [
                metrics_module.Mean(name=f"{o}_loss") for o in output_names
            ]
        self.metrics = []
        display = self._display_names(output_names)
        for i, group in enumerate(self._metric_identifiers(output_names)):
            built = []
            for j, (identifier, weighted) in enumerate(group):
                metric = metrics_module.resolve_compile_metric(
                    identifier, self.losses[i], y_true[i].shape, y_pred[i].shape
                )
                metric.name = display[i][j]
                built.append((metric, weighted))
            self.metrics.append(built)
        self.built = True

    def compute_loss(self, y_true: list, y_pred: list, sample_weight) -> Tensor:
        """$L = \\sum_i w_i\\,\\mathrm{loss}_i(y_i, \\hat y_i)$ over the outputs."""
        total = None
        for i, (loss, weight) in enumerate(zip(self.losses, self.loss_weights, strict=True)):
            if loss is None:
                continue
            value = loss(y_true[i], y_pred[i], sample_weight=sample_weight)
            if self.output_loss_trackers:
                self.output_loss_trackers[i].update_state(
                    as_array(value), sample_weight=len(y_true[i])
                )
            term = value if weight == 1.0 else value * weight
            total = term if total is None else total + term
        return total

    def update_metrics(self, y_true: list, y_pred: list, sample_weight) -> None:
        with no_grad():
            for i, group in enumerate(self.metrics):
                prediction = _detached(y_pred[i])
                for metric, weighted in group:
                    weights = sample_weight if weighted else None
                    metric.update_state(y_true[i], prediction, sample_weight=weights)

    def all_metrics(self) -> list:
        return [
            self.loss_tracker,
            *self.output_loss_trackers,
            *(m for group in self.metrics for m, _ in group),
        ]

    def reset(self) -> None:
        for metric in self.all_metrics():
            metric.reset_state()

    def results(self) -> dict[str, float]:
        return {metric.name: _log_value(metric.result()) for metric in self.all_metrics()}


def _log_value(result):
    """A metric's result as the logs hold it: a float, or, for a metric with one value per
    class or threshold (F1Score(), Precision(thresholds=[...])), the array (as Keras 3)."""
    value = as_array(result)
    return float(value) if value.ndim == 0 else value.copy()


def _detached(y_pred):
    """The prediction's values for the metrics, keeping its mask (`_keras_mask`): a metric
    counts only the steps the mask keeps, as Keras 3's do."""
    mask = getattr(y_pred, "_keras_mask", None)
    if mask is None:
        return as_array(y_pred)
    values = Tensor(as_array(y_pred))
    values._keras_mask = mask
    return values
