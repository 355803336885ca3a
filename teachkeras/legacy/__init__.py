"""What changed between Keras 1, 2 and 3, and the warning that teaches it.

Tutorials written for older Keras still work here: an old spelling is accepted,
behaves as it did, and warns once with the line to write today. This file is the
single table of those spellings, so a learner can read what changed in one place.
"""

from __future__ import annotations

import os
import sys
import warnings

# teachkeras/ (this file is teachkeras/legacy/__init__.py): frames below it are ours, not the learner's
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class KerasLegacyWarning(UserWarning):
    """An older Keras spelling was used; the message shows the modern one."""


# Every older spelling teachkeras accepts: (what you may find in a tutorial, the Keras that used
# it, what to write today). Each is accepted where it was used, behaves as it did, and warns
# once with the modern line; `tests/test_legacy.py` runs every row.
CHANGES: list[tuple[str, str, str]] = [
    # --- Keras 1 ---
    ("Dense(output_dim=8)", "Keras 1", "Dense(units=8)"),
    ("Dense(..., init='uniform')", "Keras 1", "Dense(..., kernel_initializer='uniform')"),
    ("Dense(..., W_regularizer=l2(0.01))", "Keras 1", "Dense(..., kernel_regularizer=l2(0.01))"),
    ("Dense(..., b_regularizer=...)", "Keras 1", "Dense(..., bias_regularizer=...)"),
    ("Dense(..., W_constraint=...)", "Keras 1", "Dense(..., kernel_constraint=...)"),
    ("Dense(..., bias=False)", "Keras 1", "Dense(..., use_bias=False)"),
    ("model.fit(..., nb_epoch=10)", "Keras 1", "model.fit(..., epochs=10)"),
    ("Convolution2D(32, 3, 3)", "Keras 1", "Conv2D(32, (3, 3))"),
    (
        "Conv2D(nb_filter=32, nb_row=3, nb_col=3)",
        "Keras 1",
        "Conv2D(filters=32, kernel_size=(3, 3))",
    ),
    ("Conv2D(..., border_mode='same')", "Keras 1", "Conv2D(..., padding='same')"),
    ("Conv2D(..., subsample=(2, 2))", "Keras 1", "Conv2D(..., strides=(2, 2))"),
    (
        "Convolution1D(filter_length=3, subsample_length=1)",
        "Keras 1",
        "Conv1D(kernel_size=3, strides=1)",
    ),
    ("MaxPooling1D(pool_length=2, stride=2)", "Keras 1", "MaxPooling1D(pool_size=2, strides=2)"),
    ("MaxPooling2D(..., border_mode='valid')", "Keras 1", "MaxPooling2D(..., padding='valid')"),
    ("Conv2D(..., dim_ordering='th')", "Keras 1", "Conv2D(..., data_format='channels_first')"),
    (
        "BatchNormalization(beta_init=..., gamma_init=..., mode=0)",
        "Keras 1",
        "BatchNormalization(beta_initializer=..., gamma_initializer=...)",
    ),
    (
        "merge([a, b], mode='sum')",
        "Keras 1",
        "Add()([a, b])  (concat: Concatenate(), mul: Multiply(), ...)",
    ),
    ("regularizers.l1l2(...), activity_l2(...)", "Keras 1", "regularizers.L1L2(...), L2(...)"),
    ("L2(l=0.01)", "Keras 1", "L2(l2=0.01)"),
    (
        "constraints.maxnorm(m=2), nonneg, unitnorm",
        "Keras 1",
        "constraints.MaxNorm(max_value=2), NonNeg(), UnitNorm()",
    ),
    ("imdb.load_data(nb_words=5000)", "Keras 1", "imdb.load_data(num_words=5000)"),
    # --- Keras 2 ---
    ("SGD(lr=0.01)", "Keras 2", "SGD(learning_rate=0.01)"),
    (
        "SGD(..., decay=1e-6)",
        "Keras 2",
        "SGD(learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6))",
    ),
    ("optimizer.lr", "Keras 2", "optimizer.learning_rate"),
    ("LeakyReLU(alpha=0.1)", "Keras 2", "LeakyReLU(negative_slope=0.1)"),
    ("activations.relu(x, alpha=0.1)", "Keras 2", "activations.relu(x, negative_slope=0.1)"),
    (
        "InputLayer(input_shape=(4,)) / batch_input_shape",
        "Keras 2",
        "InputLayer(shape=(4,)) / batch_shape",
    ),
    ("ReduceLROnPlateau(epsilon=1e-4)", "Keras 2", "ReduceLROnPlateau(min_delta=1e-4)"),
    ("model.predict_classes(x)", "Keras 2", "np.argmax(model.predict(x), axis=-1)"),
    ("model.predict_proba(x)", "Keras 2", "model.predict(x)"),
    (
        "model.fit_generator(gen, steps_per_epoch=...)",
        "Keras 2",
        "model.fit(gen, steps_per_epoch=...)",
    ),
    ("model.evaluate_generator / predict_generator", "Keras 2", "model.evaluate / model.predict"),
    (
        "class Data(keras.utils.Sequence)",
        "Keras 2",
        "class Data(keras.utils.PyDataset), calling super().__init__(**kwargs)",
    ),
    (
        "model.fit(generator, class_weight=...)",
        "Keras 2",
        "yield (x, y, sample_weight) batches, or fit(py_dataset, class_weight=...)",
    ),
    ("model.to_yaml() / model_from_yaml(...)", "Keras 2", "model.to_json() / model_from_json(...)"),
    ("metrics=['acc'] (history key 'acc')", "Keras 2", "metrics=['accuracy']"),
    ("metric.reset_states()", "Keras 2", "metric.reset_state()"),
    (
        "losses: logcosh, kullback_leibler_divergence, cosine_proximity",
        "Keras 2",
        "log_cosh, kl_divergence, cosine_similarity",
    ),
    ("kernel_regularizer='l1_l2'", "Keras 2", "kernel_regularizer=L1L2(l1=0.01, l2=0.01)"),
    (
        "from keras import backend as K; K.placeholder, K.function, K.gradients",
        "Keras 2",
        "a GradientTape and model(x) (teachkeras keeps the Keras 2 K, see teachkeras/backend)",
    ),
]

