"""Ops that move values around without changing them: reshape, transpose, slice, join.

Their VJPs move the gradient back to where each value came from:

    reshape       g reshaped to the input's shape
    transpose     g transposed by the inverse permutation
    x[index]      g written into zeros at `index` (added up where indices repeat)
    concatenate   g split at the same boundaries
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, as_array, as_tensor, record


def reshape(x, shape) -> Tensor:
    """Same values, new shape (`-1` infers one axis).  VJP: $g$ reshaped back."""
    x = as_tensor(x)
    old = x.shape
    return record(x.data.reshape(tuple(shape)), (x,), (lambda g: g.reshape(old),))


def transpose(x, axes=None) -> Tensor:
    """Permute axes (reverse them when `axes` is None).  VJP: the inverse permutation."""
    x = as_tensor(x)
    # `% ndim`: the inverse permutation needs axes counted from 0 (-1 is the last one)
    axes = tuple(range(x.ndim))[::-1] if axes is None else tuple(int(a) % x.ndim for a in axes)
    inverse = tuple(np.argsort(axes))
    return record(np.transpose(x.data, axes), (x,), (lambda g: np.transpose(g, inverse),))


def expand_dims(x, axis: int) -> Tensor:
    """Insert a length-1 axis.  VJP: remove it again."""
    x = as_tensor(x)
    old = x.shape
    return record(np.expand_dims(x.data, axis), (x,), (lambda g: g.reshape(old),))


def squeeze(x, axis=None) -> Tensor:
    """Remove length-1 axes.  VJP: put them back."""
    x = as_tensor(x)
    old = x.shape
    return record(np.squeeze(x.data, axis=axis), (x,), (lambda g: g.reshape(old),))


def flatten(x) -> Tensor:
    """All values in one axis."""
    return reshape(x, (-1,))


def batch_flatten(x) -> Tensor:
    """Keep the batch axis, flatten the rest: (n, a, b, ...) -> (n, a*b*...)."""
    x = as_tensor(x)
    return reshape(x, (x.shape[0], -1))


def broadcast_to(x, shape) -> Tensor:
    """Repeat `x` to `shape` as NumPy broadcasting would.  VJP: sum (by the engine)."""
    x = as_tensor(x)
    return record(np.broadcast_to(x.data, tuple(shape)), (x,), (lambda g: g,))


def getitem(x, index) -> Tensor:
    """`x[index]` for any NumPy index.  VJP: $g$ scattered into zeros at `index`."""
    x = as_tensor(x)
    if isinstance(index, Tensor):
        index = index.data
    elif isinstance(index, tuple):
        index = tuple(i.data if isinstance(i, Tensor) else i for i in index)
    shape, dtype = x.shape, x.dtype

    def vjp(g):
        full = np.zeros(shape, dtype=dtype)
        if _is_basic(index):
            full[index] = g  # slices never repeat an element
        else:
            np.add.at(full, index, g)  # repeated indices each add their share
        return full

    return record(x.data[index], (x,), (vjp,))


def _is_basic(index) -> bool:
    """True for slices, integers, `None` and `...`: an index that picks no element twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, slice | int | np.integer) or p is None or p is Ellipsis for p in parts)


def take(x, indices, axis: int | None = None) -> Tensor:
    """Gather entries of `x` along `axis` (`K.gather` gathers rows: axis 0)."""
    x = as_tensor(x)
    idx = as_array(indices).astype(np.int64)
    if axis is None:
        return getitem(reshape(x, (-1,)), idx)
    axis = axis % x.ndim
    return getitem(x, (slice(None),) * axis + (idx,))


def concatenate(tensors, axis: int = -1) -> Tensor:
    """Join tensors along `axis`.  VJP: split $g$ at the same boundaries."""
    tensors = [as_tensor(t) for t in tensors]
    sizes = [t.shape[axis] for t in tensors]
    cuts = np.cumsum(sizes)[:-1]
    out = np.concatenate([t.data for t in tensors], axis=axis)

    def vjp_for(i):
        return lambda g: np.split(g, cuts, axis=axis)[i]

    return record(out, tensors, [vjp_for(i) for i in range(len(tensors))])


def stack(tensors, axis: int = 0) -> Tensor:
    """Join tensors along a new axis.  VJP: take the matching slice of $g$."""
    tensors = [as_tensor(t) for t in tensors]
    out = np.stack([t.data for t in tensors], axis=axis)

    def vjp_for(i):
        return lambda g: np.take(g, i, axis=axis)

    return record(out, tensors, [vjp_for(i) for i in range(len(tensors))])


def tile(x, reps) -> Tensor:
    """Repeat the whole of `x` `reps` times along each axis.  VJP: sum of the copies."""
    x = as_tensor(x)
    reps = tuple(reps)
    shape = x.shape
    out = np.tile(x.data, reps)
    # tile == broadcast over interleaved "copy" axes, so its adjoint sums those axes
    full_reps = (1,) * (out.ndim - len(reps)) + reps
    full_shape = (1,) * (out.ndim - len(shape)) + shape

    def vjp(g):
        split = g.reshape([n for pair in zip(full_reps, full_shape, strict=False) for n in pair])
        return split.sum(axis=tuple(range(0, split.ndim, 2))).reshape(shape)

    return record(out, (x,), (vjp,))


def repeat(x, repeats: int, axis: int) -> Tensor:
    """Repeat each element `repeats` times along `axis`.  VJP: sum each group."""
    x = as_tensor(x)
    axis = axis % x.ndim
    shape = x.shape

    def vjp(g):
        grouped = g.reshape((*shape[:axis], shape[axis], repeats, *shape[axis + 1 :]))
        return grouped.sum(axis=axis + 1)

    return record(np.repeat(x.data, repeats, axis=axis), (x,), (vjp,))


def pad(x, pad_width, constant_value: float = 0.0) -> Tensor:
    """Pad with a constant.  VJP: the un-padded slice of $g$."""
    x = as_tensor(x)
    pad_width = [tuple(p) for p in pad_width]
    inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(pad_width, x.shape, strict=True))
    out = np.pad(x.data, pad_width, constant_values=constant_value)
    return record(out, (x,), (lambda g: g[inner],))


def one_hot(indices, num_classes: int, dtype=None) -> Tensor:
    """Class indices -> one-hot rows (not differentiable)."""
    from .config import floatx

    idx = as_array(indices).astype(np.int64)
    out = np.zeros((*idx.shape, num_classes), dtype=dtype or floatx())
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return Tensor(out)
