"""Keras 1's `merge(inputs, mode=...)`, mapped to today's merge layers.

Tutorials from 2016-2017 write `merge([a, b], mode='concat', concat_axis=-1)`; Keras 2
replaced it with one layer per mode. It still works here, and warns once with the
modern line to write.
"""

from __future__ import annotations

from ...legacy import warn_once
from .add import Add
from .average import Average
from .concatenate import Concatenate
from .dot import Dot
from .maximum import Maximum
from .multiply import Multiply

# Keras 1 mode -> (today's layer, how to write it)
_MODES = {
    "sum": (Add, "add([a, b]) or Add()([a, b])"),
    "mul": (Multiply, "multiply([a, b]) or Multiply()([a, b])"),
    "ave": (Average, "average([a, b]) or Average()([a, b])"),
    "max": (Maximum, "maximum([a, b]) or Maximum()([a, b])"),
    "concat": (Concatenate, "concatenate([a, b], axis=...) or Concatenate(axis=...)([a, b])"),
    "dot": (Dot, "dot([a, b], axes=...) or Dot(axes=...)([a, b])"),
    "cos": (Dot, "Dot(axes=..., normalize=True)([a, b])"),
}


def merge(inputs, mode: str = "sum", concat_axis: int = -1, dot_axes=-1, name=None, **kwargs):
    """Keras 1's merge: `merge([a, b], mode='concat')` is `Concatenate()([a, b])`.

    Args:
        inputs: a list of tensors.
        mode: 'sum', 'mul', 'ave', 'max', 'concat', 'dot' or 'cos'.
        concat_axis: the axis for 'concat'.
        dot_axes: the axes for 'dot' and 'cos'.
    """
    if mode not in _MODES:
        raise ValueError(
            f"merge(mode={mode!r}) is not a Keras 1 merge mode this can translate. Valid modes: "
            f"{sorted(_MODES)}. For a custom function, use a Lambda layer on the list."
        )
    layer_class, modern = _MODES[mode]
    warn_once(
        f"merge.{mode}",
        f"merge(inputs, mode={mode!r}) is Keras 1's spelling; write {modern} instead.",
    )
    kwargs.pop("output_shape", None)  # Keras 1 needed it only for callable modes
    if mode == "concat":
        return layer_class(axis=concat_axis, name=name, **kwargs)(inputs)
    if mode in ("dot", "cos"):
        return layer_class(axes=dot_axes, normalize=mode == "cos", name=name, **kwargs)(inputs)
    return layer_class(name=name, **kwargs)(inputs)
