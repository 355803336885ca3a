"""`Bidirectional`: read the sequence both ways and merge what the two readers say.

One copy of the recurrent layer reads x_1 … x_T, another (with `go_backwards=True`)
reads x_T … x_1; at each step the two outputs are merged (concatenated by default), so
every position sees its left and its right context. The backward copy's outputs come
in reading order, so they are flipped back to line up with the forward ones.
"""

from __future__ import annotations

from ... import ops
from ..keras_tensor import KerasTensor
from ..layer import Layer, map_structure_shapes

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """A forward and a backward copy of a recurrent layer, their outputs merged.

    Shapes: for `LSTM(16)` inside, `(batch, timesteps, features)` -> `(batch, 32)` with
    `merge_mode='concat'` (`(batch, 16)` for sum, mul, ave; a list of two with None).
    With `return_state=True` the forward layer's final states follow, then the backward
    layer's: `[output, h_fw, c_fw, h_bw, c_bw]` for an LSTM.

    Args:
        layer: the recurrent layer (LSTM, GRU, SimpleRNN, RNN) to copy. Its config makes
            the forward copy (named `forward_<name>`); the original is not used itself.
        merge_mode: 'concat' (default), 'sum', 'mul', 'ave', or None (return both).
        weights: initial weights, forward ones then backward ones (Keras 2).
        backward_layer: the backward reader, if not a copy of `layer` (it must read
            backwards: `go_backwards=True`).

    Example:
        >>> Bidirectional(LSTM(4, return_sequences=True))(np.zeros((2, 5, 3))).shape
        (2, 5, 8)
    """

    def __init__(
        self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs
    ) -> None:
        from ..serialization import deserialize, serialize

        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: {layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: {backward_layer}"
            )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        # Fresh copies from the layer's config: the wrapper owns readers of its own.
        config = serialize(layer)
        config.pop("build_config", None)
        config["config"]["name"] = f"forward_{layer.name.removeprefix('forward_')}"
        self.forward_layer = deserialize(config)
        if backward_layer is None:
            config = serialize(layer)
            config.pop("build_config", None)
            config["config"]["go_backwards"] = True
            config["config"]["name"] = f"backward_{layer.name.removeprefix('backward_')}"
            self.backward_layer = deserialize(config)
        else:
            self.backward_layer = backward_layer
        self._verify_layer_config()
        for reader in (self.forward_layer, self.backward_layer):
            # with a mask, both readers output zeros at padding, so the two line up
            if getattr(reader, "zero_output_for_mask", None) is not None:
                reader.zero_output_for_mask = reader.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. "
                f"Received: forward_layer.go_backwards {forward.go_backwards}, "
                f"backward_layer.go_backwards={backward.go_backwards}"
            )
        for name in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, name) != getattr(backward, name):
                raise ValueError(
                    "Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{name}", got "{getattr(forward, name)}" for forward layer and '
                    f'"{getattr(backward, name)}" for backward layer'
                )

    # --- calling ---------------------------------------------------------------------------------
    def _input_hint(self, shape) -> str:
        return self.forward_layer._input_hint(shape)

    def build(self, sequences_shape, initial_state_shape=None) -> None:
        if isinstance(sequences_shape, list) and isinstance(sequences_shape[0], list | tuple):
            sequences_shape = tuple(sequences_shape[0])
        for reader in (self.forward_layer, self.backward_layer):
            if not reader.built:
                reader._maybe_build(sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if isinstance(sequences, list | tuple):
            sequences, *given = sequences
            initial_state = given or initial_state
        if isinstance(mask, list | tuple):
            mask = mask[0]
        forward_state = backward_state = None
        if initial_state is not None:  # the first half for the forward reader
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(
            sequences, initial_state=backward_state, mask=mask, training=training
        )
        states = []
        if self.return_state:
            states = [*y[1:], *y_rev[1:]]
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:  # the backward reader's outputs, back in time order
            y_rev = ops.flip(y_rev, axis=1)
        output = self._merge(y, y_rev)
        if self.return_state:
            return [*output, *states] if self.merge_mode is None else [output, *states]
        return output

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) / 2
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        if isinstance(sequences_shape, list) and isinstance(sequences_shape[0], list | tuple):
            sequences_shape = tuple(sequences_shape[0])
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = []
        if self.return_state:
            output_shape, state_shapes = output_shape[0], list(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        elif self.merge_mode is None:
            output_shape = [tuple(output_shape), tuple(output_shape)]
        if not self.return_state:
            return output_shape
        if self.merge_mode is None:
            return [*output_shape, *state_shapes, *state_shapes]
        return [output_shape, *state_shapes, *state_shapes]

    def compute_output_spec(self, inputs):
        shapes = self.compute_output_shape(
            [t.shape for t in inputs] if isinstance(inputs, list | tuple) else inputs.shape
        )
        return map_structure_shapes(lambda shape: KerasTensor(shape, self.dtype), shapes)

    def compute_mask(self, inputs, mask):
        if isinstance(mask, list | tuple):
            mask = mask[0]
        if self.return_sequences:
            output_mask = [mask, mask] if not self.merge_mode else mask
        else:
            output_mask = [None, None] if not self.merge_mode else None
        if self.return_state and self.states is not None:
            state_masks = [None for _ in self.states]
            if isinstance(output_mask, list):
                return output_mask + state_masks * 2
            return [output_mask, *state_masks * 2]
        return output_mask

    # --- states ----------------------------------------------------------------------------------
    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return [*self.forward_layer.states, *self.backward_layer.states]
        return None

    def reset_states(self, states=None) -> None:
        self.reset_state() if states is None else self._set_states(states)

    def reset_state(self) -> None:
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def _set_states(self, states) -> None:
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    # --- config ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        from ..serialization import serialize

        layers = {}
        for key, reader in (("layer", self.forward_layer), ("backward_layer", self.backward_layer)):
            layers[key] = serialize(reader)
            layers[key].pop("build_config", None)
        return {**super().get_config(), "merge_mode": self.merge_mode, **layers}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> Bidirectional:
        from ..serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"], custom_objects)
        return super().from_config(config)
