"""From what the user passes to `fit` (arrays, lists, dicts, pandas) to checked NumPy arrays.

Every check of the data happens here, before any training, so that a learner's
mistake (x and y of different lengths, an empty array, a NaN, text where numbers
belong, a misspelled output name) is reported in plain words instead of failing
deep inside a matrix product.

Data that is not array-like (a `PyDataset`, a generator) is read batch by batch by
`dataset_adapters.py`; each batch it reads comes through `prepare` here too.
"""

from __future__ import annotations

import difflib
import math
import numbers
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..backend import config
from ..backend.random import global_generator
from ..backend.tensor import Tensor, as_array
from ..legacy import user_stacklevel


def warn(message: str) -> None:
    """A warning at the learner's own line (the first frame outside teachkeras), as
    `legacy.warn_once` points its warnings, however deep in the library it is noticed."""
    warnings.warn(message, stacklevel=user_stacklevel())


@dataclass
class ArrayData:
    """Inputs, targets and sample weights as lists of arrays with the same first axis."""

    x: list[np.ndarray]
    y: list[np.ndarray] | None = None
    sample_weight: np.ndarray | None = None

    @property
    def num_samples(self) -> int:
        return len(self.x[0])

    def take(self, index) -> ArrayData:
        return ArrayData(
            [a[index] for a in self.x],
            None if self.y is None else [a[index] for a in self.y],
            None if self.sample_weight is None else self.sample_weight[index],
        )

    def batches(self, batch_size: int, shuffle: bool = False) -> Iterator[ArrayData]:
        """One pass: consecutive slices (the last may be smaller), in a new random order if `shuffle`."""
        order = global_generator().permutation(self.num_samples) if shuffle else None
        for start in range(0, self.num_samples, batch_size):
            index = slice(start, start + batch_size)
            yield self.take(order[index] if order is not None else index)


# --- what fit accepts ---------------------------------------------------------------------
ACCEPTED = (
    "  - NumPy arrays (or lists of numbers, pandas DataFrames and Series, tensors, anything "
    "with __array__);\n"
    "  - a list or a dict (by input name) of those, for a model with several inputs;\n"
    "  - a keras.utils.PyDataset, which gives batch i as dataset[i];\n"
    "  - a Python generator or iterator yielding batches (x, y) or (x, y, sample_weight)."
)


def is_array_like(data) -> bool:
    """True when `np.asarray(data)` is safe: arrays, tensors, numbers, text, objects with
    `__array__`, and lists/tuples of those.

    An object that only has `__len__` and `__getitem__` is not: NumPy would index it
    until an IndexError, which a Keras-style dataset (returning an empty slice past its
    end) never raises, and memory runs out. Such objects are refused by name instead.
    """
    if isinstance(data, list | tuple):  # the first element in depth, the rest at the top
        return all(_is_element(d) for d in data) and (not data or is_array_like(data[0]))
    return _is_element(data)


def _is_element(data) -> bool:
    plain = np.ndarray | np.generic | Tensor | numbers.Number | str | bytes | list | tuple
    return data is None or isinstance(data, plain) or hasattr(data, "__array__")


def unreadable_data_error(data, what: str, verb: str) -> TypeError:
    """The error for data that is neither array-like nor a dataset, listing what is accepted."""
    kind = type(data).__name__
    if isinstance(data, list | tuple):  # name what inside is not data
        inner = next((d for d in data if not is_array_like(d)), None)
        kind, data = f"{kind} holding a {type(inner).__name__}", inner
    message = (
        f"{caller(verb)} cannot read {what}: it is a {kind}, which is neither array-like nor "
        f"a dataset. It accepts:\n{ACCEPTED}"
    )
    if hasattr(data, "__len__") and hasattr(data, "__getitem__"):
        name = type(data).__name__
        message += (
            f"\n{name} has __len__ and __getitem__, like a dataset of batches: make it a "
            f"keras.utils.PyDataset (class {name}(keras.utils.PyDataset), calling "
            "super().__init__() in __init__), and fit reads len() batches by index."
        )
    return TypeError(message)


# --- arrays --------------------------------------------------------------------------------
def caller(verb: str) -> str:
    """How messages name the call: `fit()`, `evaluate()`, `predict()`, or fit's validation data."""
    return "fit(validation_data=...)" if verb == "validation" else f"{verb}()"


