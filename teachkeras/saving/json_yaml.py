"""A model as text: its config in JSON (or YAML), and the checks before building it again.

    json_string = model.to_json()
    model = keras.models.model_from_json(json_string)   # same layers, fresh weights
    model.load_weights("model.weights.h5")

The config is exactly what Keras 3 writes into `config.json` inside a `.keras` file:

    {"module": "keras", "class_name": "Sequential",
     "config": {"name": ..., "layers": [{"module": "keras.layers", "class_name": "Dense", ...}]},
     "registered_name": null,
     "build_config": {"input_shape": [null, 4]},
     "compile_config": {"optimizer": {...}, "loss": "mse", "metrics": [...], ...}}

Rebuilding reads names and numbers only: every class is looked up by name in
teachkeras's own tables (or your `custom_objects`); nothing in the text is executed.
A config that holds Python code (a `Lambda` layer's `__lambda__` function, as bytecode) is
refused unless you pass `safe_mode=False`, as in Keras 3; even then teachkeras does not run
that code: the Lambda layer needs the function from you (`layers/core/lambda_layer.py`).

YAML (`to_yaml`, `model_from_yaml`) was removed from Keras in 2.6, because
`yaml.load` could build arbitrary Python objects. It works here for old tutorials,
warns once, and only ever uses PyYAML's *safe* loader and dumper.
"""

from __future__ import annotations

import json

import numpy as np

from .. import legacy
from .errors import ModelFileError, reading
from .safe_mode import in_safe_mode

# Config entries that carry Python code (Keras 3 refuses the same ones in safe mode). A Lambda
# layer whose function is named (`def square`) is not among them: that code is the learner's.
UNSAFE_CLASS_NAMES: set[str] = {"__lambda__"}

_SAFE_MODE_HINT = (
    "If you wrote this file yourself or trust its author, pass safe_mode=False to allow it, "
    "with the function itself in custom_objects: teachkeras never runs code read from a file "
    "(see keras.layers.Lambda)."
)


# --- model -> config --------------------------------------------------------------------
def serialize_model(model) -> dict:
    """The Keras 3 config dict of `model`, with its build and compile configs."""
    from ..layers.serialization import serialize

    config = serialize(model)
    config["build_config"] = _build_config(model)
    if getattr(model, "compiled", False) and getattr(model, "optimizer", None) is not None:
        config["compile_config"] = compile_config(model)
    return config


def _build_config(model) -> dict:
    from ..models.sequential import Sequential

    if isinstance(model, Sequential):
        built = model.built and model._layers and hasattr(model._layers[0], "batch_shape")
        return {"input_shape": list(model._layers[0].batch_shape) if built else None}
    shapes = getattr(model, "_build_shapes", None)
    return {"input_shape": _jsonable(shapes) if shapes is not None else None}


def compile_config(model) -> dict:
    """What `compile` was given, as Keras 3 stores it (`compile_config`)."""
    from .. import losses, metrics, optimizers

    given = model._compile_config or {}
    return {
        "optimizer": optimizers.serialize(model.optimizer),
        "loss": _serialize_nested(given.get("loss"), losses.serialize),
        "loss_weights": _jsonable(given.get("loss_weights")),
        "metrics": _serialize_nested(given.get("metrics"), metrics.serialize),
        "weighted_metrics": _serialize_nested(given.get("weighted_metrics"), metrics.serialize),
        "run_eagerly": False,
        "steps_per_execution": 1,
        "jit_compile": False,
    }


def _serialize_nested(value, serialize):
    """Names stay names; functions and objects become config dicts; lists and dicts recurse."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_serialize_nested(item, serialize) for item in value]
    if isinstance(value, dict):
        return {key: _serialize_nested(item, serialize) for key, item in value.items()}
    return serialize(value)


def _jsonable(value):
    return json.loads(json.dumps(value, default=json_default))


def json_default(obj):
    """NumPy numbers and arrays become plain JSON numbers and lists."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(
        f"Cannot save {obj!r} (of type {type(obj).__name__}) in a model config: only names, "
        "numbers, lists and dicts can be stored. Give your objects a get_config()."
    )


def model_to_json(model, **kwargs) -> str:
    """`model.to_json()`: the Keras 3 config as a JSON string (kwargs go to `json.dumps`)."""
    return json.dumps(serialize_model(model), default=json_default, **kwargs)


