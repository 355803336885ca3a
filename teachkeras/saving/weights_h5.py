"""Keras 3's weights layout: `model.weights.h5` (alone, or inside a `.keras` zip).

Keras 3 does not store weights by layer *name* but by where each object sits in the
model, found by walking it the way Keras does:

    vars                              attrs {name: 'sequential'}  (the model's own weights)
    layers/dense/vars/0, 1            attrs {name: 'dense'}       kernel, bias
    layers/dropout/vars               attrs {name: 'dropout'}     (no weights: empty)
    layers/dense_1/vars/0, 1          attrs {name: 'dense_1'}
    optimizer/vars/0, 1, 2, ...       attrs {name: 'adam'}        iteration, learning_rate, slots

The walk: a Sequential or Functional model first lists `model.layers` as the
container `layers`; then, for any object, every attribute (sorted by name, private
ones last) that holds a layer, an optimizer, or a list/dict of them. Inside a
container each item is named after its *class* in snake case, numbered in order
(`dense`, `dense_1`, ...), so the names do not depend on the layers' own names.
Each object's variables are `0`, `1`, ... in the order `_trainable_variables +
_non_trainable_variables` (for an optimizer: `optimizer.variables`).

Loading checks everything first (which groups, how many arrays, which shapes) and
assigns only when all of it fits, so a file for another model changes nothing.

Every array teachkeras writes (here and in `legacy_h5.py`) carries one extra attribute,
`teachkeras_crc32`: a CRC-32 of its dtype, shape and values. A `.keras` zip checks its
members' CRCs, but a bare HDF5 file has no checksum of its data, so one flipped bit
in a weight would load silently with other predictions. Reading verifies the CRC when
the attribute is there; Keras ignores it, and files from Keras, which have none, load
as before.
"""

from __future__ import annotations

import warnings
import zlib

import h5py
import numpy as np

from ..backend.naming import to_snake_case
from .atomic import atomic_write
from .errors import ModelFileError, check_exists, reading

_MAX_PROBLEMS_SHOWN = 5
HDF5_ATTRIBUTE_LIMIT = 60000  # bytes; an object header (all its attributes) holds at most 64 KB
CHECKSUM_ATTR = "teachkeras_crc32"  # on every array teachkeras writes; Keras reads no such name


# --- finding every saveable object, as Keras walks a model ------------------------------
def _is_saveable(obj) -> bool:
    from ..layers.layer import Layer
    from ..optimizers.optimizer import Optimizer

    return isinstance(obj, Layer | Optimizer)


_skipset: set[str] | None = None


def _layer_skipset() -> set[str]:
    """Attributes every layer has (Keras skips them): only a subclass's own ones are walked."""
    global _skipset
    if _skipset is None:
        from ..layers.layer import Layer

        probe = Layer(name="__saving_probe__")  # named, so no default name is used up
        _skipset = set(dir(probe)) | {"_functional"}  # Sequential's internal graph view
    return _skipset


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name  # private attributes last


def _children(obj):
    """(attribute name, value) pairs to walk, in Keras's order."""
    from ..models.functional import Functional
    from ..models.sequential import Sequential
    from ..optimizers.optimizer import Optimizer

    if isinstance(obj, Optimizer):
        return  # its state is its own variables
    if isinstance(obj, Sequential | Functional):
        yield "layers", obj.layers
    skip = _layer_skipset()
    for attr in sorted(dir(obj), key=_name_key):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            value = getattr(obj, attr)
        except Exception:  # a property that needs a built model, say: not state
            continue
        yield attr, value


def state_tree(model) -> list[tuple[str, object]]:
    """Every layer and optimizer of `model` with its path in the weights file."""
    found: list[tuple[str, object]] = []
    seen: set[int] = set()
    seen_containers: set[int] = set()

    def join(path: str, name: str) -> str:
        return f"{path}/{name}" if path else name

    def visit(obj, path: str) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        found.append((path, obj))
        for attr, child in _children(obj):
            if _is_saveable(child):
                visit(child, join(path, attr))
            elif isinstance(child, list | tuple | dict):
                visit_container(child, join(path, attr))

    def visit_container(container, path: str) -> None:
        if id(container) in seen_containers:
            return
        seen_containers.add(id(container))
        items = list(container.values()) if isinstance(container, dict) else list(container)
        counts: dict[str, int] = {}
        names = []
        for item in items:
            if _is_saveable(item):
                names.append(_numbered(to_snake_case(type(item).__name__), counts))
            elif isinstance(item, list | tuple | dict):
                names.append(_numbered("container", counts))
            else:
                names.append(None)
        for item, name in zip(items, names, strict=True):
            if name is None:
                continue
            if _is_saveable(item):
                visit(item, join(path, name))
            else:
                visit_container(item, join(path, name))

    visit(model, "")
    return found


