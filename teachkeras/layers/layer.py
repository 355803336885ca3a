"""`Layer`: the base class of every layer, and of models too.

The contract (Keras 3):

    __init__(...)            validate and store the arguments
    build(input_shape)       create the weights with `add_weight`, once the input shape is known
    call(inputs, training)   the forward pass, written with backend ops only
    compute_output_shape     the output shape for an input shape (no numbers computed)
    get_config()             the constructor arguments, so the layer can be re-created

Because `call` uses backend ops, gradients come for free: a layer never writes a
backward pass, and neither does a learner's own `Layer` subclass.

`__call__` does the bookkeeping around `call`: it converts inputs, builds the layer
on first use, checks the input shape, collects regularization losses, passes masks
along (below), and, when the inputs are symbolic (`Input(...)`), records the call in
the model graph instead of computing anything.

Masks (Keras 3's rules, for sequences padded to one length):

    a mask           a boolean tensor, True for the time steps that are real data and False
                     for padding: shape (batch, steps) for an input (batch, steps, features).
                     It rides on the tensor as the attribute `x._keras_mask` (eager tensors
                     and symbolic `KerasTensor`s alike), so a model passes it from layer to
                     layer without the learner doing anything.
    where it starts  `Embedding(mask_zero=True)` (token 0 is padding) and `Masking(mask_value)`
                     write it on their output, through `compute_mask`.
    call(x, mask=)   a layer whose `call` has a `mask` argument receives the mask of its input,
                     a bool `Tensor` (batch, steps), or None when the input has no mask (when
                     the call has one tensor argument; for a list of inputs, the list of
                     their masks, None where an input has none). With several tensor arguments
                     (`call(x, initial_state=...)`) Keras fills no `mask`, but an argument
                     named `<argument>_mask` (`query_mask`) gets that argument's mask. A mask
                     given explicitly, `layer(x, mask=m)`, is used as given.
    compute_mask(inputs, previous_mask)
                     the mask of the output, from the inputs and `previous_mask` (the `mask`
                     the call received, else the first input's mask). The default returns
                     `previous_mask` unchanged: right for a layer that keeps the time axis
                     (Dense on (batch, steps, features), activations, Dropout). A layer that
                     removes the time axis returns None (GlobalAveragePooling1D). A layer with
                     several outputs returns one mask (or None) per output. An RNN:
                     `mask` if return_sequences else None, and with return_state a list,
                     [that, None, None] for LSTM's [output, h, c].
    supports_masking True for a layer that writes its own `compute_mask`; others set it in
                     `__init__` (Dense, Dropout, the activations, the merge layers). A layer
                     without it drops the mask, with a warning (Flatten, Conv1D, ...).
    loss, metrics    the model output's mask weights the loss and the metrics: masked steps
                     count neither in the sum nor in the number averaged over
                     (`losses/loss.py`, `apply_mask`).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Sequence

import numpy as np

from .. import ops
from ..backend import config, global_state
from ..backend.naming import to_snake_case, unique_name
from ..backend.tensor import Tensor, as_array, no_grad
from ..backend.variables import Variable
from ..legacy import user_stacklevel
from ..serialization.keras_objects import serialize_keras_object
from .input_spec import InputSpec, assert_input_compatibility
from .keras_tensor import KerasTensor
from .node import Node, flatten, map_structure


class _CallContext:
    """State shared by nested layer calls: depth, and the `training` flag in force."""

    def __init__(self) -> None:
        self.depth = 0
        self.training: list[bool | None] = []


_context = _CallContext()

# Keyword arguments every layer accepts (Keras 2 and 3), handled here rather than by each layer.
_BASE_KWARGS = (
    "input_shape",
    "input_dim",
    "batch_input_shape",
    "batch_size",
    "weights",
    "input_length",
)


class Layer:
    """Base class of all layers. Subclass it and write `build` and `call`.

    Args:
        activity_regularizer: a penalty on the layer's output, added to the loss.
        trainable: whether its weights are updated by training.
        dtype: float type of its weights and outputs (default `floatx()`).
        name: unique name; default is the snake_case class name, numbered (`dense_1`).
        input_shape / input_dim / batch_size: only meaningful on a model's first
            layer: they tell `Sequential` the input shape (without the batch axis).

    Example:
        >>> class Scale(Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...     def call(self, x):
        ...         return x * self.w
    """

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable: bool = True,
        dtype=None,
        autocast: bool = True,
        name: str | None = None,
        **kwargs,
    ) -> None:
        self._take_base_kwargs(kwargs)
        if kwargs:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        from .. import regularizers

        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype = _dtype_name(dtype)
        self.autocast = autocast
        self.built = False
        self.input_spec: InputSpec | list[InputSpec] | None = None
        # Keras 3: a layer that writes its own compute_mask supports masking; the others that
        # keep the mask (Dense, Dropout, ...) set supports_masking = True in their __init__.
        self.supports_masking = type(self).compute_mask is not Layer.compute_mask
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._trainable = trainable
        self._trainable_variables: list[Variable] = []
        self._non_trainable_variables: list[Variable] = []
        self._layers: list[Layer] = []  # sub-layers, found by attribute assignment
        self._losses: list[Tensor] = []
        self._inbound_nodes: list[Node] = []
        self._build_shapes = None
        self._call_signature = inspect.signature(self.call)

    def __init_subclass__(cls, **kwargs) -> None:
        """A subclass's own `build` marks the layer built when it returns (Keras 3 wraps
        `build` the same way), so a learner's `build` need not set `self.built`, and
        `layer.build(shape)` by hand is enough: the first call will not build again."""
        super().__init_subclass__(**kwargs)
        if "build" in vars(cls):
            cls.build = _marks_built(vars(cls)["build"])

    def _take_base_kwargs(self, kwargs: dict) -> None:
        """Keep the input-shape hints (Keras 2 style) and initial `weights=`."""
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        if input_shape is None and input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            batch_size, input_shape = batch_input_shape[0], tuple(batch_input_shape[1:])
        self._input_shape_arg = None if input_shape is None else _as_shape(input_shape)
        self._batch_size_arg = batch_size
        self._initial_weights = kwargs.pop("weights", None)

    # --- attribute tracking -------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        """Remember sub-layers assigned as attributes, so their weights are ours too."""
        if name != "_layers" and hasattr(self, "_layers"):
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, Layer) and item is not self and item not in self._layers:
                    self._layers.append(item)
        super().__setattr__(name, value)

    # --- the contract ----------------------------------------------------------------
    def build(self, input_shape) -> None:
        """Create the weights. The base version creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The forward pass. Subclasses must override it."""
        raise NotImplementedError(f"Layer {type(self).__name__} has not implemented call().")

    def compute_output_shape(self, input_shape):
        """Output shape for `input_shape`; by default found by running `call` on zeros."""
        return _shape_by_running(self, input_shape)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the output (see the module docstring). By default the input's mask,
        unchanged: right for a layer that keeps the time axis, as Dense or Dropout do."""
        return previous_mask

    def compute_output_spec(self, inputs):
        """The symbolic output(s) for symbolic `inputs`: shape from `compute_output_shape`,
        dtype the layer's own (or, without autocast, the input's)."""
        output_shapes = self.compute_output_shape(map_structure(lambda t: t.shape, inputs))
        dtype = self.dtype if self.autocast else flatten(inputs)[0].dtype
        if _is_shape(output_shapes):
            return KerasTensor(output_shapes, dtype)
        return [KerasTensor(s, dtype) for s in output_shapes]

    def get_config(self) -> dict:
        """The arguments that re-create this layer (with `from_config`)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        if self._input_shape_arg is not None and not self._inbound_nodes:
            config["batch_input_shape"] = (self._batch_size_arg, *self._input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        config = dict(config)
        if isinstance(config.get("dtype"), dict):  # Keras 3 writes a DTypePolicy dict
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        if "batch_shape" in config:  # Keras 3's name for batch_input_shape
            config["batch_input_shape"] = config.pop("batch_shape")
        return cls(**config)

    # --- calling ---------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if args:
            inputs, args = args[0], args[1:]
        elif "inputs" in kwargs:
            inputs = kwargs.pop("inputs")
        else:
            raise TypeError(f"Layer {self.name!r} was called without inputs.")
        if any(isinstance(t, KerasTensor) for t in flatten(inputs)):
            return self._symbolic_call(inputs, *args, **kwargs)
        return self._eager_call(inputs, *args, **kwargs)

    def _eager_call(self, inputs, *args, **kwargs):
        inputs = map_structure(self._convert_input, inputs)
        shapes = map_structure(lambda t: t.shape, inputs)
        self._check_and_build(shapes)
        kwargs = self._resolve_training(kwargs)
        kwargs, previous_mask = self._resolve_mask(inputs, args, kwargs)
        outermost = _context.depth == 0
        if outermost:
            self._clear_losses()
        _context.depth += 1
        _context.training.append(kwargs.get("training"))
        try:
            outputs = self.call(inputs, *args, **kwargs)
        finally:
            _context.depth -= 1
            _context.training.pop()
        if self.activity_regularizer is not None:
            for output in flatten(outputs):
                # divided by the batch size, so the penalty's strength does not depend on it (Keras 3)
                penalty = self.activity_regularizer(output)
                self.add_loss(penalty / output.shape[0] if output.ndim > 0 else penalty)
        self._pass_mask_on(inputs, outputs, previous_mask)
        return outputs

    def _symbolic_call(self, inputs, *args, **kwargs):
        self._check_and_build(map_structure(lambda t: t.shape, inputs))
        outputs = self.compute_output_spec(inputs)
        _, previous_mask = self._resolve_mask(inputs, args, dict(kwargs))
        self._pass_mask_on(inputs, outputs, previous_mask)
        arguments = dict(kwargs)  # as given: at run time the masks come with the data
        if args:
            arguments["_positional"] = args
        Node(self, inputs, outputs, arguments)
        return outputs

    def _convert_input(self, x) -> Tensor:
        """Arrays become tensors; floats take the layer's dtype (Keras's autocast)."""
        if isinstance(x, Tensor):
            if self.autocast and np.issubdtype(x.dtype, np.floating) and x.dtype != self.dtype:
                cast = ops.cast(x, self.dtype)
                if get_mask(x) is not None:  # the mask stays with the data
                    set_mask(cast, get_mask(x))
                return cast
            return x
        if x is None:
            return x
        array = np.asarray(x)
        if self.autocast and (np.issubdtype(array.dtype, np.floating) or array.dtype == bool):
            array = array.astype(self.dtype, copy=False)
        return Tensor(array)

    def _resolve_training(self, kwargs: dict) -> dict:
        """Pass `training` to `call` when it takes it (Keras 3's order): given, else inherited
        from the enclosing call, else the default of `call`'s own `training` argument.

        The default matters for a layer called on its own: `RandomFlip()(images)` augments
        (`call(data, training=True)`), `Dropout(0.5)(x)` does not (`training=False`); a model
        called on data (`call(inputs, training=None)`) leaves each of its layers to its own.
        """
        if "training" not in self._call_signature.parameters:
            kwargs.pop("training", None)
            return kwargs
        if kwargs.get("training") is None:
            inherited = _context.training[-1] if _context.training else None
            if inherited is None:  # outermost call: Keras 2's K.set_learning_phase(0/1), if set
                inherited = global_state.learning_phase()
            if inherited is not None:
                kwargs["training"] = bool(inherited)
            else:
                default = self._call_signature.parameters["training"].default
                kwargs["training"] = None if default is inspect.Parameter.empty else default
        return kwargs

    # --- masks (see the module docstring) -----------------------------------------------
    def _resolve_mask(self, inputs, args: tuple, kwargs: dict) -> tuple[dict, object]:
        """Fill `call`'s `mask` argument from the input's `_keras_mask`, as Keras 3 does.

        Returns the keyword arguments for `call` and the `previous_mask` that
        `compute_mask` will receive: the `mask` given or filled in, else the mask of the
        first input.
        """
        parameters = self._call_signature.parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        given = {k: v for k, v in kwargs.items() if takes_any or k in parameters}
        try:
            bound = self._call_signature.bind(inputs, *args, **given)
        except TypeError:  # wrong arguments: `call` itself will say which
            return kwargs, map_structure(get_mask, inputs)
        bound.apply_defaults()
        tensor_arguments = {
            name: value for name, value in bound.arguments.items() if _holds_tensors(value)
        }
        if len(tensor_arguments) == 1 and "mask" in parameters and bound.arguments["mask"] is None:
            kwargs["mask"] = map_structure(get_mask, next(iter(tensor_arguments.values())))
        elif len(tensor_arguments) > 1:  # call(query, value, query_mask=None, value_mask=None)
            for name, value in tensor_arguments.items():
                if f"{name}_mask" in parameters and bound.arguments[f"{name}_mask"] is None:
                    kwargs[f"{name}_mask"] = map_structure(get_mask, value)
        if kwargs.get("mask") is not None:
            return kwargs, kwargs["mask"]
        return kwargs, map_structure(get_mask, inputs)

    def _pass_mask_on(self, inputs, outputs, previous_mask) -> None:
        """Write `compute_mask`'s mask on each output that has none yet (a layer such as
        Masking may have written its own inside `call`); or warn that the mask is lost."""
        if not self.supports_masking:
            if any(m is not None for m in flatten(previous_mask)):
                warnings.warn(
                    f"Layer {self.name!r} (of type {type(self).__name__}) was passed an input "
                    "with a mask attached to it. However, this layer does not support masking "
                    "and will therefore destroy the mask information. Downstream layers will "
                    "not see the mask. (Layers that keep it: Dense, Dropout, activations, "
                    "merges, RNNs; GlobalAveragePooling1D uses it instead of Flatten.)",
                    stacklevel=user_stacklevel(),
                )
            return
        flat_outputs = flatten(outputs)
        if all(get_mask(t) is not None for t in flat_outputs):
            return
        if any(isinstance(t, KerasTensor) for t in flat_outputs):
            masks = self._symbolic_mask(inputs, previous_mask)
        else:
            masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(flat_outputs, flatten(masks), strict=False):
            if mask is not None and get_mask(tensor) is None:
                set_mask(tensor, mask)

    def _symbolic_mask(self, inputs, previous_mask):
        """The output mask of a symbolic call, as `KerasTensor`s of dtype bool.

        With the default `compute_mask` it is the input's mask itself. Otherwise
        `compute_mask` runs on zeros (and all-True masks) twice, every unknown size set to
        2 and then to 3: an axis whose length follows that size is unknown (None) too. The
        values are computed only when data flows, by the eager call.
        """
        if type(self).compute_mask is Layer.compute_mask:
            return previous_mask

        def run(size: int):
            def fill(shape):
                return tuple(size if d is None else d for d in shape)

            zeros = map_structure(
                lambda t: Tensor(np.zeros(fill(t.shape), _trial_dtype(t.dtype))), inputs
            )
            masks = map_structure(
                lambda m: None if m is None else Tensor(np.ones(fill(m.shape), bool)),
                previous_mask,
            )
            with no_grad(), np.errstate(all="ignore"):
                return self.compute_mask(zeros, masks)

        small, large = run(2), run(3)
        if small is None:
            return None

        def spec(a, b):
            if a is None:
                return None
            a, b = np.shape(as_array(a)), np.shape(as_array(b))
            return KerasTensor(
                tuple(n if n == m else None for n, m in zip(a, b, strict=True)), "bool"
            )

        if isinstance(small, list | tuple):
            return [spec(a, b) for a, b in zip(small, large, strict=True)]
        return spec(small, large)

    def _check_and_build(self, shapes) -> None:
        """Check the input, build on first use, and check again what build pinned down.

        Checking before build means a wrong rank never fails inside `build`; the second
        check (only after a build) catches what build fixed, such as Dense's input width.
        """
        self._check_input(shapes)
        if not self.built:
            self._maybe_build(shapes)
            self._check_input(shapes)

    def _maybe_build(self, shapes) -> None:
        if self.built:
            return
        self._build_shapes = shapes
        self.build(shapes)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _check_input(self, shapes) -> None:
        specs = self.input_spec if isinstance(self.input_spec, list) else [self.input_spec]
        flat = [s for s in flatten_shapes(shapes)]
        for i, (spec, shape) in enumerate(zip(specs, flat, strict=False)):
            assert_input_compatibility(spec, shape, self.name, i, self._input_hint(shape))

    def _input_hint(self, shape) -> str:
        """The learner's usual fix for a wrong input shape (layers may say more)."""
        return ""

    # --- weights -----------------------------------------------------------------------
    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer=None,
        constraint=None,
        aggregation: str = "none",
        name: str | None = None,
        **kwargs,
    ) -> Variable:
        """Create a weight of this layer and track it.

        Args:
            shape: e.g. `(input_dim, units)`.
            initializer: name, initializer object or callable (default: glorot_uniform
                for floats, zeros otherwise).
            trainable: False for statistics that training must not touch (BatchNorm's
                moving mean).
            regularizer: a penalty on this weight added to the loss.
            constraint: projection applied after each optimizer update.
        """
        from .. import constraints, initializers, regularizers

        if isinstance(shape, str):  # Keras 2 order: add_weight(name, shape, ...)
            name, shape = (
                shape,
                initializer if isinstance(initializer, tuple | list) else kwargs.pop("shape", None),
            )
            initializer = (
                kwargs.pop("initializer", None)
                if isinstance(initializer, tuple | list)
                else initializer
            )
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = _dtype_name(dtype) if dtype is not None else self.dtype
        if initializer is None:
            initializer = (
                "glorot_uniform" if np.issubdtype(np.dtype(dtype), np.floating) else "zeros"
            )
        initializer = initializers.get(initializer)
        name = (
            name
            or f"variable_{len(self._trainable_variables) + len(self._non_trainable_variables)}"
        )
        variable = Variable(
            initializer,
            shape=shape,
            dtype=dtype,
            trainable=trainable,
            name=name,
            constraint=constraints.get(constraint),
            path=f"{self.name}/{name}",
        )
        variable.regularizer = regularizers.get(regularizer)
        (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
        return variable

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self) -> list[Variable]:
        """Every weight: this layer's (trainable first), then each sub-layer's."""
        return _unique(
            self._trainable_variables + self._non_trainable_variables,
            *(layer.weights for layer in self._layers),
        )

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        own = [v for v in self._trainable_variables if v.trainable]
        return _unique(own, *(layer.trainable_weights for layer in self._layers))

    @property
    def non_trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return self.weights
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weight values, in `layer.weights` order."""
        return [np.array(v.data) for v in self.weights]

    def set_weights(self, weights: Sequence) -> None:
        """Load weight values (same order and shapes as `get_weights()` returns)."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"You called `set_weights(weights)` on layer {self.name!r} with a weight list "
                f"of length {len(weights)}, but the layer was expecting {len(own)} weights"
                + ("" if self.built else " (it is not built yet: call it on data first)")
                + "."
            )
        for variable, value in zip(own, weights, strict=True):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(
                    f"Layer {self.name!r} weight shape {variable.shape} is not compatible with "
                    f"provided weight shape {value.shape}."
                )
        for variable, value in zip(own, weights, strict=True):
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in this layer's weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name!r}, but the layer isn't "
                "built. You can build it manually via: `layer.build(batch_input_shape)`."
            )
        return int(sum(v.size for v in self.weights))

    # --- losses --------------------------------------------------------------------------
    def add_loss(self, loss) -> None:
        """Add a tensor to the training loss (e.g. an activity penalty)."""
        self._losses.append(ops.convert_to_tensor(loss))

    @property
    def losses(self) -> list[Tensor]:
        """Losses added during the last call, plus the weight penalties as they stand now."""
        losses = list(self._losses)
        for variable in self.trainable_weights:
            regularizer = getattr(variable, "regularizer", None)
            if regularizer is not None and variable in self._own_variables():
                losses.append(regularizer(variable))
        for layer in self._layers:
            losses.extend(layer.losses)
        return losses

    def _own_variables(self) -> list[Variable]:
        return self._trainable_variables + self._non_trainable_variables

    def _clear_losses(self) -> None:
        self._losses = []
        for layer in self._layers:
            layer._clear_losses()

    # --- the graph this layer was called in --------------------------------------------
    def _node_attribute(self, node_index: int, attribute: str, what: str):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer {self.name!r} has never been called on a symbolic input (Input(...)), "
                f"so it has no defined {what}."
            )
        if node_index >= len(self._inbound_nodes):
            raise ValueError(
                f"Asked to get {what} at node {node_index}, but layer {self.name!r} has only "
                f"{len(self._inbound_nodes)} inbound nodes."
            )
        return getattr(self._inbound_nodes[node_index], attribute)

    def get_input_at(self, node_index: int):
        return self._node_attribute(node_index, "inputs", "input")

    def get_output_at(self, node_index: int):
        return self._node_attribute(node_index, "outputs", "output")

    def get_input_shape_at(self, node_index: int):
        return self._node_attribute(node_index, "input_shapes", "input shape")

    def get_output_shape_at(self, node_index: int):
        return self._node_attribute(node_index, "output_shapes", "output shape")

    @property
    def input(self):
        """The symbolic input of this layer's first call."""
        return self.get_input_at(0)

    @property
    def output(self):
        """The symbolic output of this layer's first call."""
        return self.get_output_at(0)

    @property
    def input_shape(self):
        if self._inbound_nodes:
            return self.get_input_shape_at(0)
        if self._build_shapes is not None:
            return self._build_shapes
        raise AttributeError(
            f"The layer {self.name!r} has never been called and thus has no defined input shape."
        )

    @property
    def output_shape(self):
        if self._inbound_nodes:
            return self.get_output_shape_at(0)
        if self._build_shapes is not None:
            return self.compute_output_shape(self._build_shapes)
        raise AttributeError(
            f"The layer {self.name!r} has never been called and thus has no defined output shape."
        )

    # --- small conveniences ---------------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# --- helpers ---------------------------------------------------------------------------
