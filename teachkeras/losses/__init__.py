"""Losses: what training minimises (`keras.losses`).

Every loss exists twice, as in Keras:

- a plain function, `mean_squared_error(y_true, y_pred)`, returning one value per
  sample, written with backend ops (so its gradient comes for free);
- a class, `MeanSquaredError(reduction=..., name=...)`, whose call weights and
  reduces those values to the scalar that `fit` differentiates.

The files follow Keras's families: `loss.py` (the `Loss` base and reductions),
`regression_losses.py`, `probabilistic_losses.py`, `hinge_losses.py`.

    losses.get("mse")                  -> the function mean_squared_error
    losses.get("MeanSquaredError")     -> a MeanSquaredError() instance
    losses.as_loss_object("mse")       -> always a Loss instance (what compile uses)
"""

from __future__ import annotations

import inspect

from .. import legacy
from ..serialization import registry
from ..serialization.keras_objects import deserialize_keras_object, serialize_keras_object
from .focal_losses import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from .hinge_losses import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    convert_binary_labels_to_hinge,
    hinge,
    squared_hinge,
)
from .loss import (
    Loss,
    LossFunctionWrapper,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)
from .overlap_losses import Dice, Tversky, dice, tversky
from .probabilistic_losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from .regression_losses import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    l2_normalize,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)

# Short names that Keras 3 still accepts (as strings, and in Keras 2 as attributes).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    kl_divergence,
    poisson,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    Dice,
    Tversky,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    dice,
    tversky,
)

# name -> class or function: every name `get` accepts (Keras 3's table).
ALL_OBJECTS_DICT: dict[str, object] = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {"bce": bce, "BCE": BCE, "kld": kld, "KLD": KLD, "mae": mae, "MAE": MAE}
    | {"mse": mse, "MSE": MSE, "mape": mape, "MAPE": MAPE, "msle": msle, "MSLE": MSLE}
)

# Keras 2 names that Keras 3 dropped: still accepted here, with a warning.
LEGACY_NAMES = {
    "logcosh": "log_cosh",
    "kullback_leibler_divergence": "kl_divergence",
    "cosine_proximity": "cosine_similarity",
}


def __getattr__(name: str):
    """`losses.logcosh` and the other Keras 2 names: the function, plus a warning."""
    if name in LEGACY_NAMES:
        return _legacy_name(name)
    raise AttributeError(f"module 'teachkeras.losses' has no attribute {name!r}")


def _legacy_name(name: str):
    modern = LEGACY_NAMES[name]
    legacy.warn_once(
        f"losses.{name}",
        f"The loss name {name!r} is Keras 2's; Keras 3 calls it {modern!r}.",
        stacklevel=4,
    )
    return ALL_OBJECTS_DICT[modern]


# --- identifiers ------------------------------------------------------------------------
def get(identifier, custom_objects: dict | None = None):
    """The loss an identifier stands for.

    A function name (`'mse'`, `'categorical_crossentropy'`) gives the function; a
    class name (`'MeanSquaredError'`) or a config dict gives an instance; a function
    or `Loss` instance is returned as it is; `None` gives `None`.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier in LEGACY_NAMES:
        return _legacy_name(identifier)
    if isinstance(identifier, dict):
        obj = deserialize(identifier, custom_objects)
    else:
        obj = registry.resolve(
            identifier, ALL_OBJECTS_DICT, "loss", custom_objects, instantiate=True
        )
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(
            f"Could not interpret loss identifier: {identifier!r}. Expected a loss name "
            "such as 'mse', a loss function, or a Loss instance."
        )
    return obj


def as_loss_object(identifier, custom_objects: dict | None = None) -> Loss:
    """Always a `Loss` instance: what `compile(loss=...)` stores.

    A function becomes `LossFunctionWrapper(fn)`, named by the string the user wrote
    (`'mse'` stays `'mse'`) or by the function's `__name__`.
    """
    obj = get(identifier, custom_objects)
    if obj is None or isinstance(obj, Loss):
        return obj
    name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", None)
    return LossFunctionWrapper(obj, name=name)


def resolve_compile_loss(identifier, y_true_shape, y_pred_shape) -> Loss:
    """`compile(loss=...)` as Keras 3 resolves it, including `'crossentropy'`/`'ce'`.

    `'crossentropy'` picks binary (one output unit), sparse categorical (labels
    with fewer axes, or one label column against several units) or categorical
    cross-entropy from the shapes, as `keras.src.trainers.compile_utils.get_loss`.
    """
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        if is_binary:
            fn = binary_crossentropy
        elif is_sparse:
            fn = sparse_categorical_crossentropy
        else:
            fn = categorical_crossentropy
        return LossFunctionWrapper(fn, name=str(identifier))
    return as_loss_object(identifier)


def is_binary_or_sparse_categorical(y_true_shape, y_pred_shape) -> tuple[bool, bool]:
    """(one output unit?, integer labels?) from the two shapes (Keras 3's rule)."""
    true_rank, pred_rank = len(y_true_shape), len(y_pred_shape)
    true_last = y_true_shape[-1] if true_rank else None
    pred_last = y_pred_shape[-1] if pred_rank else None
    is_binary = pred_last == 1
    is_sparse = true_rank < pred_rank or (
        true_last == 1 and pred_last is not None and pred_last > 1
    )
    return is_binary, is_sparse


# --- configs ----------------------------------------------------------------------------
def serialize(loss) -> dict | None:
    """A loss function or `Loss` as the dict Keras 3 writes into saved files.

    A function is stored by name: `{'module': 'builtins', 'class_name': 'function',
    'config': 'mean_squared_error', 'registered_name': 'function'}`.
    """
    return serialize_keras_object(loss, "keras.losses")


def deserialize(config, custom_objects: dict | None = None):
    """The loss (function or instance) that `serialize` described."""
    return deserialize_keras_object(config, ALL_OBJECTS_DICT, "loss", custom_objects)


__all__ = [
    "BCE",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "as_loss_object",
    "bce",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "convert_binary_labels_to_hinge",
    "cosine_similarity",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "is_binary_or_sparse_categorical",
    "kl_divergence",
    "kld",
    "l2_normalize",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "reduce_weighted_values",
    "resolve_compile_loss",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "squeeze_or_expand_to_same_rank",
    "standardize_reduction",
    "tversky",
]
