"""Training configs as TensorFlow 2's Keras stored them in `.h5` files, made compilable.

A whole-model `.h5` keeps the arguments of `compile` as JSON (`training_config`).
TensorFlow 2's Keras wrote some of them in forms that neither Keras 3 nor teachkeras
take; `translate` rewrites them where the file enters, so the rest of teachkeras
only ever sees Keras 3's forms:

    TensorFlow 2 wrote                                   compile gets
    optimizer "Custom>Adam" (TF 2.11 to 2.15)           "Adam", with the saved settings
    metrics [[{"class_name": "MeanMetricWrapper",       ["accuracy"]
               "config": {"name": "accuracy", ...}}]]
    loss {..., "config": {"reduction": "auto"}}         "reduction": "sum_over_batch_size"

Keras 3.15 loads the first (with default settings) and fails on the other two.
"""

from __future__ import annotations

import warnings

from ..serialization.registry import get_registered_object


def translate(training: dict, outputs: int, custom_objects=None) -> str | None:
    """Rewrite `training` (a parsed `training_config`) in place for a model with `outputs`.

    Returns:
        The optimizer's TensorFlow name (`'Custom>Adam'`) if it was one of TensorFlow's
        registered optimizers, whose saved state cannot be read; otherwise None.
    """
    tf_optimizer = _unwrap_custom_optimizer(training, custom_objects)
    _per_output_metrics_and_auto_reduction(training, outputs)
    return tf_optimizer


def _unwrap_custom_optimizer(training: dict, custom_objects) -> str | None:
    """`Custom>Adam` -> `Adam` in a training config from TensorFlow 2.11+; returns the old name.

    TensorFlow 2.11 to 2.15 registered their new optimizers as user classes, so their
    `.h5` files name the optimizer `Custom>Adam`, `Custom>SGD`, .... Keras 3 finds no
    such class and falls back to the built-in optimizer of that name; so does this,
    keeping the saved settings (learning rate, betas, ...). A `Custom>...` class you
    registered yourself, or passed in `custom_objects`, is used as it is.
    """
    from .. import optimizers  # saving sits below optimizers: imported when a file is read

    optimizer = training.get("optimizer_config")
    name = optimizer.get("class_name") if isinstance(optimizer, dict) else None
    if not isinstance(name, str) or not name.startswith("Custom>"):
        return None
    built_in = name.removeprefix("Custom>")
    if built_in.lower() not in optimizers.ALL_OBJECTS_DICT:
        return None  # not one of Keras's: the usual "unknown optimizer" error follows
    if get_registered_object(name, custom_objects) is not None:
        return None
    optimizer["class_name"] = built_in
    return name


def _per_output_metrics_and_auto_reduction(training: dict, outputs: int) -> None:
    """Metrics back to the names given to compile; a loss's `"auto"` reduction renamed.

    TensorFlow 2 stored `metrics=['accuracy']` as one list per output of
    `MeanMetricWrapper` configs, whose `name` is what the user wrote ('accuracy', which
    compile resolves from the loss again, as TensorFlow did). Its `"auto"` reduction
    averaged over the batch: Keras 3 calls that `"sum_over_batch_size"`.
    """
    for key in ("metrics", "weighted_metrics"):
        value = training.get(key)
        if outputs == 1 and isinstance(value, list) and len(value) == 1:
            value = value[0] if isinstance(value[0], list) else value  # the one output's list
        training[key] = _metric_names(value)
    training["loss"] = _named_reduction(training.get("loss"))


def _metric_names(value):
    if isinstance(value, list):
        return [_metric_names(item) for item in value]
    if isinstance(value, dict) and value.get("class_name") == "MeanMetricWrapper":
        name = (value.get("config") or {}).get("name")
        return name if isinstance(name, str) else value
    if isinstance(value, dict) and "class_name" not in value:  # one entry per output name
        return {key: _metric_names(item) for key, item in value.items()}
    return value


def _named_reduction(loss):
    if isinstance(loss, list):
        return [_named_reduction(item) for item in loss]
    if isinstance(loss, dict) and "class_name" not in loss:  # one loss per output name
        return {key: _named_reduction(item) for key, item in loss.items()}
    config = loss.get("config") if isinstance(loss, dict) else None
    if isinstance(config, dict) and config.get("reduction") == "auto":
        loss["config"] = {**config, "reduction": "sum_over_batch_size"}
    return loss


def warn_state_not_restored(filepath, tf_name: str, optimizer) -> None:
    """TensorFlow's optimizers store their state in another order: start afresh, as Keras 3 does."""
    warnings.warn(
        f"{filepath!r} was saved by TensorFlow 2.11+ with the optimizer {tf_name!r}: it is "
        f"loaded as keras.optimizers.{type(optimizer).__name__} with the saved settings, but "
        "TensorFlow lays out an optimizer's state (step count, moments) differently, so the "
        "state was not restored and training continues with a freshly initialized optimizer "
        "(Keras 3 also starts it afresh).",
        stacklevel=4,
    )