def _numbered(base: str, counts: dict[str, int]) -> str:
    """`dense`, then `dense_1`, `dense_2`: Keras's names inside a container."""
    if base in counts:
        counts[base] += 1
        return f"{base}_{counts[base]}"
    counts[base] = 0
    return base


# --- the variables of one object --------------------------------------------------------
def own_variables(obj) -> list:
    """The variables stored for `obj` itself (its sub-layers have their own groups)."""
    from ..optimizers.optimizer import Optimizer

    if isinstance(obj, Optimizer):
        return obj.variables
    return list(obj._trainable_variables) + list(obj._non_trainable_variables)


def _saved_arrays(obj) -> dict[str, np.ndarray]:
    """`{'0': array, '1': array, ...}`, or what a custom `save_own_variables` stores."""
    save = getattr(obj, "save_own_variables", None)
    if save is not None:
        store: dict = {}
        save(store)
        return {key: np.asarray(value) for key, value in store.items()}
    return {str(i): np.array(v.numpy()) for i, v in enumerate(own_variables(obj))}


# --- writing ------------------------------------------------------------------------------
def write_model_state(model, h5file: h5py.File) -> None:
    """Write every layer's and the optimizer's variables into an open HDF5 file."""
    for path, obj in state_tree(model):
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = fixed_string(obj.name)  # metadata only: Keras never reads it
        for key, value in _saved_arrays(obj).items():
            write_dataset(group, key, value)


def save_weights(model, filepath) -> None:
    """Write `filepath` (a `.weights.h5`) in Keras 3's layout, atomically."""
    _require_built(model, "save weights")
    with atomic_write(filepath) as tmp:
        with h5py.File(tmp, "w") as h5file:
            write_model_state(model, h5file)


