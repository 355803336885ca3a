"""Metrics: numbers watched during training (`keras.metrics`).

A metric is stateful: `update_state(y_true, y_pred)` once per batch, `result()` for
the value over everything seen so far, `reset_state()` at each new epoch. The files
follow Keras's families:

    metric.py                 the Metric base class (state variables, config)
    reduction_metrics.py      Sum, Mean, MeanMetricWrapper (any function -> a metric)
    accuracy_metrics.py       Accuracy, BinaryAccuracy, CategoricalAccuracy, ...
    confusion_counts.py       TP, FP, TN, FN at many thresholds at once (the engine of the next two)
    confusion_metrics.py      TruePositives, ..., Precision, Recall, PrecisionAtRecall, ...
    auc.py                    AUC (ROC and PR)
    f_score_metrics.py        F1Score, FBetaScore
    iou_metrics.py            IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
    r2_score.py               R2Score
    correlation_metrics.py    PearsonCorrelation, ConcordanceCorrelation
    regression_metrics.py     MeanSquaredError, RootMeanSquaredError, ...
    probabilistic_metrics.py  the cross-entropies, KL divergence, Poisson, hinges

`resolve_compile_metric` is what `compile(metrics=[...])` calls for each entry.
"""

from __future__ import annotations

import inspect

from .. import legacy
from .. import losses as losses_module
from ..backend.naming import to_snake_case
from ..losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    is_binary_or_sparse_categorical,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from ..serialization import registry
from ..serialization.keras_objects import serialize_keras_object as _serialize_keras_object
from .accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    in_top_k,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .auc import AUC
from .confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from .correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from .f_score_metrics import F1Score, FBetaScore
from .iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .metric import Metric
from .probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from .r2_score import R2Score
from .reduction_metrics import Mean, MeanMetricWrapper, Sum, reduce_to_samplewise_values
from .regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
)

# Keras 2's short function names, still found in tutorials (`metrics.mae(y, p)`).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    RootMeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCoshError,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    R2Score,
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
    ConcordanceCorrelation,
    PearsonCorrelation,
    F1Score,
    FBetaScore,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)

# Functions that a metric config may name (`{'class_name': 'function', 'config': ...}`).
# The loss functions first, then the metric functions (whose `cosine_similarity` is
# the positive one).
METRIC_FUNCTIONS: dict[str, object] = {
    fn.__name__: fn for fn in losses_module.ALL_OBJECTS if inspect.isfunction(fn)
}
METRIC_FUNCTIONS.update(
    {
        fn.__name__: fn
        for fn in (
            accuracy,
            binary_accuracy,
            categorical_accuracy,
            sparse_categorical_accuracy,
            top_k_categorical_accuracy,
            sparse_top_k_categorical_accuracy,
            cosine_similarity,
            pearson_correlation,
            concordance_correlation,
        )
    }
)

