"""`Lambda`: any function of tensors, as a layer (`Lambda(lambda x: x ** 2)`).

How a Lambda layer is saved and loaded, and where teachkeras differs from Keras 3:

    the function is       saved as (Keras 3's format)        loaded back by teachkeras
    a named function      its name: {"class_name":           from your `custom_objects` or the
      (`def square(x)`)   "function", "config": "square"}    registered functions, as Keras does
                                                             (no safe_mode needed: the code is yours)
    a Python `lambda`     its bytecode: {"class_name":       refused unless `safe_mode=False`, as in
                          "__lambda__", "config":            Keras; then from the function YOU pass,
                          {"code": ...}}                     under the layer's name:
                                                             custom_objects={"square_it": lambda x: x**2}

Keras 3 with `safe_mode=False` runs the bytecode it finds in the file. teachkeras never
runs code read from a file, in either mode: it writes the bytecode (so Keras 3 can load
the file), but to load one it needs the function from you, or it says so. A lambda
`output_shape` in a file is dropped (the shape is found by running the function on
zeros); a lambda `mask` needs `custom_objects={"<layer name>.mask": function}`.
"""

from __future__ import annotations

import base64
import inspect
import marshal
import types

import numpy as np

from ...backend.tensor import Tensor
from ...serialization.keras_objects import serialize_keras_object
from ...serialization.registry import get_registered_object
from ..layer import Layer