# --- reading ------------------------------------------------------------------------------
def load_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Read a Keras 3 `.weights.h5` into `model` (all or nothing)."""
    _require_built(model, "load weights")
    check_exists(filepath)
    with reading(filepath), h5py.File(filepath, "r") as h5file:
        if not is_keras3_layout(h5file):
            raise ModelFileError(
                filepath,
                "it holds no Keras 3 weights (no 'vars' or 'layers' groups).",
                "Is it a Keras 2 weights file? Name it '.h5' and load it with model.load_weights().",
            )
        read_model_state(model, h5file, filepath, skip_mismatch)


def is_keras3_layout(h5file) -> bool:
    return "layers" in h5file or "vars" in h5file


def read_model_state(
    model, h5file, source, skip_mismatch: bool = False, load_optimizer: bool = True
) -> None:
    """Check that the file's arrays fit `model`, then assign them all.

    Layer problems raise `ModelFileError` (or warn and skip that layer with
    `skip_mismatch=True`). An optimizer whose state does not fit is left fresh with a
    warning, as Keras does: the model itself is complete.
    """
    from ..optimizers.optimizer import Optimizer

    tree = state_tree(model)
    if any(not obj.built for _, obj in tree if not isinstance(obj, Optimizer)):
        tree = state_tree(_build_by_running(model))
    assignments: list[tuple[object, dict[str, np.ndarray]]] = []
    problems: list[str] = []
    used_paths: list[str] = []
    for path, obj in tree:
        if isinstance(obj, Optimizer):
            continue
        arrays, problem = _read_object(h5file, path, obj, source)
        used_paths.append(path)
        if problem is None:
            assignments.append((obj, arrays))
        elif skip_mismatch:
            warnings.warn(f"Skipping loading weights for {problem}", stacklevel=3)
        else:
            problems.append(problem)
    problems += _unused_layer_groups(h5file, used_paths, skip_mismatch)
    if problems:
        raise ModelFileError(source, _problems_sentence(problems), _ARCHITECTURE_HINT)

    optimizer = getattr(model, "optimizer", None)
    if load_optimizer and optimizer is not None and _group_at(h5file, "optimizer/vars") is not None:
        arrays = _read_optimizer(h5file, optimizer, model, source)
        if arrays is not None:
            assignments.append((optimizer, arrays))
    for obj, arrays in assignments:
        _assign(obj, arrays)


def _build_by_running(model):
    """Build sub-layers that are only built when data flows (a custom layer's inner Dense).

    Keras builds them while rebuilding the graph; here, one batch of zeros does it.
    """
    from ..backend.tensor import no_grad

    inputs = getattr(model, "inputs", None)
    if not inputs:
        return model
    zeros = [np.zeros([1 if d is None else d for d in t.shape], dtype=t.dtype) for t in inputs]
    with no_grad():
        model(zeros[0] if len(zeros) == 1 else zeros, training=False)
    return model


def _read_object(h5file, path: str, obj, source) -> tuple[dict, str | None]:
    """The stored arrays of one layer, or a sentence saying why they do not fit."""
    variables = own_variables(obj)
    where = f"{path}/vars" if path else "vars"
    group = _group_at(h5file, where)
    what = f"layer {obj.name!r} ({where})" if path else f"model {obj.name!r} (its own weights)"
    if group is None:
        if variables:
            return {}, f"{what}: the file has no weights for it (expected {len(variables)})."
        return {}, None
    keys = list(group.keys())
    if getattr(obj, "load_own_variables", None) is not None:  # a custom layer reads itself
        return {key: read_dataset(group, key, source) for key in keys}, None
    if len(keys) != len(variables):
        return {}, f"{what}: it has {len(variables)} weights, the file has {len(keys)}."
    arrays = {}
    for i, variable in enumerate(variables):
        dataset = dataset_at(group, str(i))
        if tuple(dataset.shape) != tuple(variable.shape):
            return {}, (
                f"{what}: weight {i} ({variable.path}) has shape {tuple(variable.shape)}, "
                f"the file has {tuple(dataset.shape)}."
            )
        arrays[str(i)] = read_dataset(group, str(i), source)
    return arrays, None


def _read_optimizer(h5file, optimizer, model, source) -> dict | None:
    """The optimizer's stored state, building its slots first if the file has them."""
    group = _group_at(h5file, "optimizer/vars")
    keys = list(group.keys())
    if len(keys) != len(optimizer.variables) and not optimizer.built:
        optimizer.build(model.trainable_weights)  # the file was saved after training began
    variables = optimizer.variables
    problem = None
    if len(keys) != len(variables):
        problem = f"it has {len(variables)} variables whereas the saved optimizer has {len(keys)}"
    else:
        for i, variable in enumerate(variables):
            shape = tuple(dataset_at(group, str(i)).shape)
            if shape != tuple(variable.shape):
                problem = (
                    f"variable {variable.path} has shape {variable.shape}, the file has {shape}"
                )
                break
    if problem:
        warnings.warn(
            f"Skipping variable loading for optimizer {optimizer.name!r}, because {problem}. "
            "Training will continue with a freshly initialized optimizer.",
            stacklevel=4,
        )
        return None
    return {str(i): read_dataset(group, str(i), source) for i in range(len(variables))}


def _assign(obj, arrays: dict[str, np.ndarray]) -> None:
    from ..optimizers.optimizer import Optimizer

    load = getattr(obj, "load_own_variables", None)
    if load is not None and not isinstance(obj, Optimizer):
        load(arrays)
        return
    for i, variable in enumerate(own_variables(obj)):
        variable.assign(arrays[str(i)])


def _unused_layer_groups(h5file, used_paths: list[str], skip_mismatch: bool) -> list[str]:
    """Layer groups of the file that no layer of the model read: another architecture.

    Groups *inside* a layer that was read (Keras's seed-generator state of a seeded
    Dropout, say) are state we do not keep, not a different architecture.
    """
    layers_group = _group_at(h5file, "layers")
    if layers_group is None:
        return []
    unused = []
    for key in layers_group:
        path = f"layers/{key}"
        if any(p == path or p.startswith(path + "/") for p in used_paths):
            continue
        vars_group = _group_at(h5file, f"{path}/vars")
        if vars_group is not None and len(vars_group) == 0 and len(layers_group[key]) == 1:
            continue  # an extra layer without weights (an InputLayer, say): nothing lost
        unused.append(path)
    if not unused:
        return []
    message = f"the file has weights for layers this model does not have: {', '.join(unused)}."
    if skip_mismatch:
        warnings.warn(f"Skipping {message}", stacklevel=4)
        return []
    return [message]


_ARCHITECTURE_HINT = (
    "Was the file saved from a model with another architecture? Build the same model "
    "(same layers, same order, same sizes) before loading, or pass skip_mismatch=True."
)


def _problems_sentence(problems: list[str]) -> str:
    shown = "; ".join(problems[:_MAX_PROBLEMS_SHOWN])
    more = len(problems) - _MAX_PROBLEMS_SHOWN
    extra = f" (and {more} more)" if more > 0 else ""
    return f"the weights do not fit this model: {shown}{extra}"


def _require_built(model, verb: str) -> None:
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} is not built yet, so it has no weights to {verb.split()[0]} "
            "into or from. Build it first: start it with Input(shape=...), call it on data, "
            "or call model.build(input_shape)."
        )