def model_to_yaml(model, **kwargs) -> str:
    """`model.to_yaml()` (removed in Keras 2.6; warns): the config as YAML."""
    import yaml

    _warn_yaml("to_yaml", stacklevel=5)  # warn_once, here, model_to_yaml, Model.to_yaml, caller
    return yaml.safe_dump(json.loads(model_to_json(model)), **kwargs)


# --- config -> model --------------------------------------------------------------------
def check_safe(config, safe_mode: bool, source) -> None:
    """Refuse a config that holds Python code (a lambda), unless `safe_mode` is False."""
    if not in_safe_mode(safe_mode):  # also off after keras.config.enable_unsafe_deserialization()
        return
    stack = [(config, None)]  # (item, the name of the layer it sits in)
    seen: set[int] = set()  # a YAML alias shares one list or dict in many places: visit it once
    while stack:
        item, owner = stack.pop()
        if isinstance(item, dict | list):
            if id(item) in seen:
                continue
            seen.add(id(item))
        if isinstance(item, dict):
            name = item.get("class_name")
            inner = item.get("config")
            if isinstance(inner, dict) and isinstance(inner.get("name"), str):
                owner = f"{name} {inner['name']!r}"
            if name in UNSAFE_CLASS_NAMES or (
                isinstance(inner, dict) and inner.get("function_type") == "lambda"
            ):
                raise ModelFileError(
                    source,
                    f"it contains Python code (a Python lambda, in {owner or name}); loading it "
                    "would run code stored in the file, which is refused by default.",
                    _SAFE_MODE_HINT,
                )
            stack.extend((value, owner) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, owner) for value in item)


def model_from_config(
    config,
    custom_objects=None,
    compile: bool = True,  # noqa: A002 (Keras's name for it)
    safe_mode: bool = True,
    source="<config>",
):
    """Build (and compile, if the config says how) a model from its config dict."""
    from ..layers.serialization import deserialize
    from ..models.model import Model

    with reading(source):
        if not isinstance(config, dict) or "class_name" not in config:
            raise ModelFileError(
                source,
                "its content is not a Keras model config (expected a dict with 'class_name' "
                f"and 'config', got {type(config).__name__}).",
            )
        check_safe(config, safe_mode, source)
        model = deserialize(config, custom_objects)
        if not isinstance(model, Model):
            raise ModelFileError(
                source, f"it describes a {config['class_name']} layer, not a model."
            )
        if compile and config.get("compile_config"):
            compile_from_config(model, config["compile_config"], custom_objects)
    return model


def compile_from_config(model, config: dict, custom_objects=None) -> None:
    """`model.compile(...)` with the arguments a `compile_config` (or `training_config`) holds."""
    from .. import losses, metrics, optimizers

    optimizer = config.get("optimizer", config.get("optimizer_config")) or "rmsprop"
    if isinstance(optimizer, dict):
        optimizer = dict(optimizer)
        inner = optimizer.get("config")
        if isinstance(inner, dict):
            # Keras 2 files: TensorFlow-only keys, and `decay: 0.0` (no decay) in every config
            optimizer["config"] = {
                k: v
                for k, v in inner.items()
                if k not in ("is_legacy_optimizer", "jit_compile") and not (k == "decay" and v == 0)
            }
        optimizer = optimizers.deserialize(optimizer, custom_objects)

    def loss(c):
        return losses.deserialize(c, custom_objects)

    def metric(c):
        return metrics.deserialize(c, custom_objects)

    model.compile(
        optimizer=optimizer,
        loss=_deserialize_nested(config.get("loss"), loss),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize_nested(config.get("metrics"), metric),
        weighted_metrics=_deserialize_nested(config.get("weighted_metrics"), metric),
    )


