"""`Sequential`: a plain stack of layers, each feeding the next.

    model = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(1)])

As in Keras 3, once the input shape is known (from `Input`, from `input_shape=` on
the first layer, or from the first batch of data) the stack is turned into a
functional graph; until then it is "deferred" and `summary()` cannot count weights.
"""

from __future__ import annotations

import numpy as np

from ..backend.tensor import Tensor, as_array
from ..layers.core.input_layer import InputLayer
from ..layers.keras_tensor import KerasTensor
from ..layers.layer import Layer
from ..legacy import warn_once
from .functional import Functional
from .model import Model


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: list of layers to add in order (or add them later with `add`).
        name: model name (default `sequential`, `sequential_1`, ...).
    """

    def __init__(
        self, layers=None, trainable: bool = True, name: str | None = None, **kwargs
    ) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._set_functional(None)
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    # --- building the stack ------------------------------------------------------------
    def add(self, layer, rebuild: bool = True) -> None:
        """Append a layer (an `Input(...)` tensor is accepted as the first entry)."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer) and self._layers:
            raise ValueError(
                f"Sequential model {self.name!r} already has layers: an InputLayer can only come first."
            )
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name {layer.name!r} "
                "is already the name of a layer in this model. Update the `name` argument to pass a unique name."
            )
        if (
            not self._layers
            and not isinstance(layer, InputLayer)
            and layer._input_shape_arg is not None
        ):
            # Dense(8, input_shape=(4,)) as the first layer: make its Input for it
            self._layers.append(
                InputLayer(shape=layer._input_shape_arg, batch_size=layer._batch_size_arg)
            )
        self._layers.append(layer)
        self.built = False
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        self.built = False
        self._set_functional(None)
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._set_functional(None)
        if self._layers and isinstance(self._layers[0], InputLayer) and len(self._layers) > 1:
            x = self._layers[0].output_tensor
            for layer in self._layers[1:]:
                x = layer(x)
            self._set_functional(
                Functional(self._layers[0].output_tensor, x, name=f"{self.name}_functional")
            )
            self.built = True

    def _set_functional(self, graph: Functional | None) -> None:
        # Set around Layer.__setattr__: the graph is a view of our layers, not a sub-layer.
        object.__setattr__(self, "_functional", graph)

    def build(self, input_shape=None) -> None:
        """Fix the input shape (batch axis included, e.g. `(None, 4)`) and build every layer."""
        if input_shape is None:
            if self._functional is None:
                raise ValueError(
                    f"Sequential model {self.name!r} cannot be built: give an input_shape."
                )
            return
        if self._layers and isinstance(self._layers[0], InputLayer):
            if tuple(self._layers[0].batch_shape[1:]) != tuple(input_shape[1:]):
                raise ValueError(
                    f"Sequential model {self.name!r} has input shape {self._layers[0].batch_shape}, "
                    f"but was built with {tuple(input_shape)}."
                )
        else:
            self._layers.insert(0, InputLayer(batch_shape=(None, *tuple(input_shape)[1:])))
        self._maybe_rebuild()

    def build_from_data(self, xs: list[np.ndarray]) -> None:
        if xs[0].dtype.kind in "US" and not self._layers_start_with_input():
            # texts for a first layer that reads them (TextVectorization): a string Input
            self._layers.insert(0, InputLayer(batch_shape=(None, *xs[0].shape[1:]), dtype="string"))
            self._maybe_rebuild()
            return
        self.build((None, *xs[0].shape[1:]))

    def _layers_start_with_input(self) -> bool:
        return bool(self._layers) and isinstance(self._layers[0], InputLayer)

    # --- what a learner reads -------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The layers, without the InputLayer (as in Keras 3)."""
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    def _require_graph(self, what: str) -> Functional:
        if self._functional is None:
            raise AttributeError(
                f"Sequential model {self.name!r} has no {what} yet: its input shape is not known. "
                "Start it with Input(shape=...), give the first layer input_shape=..., or call it on data."
            )
        return self._functional

    @property
    def inputs(self):
        return self._require_graph("inputs").inputs

    @property
    def outputs(self):
        return self._require_graph("outputs").outputs

    @property
    def input(self):
        return self._require_graph("input").input

    @property
    def output(self):
        return self._require_graph("output").output

    @property
    def input_shape(self):
        return self._require_graph("input shape").input_shape

    @property
    def output_shape(self):
        return self._require_graph("output shape").output_shape

    @property
    def input_names(self) -> list[str]:
        return self._functional.input_names if self._functional is not None else []

    @property
    def output_names(self) -> list[str]:
        return (
            self._functional.output_names
            if self._functional is not None
            else ([self.layers[-1].name] if self.layers else [])
        )

    # --- running it ---------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        if self._functional is None:
            shape = as_array(inputs).shape if not isinstance(inputs, Tensor) else inputs.shape
            self.build((None, *shape[1:]))
        return self._functional.call(inputs, training=training, mask=mask)

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _symbolic_call(self, inputs, *args, **kwargs):
        if self._functional is None:
            self.build(inputs.shape)
        return super()._symbolic_call(inputs, *args, **kwargs)

    # --- Keras 2 conveniences -------------------------------------------------------------
    def predict_classes(self, x, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """Keras 2: class indices (argmax, or probability > 0.5 for one sigmoid unit)."""
        warn_once(
            "predict_classes",
            "Sequential.predict_classes() was removed in Keras 2.6. Write instead: "
            "np.argmax(model.predict(x), axis=-1) for softmax outputs, or "
            "(model.predict(x) > 0.5).astype('int32') for a single sigmoid unit.",
        )
        probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
        if probabilities.shape[-1] > 1:
            return probabilities.argmax(axis=-1)
        return (probabilities > 0.5).astype("int32")

    def predict_proba(self, x, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """Keras 2: the predicted probabilities (the same as `predict`)."""
        warn_once(
            "predict_proba",
            "Sequential.predict_proba() was removed in Keras 2.6. Write instead: model.predict(x).",
        )
        return self.predict(x, batch_size=batch_size, verbose=verbose)

    # --- config ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        from ..layers.serialization import serialize

        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self.dtype,
            "layers": [serialize(layer) for layer in self._layers],
        }
        if self._functional is not None:
            config["build_input_shape"] = self._layers[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> Sequential:
        from ..layers.serialization import deserialize

        layer_configs = (
            config["layers"] if isinstance(config, dict) else config
        )  # Keras 1: a bare list
        model = cls(name=config.get("name") if isinstance(config, dict) else None)
        for layer_config in layer_configs:
            model.add(deserialize(layer_config, custom_objects), rebuild=False)
        model._maybe_rebuild()
        build_shape = config.get("build_input_shape") if isinstance(config, dict) else None
        if model._functional is None and build_shape:
            model.build(build_shape)
        return model