_already_warned: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int | None = None) -> None:
    """Warn with `message` the first time `key` is seen in this process.

    The warning points at the learner's line (the first caller outside teachkeras),
    however deep inside the library the old spelling was noticed.
    """
    if key in _already_warned:
        return
    _already_warned.add(key)
    warnings.warn(message, KerasLegacyWarning, stacklevel=stacklevel or _user_stacklevel())


def _user_stacklevel() -> int:
    """The `stacklevel` that makes `warnings.warn` (called from warn_once) name user code."""
    frame, level = sys._getframe(2), 2  # 0: here, 1: warn_once, 2: its caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def warn_renamed(owner: str, old: str, new: str, stacklevel: int | None = None) -> None:
    """Warn once that `owner(old=...)` is now spelled `owner(new...)`."""
    warn_once(
        f"{owner}.{old}",
        f"{owner}({old}=...) is the older Keras spelling; write {owner}({new}...) instead.",
        stacklevel=stacklevel,
    )


def pop_renamed(kwargs: dict, owner: str, old: str, new: str):
    """Take `old` out of `kwargs` (warning once) and return its value, or None if absent."""
    if old not in kwargs:
        return None
    warn_renamed(owner, old, new)
    return kwargs.pop(old)


def reset_warnings() -> None:
    """Forget which warnings were given (for tests)."""
    _already_warned.clear()


# Keras 1's `dim_ordering` names for the two image layouts (used by every image layer).
_DIM_ORDERINGS = {"tf": "channels_last", "th": "channels_first", "default": None}


def pop_dim_ordering(kwargs: dict, owner: str, data_format):
    """Keras 1's `dim_ordering='tf'/'th'` as Keras 2+'s `data_format` (warns once)."""
    if "dim_ordering" not in kwargs:
        return data_format
    value = kwargs.pop("dim_ordering")
    if value not in _DIM_ORDERINGS:
        raise ValueError(
            f"{owner}: dim_ordering must be 'tf' (data_format='channels_last'), 'th' "
            f"(data_format='channels_first') or 'default'. Received: dim_ordering={value!r}"
        )
    warn_renamed(owner, "dim_ordering", "data_format=")
    return _DIM_ORDERINGS[value] if data_format is None else data_format
