"""`clone_model`: the same architecture, new layers, fresh weights (Keras 3's semantics).

    copy = keras.models.clone_model(model)       # same layers and shapes, new initial weights
    copy.set_weights(model.get_weights())        # ...if you want the trained values too

Cloning is calling the model on new inputs, except that every layer is first replaced by
a new one built from its config: `layer.__class__.from_config(layer.get_config())`.
Nothing is copied but the config, so the new weights are drawn afresh by the initializers.

    Sequential   the list of layers, each cloned, behind a new Input of the same shape
    functional   the graph walked node by node in its order, each layer cloned once (a
                 shared layer stays shared) and called on the new tensors
    subclassed   its config, through `serialize_keras_object` and back: it needs a
                 `get_config()` that returns every argument of its `__init__`

A compiled model's clone is compiled the same way, with a new optimizer.
"""

from __future__ import annotations

import inspect

from ..layers.core.input_layer import Input, InputLayer
from ..layers.keras_tensor import KerasTensor
from ..layers.layer import Layer
from ..layers.node import flatten, map_structure
from .functional import Functional
from .model import Model
from .sequential import Sequential


def clone_model(
    model,
    input_tensors=None,
    clone_function=None,
    call_function=None,
    recursive: bool = False,
    **kwargs,
):
    """A new model with the architecture of `model` and freshly initialised weights.

    Args:
        model: a `Sequential` or functional model (a subclassed model is rebuilt from
            its config, with no other argument allowed).
        input_tensors: `Input(...)` tensors to build the clone on (the same structure as
            `model.input`); default: new inputs of the same shapes.
        clone_function: `fn(layer) -> layer` making each new layer (not the inputs);
            default `lambda layer: layer.__class__.from_config(layer.get_config())`.
            Return the layer itself to share it (and its weights) with the original.
        call_function: `fn(layer, *args, **kwargs) -> outputs` calling each new layer
            (functional models only), e.g. to add a `Dropout` after every `Dense`.
        recursive: clone nested Sequential and functional models with `clone_model`
            too (instead of with `clone_function`).

    Returns:
        The new model, compiled as `model` was (if it was).

    Raises:
        ValueError: arguments a kind of model does not support, or input tensors of
            the wrong kind or structure.
        NotImplementedError: a subclassed model whose `__init__` takes arguments that its
            `get_config()` does not return.

    Example:
        >>> copy = keras.models.clone_model(model)
        >>> [w.shape for w in copy.get_weights()] == [w.shape for w in model.get_weights()]
        True
    """
    cache = kwargs.pop("cache", None)  # layer id -> its clone, shared with nested models
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs.keys())}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` argument is not supported with Sequential models. In a "
                "Sequential model, layers aren't called at model-construction time (they're "
                "merely listed). Use `call_function` with Functional models only. Received "
                f"model of type '{type(model).__name__}', with call_function={call_function}"
            )
        clone = _cloner(clone_function, None, recursive, cache)
        return _clone_sequential(model, clone, input_tensors)
    if isinstance(model, Functional):
        clone = _cloner(clone_function, call_function, recursive, cache)
        return _clone_functional(model, clone, input_tensors, call_function)
    if not isinstance(model, Model):
        raise ValueError(
            f"clone_model expects a keras Model instance. Received: model={model!r} (of type "
            f"{type(model).__name__})"
        )
    return _clone_subclassed(model, input_tensors, clone_function, call_function)


def _default_clone(layer: Layer) -> Layer:
    """A new layer of the same class and config: new weights, nothing shared."""
    return layer.__class__.from_config(layer.get_config())


def _cloner(clone_function, call_function, recursive: bool, cache: dict | None):
    """`clone_function`, made to clone each layer once (and nested models whole if recursive)."""
    clone_function = clone_function or _default_clone
    if not callable(clone_function):
        raise ValueError(
            f"Expected `clone_function` argument to be a callable. Received: "
            f"clone_function={clone_function}"
        )
    cache = {} if cache is None else cache

    def clone(layer):
        if id(layer) not in cache:
            if recursive and isinstance(layer, Sequential | Functional):
                cache[id(layer)] = clone_model(
                    layer,
                    clone_function=clone_function,
                    call_function=None if isinstance(layer, Sequential) else call_function,
                    recursive=True,
                    cache=cache,
                )
            else:
                cache[id(layer)] = clone_function(layer)
        return cache[id(layer)]

    return clone


def _clone_sequential(model: Sequential, clone, input_tensors) -> Sequential:
    new_layers = [clone(layer) for layer in model.layers]
    first = model._layers[0] if model._layers else None
    if input_tensors is not None:
        new_layers.insert(0, _one_input_tensor(input_tensors))
    elif isinstance(first, InputLayer):
        new_layers.insert(
            0, Input(batch_shape=first.batch_shape, dtype=first.dtype, name=first.name)
        )
    cloned = Sequential(new_layers, name=model.name, trainable=model.trainable)
    _compile_like(model, cloned)
    return cloned


def _one_input_tensor(input_tensors) -> KerasTensor:
    if isinstance(input_tensors, list | tuple):
        if len(input_tensors) != 1:
            raise ValueError("Argument `input_tensors` must contain a single tensor.")
        input_tensors = input_tensors[0]
    _check_input_tensor(input_tensors)
    return input_tensors


def _check_input_tensor(tensor) -> None:
    if not isinstance(tensor, KerasTensor):
        raise ValueError(
            "Argument `input_tensors` must be a KerasTensor. Received invalid value: "
            f"input_tensors={tensor!r}"
        )
    if not isinstance(tensor._keras_history[0], InputLayer):
        raise ValueError(
            "clone_model: `input_tensors` must come from keras.Input(...); "
            f"{tensor!r} was made by layer {tensor._keras_history[0].name!r}."
        )


def _clone_functional(model: Functional, clone, input_tensors, call_function) -> Functional:
    if input_tensors is None:
        input_tensors = map_structure(
            lambda t: Input(batch_shape=t.shape, dtype=t.dtype, name=t._keras_history[0].name),
            model.input,
        )
    else:
        for tensor in flatten(input_tensors):
            _check_input_tensor(tensor)
        if _structure(input_tensors) != _structure(model.input):
            raise ValueError(
                "`input_tensors` must have the same structure as model.input\n"
                f"Reference structure: {model.input}\nReceived structure: {input_tensors}"
            )
    new = {id(old): t for old, t in zip(model.inputs, flatten(input_tensors), strict=True)}
    for node in model._nodes:  # in graph order: each node after the ones it reads
        if isinstance(node.layer, InputLayer):
            continue
        layer = clone(node.layer)
        args = map_structure(lambda t: new[id(t)], node.inputs)
        # the other arguments' tensors (MultiHeadAttention's value, a mask) are mapped too
        kwargs = map_structure(
            lambda x: new[id(x)] if isinstance(x, KerasTensor) else x, dict(node.arguments)
        )
        positional = kwargs.pop("_positional", ())
        if call_function is None:
            outputs = layer(args, *positional, **kwargs)
        else:
            outputs = call_function(layer, args, *positional, **kwargs)
        for old, made in zip(node.output_tensors, flatten(outputs), strict=True):
            new[id(old)] = made
    outputs = map_structure(lambda t: new[id(t)], model.output)
    cls = type(model) if _takes_inputs_and_outputs(type(model)) else Functional
    cloned = cls(input_tensors, outputs, name=model.name)
    _compile_like(model, cloned)
    return cloned


def _structure(structure):
    """The nesting of a structure, with its leaves blanked out (to compare two of them)."""
    return map_structure(lambda _: None, structure)


def _takes_inputs_and_outputs(cls) -> bool:
    """A subclass of Functional whose constructor is still `(inputs, outputs, name=...)`."""
    names = list(inspect.signature(cls.__init__).parameters)[1:3]
    return names == ["inputs", "outputs"]


def _clone_subclassed(model: Model, input_tensors, clone_function, call_function) -> Model:
    if clone_function is not None or input_tensors is not None:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for Sequential "
            f"models or Functional models. Received model of type '{type(model).__name__}', "
            f"with clone_function={clone_function} and input_tensors={input_tensors}"
        )
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received model "
            f"of type '{type(model).__name__}', with call_function={call_function}"
        )
    cls = type(model)
    unknown = _arguments_get_config_does_not_return(cls)
    if unknown:
        raise NotImplementedError(
            f"Object {cls.__name__} was created with arguments in `__init__()` "
            f"({', '.join(unknown)}) that its `get_config()` does not return, so a copy cannot "
            "be built. Please implement `get_config()` (returning them, on top of "
            "`super().get_config()`), and `from_config()` if they are not plain values."
        )
    from ..saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    return deserialize_keras_object(
        serialize_keras_object(model), custom_objects={cls.__name__: cls}
    )


def _arguments_get_config_does_not_return(cls) -> list[str]:
    """`__init__` parameters of a subclassed model that the inherited `get_config` drops."""
    if cls.get_config is not Layer.get_config:
        return []  # the class wrote its own get_config: trust it, as Keras does
    plain = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    base = {"name", "trainable", "dtype"}
    return [
        p.name
        for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
        if p.kind in plain and p.name not in base
    ]


def _compile_like(model: Model, cloned: Model) -> None:
    """Compile the clone with what `model` was compiled with (a new optimizer from its config)."""
    if not getattr(model, "compiled", False) or model.optimizer is None:
        return
    from ..saving.json_yaml import compile_config, compile_from_config

    compile_from_config(cloned, compile_config(model))