def _deserialize_nested(value, deserialize):
    """Config dicts become objects; names stay names (`compile` resolves 'accuracy' itself)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict) and "class_name" in value:
        return deserialize(value)
    if isinstance(value, dict):
        return {key: _deserialize_nested(item, deserialize) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_deserialize_nested(item, deserialize) for item in value]
    raise ValueError(f"A compile argument in the file is not understood: {value!r}.")


def model_from_json(json_string: str, custom_objects=None):
    """A new model (fresh weights) from `model.to_json()` (Keras 1, 2 or 3).

    Example:
        >>> model = model_from_json(json_string)
        >>> model.load_weights("model.h5")
    """
    source = "<JSON string>"
    with reading(source):
        config = json.loads(json_string)
    return model_from_config(config, custom_objects, compile=True, safe_mode=True, source=source)


def model_from_yaml(yaml_string: str, custom_objects=None):
    """A new model from `model.to_yaml()` (removed in Keras 2.6; warns). Safe YAML only."""
    _warn_yaml("model_from_yaml", stacklevel=4)  # warn_once, here, model_from_yaml, caller
    source = "<YAML string>"
    with reading(source):
        config = _load_yaml(yaml_string, source)
    return model_from_config(config, custom_objects, compile=True, safe_mode=True, source=source)


# The most entries a YAML model config may have once its aliases are written out in full.
# ResNet50's config has about 15 000; a "billion laughs" of 559 bytes has 387 million.
MAX_YAML_ENTRIES = 1_000_000


def _load_yaml(text: str, source):
    """The document, built only after checking what its aliases expand to.

    YAML can name a part (`&a [x, x]`) and repeat it by name (`*a`). PyYAML builds a
    repeated part once and shares it, so a few hundred bytes of nested aliases become
    a list that *reads* as hundreds of millions of entries, and anything that walks it
    (a safety check, a layer builder) never ends. An alias inside its own anchor makes a
    list that contains itself. So the document is first composed into its graph of
    nodes (aliases still shared), sized once per node, and only then built.
    """
    loader = _safe_loader_class()(text)  # a SafeLoader: it builds no Python objects
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_yaml_size(root, source)
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _yaml_children(node) -> list:
    """A sequence's items, or a mapping's keys and values (scalars have none)."""
    if node.id == "sequence":
        return node.value
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return []


def _check_yaml_size(root, source) -> None:
    """Refuse a YAML graph whose aliases contain themselves or expand past `MAX_YAML_ENTRIES`.

    The expanded size of a node is 1 plus its children's; each node is sized once (by
    identity), children first, with an explicit stack. A node met again while its own
    children are still being sized lies inside itself: a cycle.
    """
    size: dict[int, int] = {}
    open_nodes: set[int] = set()  # entered, children not all sized yet: the current path
    stack = [(root, False)]
    while stack:
        node, children_sized = stack.pop()
        if children_sized:
            open_nodes.discard(id(node))
            size[id(node)] = 1 + sum(size[id(child)] for child in _yaml_children(node))
            if size[id(node)] > MAX_YAML_ENTRIES:
                raise ModelFileError(
                    source,
                    f"its aliases (*name, repeating the part marked &name) expand it to more "
                    f"than {MAX_YAML_ENTRIES:,} entries, far more than any model has: refused "
                    "(a 'billion laughs' bomb, or a damaged file).",
                    _YAML_REWRITE_HINT,
                )
            continue
        if id(node) in size:
            continue
        if id(node) in open_nodes:
            raise ModelFileError(
                source,
                f"an alias (*name) sits inside the part it names (the {node.id} at line "
                f"{node.start_mark.line + 1}), so the config would contain itself "
                "without end: refused.",
                _YAML_REWRITE_HINT,
            )
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _yaml_children(node))


_YAML_REWRITE_HINT = (
    "A model written by to_yaml() needs no aliases; if this file holds a real model, export "
    "it again, preferably with model.to_json()."
)


_loader_class = None


def _safe_loader_class():
    """PyYAML's SafeLoader, also reading Keras 2's `!!python/tuple [null, 784]` (as a list)."""
    global _loader_class
    if _loader_class is None:
        import yaml

        class SafeLoaderWithTuples(yaml.SafeLoader):
            pass

        SafeLoaderWithTuples.add_constructor(
            "tag:yaml.org,2002:python/tuple",
            lambda loader, node: loader.construct_sequence(node),
        )
        _loader_class = SafeLoaderWithTuples
    return _loader_class


def _warn_yaml(what: str, stacklevel: int) -> None:
    legacy.warn_once(
        f"yaml.{what}",
        f"{what}() was removed in Keras 2.6 (YAML loading could build arbitrary Python "
        "objects). teachkeras keeps it, with a safe loader, for older tutorials. Write "
        "model.to_json() and keras.models.model_from_json(...) instead.",
        stacklevel=stacklevel,
    )