def get_mask(x):
    """The mask a tensor carries (`x._keras_mask`), or None."""
    return getattr(x, "_keras_mask", None)


def set_mask(x, mask) -> None:
    """Attach `mask` to the tensor `x`, where the next layer will look for it (a NumPy
    array cannot carry one: its mask is dropped, as Keras drops it)."""
    try:
        x._keras_mask = mask
    except AttributeError:
        pass


def _holds_tensors(value) -> bool:
    """A tensor argument of `call` (Keras's rule): a tensor, or a non-empty list, tuple or
    dict of tensors (and Nones)."""
    if isinstance(value, Tensor | KerasTensor | np.ndarray):
        return True
    if isinstance(value, list | tuple | dict) and len(value) > 0:
        leaves = flatten(value)
        return all(leaf is None or _holds_tensors(leaf) for leaf in leaves) and any(
            leaf is not None for leaf in leaves
        )
    return False


def _trial_dtype(dtype: str) -> str:
    """What zeros stand for a symbolic input: its dtype (strings as empty strings)."""
    return "str" if dtype == "string" else dtype


def _marks_built(build):
    """`build`, then `self.built = True` once it has returned without an error."""

    @functools.wraps(build)
    def build_and_mark_built(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.built = True

    return build_and_mark_built


def _dtype_name(dtype) -> str:
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, dict):  # a Keras 3 DTypePolicy config
        dtype = dtype.get("config", {}).get("name", config.floatx())
    if dtype in ("string", "str", str):  # Keras's name for text (Input(dtype="string"))
        return "string"
    return str(np.dtype(dtype))