class Lambda(Layer):
    """Wrap `function(inputs, **arguments)` as a layer.

    For quick experiments in a Sequential or functional model: `Lambda(lambda x: x[:, 0])`,
    `Lambda(ops.abs)`. The function should compute with `keras.ops` (`teachkeras.ops`), so
    that gradients flow through it; it may take `mask=` and `training=` arguments, which
    the layer fills. A layer subclass with `get_config` is the better choice for anything
    you want to save, inspect or share (see the module docstring for how saving works).

    Args:
        function: the function; its first argument is the input (a tensor, or a list).
        output_shape: the output shape without the batch axis (a tuple), or a function
            `f(input_shape) -> output_shape` (batch axis included). Default: found by
            running the function once on zeros.
        mask: None (the output has no mask), a function `f(inputs, mask) -> mask`, or a
            tensor used as the output's mask.
        arguments: a dict of keyword arguments for the function.

    Example:
        >>> Lambda(lambda x: x ** 2)(np.array([[1.0, 2.0]]))
        [[1.0, 4.0]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda wraps a function, e.g. Lambda(lambda x: x ** 2). Received: "
                f"function={function!r}"
            )
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        if isinstance(output_shape, list) and all(
            d is None or isinstance(d, int) for d in output_shape
        ):
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        parameters = _parameters(function)
        self._fn_expects_mask_arg = "mask" in parameters
        self._fn_expects_training_arg = "training" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            try:  # run the function once on zeros (batch of 1) and look
                return super().compute_output_shape(input_shape)
            except Exception as error:
                raise NotImplementedError(
                    f"Lambda layer {self.name!r}: could not infer the shape of its output by "
                    f"running the function on zeros of shape {input_shape} ({type(error).__name__}: "
                    f"{error}). Pass the `output_shape` argument (without the batch axis)."
                ) from error
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = input_shape[0] if _is_shape(input_shape) else input_shape[0][0]
        if _is_shape(self._output_shape):
            return (batch, *self._output_shape)
        return [(batch, *shape) for shape in self._output_shape]

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    # --- config ------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = {"function": _function_config(self.function)}
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _function_config(shape) if callable(shape) else shape
        if self.mask is not None:
            mask = self.mask
            config["mask"] = _function_config(mask) if callable(mask) else _value_config(mask)
        config["arguments"] = _value_config(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> Lambda:
        """Rebuild from a config; code in it is never run (see the module docstring)."""
        config = _from_keras2(dict(config))
        name = config.get("name", "lambda")
        config["function"] = _function_from_config(
            config["function"], name, custom_objects, what="function", key=name
        )
        shape = config.get("output_shape")
        if _is_lambda(shape):
            config.pop("output_shape")  # found by running the function instead
        elif isinstance(shape, dict):
            config["output_shape"] = _function_from_config(
                shape, name, custom_objects, what="output_shape", key=f"{name}.output_shape"
            )
        mask = config.get("mask")
        if isinstance(mask, dict) and mask.get("class_name") not in ("__numpy__", "__tensor__"):
            config["mask"] = _function_from_config(
                config["mask"], name, custom_objects, what="mask", key=f"{name}.mask"
            )
        config["mask"] = _value_from_config(config.get("mask"))
        config["arguments"] = _value_from_config(config.get("arguments"))
        return super().from_config(config)


# --- functions to configs and back --------------------------------------------------------
def _parameters(function) -> dict:
    try:
        return dict(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # a built-in without a signature
        return {}


def _is_lambda(config) -> bool:
    return isinstance(config, dict) and config.get("class_name") == "__lambda__"


def _function_config(function) -> dict:
    """Keras 3's config of a function: its name, or, for a `lambda`, its bytecode.

    The bytecode is written so that Keras 3 can load the file (with safe_mode=False);
    teachkeras never reads it back (see the module docstring).
    """
    registered = getattr(function, "_registered_name", None)  # a lambda you registered: its name
    if (
        registered is None
        and isinstance(function, types.LambdaType)
        and function.__name__ == "<lambda>"
    ):
        code = base64.encodebytes(marshal.dumps(function.__code__)).decode("ascii")
        closure = function.__closure__
        return {
            "class_name": "__lambda__",
            "config": {
                "code": code,
                "defaults": function.__defaults__,
                "closure": None if closure is None else tuple(c.cell_contents for c in closure),
            },
        }
    if isinstance(function, types.FunctionType | types.BuiltinFunctionType) or hasattr(
        function, "get_config"
    ):
        return serialize_keras_object(function)
    raise ValueError(
        f"Lambda cannot save {function!r}: a config can name a function (def ...) or hold a "
        "lambda. Write the computation as a named function, or as a Layer subclass."
    )


def _function_from_config(config, layer: str, custom_objects, what: str, key: str):
    """The function a config names: yours (custom_objects, registered) or Keras's built-ins.

    A Python lambda (`__lambda__`, or Keras 2's `function_type: 'lambda'`) is never rebuilt
    from the file: the function must be given under `key` in custom_objects.
    """
    if callable(config):
        return config
    if _is_lambda(config):
        found = get_registered_object(key, custom_objects)
        if callable(found) and not isinstance(found, type):
            return found
        raise ValueError(
            f"Lambda layer {layer!r}: its {what} is a Python lambda stored as bytecode in the "
            "file. teachkeras never runs code read from a file (Keras 3 would, with "
            "safe_mode=False). Pass the function yourself: load_model(path, safe_mode=False, "
            f"custom_objects={{{key!r}: lambda x: ...}}), or save a Layer subclass instead."
        )
    name = config.get("config") if isinstance(config, dict) else config
    if not isinstance(name, str):
        raise ValueError(f"Lambda layer {layer!r}: cannot read its {what} from {config!r}.")
    for candidate in (name, name.split(">")[-1]):  # registered names carry a package prefix
        found = get_registered_object(candidate, custom_objects)
        if found is not None:
            return found
    found = _builtin_function(name)
    if found is not None:
        return found
    raise ValueError(
        f"Lambda layer {layer!r} calls the function {name!r}, which is not one of teachkeras's "
        f"(keras.ops, keras.activations). If it is yours, pass it: "
        f"custom_objects={{{name.split('>')[-1]!r}: {name.split('>')[-1]}}}, or decorate it with "
        "@keras.saving.register_keras_serializable()."
    )


def _builtin_function(name: str):
    """`relu` (an activation) or `square` (an op), the built-ins a Lambda most often wraps."""
    from ... import activations, ops

    try:
        return activations.get(name)
    except (ValueError, TypeError):
        found = getattr(ops, name, None)
        return found if inspect.isfunction(found) else None


def _value_config(value):
    """Plain values stay; arrays and tensors become Keras's `__numpy__` / `__tensor__`."""
    if isinstance(value, dict):
        return {key: _value_config(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_value_config(item) for item in value]
    if isinstance(value, Tensor | np.ndarray):
        kind = "__tensor__" if isinstance(value, Tensor) else "__numpy__"
        array = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    if isinstance(value, np.generic):
        return value.item()
    return serialize_keras_object(value)


def _value_from_config(value):
    if isinstance(value, dict) and value.get("class_name") in ("__numpy__", "__tensor__"):
        array = np.array(value["config"]["value"], dtype=value["config"]["dtype"])
        return Tensor(array) if value["class_name"] == "__tensor__" else array
    if isinstance(value, dict):
        return {key: _value_from_config(item) for key, item in value.items()}
    return value


def _from_keras2(config: dict) -> dict:
    """Keras 2's Lambda config (tf.keras .h5 files): function / output_shape with a `_type`."""
    kind = config.pop("function_type", None)
    config.pop("module", None)
    if kind == "lambda":
        config["function"] = {"class_name": "__lambda__", "config": {}}
    elif kind is not None:
        config["function"] = {"class_name": "function", "config": config["function"]}
    shape_kind = config.pop("output_shape_type", None)
    config.pop("output_shape_module", None)
    if shape_kind == "lambda":
        config["output_shape"] = {"class_name": "__lambda__", "config": {}}
    elif shape_kind == "function":
        config["output_shape"] = {"class_name": "function", "config": config["output_shape"]}
    return config


def _is_shape(value) -> bool:
    return isinstance(value, tuple | list) and all(d is None or isinstance(d, int) for d in value)
