"""The HDF5 layout of Keras 2 (`model.save('model.h5')`), which Keras 3 still reads and writes.

A whole-model file:

    attrs   model_config     '{"class_name": "Sequential", "config": {...}}'   (JSON)
            training_config  '{"loss": ..., "metrics": ..., "optimizer_config": {...}}'
            keras_version, backend
    model_weights/                       attrs layer_names = [dense, dropout, dense_1]
        dense/                           attrs weight_names = [dense/kernel, dense/bias]
            dense/kernel, dense/bias     the arrays, stored at the path their name spells
        dropout/                         weight_names = []
        top_level_model_weights/         the model's own weights (usually none)
    optimizer_weights/                   attrs weight_names = [adam/iteration, ...]

A weights-only file (Keras 2's `save_weights('w.h5')`) is the `model_weights` group
alone, at the root. Weights are matched to layers by *order* (the layers that have
weights, in `model.layers` order), or with `by_name=True` by layer *name*; inside a
layer, by order (trainable weights first, then non-trainable ones).
"""

from __future__ import annotations

import json
import warnings

import h5py
import numpy as np

from . import tf2_configs
from .atomic import atomic_write
from .errors import ModelFileError, check_exists, crashes_when_run, reading
from .json_yaml import compile_from_config, json_default, model_from_config, serialize_model
from .weights_h5 import (
    _as_str,
    _group_at,
    _require_built,
    dataset_at,
    fixed_string,
    read_dataset,
    write_dataset,
)

KERAS_VERSION = "3.15.1"  # the Keras whose file layouts teachkeras writes
BACKEND = "numpy"  # Keras 3 has a NumPy backend too; teachkeras is one
HDF5_OBJECT_HEADER_LIMIT = 64512  # bytes: longer name lists are split into attrs name0, name1, ...