def _as_shape(shape) -> tuple:
    if isinstance(shape, int):
        return (shape,)
    return tuple(None if d is None else int(d) for d in shape)


def _is_shape(x) -> bool:
    """A shape is a tuple/list of ints and Nones (a list of shapes is not)."""
    return isinstance(x, tuple | list) and all(
        d is None or isinstance(d, int | np.integer) for d in x
    )


def flatten_shapes(shapes) -> list[tuple]:
    if _is_shape(shapes):
        return [tuple(shapes)]
    if isinstance(shapes, dict):
        shapes = list(shapes.values())
    return [s for item in shapes for s in flatten_shapes(item)]


def _unique(*groups) -> list:
    seen: set[int] = set()
    result = []
    for group in groups:
        for v in group:
            if id(v) not in seen:
                seen.add(id(v))
                result.append(v)
    return result


def _shape_by_running(layer: Layer, input_shape):
    """Find an output shape by calling the layer on zeros (batch axis of size 1)."""

    def zeros(shape):
        return np.zeros([1 if d is None else d for d in shape], dtype=layer.dtype)

    dummy = map_structure_shapes(zeros, input_shape)
    with no_grad():
        outputs = layer.call(map_structure(Tensor, dummy))
    batch_unknown = flatten_shapes(input_shape)[0][0] is None

    def shape_of(t):
        shape = tuple(as_array(t).shape)
        return (None, *shape[1:]) if batch_unknown and shape else shape

    if isinstance(outputs, list | tuple):
        return [shape_of(t) for t in outputs]
    return shape_of(outputs)


def map_structure_shapes(fn, shapes):
    """Like `map_structure`, but a shape tuple counts as one leaf."""
    if _is_shape(shapes):
        return fn(shapes)
    return type(shapes)(map_structure_shapes(fn, s) for s in shapes)
