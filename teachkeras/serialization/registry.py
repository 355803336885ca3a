"""Find an object from what a user wrote: a name, a config dict, or the object itself.

Every module that accepts identifiers (`optimizer='adam'`, `activation='relu'`,
`kernel_initializer={'class_name': 'GlorotUniform', 'config': {...}}`) resolves them
with `resolve`, so the error for a typo is the same everywhere: it lists the valid
names and suggests the closest one.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Iterator

_GLOBAL_CUSTOM_OBJECTS: dict[str, object] = {}
_scope_stack: list[dict[str, object]] = []


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """Class or function decorator: make a user object findable by name when loading.

    Example:
        >>> @register_keras_serializable(package="my_layers")
        ... class MyDense(Layer): ...
    """

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        obj._registered_name = registered
        return obj

    return decorator


def get_registered_name(obj) -> str:
    return getattr(obj, "_registered_name", None) or getattr(obj, "__name__", type(obj).__name__)


def get_custom_objects() -> dict[str, object]:
    """The global table that `register_keras_serializable` fills (you may edit it)."""
    return _GLOBAL_CUSTOM_OBJECTS


@contextlib.contextmanager
def custom_object_scope(*scopes: dict[str, object]) -> Iterator[None]:
    """Inside this `with` block, the given names resolve to the given objects."""
    merged: dict[str, object] = {}
    for scope in scopes:
        merged.update(scope or {})
    _scope_stack.append(merged)
    try:
        yield
    finally:
        _scope_stack.pop()


CustomObjectScope = custom_object_scope


def get_registered_object(name: str, custom_objects: dict | None = None, module_objects=None):
    """Look `name` up in `custom_objects`, open scopes, the registry, then `module_objects`."""
    for table in (custom_objects or {}), *reversed(_scope_stack), _GLOBAL_CUSTOM_OBJECTS:
        if name in table:
            return table[name]
    # Registered names carry a package prefix ("Custom>MyLayer"); accept the bare name too.
    for registered, obj in _GLOBAL_CUSTOM_OBJECTS.items():
        if registered.split(">")[-1] == name:
            return obj
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def resolve(
    identifier,
    table: dict[str, object],
    kind: str,
    custom_objects: dict | None = None,
    instantiate: bool = False,
):
    """Return the object `identifier` stands for.

    Args:
        identifier: a name (`'adam'`), a Keras config dict (`{'class_name': ...,
            'config': {...}}`), or an object, which is returned unchanged.
        table: valid names of this kind -> objects (classes or functions).
        kind: what we are looking for, for the error message (`'optimizer'`).
        instantiate: when the name finds a class, return an instance with defaults.
    """
    if identifier is None or not isinstance(identifier, str | dict):
        return identifier
    if isinstance(identifier, dict):
        return _from_config_dict(identifier, table, kind, custom_objects)
    obj = get_registered_object(identifier, custom_objects, table)
    if obj is None:
        raise ValueError(unknown_name_message(identifier, table, kind))
    if instantiate and isinstance(obj, type):
        return obj()
    return obj


def resolve_callable(identifier, table: dict[str, object], kind: str, what_to_pass: str):
    """`resolve`, for the kinds a layer calls (initializers, regularizers, constraints).

    A class, given by name or as itself, becomes an instance with its defaults; what then
    still cannot be called is refused, with `what_to_pass` saying what would do.

    Example:
        >>> resolve_callable("l2", regularizers.ALL_OBJECTS, "regularizer", "Pass a name ...")
        L2(l2=0.01)
    """
    obj = resolve(identifier, table, kind, instantiate=True)
    if isinstance(obj, type):
        obj = obj()
    if not callable(obj):
        raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}. {what_to_pass}")
    return obj


def _from_config_dict(config: dict, table, kind: str, custom_objects):
    if "class_name" not in config:
        raise ValueError(f"A {kind} config must have a 'class_name' key; got keys {list(config)}.")
    cls = get_registered_object(
        config.get("registered_name") or config["class_name"], custom_objects, table
    )
    if cls is None:
        cls = get_registered_object(config["class_name"], custom_objects, table)
    if cls is None:
        raise ValueError(unknown_name_message(config["class_name"], table, kind))
    inner = config.get("config", {})
    if not isinstance(cls, type):  # a plain function stored by name
        return cls
    if hasattr(cls, "from_config"):
        return cls.from_config(inner)
    return cls(**inner)


def unknown_name_message(name: str, table: dict, kind: str) -> str:
    """`Unknown optimizer: 'adamm'. Did you mean 'adam'? Valid names: ...`"""
    valid = sorted(table)
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown {kind}: {name!r}.{hint} Valid {kind} names are: {', '.join(valid)}."