# --- careful HDF5 access (the file may be hostile) ------------------------------------------
def _group_at(parent, path: str):
    """The group at `path`, or None when absent. Links to elsewhere are refused."""
    current = parent
    for part in path.split("/"):
        if not part:
            continue
        if not isinstance(current, h5py.Group) or part not in current:
            return None
        _refuse_links(current, part)
        current = current[part]
    return current if isinstance(current, h5py.Group) else None


def dataset_at(group, name: str) -> h5py.Dataset:
    """A numeric dataset that lives in this file (no links, no external storage)."""
    if name not in group:
        raise KeyError(f"{group.name}/{name}")
    _refuse_links(group, name)
    dataset = group[name]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"{dataset.name} should be an array but is a group")
    if dataset.external or dataset.is_virtual:
        raise ValueError(f"{dataset.name} points to data outside the file")
    if dataset.dtype.kind not in "biuf":
        raise ValueError(f"{dataset.name} holds {dataset.dtype}, not numbers")
    return dataset


def read_dataset(group, name: str, source) -> np.ndarray:
    """The array stored at `group[name]`, checked against its CRC when it has one.

    `source` is the file, for the error a mismatch raises.
    """
    dataset = dataset_at(group, name)
    array = np.asarray(dataset[()])
    if CHECKSUM_ATTR in dataset.attrs and not _checksum_matches(dataset, array):
        raise ModelFileError(
            source,
            f"the weight {dataset.name} does not match the checksum stored with it: the file "
            "changed after it was saved (a damaged disk or copy, or an edit).",
            "Load an earlier copy or a backup, or save the model again from the code that made it.",
        )
    return array


def write_dataset(group, name: str, value) -> None:
    """Store `value` as `group[name]`, with its CRC as the attribute `teachkeras_crc32`."""
    dataset = group.create_dataset(name, data=value)
    # the CRC of what HDF5 will hand back: the value in the dataset's own dtype
    dataset.attrs[CHECKSUM_ATTR] = array_checksum(np.asarray(value, dtype=dataset.dtype))


def array_checksum(array: np.ndarray) -> np.uint32:
    """CRC-32 of an array's dtype, shape and values (little-endian, C order).

    The dtype and shape are part of it: the same bytes read as another type or shape
    are other weights, and must not match.
    """
    canonical = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    header = f"{canonical.dtype.str} {canonical.shape}".encode()
    values = canonical.reshape(-1).view(np.uint8)  # its bytes, without a copy
    return np.uint32(zlib.crc32(values, zlib.crc32(header)))


def _checksum_matches(dataset, array: np.ndarray) -> bool:
    stored = np.asarray(dataset.attrs[CHECKSUM_ATTR])  # a damaged one may not even be a number
    return stored.shape == () and stored.dtype.kind in "ui" and int(stored) == array_checksum(array)


def _refuse_links(group, name: str) -> None:
    link = group.get(name, getlink=True)
    if isinstance(link, h5py.SoftLink | h5py.ExternalLink):
        raise ValueError(f"{group.name}/{name} is a link: refused (it could read other files)")


def fixed_string(text: str) -> np.bytes_:
    """Text as a fixed-length HDF5 string.

    h5py stores a Python `str` as a variable-length string, kept in a separate "global
    heap"; if a damaged file points into that heap wrongly, the HDF5 library crashes the
    whole process when the string is read. Fixed-length strings sit inside the
    attribute itself, so a damaged one is just wrong bytes. Very long text (over HDF5's
    64 KB header limit) has to stay variable-length.
    """
    data = text.encode("utf8")
    return np.bytes_(data) if len(data) < HDF5_ATTRIBUTE_LIMIT else data


def _as_str(value) -> str:
    return value.decode("utf8") if isinstance(value, bytes) else str(value)
