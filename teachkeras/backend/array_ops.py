"""Ops that move values around without changing them: reshape, transpose, slice, join.

Their VJPs move the gradient back to where each value came from:

    reshape       g reshaped to the input's shape
    transpose     g transposed by the inverse permutation
    x[index]      g written into zeros at `index` (added up where indices repeat)
    concatenate   g split at the same boundaries
    tile, repeat  the copies' gradients summed

The rest are written with these (ravel, swapaxes, moveaxis, flip, split, take,
take_along_axis), so their gradients come for free.
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, as_array, as_tensor, record


def reshape(x, newshape) -> Tensor:
    """Same values, new shape (`-1` infers one axis).  VJP: $g$ reshaped back."""
    x = as_tensor(x)
    old = x.shape
    newshape = (newshape,) if isinstance(newshape, int | np.integer) else tuple(newshape)
    return record(x.data.reshape(newshape), (x,), (lambda g: g.reshape(old),))


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
    """Remove length-1 axes (all of them, or those in `axis`).  VJP: put them back."""
    x = as_tensor(x)
    old = x.shape
    for a in () if axis is None else np.atleast_1d(axis):
        if not -x.ndim <= a < x.ndim or old[a] != 1:
            raise ValueError(
                f"squeeze: axis {int(a)} of a tensor of shape {old} is not an axis of length 1, so it "
                "cannot be removed."
            )
    return record(np.squeeze(x.data, axis=axis), (x,), (lambda g: g.reshape(old),))


def ravel(x) -> Tensor:
    """All values in one axis, in row-major order (written as `reshape`)."""
    return reshape(x, (-1,))


def swapaxes(x, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes (written as `transpose`)."""
    x = as_tensor(x)
    order = list(range(x.ndim))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return transpose(x, order)


def moveaxis(x, source, destination) -> Tensor:
    """Move axes to new positions, keeping the others in order (written as `transpose`)."""
    x = as_tensor(x)
    source = [int(a) % x.ndim for a in np.atleast_1d(source)]
    destination = [int(a) % x.ndim for a in np.atleast_1d(destination)]
    order = [i for i in range(x.ndim) if i not in source]  # the axes that stay, in order
    for to, moved in sorted(zip(destination, source, strict=True)):
        order.insert(to, moved)
    return transpose(x, order)


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
    """Gather entries of `x` along `axis` (of the flattened `x` when None)."""
    x = as_tensor(x)
    idx = as_array(indices).astype(np.int64)
    if axis is None:
        return getitem(reshape(x, (-1,)), idx)
    axis = axis % x.ndim
    return getitem(x, (slice(None),) * axis + (idx,))


def take_along_axis(x, indices, axis: int | None = None) -> Tensor:
    """`x[..., indices[..., j, ...], ...]`: one index per position along `axis` (as NumPy).

    `indices` has the rank of `x`; its other axes broadcast against x's. Written as
    `getitem` with an index array for every axis, so the gradient is scattered back.
    """
    x = as_tensor(x)
    idx = as_array(indices).astype(np.int64)
    if axis is None:
        x, idx, axis = reshape(x, (-1,)), idx.reshape(-1), 0
    if idx.ndim != x.ndim:
        raise ValueError(
            f"take_along_axis: `indices` must have the rank of x ({x.ndim}). "
            f"Received: x.shape={x.shape}, indices.shape={idx.shape}"
        )
    axis = axis % x.ndim
    index = [  # arange(n) along its own axis, to broadcast against the indices
        np.arange(n).reshape([-1 if j == i else 1 for j in range(x.ndim)])
        for i, n in enumerate(x.shape)
    ]
    index[axis] = idx
    return getitem(x, tuple(index))


def concatenate(xs, axis: int = 0) -> Tensor:
    """Join tensors along an existing `axis`.  VJP: split $g$ at the same boundaries."""
    tensors = [as_tensor(t) for t in xs]
    sizes = [t.shape[axis] for t in tensors]
    cuts = np.cumsum(sizes)[:-1]
    out = np.concatenate([t.data for t in tensors], axis=axis)

    def vjp_for(i):
        return lambda g: np.split(g, cuts, axis=axis)[i]

    return record(out, tensors, [vjp_for(i) for i in range(len(tensors))])


def stack(x, axis: int = 0) -> Tensor:
    """Join tensors along a new `axis`.  VJP: take the matching slice of $g$."""
    tensors = [as_tensor(t) for t in x]
    out = np.stack([t.data for t in tensors], axis=axis)

    def vjp_for(i):
        return lambda g: np.take(g, i, axis=axis)

    return record(out, tensors, [vjp_for(i) for i in range(len(tensors))])