def prepare(
    x,
    y=None,
    sample_weight=None,
    class_weight=None,
    model=None,
    verb: str = "fit",
    check_finite: bool = True,
) -> ArrayData:
    """Check and package the data given to fit/evaluate/predict (or one batch of a dataset)."""
    if isinstance(x, ArrayData):  # already checked (the two parts of a validation_split)
        return apply_class_weight(x, class_weight)
    if x is None:
        raise ValueError(f"No data was given: pass x (and y) to {caller(verb)}.")
    xs = to_arrays(x, "x", model, verb)
    ys = to_arrays(y, "y", model, verb)
    sw = None if sample_weight is None else _to_array(sample_weight, "sample_weight", verb)
    if sw is not None:
        sw = sw.astype(config.floatx(), copy=False)
    _check_lengths(xs, ys, sw)
    data = ArrayData(xs, ys, sw)
    if check_finite:
        warn_non_finite(data, verb)
    return apply_class_weight(data, class_weight)


def warn_non_finite(data: ArrayData, verb: str) -> bool:
    """Warn when x or y holds NaN or ±inf; True if it did."""
    warned = _warn_non_finite(data.x, "x", verb)
    if data.y is not None:
        warned = _warn_non_finite(data.y, "y", verb) or warned
    return warned


def to_arrays(data, what: str, model=None, verb: str = "fit") -> list[np.ndarray] | None:
    """One array, or a list/dict of them (one per input or output) -> a list of arrays."""
    if data is None:
        return None
    if isinstance(data, dict):
        names = _names_for(model, what)
        data = select_by_name(data, names, what) if names else list(data.values())
    items = data if isinstance(data, list | tuple) and _is_list_of_arrays(data) else [data]
    text_ok = what == "x" and takes_text(model)
    return [_to_array(item, what, verb, text_ok) for item in items]


def takes_text(model) -> bool:
    """Whether the model reads raw strings: an `Input(dtype="string")`, or a first layer
    that reads text (TextVectorization) in a Sequential not built yet."""
    if model is None:
        return False
    try:
        inputs = list(getattr(model, "inputs", None) or [])
    except AttributeError:  # a Sequential whose input shape is not known yet
        inputs = []
    if any(getattr(t, "dtype", None) == "string" for t in inputs):
        return True
    layers = list(getattr(model, "layers", None) or [])
    return bool(layers) and getattr(layers[0], "reads_text", False)


def _to_array(item, what: str, verb: str, text_ok: bool = False) -> np.ndarray:
    """One array-like -> a NumPy array of numbers (floats become floatx), or a clear error."""
    if _is_pandas(item):
        array = _pandas_to_array(item, what)
    elif is_array_like(item):
        try:
            array = np.asarray(as_array(item))
        except ValueError as error:  # NumPy refuses rows of different lengths
            raise ValueError(
                f"Could not turn {what} into one array: its rows have different lengths "
                f"(ragged data; NumPy says: {error}). Pad or cut every row to one length first."
            ) from None
    else:
        raise unreadable_data_error(item, what, verb)
    if text_ok and array.dtype.kind in "USO":  # texts for a model that reads them
        return array.astype(str)
    array = _check_numeric(array, what)
    if np.issubdtype(array.dtype, np.floating) and array.dtype != np.dtype(config.floatx()):
        array = array.astype(config.floatx())
    if array.ndim == 0:
        raise ValueError(f"{what} must have a batch axis; got a single number {array}.")
    return array


_ALL_NUMBERS = object()


def _is_number_text(text) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_numeric(array: np.ndarray, what: str) -> np.ndarray:
    """Numbers only: text and Python objects get an error that says what to do instead."""
    if array.dtype.kind in "biuf":
        return array
    # the first value that is not a number (an error path: a Python loop is fine here)
    if array.dtype.kind in "US":
        not_numbers = (v for v in array.flat if not _is_number_text(v))
    else:
        not_numbers = (v for v in array.flat if not isinstance(v, numbers.Number))
    example = next(not_numbers, _ALL_NUMBERS)
    if example is _ALL_NUMBERS and array.dtype.kind in "US":
        raise ValueError(
            f"{what} holds numbers written as text (dtype {array.dtype}, e.g. "
            f"{array.flat[0].item()!r}): convert them first, {what} = {what}.astype('float32')."
        )
    if example is _ALL_NUMBERS:
        return array.astype(np.float64)  # Python numbers in an object array
    if isinstance(example, np.generic):
        example = example.item()  # 'cat', not np.str_('cat')
    if array.dtype.kind in "US" or isinstance(example, str | bytes):
        if what == "y":
            raise ValueError(
                f"y holds text labels (dtype {array.dtype}, e.g. {example!r}), but a loss compares "
                "numbers. Turn the labels into class indices first: "
                "classes, y = np.unique(y, return_inverse=True)."
            )
        raise ValueError(
            f"{what} holds text (dtype {array.dtype}, e.g. {example!r}), but a model computes with "
            "numbers. Turn categories into integers (np.unique(x, return_inverse=True)[1]) or "
            "one-hot vectors (keras.utils.to_categorical), and text into token ids, first."
        )
    raise ValueError(
        f"Could not turn {what} into a numeric array: it holds {array.dtype} values such as "
        f"{example!r}. Give numbers: ints, floats or bools."
    )


