"""`Model`: a layer that can be trained. Three ways to make one, as in Keras:

    Model(inputs, outputs)             the functional API (returns a `Functional`)
    Sequential([...])                  a stack of layers
    class MyModel(Model): def call     subclassing: write `__init__` and `call` yourself

Training (`compile`, `fit`, `evaluate`, `predict`) is in `training.py`; the table
printed by `summary()` in `teachkeras.utils.summary_utils`.
"""

from __future__ import annotations

from ..layers.layer import Layer
from ..legacy import warn_once
from .legacy_generators import LegacyGeneratorsMixin
from .model_saving import SavingMixin
from .training import Trainer


class Model(Trainer, LegacyGeneratorsMixin, SavingMixin, Layer):
    """A layer with `compile`, `fit`, `evaluate`, `predict`, `summary` and saving.

    Example (functional):
        >>> x = Input(shape=(4,))
        >>> model = Model(inputs=x, outputs=Dense(1)(x), name="tiny")
    """

    def __new__(cls, *args, **kwargs):
        # Model(inputs, outputs) builds the functional kind, as in Keras.
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from .functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise TypeError(
                f"{type(self).__name__} takes no inputs/outputs: subclassed models define call()."
            )
        trainable = kwargs.pop("trainable", True)
        Layer.__init__(self, trainable=trainable, **kwargs)
        Trainer.__init__(self)

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A functional config (with `input_layers`) rebuilds the graph; others call `cls(**config)`."""
        if "input_layers" in config and "layers" in config:
            from .functional import Functional
            from .functional_config import functional_from_config

            return functional_from_config(
                Functional if cls is Model else cls, config, custom_objects
            )
        return super().from_config(config)

    def reset_states(self) -> None:
        """Keras 2: set every stateful layer's states back to zeros (for a stateful RNN, between
        independent sequences). Keras 3 dropped it: call `layer.reset_state()` on each."""
        warn_once(
            "Model.reset_states",
            "model.reset_states() is Keras 2's; Keras 3 resets each stateful layer itself: "
            "for layer in model.layers: if getattr(layer, 'stateful', False): layer.reset_state()",
        )
        for layer in self._layers:
            if isinstance(layer, Model):
                layer.reset_states()
            elif getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
                layer.reset_state()

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """Find a layer by its name, or by its position in `model.layers`."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index, not both.")
        if index is not None:
            if not 0 <= index < len(self.layers) and not -len(self.layers) <= index < 0:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(self.layers)} layers."
                )
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Print the table of layers, output shapes and parameter counts."""
        from ..utils.summary_utils import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )
