"""`Wrapper`: the base of layers that hold another layer and change how it is applied
(`TimeDistributed`, `Bidirectional`)."""

from __future__ import annotations

from ...serialization.keras_objects import serialize_keras_object
from ..layer import Layer


class Wrapper(Layer):
    """Holds `layer` (its weights are the wrapper's weights); subclasses write `call`.

    Args:
        layer: the layer to wrap, e.g. `Dense(8)`.
    """

    def __init__(self, layer: Layer, **kwargs) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__} wraps a layer instance, e.g. "
                f"{type(self).__name__}(Dense(8)). Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        if not self.layer.built:
            self.layer._maybe_build(input_shape)

    def get_config(self) -> dict:
        # the wrapped layer's own config (Keras adds its build_config once built; the
        # wrapper's build rebuilds it, so building leaves this config as it was)
        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return super().from_config(config)