def _is_pandas(data) -> bool:
    return type(data).__module__.partition(".")[0] == "pandas" and hasattr(data, "dtypes")


def _pandas_to_array(data, what: str) -> np.ndarray:
    """A DataFrame or Series -> an array; text and category columns are named, not guessed.

    pandas's nullable columns (`Int64`, `Float64`, `boolean`) become floats with NaN
    where pandas had NA, so the NaN check below counts the missing values.
    """
    columns = data.dtypes.items() if hasattr(data, "columns") else [(data.name, data.dtype)]
    categorical, text, nullable = [], [], False
    for column, dtype in columns:
        if str(dtype) == "category":
            categorical.append(column)
        elif getattr(dtype, "kind", "O") in "OSU":
            text.append(column)
        elif not isinstance(dtype, np.dtype):
            nullable = True
    if categorical:
        raise ValueError(
            f"{what} has categorical columns {categorical}: a model computes with numbers. "
            f"Use their codes (df[{categorical[0]!r}].cat.codes) or one-hot columns "
            f"(pd.get_dummies(df, columns={categorical}))."
        )
    if text:
        raise ValueError(
            f"{what} has text columns {text} (dtype object or string): a model computes with "
            f"numbers. One-hot encode them (pd.get_dummies(df, columns={text})), turn them into "
            f"codes (df[{text[0]!r}].astype('category').cat.codes), or drop them."
        )
    if nullable:
        return data.to_numpy(dtype="float64", na_value=np.nan)
    return data.to_numpy()


def _is_list_of_arrays(data) -> bool:
    """`[x1, x2]` (several inputs, each an array) as opposed to `[1, 2, 3]` (one input as a list)."""
    return len(data) > 0 and all(isinstance(d, np.ndarray | Tensor) or _is_pandas(d) for d in data)


def _names_for(model, what: str) -> list[str]:
    if model is None:
        return []
    return list(getattr(model, "input_names" if what == "x" else "output_names", []) or [])


def select_by_name(data: dict, names: list[str], what: str) -> list:
    """The values of a dict in the order of `names` (a model's inputs or outputs), by key only.

    A misspelled key is never matched by position: the error names the missing name,
    the unknown key and the closest name.
    """
    role = "input" if what in ("x", "inputs") else "output"
    missing = [name for name in names if name not in data]
    unknown = [key for key in data if key not in names]
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(str(key), missing or names, n=1, cutoff=0.5)
        hints.append(
            f"The key {key!r} matches no {role}"
            + (f": did you mean {close[0]!r}?" if close else ".")
        )
    if missing:
        raise ValueError(
            f'Missing data for {role} "{missing[0]}". You passed a data dictionary with keys '
            f"{list(data)}. Expected the following keys: {names}. " + " ".join(hints)
        )
    if unknown:
        warn(
            f"The {what} dict has keys that match no {role} {names}; they are ignored. "
            + " ".join(hints)
        )
    return [data[name] for name in names]


def _check_lengths(xs, ys, sw) -> None:
    sizes = {"x": [len(a) for a in xs]}
    if ys is not None:
        sizes["y"] = [len(a) for a in ys]
    if sw is not None:
        sizes["sample_weight"] = [len(sw)]
    every = {n for group in sizes.values() for n in group}
    if len(every) > 1:
        listing = ", ".join(f"{k} sizes: {', '.join(map(str, v))}" for k, v in sizes.items())
        raise ValueError(
            f"Data cardinality is ambiguous: {listing}. Make sure all arrays contain the same "
            "number of samples (the first axis is the sample axis)."
        )
    if every == {0}:
        raise ValueError("The data is empty (0 samples): check how x and y were built or filtered.")


def _warn_non_finite(arrays: list[np.ndarray], what: str, verb: str = "fit") -> bool:
    """Warn (and return True) when an array holds NaN or ±inf."""
    warned = False
    for i, a in enumerate(arrays):
        if np.issubdtype(a.dtype, np.floating):
            nan, inf = _count_non_finite(a)
            if nan or inf:
                where = what if len(arrays) == 1 else f"{what}[{i}]"
                effect = (
                    "the predictions for those samples will be NaN"
                    if verb == "predict"
                    else "the loss will become NaN"
                )
                warn(
                    f"{where} contains {nan} NaN and {inf} infinite values out of {a.size}; "
                    f"{effect}. Clean or impute them (e.g. np.nan_to_num) first."
                )
                warned = True
    return warned