# name -> class or function: every name `get` accepts. As in Keras 3, a class is
# found by its name and its snake_case name ('mean_squared_error' -> MeanSquaredError),
# plus the short aliases; loss functions that have no metric class are found too.
ALL_OBJECTS_DICT: dict[str, object] = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {"bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mse": MeanSquaredError}
    | {"MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError}
    | {"mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError}
    | {"msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError}
    | {"kld": KLDivergence, "KLD": KLDivergence}
)
for _name, _fn in METRIC_FUNCTIONS.items():
    ALL_OBJECTS_DICT.setdefault(_name, _fn)  # e.g. 'huber', 'log_cosh'

# Keras 2 names that Keras 3 dropped: accepted, with a warning.
LEGACY_NAMES = {
    "logcosh": ("log_cosh_error", LogCoshError),
    "kullback_leibler_divergence": ("kl_divergence", KLDivergence),
    # Keras 2's metric was the loss function itself (negative cosine).
    "cosine_proximity": ("cosine_similarity", losses_module.cosine_similarity),
}


def __getattr__(name: str):
    """`metrics.logcosh` and other Keras 2 names: the loss function, plus a warning."""
    if name in losses_module.LEGACY_NAMES:
        return getattr(losses_module, name)
    raise AttributeError(f"module 'teachkeras.metrics' has no attribute {name!r}")


# --- identifiers ------------------------------------------------------------------------
def get(identifier, custom_objects: dict | None = None):
    """The metric an identifier stands for.

    A name or config dict gives a `Metric` instance (`'mse'` -> `MeanSquaredError()`),
    or a function where only a function exists (`'huber'`); a function or `Metric`
    is returned as it is; `None` gives `None`.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in LEGACY_NAMES:
        modern, obj = LEGACY_NAMES[identifier]
        legacy.warn_once(
            f"metrics.{identifier}",
            f"The metric name {identifier!r} is Keras 2's; Keras 3 calls it {modern!r}.",
        )
        return obj() if inspect.isclass(obj) else obj
    if isinstance(identifier, dict):
        obj = deserialize(identifier, custom_objects)
    else:
        obj = registry.resolve(
            identifier, ALL_OBJECTS_DICT, "metric", custom_objects, instantiate=True
        )
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj) and not isinstance(obj, Metric):
        raise ValueError(
            f"Could not interpret metric identifier: {identifier!r}. Expected a metric "
            "name such as 'accuracy', a function f(y_true, y_pred), or a Metric instance."
        )
    return obj


def resolve_compile_metric(identifier, loss=None, y_true_shape=None, y_pred_shape=None) -> Metric:
    """One entry of `compile(metrics=[...])` as a `Metric` instance (Keras 3's `get_metric`).

    - `'accuracy'` / `'acc'` become `BinaryAccuracy` (one output unit),
      `SparseCategoricalAccuracy` (labels with fewer axes than the outputs, or one
      label column against several units) or `CategoricalAccuracy` (one-hot labels);
      `'crossentropy'` / `'ce'` pick the cross-entropy the same way (Keras 2 allowed it).
      Keras 3 decides from the shapes only; if they are not known (None), the loss
      decides instead, as in Keras 2 (binary_crossentropy -> binary, ...).
    - The metric's name is the string the user wrote, so `'acc'` reports as `acc`.
    - Other names go through `get`; a plain function `f(y_true, y_pred)` becomes
      `MeanMetricWrapper(f, name=f.__name__)`; a `Metric` instance passes through.
    """
    if identifier is None:
        raise ValueError("Expected a metric, received `None`.")
    key = str(identifier).lower() if isinstance(identifier, str) else None
    if key in ("acc", "ce"):
        legacy.warn_once(
            f"metrics.{key}",
            f"metrics=[{identifier!r}] is the Keras 2 spelling (it logs '{identifier}'); Keras 3 "
            f"writes metrics=[{'accuracy' if key == 'acc' else 'crossentropy'!r}].",
        )
    if key in ("accuracy", "acc", "crossentropy", "ce"):
        kind = _label_kind(loss, y_true_shape, y_pred_shape)
        family = _ACCURACIES if key in ("accuracy", "acc") else _CROSSENTROPIES
        return family[kind](name=identifier)
    metric = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    elif isinstance(metric, Metric):
        name = metric.name
    else:  # Keras 2's key: the function's own name (Keras 3 snake_cases it)
        name = getattr(metric, "__name__", to_snake_case(type(metric).__name__))
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric, name=name)
    metric.name = name
    return metric


_ACCURACIES = {
    "binary": BinaryAccuracy,
    "sparse": SparseCategoricalAccuracy,
    "categorical": CategoricalAccuracy,
}
_CROSSENTROPIES = {
    "binary": BinaryCrossentropy,
    "sparse": SparseCategoricalCrossentropy,
    "categorical": CategoricalCrossentropy,
}


def _label_kind(loss, y_true_shape, y_pred_shape) -> str:
    """'binary', 'sparse' or 'categorical': from the shapes (Keras 3), else the loss (Keras 2)."""
    if y_true_shape is not None and y_pred_shape is not None:
        is_binary, is_sparse = is_binary_or_sparse_categorical(
            tuple(y_true_shape), tuple(y_pred_shape)
        )
        return "binary" if is_binary else "sparse" if is_sparse else "categorical"
    fn = getattr(loss, "fn", loss)  # a LossFunctionWrapper's function
    if isinstance(fn, str):
        fn = losses_module.get(fn)
        fn = getattr(fn, "fn", fn)
    if fn is binary_crossentropy or isinstance(loss, losses_module.BinaryCrossentropy):
        return "binary"
    if fn is sparse_categorical_crossentropy:
        return "sparse"
    return "categorical"


# --- configs ----------------------------------------------------------------------------
def serialize(metric) -> dict | None:
    """A metric (or metric function) as the dict Keras 3 writes into saved files."""
    return _serialize_keras_object(metric, "keras.metrics")


def deserialize(config, custom_objects: dict | None = None):
    """The metric (instance or function) that `serialize` described."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        return registry.resolve(config["config"], METRIC_FUNCTIONS, "metric", custom_objects)
    return registry.resolve(config, ALL_OBJECTS_DICT, "metric", custom_objects)


__all__ = [
    "AUC",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "ConcordanceCorrelation",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "R2Score",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "concordance_correlation",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "in_top_k",
    "kl_divergence",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "pearson_correlation",
    "poisson",
    "reduce_to_samplewise_values",
    "resolve_compile_metric",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]
