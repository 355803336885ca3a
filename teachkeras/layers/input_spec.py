"""`InputSpec`: what a layer accepts, checked before every call.

A failed check is often a learner's first error message, so it names the layer,
what it expected, what it got, and the usual fix.
"""

from __future__ import annotations


class InputSpec:
    """Constraints on a layer's input: rank and the size of given axes.

    Args:
        ndim, min_ndim, max_ndim: allowed rank (number of axes, batch included).
        axes: `{axis: size}` that must hold, e.g. `{-1: 4}` for a Dense built on 4 features.
        shape: full shape (None = any size).
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in (None, {})]
        return f"InputSpec({', '.join(parts)})"


def assert_input_compatibility(
    spec: InputSpec | None, shape, layer_name: str, index: int = 0, hint: str = ""
):
    """Raise a ValueError in plain words if `shape` does not meet `spec`."""
    if spec is None:
        return
    shape = tuple(shape)
    rank = len(shape)
    where = f"Input {index} of layer {layer_name!r} is incompatible with the layer"
    if spec.ndim is not None and rank != spec.ndim:
        raise ValueError(
            f"{where}: expected ndim={spec.ndim}, found ndim={rank}. Full shape received: {shape}.{hint}"
        )
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise ValueError(
            f"{where}: expected min_ndim={spec.min_ndim}, found ndim={rank}. "
            f"Full shape received: {shape}.{hint}"
        )
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise ValueError(
            f"{where}: expected max_ndim={spec.max_ndim}, found ndim={rank}. "
            f"Full shape received: {shape}.{hint}"
        )
    for axis, size in spec.axes.items():
        if size is None or -rank > axis or axis >= rank:
            continue
        if shape[axis] is not None and shape[axis] != size:
            raise ValueError(
                f"{where}: expected axis {axis} of input shape to have value {size}, "
                f"but received input with shape {shape}.{hint}"
            )
    if spec.shape is not None:
        for expected, got in zip(spec.shape, shape, strict=True):
            if expected is not None and got is not None and expected != got:
                raise ValueError(
                    f"{where}: expected shape={spec.shape}, found shape={shape}.{hint}"
                )