def _count_non_finite(a: np.ndarray) -> tuple[int, int]:
    """How many NaN and how many ±inf values `a` holds.

    One quick pass answers for clean data (the usual case, and `fit` checks every call):
    a NaN or an infinity makes the sum non-finite. A sum can also overflow with finite
    values only; the exact count, which reads the data twice more, then finds none.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # this check warns in its own words
        if np.isfinite(a.sum()):
            return 0, 0
    return int(np.isnan(a).sum()), int(np.isinf(a).sum())


# --- class weights, validation split --------------------------------------------------------
def apply_class_weight(data: ArrayData, class_weight) -> ArrayData:
    """Each sample weighted by its class's weight (times its own sample weight, if any)."""
    if class_weight is None:
        return data
    if data.y is None or len(data.y) != 1:
        raise ValueError(
            "`class_weight` is only supported for models with a single output and given y."
        )
    return ArrayData(data.x, data.y, class_weights_for(data.y[0], class_weight, data.sample_weight))


def class_weights_for(y: np.ndarray, class_weight: dict, sample_weight=None) -> np.ndarray:
    """The weight of each sample's class: the label, or the argmax of a one-hot row."""
    labels = (
        np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    )
    labels = np.round(labels).astype(np.int64)
    missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
    if missing:
        raise ValueError(
            f"class_weight has no entry for classes {missing}; it has {sorted(class_weight)}."
        )
    weights = np.array([class_weight[c] for c in labels], dtype=config.floatx())
    return weights if sample_weight is None else sample_weight * weights


def split_validation(
    x, y, sample_weight, validation_split: float, model=None
) -> tuple[ArrayData, ArrayData]:
    """The last `validation_split` fraction is held out, before class weights and shuffling."""
    if not 0 <= validation_split < 1:
        raise ValueError(
            f"validation_split must be in [0, 1), got {validation_split}: it is the fraction of "
            "the training data held out for validation, e.g. 0.2."
        )
    if not is_array_like(x) and not isinstance(x, dict):
        raise ValueError(
            f"validation_split is only supported for arrays; x is a {type(x).__name__}. "
            "Pass validation_data instead: a tuple (x_val, y_val), a generator or a PyDataset."
        )
    data = prepare(x, y, sample_weight, model=model)
    n = data.num_samples
    split_at = math.floor(n * (1 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={validation_split} of {n} samples leaves "
            f"{split_at} for training and {n - split_at} for validation; both need at least one."
        )
    return data.take(slice(0, split_at)), data.take(slice(split_at, n))


def unpack_validation_data(validation_data):
    """(x_val, y_val), (x_val, y_val, sample_weight_val), or a dataset of such batches."""
    if not isinstance(validation_data, list | tuple):
        return validation_data, None, None  # a PyDataset, a generator (checked where read)
    if len(validation_data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), "
            f"or a generator or PyDataset; got a {type(validation_data).__name__} of length "
            f"{len(validation_data)}."
        )
    x, y, *rest = validation_data
    return x, y, (rest[0] if rest else None)


# --- arguments --------------------------------------------------------------------------------
def check_batch_size(batch_size) -> int | None:
    """A positive int, or None (then 32, or what `steps` implies); `True` and `2.0` are refused."""
    return _positive_int_or_none(
        batch_size, "batch_size must be a positive integer (the number of samples per step)"
    )


def check_steps(steps, name: str) -> int | None:
    """A positive int, or None (the whole dataset); `name` is the argument's (`steps_per_epoch`)."""
    return _positive_int_or_none(
        steps, f"{name} must be a positive integer or None (e.g. len(x_train) // batch_size)"
    )


def _positive_int_or_none(value, requirement: str) -> int | None:
    """`value` as an int if it is a whole number ≥ 1 (not `True`, not `2.0`), or None."""
    if value is None:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{requirement}, got {value!r}.")
    return int(value)


def check_verbose(verbose) -> int:
    """`"auto"` is 1 and `"silent"` is 0, as in Keras 3; otherwise 0, 1 or 2."""
    if verbose == "auto":
        return 1
    if verbose == "silent":
        return 0
    if not isinstance(verbose, numbers.Integral) or verbose not in (0, 1, 2):
        raise ValueError(
            f"verbose must be 'auto', 'silent', 0 (silent), 1 (progress bar) or 2 (one line per "
            f"epoch); got {verbose!r}."
        )
    return int(verbose)