def split(x, indices_or_sections, axis: int = 0) -> list[Tensor]:
    """Cut `x` along `axis` into equal sections, or at the given indices (as NumPy).

    Written as one `getitem` slice per piece, so each piece's gradient goes back to its place.
    """
    x = as_tensor(x)
    n = x.shape[axis]
    if isinstance(indices_or_sections, int | np.integer):
        sections = int(indices_or_sections)
        if sections <= 0 or n % sections:
            raise ValueError(
                f"split: axis {axis} has length {n}, which {sections} equal sections cannot "
                "divide. Pass the indices to cut at instead, e.g. [2, 5]."
            )
        cuts = [i * (n // sections) for i in range(1, sections)]
    else:
        cuts = [int(i) for i in indices_or_sections]
    before = (slice(None),) * (axis % x.ndim)
    bounds = zip([0, *cuts], [*cuts, n], strict=True)
    return [getitem(x, (*before, slice(start, stop))) for start, stop in bounds]


def flip(x, axis=None) -> Tensor:
    """Reverse the order of the values along `axis` (all axes when None), written as `getitem`."""
    x = as_tensor(x)
    axes = range(x.ndim) if axis is None else [a % x.ndim for a in np.atleast_1d(axis)]
    index = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(x.ndim))
    return getitem(x, index)


def tile(x, repeats) -> Tensor:
    """Repeat the whole of `x` `repeats` times along each axis.  VJP: sum of the copies."""
    x = as_tensor(x)
    reps = (int(repeats),) if isinstance(repeats, int | np.integer) else tuple(repeats)
    shape = x.shape
    out = np.tile(x.data, reps)
    # tile == broadcast over interleaved "copy" axes, so its adjoint sums those axes
    full_reps = (1,) * (out.ndim - len(reps)) + reps
    full_shape = (1,) * (out.ndim - len(shape)) + shape

    def vjp(g):
        split = g.reshape([n for pair in zip(full_reps, full_shape, strict=False) for n in pair])
        return split.sum(axis=tuple(range(0, split.ndim, 2))).reshape(shape)

    return record(out, (x,), (vjp,))


def repeat(x, repeats, axis: int | None = None) -> Tensor:
    """Repeat each element `repeats` times along `axis` (of the flattened `x` when None).

    VJP: sum each group. `repeats` may also give one count per element (then it is
    written as `take`).
    """
    x = as_tensor(x)
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    axis = axis % x.ndim
    if np.ndim(repeats) > 0:  # one count per element: gather each index that many times
        return take(x, np.repeat(np.arange(x.shape[axis]), as_array(repeats)), axis=axis)
    repeats = int(repeats)
    shape = x.shape

    def vjp(g):
        grouped = g.reshape((*shape[:axis], shape[axis], repeats, *shape[axis + 1 :]))
        return grouped.sum(axis=axis + 1)

    return record(np.repeat(x.data, repeats, axis=axis), (x,), (vjp,))


def pad(x, pad_width, mode: str = "constant", constant_values=None) -> Tensor:
    """Pad with a constant (0 unless `constant_values` says otherwise).

    VJP: the un-padded slice of $g$. `pad_width` is NumPy's: one `(before, after)` pair
    per axis, or one pair (or one number) for every axis.
    """
    if mode != "constant":
        raise ValueError(
            f"pad: teachkeras supports mode='constant' only (zeros, or `constant_values`). "
            f"Received: mode={mode!r}"
        )
    x = as_tensor(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2)).tolist()
    inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x.shape, strict=True))
    fill = 0 if constant_values is None else constant_values
    out = np.pad(x.data, widths, constant_values=fill)
    return record(out, (x,), (lambda g: g[inner],))


def one_hot(x, num_classes: int, axis: int = -1, dtype=None, sparse: bool = False) -> Tensor:
    """Class indices -> one-hot vectors along a new `axis` (not differentiable).

    Index $k$ becomes a vector of `num_classes` zeros with a 1 at position $k$; a
    negative index (Keras's "no class") becomes all zeros.
    """
    from .config import floatx

    if sparse:
        raise ValueError("one_hot: teachkeras has no sparse tensors; use sparse=False.")
    idx = as_array(x).astype(np.int64)
    if idx.size and idx.max() >= num_classes:
        raise ValueError(
            f"one_hot: class index {idx.max()} is not below num_classes={num_classes}: "
            "class indices run from 0 to num_classes - 1."
        )
    out = np.zeros((*idx.shape, num_classes), dtype=dtype or floatx())
    np.put_along_axis(out, np.maximum(idx, 0)[..., None], 1, axis=-1)
    out[idx < 0] = 0
    return Tensor(out if axis == -1 else np.moveaxis(out, -1, axis))