# --- writing ------------------------------------------------------------------------------
def save_model(model, filepath, include_optimizer: bool = True) -> None:
    """Write the whole model (config, weights, compile state) to `filepath`, atomically."""
    _require_built(model, "save")
    metadata = {"keras_version": KERAS_VERSION, "backend": BACKEND}
    model_config = _legacy_config(serialize_model(model))
    training = _training_config(model) if include_optimizer else None
    with atomic_write(filepath) as tmp, h5py.File(tmp, "w") as f:
        for key, value in metadata.items():
            f.attrs[key] = fixed_string(value)
        f.attrs["model_config"] = fixed_string(_dumps(model_config))
        if training is not None:
            f.attrs["training_config"] = fixed_string(_dumps(training))
        write_layer_weights(f.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if training is not None and optimizer.variables:
            group = f.create_group("optimizer_weights")
            _write_named_arrays(group, optimizer.variables)


def save_weights(model, filepath) -> None:
    """Keras 2's weights-only `.h5`: the `model_weights` layout at the root of the file."""
    _require_built(model, "save weights")
    with atomic_write(filepath) as tmp, h5py.File(tmp, "w") as f:
        write_layer_weights(f, model)


def write_layer_weights(group, model) -> None:
    """`layer_names`, then one group per layer (sorted by name, as Keras writes them)."""
    write_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = fixed_string(BACKEND)
    group.attrs["keras_version"] = fixed_string(KERAS_VERSION)
    for layer in sorted(model.layers, key=lambda layer: layer.name):
        _write_named_arrays(group.create_group(layer.name), legacy_weights(layer))
    _write_named_arrays(group.create_group("top_level_model_weights"), _top_level_weights(model))


def _write_named_arrays(group, variables) -> None:
    names = _unique_paths(variables)
    write_names(group, "weight_names", names)
    for name, variable in zip(names, variables, strict=True):
        write_dataset(group, name, np.asarray(variable.numpy()))


def _unique_paths(variables) -> list[str]:
    """Each weight's path (`dense/kernel`), numbered if two weights share one."""
    names, used = [], set()
    for variable in variables:
        name, i = variable.path, 1
        while name in used:
            name, i = f"{variable.path}_{i}", i + 1
        used.add(name)
        names.append(name)
    return names


def write_names(group, attr: str, names: list[str]) -> None:
    """A list of names as an attribute, split in chunks if HDF5's header limit needs it."""
    data = np.asarray([name.encode("utf8") for name in names]) if names else np.asarray([])
    chunks = 1
    while data.nbytes / chunks > HDF5_OBJECT_HEADER_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[attr] = data
        return
    for i, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{attr}{i}"] = chunk


def legacy_weights(layer) -> list:
    """Keras 2's order inside a layer: trainable weights, then non-trainable ones."""
    return layer.trainable_weights + layer.non_trainable_weights


def _top_level_weights(model) -> list:
    return list(model._trainable_variables) + list(model._non_trainable_variables)


# Keras exports these classes under another name than their own; its `.h5` files use the class's.
_PYTHON_CLASS_NAMES = {"GroupQueryAttention": "GroupedQueryAttention"}


def _legacy_config(config: dict) -> dict:
    """Keras writes `model_config` in the older form: layers without module/build_config."""
    top = {"class_name": config["class_name"], "config": config["config"]}
    stack = [top["config"]]
    while stack:
        model_config = stack.pop()
        for layer in model_config.get("layers", []) if isinstance(model_config, dict) else []:
            for key in ("module", "registered_name", "build_config"):
                layer.pop(key, None)
            # the older form names a class as Python does, not by its export name
            layer["class_name"] = _PYTHON_CLASS_NAMES.get(
                layer.get("class_name"), layer.get("class_name")
            )
            stack.append(layer.get("config"))
    return top


def _training_config(model) -> dict | None:
    from .json_yaml import compile_config

    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return None
    config = compile_config(model)
    config["loss"] = _full_loss_names(config["loss"])
    optimizer = config.pop("optimizer")
    config["optimizer_config"] = {
        "class_name": optimizer["class_name"],
        "config": optimizer["config"],
    }
    return config


# Keras 3.15's .h5 reader cannot resolve these short loss names (it can in .keras files).
_SHORT_LOSS_NAMES = {
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "mse": "mean_squared_error",
    "msle": "mean_squared_logarithmic_error",
}


def _full_loss_names(loss):
    if isinstance(loss, str):
        return _SHORT_LOSS_NAMES.get(loss, loss)
    if isinstance(loss, list):
        return [_full_loss_names(item) for item in loss]
    if isinstance(loss, dict) and "class_name" not in loss:
        return {key: _full_loss_names(item) for key, item in loss.items()}
    return loss


def _dumps(config: dict) -> str:
    return json.dumps(config, default=json_default)


# --- reading ------------------------------------------------------------------------------
def load_model(filepath, custom_objects, compile, safe_mode):  # noqa: A002 (Keras's name)
    """A model from a whole-model `.h5`: config, then weights, then compile state.

    Called by `saving_api.load_model`, which documents the arguments and holds their defaults.
    """
    check_exists(filepath)
    with reading(filepath), h5py.File(filepath, "r") as f:
        _refuse_crashing_text(f, filepath)
        raw = f.attrs.get("model_config")
        if raw is None:
            raise ModelFileError(
                filepath,
                "it has no 'model_config' attribute, so it holds weights only or is not a "
                "Keras model file.",
                "Build the model in code, then call model.load_weights(...) with this file.",
            )
        config = json.loads(_as_str(raw))
        model = model_from_config(config, custom_objects, False, safe_mode, source=filepath)
        weights = _group_at(f, "model_weights")
        if weights is None:
            raise ModelFileError(filepath, "it has a model config but no 'model_weights' group.")
        load_weights_from_group(weights, model, filepath)
        raw_training = f.attrs.get("training_config")
        if compile and raw_training is not None:
            training = json.loads(_as_str(raw_training))
            tf_optimizer = tf2_configs.translate(training, len(model.outputs), custom_objects)
            compile_from_config(model, training, custom_objects)
            state = _group_at(f, "optimizer_weights")
            if state is not None and tf_optimizer is not None:
                tf2_configs.warn_state_not_restored(filepath, tf_optimizer, model.optimizer)
            elif state is not None:
                _load_optimizer_weights(state, model, filepath)
    return model


def load_weights(model, filepath, by_name: bool = False, skip_mismatch: bool = False) -> None:
    """Keras 2's `.h5` weights (a weights-only file, or a whole-model file) into `model`."""
    _require_built(model, "load weights")
    check_exists(filepath)
    with reading(filepath), h5py.File(filepath, "r") as f:
        _refuse_crashing_text(f, filepath)
        group = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            group = _group_at(f, "model_weights")
        if not _has_names(group, "layer_names"):
            raise ModelFileError(
                filepath,
                "it has no 'layer_names' attribute: it is not a Keras weights file.",
            )
        if by_name:
            load_weights_from_group_by_name(group, model, filepath, skip_mismatch)
        else:
            load_weights_from_group(group, model, filepath, skip_mismatch)


def is_legacy_layout(h5file) -> bool:
    return (
        "model_config" in h5file.attrs
        or "model_weights" in h5file
        or _has_names(h5file, "layer_names")
    )


def load_weights_from_group(group, model, source, skip_mismatch: bool = False) -> None:
    """Match layers that have weights to stored layers that have weights, in order."""
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    stored = [name for name in read_names(group, "layer_names") if _stored_count(group, name)]
    if len(stored) != len(layers):
        raise ModelFileError(
            source,
            f"the file has weights for {len(stored)} layers, but the model has {len(layers)} "
            "layers with weights.",
            "Was it saved from a model with another architecture? Or load with by_name=True.",
        )
    plan = []
    for k, (name, layer) in enumerate(zip(stored, layers, strict=True)):
        label = f"layer #{k} (named {layer.name!r} in the model, {name!r} in the file)"
        plan += _plan_layer(
            _group_at(group, name), legacy_weights(layer), label, source, skip_mismatch
        )
    plan += _plan_top_level(group, model, source, skip_mismatch)
    _apply(plan)


def load_weights_from_group_by_name(group, model, source, skip_mismatch: bool = False) -> None:
    """Load each stored layer into the model's layer of the same name; others are left as they are."""
    by_name: dict[str, list] = {}
    for layer in model.layers:
        by_name.setdefault(layer.name, []).append(layer)
    plan = []
    for k, name in enumerate(read_names(group, "layer_names")):
        for layer in by_name.get(name, []):
            label = f"layer #{k} (named {layer.name!r})"
            plan += _plan_layer(
                _group_at(group, name), legacy_weights(layer), label, source, skip_mismatch
            )
    plan += _plan_top_level(group, model, source, skip_mismatch)
    _apply(plan)


def _plan_layer(layer_group, variables, label: str, source, skip_mismatch: bool) -> list:
    """(variable, value) pairs for one layer, after checking the count and every shape."""
    if layer_group is None:
        raise ModelFileError(source, f"the group for {label} is missing.")
    names = read_names(layer_group, "weight_names")
    problem = None
    if len(names) != len(variables):
        problem = f"{label} expects {len(variables)} weight(s); the file has {len(names)}."
    else:
        for name, variable in zip(names, variables, strict=True):
            stored_shape = tuple(_dataset(layer_group, name).shape)
            if stored_shape != tuple(variable.shape):
                problem = (
                    f"{label}: weight {variable.path} has shape {tuple(variable.shape)}, "
                    f"the file has {stored_shape}."
                )
                break
    if problem is None:
        return [(v, _read(layer_group, n, source)) for n, v in zip(names, variables, strict=True)]
    if skip_mismatch:
        warnings.warn(f"Skipping loading weights for {problem}", stacklevel=4)
        return []
    raise ModelFileError(source, f"the weights do not fit this model: {problem}")


def _plan_top_level(group, model, source, skip_mismatch: bool) -> list:
    top = _group_at(group, "top_level_model_weights")
    if top is None:
        return []
    return _plan_layer(
        top, _top_level_weights(model), "the model's own weights", source, skip_mismatch
    )


def _apply(plan: list) -> None:
    for variable, value in plan:
        variable.assign(value)


def _load_optimizer_weights(group, model, source) -> None:
    """The optimizer's saved state; if it does not fit, a warning and a fresh optimizer (Keras)."""
    optimizer = model.optimizer
    names = read_names(group, "weight_names")
    if len(names) != len(optimizer.variables) and not optimizer.built:
        optimizer.build(model.trainable_weights)
    variables = optimizer.variables
    fits = len(names) == len(variables) and all(
        tuple(_dataset(group, n).shape) == tuple(v.shape)
        for n, v in zip(names, variables, strict=True)
    )
    if not fits:
        warnings.warn(
            f"The optimizer state in the file ({len(names)} arrays) does not fit "
            f"{optimizer.name!r} ({len(variables)} variables): the model is starting with a "
            "freshly initialized optimizer.",
            stacklevel=3,
        )
        return
    _apply([(v, _read(group, n, source)) for n, v in zip(names, variables, strict=True)])


# --- careful reading of names and arrays ----------------------------------------------------
def _refuse_crashing_text(f, filepath) -> None:
    """Keras writes configs and names as variable-length strings; read those in a child first.

    If a damaged file points the HDF5 library to the wrong place for such a string,
    the library crashes the process (see `errors.crashes_when_run`). teachkeras writes
    fixed-length strings, which cannot do that, so its own files skip this check.
    """
    groups = [f] + ([f["model_weights"]] if "model_weights" in f else [])
    variable_length = any(
        group.attrs.get_id(key).dtype.kind == "O" for group in groups for key in group.attrs
    )
    if variable_length and crashes_when_run(lambda: _read_every_attribute(f)):
        raise ModelFileError(
            filepath,
            "it is corrupted: reading its text attributes crashes the HDF5 library or never ends.",
        )


def _read_every_attribute(f) -> None:
    def read(_name, obj) -> None:
        for key in obj.attrs:
            obj.attrs[key]

    read("/", f)
    f.visititems(read)


def _has_names(group, attr: str) -> bool:
    return attr in group.attrs or f"{attr}0" in group.attrs


def read_names(group, attr: str) -> list[str]:
    """An attribute list of names, joined again if it was split in chunks."""
    if attr in group.attrs:
        values = list(np.atleast_1d(group.attrs[attr]))
    else:
        values, i = [], 0
        while f"{attr}{i}" in group.attrs:
            values += list(np.atleast_1d(group.attrs[f"{attr}{i}"]))
            i += 1
    names = []
    for value in values:
        if not isinstance(value, bytes | str | np.bytes_ | np.str_):
            raise ValueError(f"{group.name} attribute {attr!r} holds {value!r}, not a name")
        names.append(_as_str(value))
    return names


def _stored_count(group, name: str) -> int:
    layer_group = _group_at(group, name)
    if layer_group is None:
        raise KeyError(f"{group.name}/{name}")
    return len(read_names(layer_group, "weight_names"))


def _dataset(group, path: str):
    parent, _, name = path.rpartition("/")
    holder = _group_at(group, parent) if parent else group
    if holder is None:
        raise KeyError(f"{group.name}/{path}")
    return dataset_at(holder, name)


def _read(group, path: str, source) -> np.ndarray:
    parent, _, name = path.rpartition("/")
    return read_dataset(_group_at(group, parent) if parent else group, name, source)
