"""The shape of an op's result before any data exists, found by running it on zeros.

A symbolic tensor (`Input((3,))`, Keras 2's `K.placeholder((None, 3))`) has sizes that
are only known when data arrives: `None`. To know what an op on it returns, run the op
on zeros twice, each unknown size set to 2 and then to 3 (or 1, when a size does not
fit, e.g. rows broadcast against a (2, 2) weight): an output axis whose length differs
between the two runs depends on an unknown size, and is `None` too.

The trial runs record no gradient, draw from a throwaway random generator (recording a
dropout must not move the seeded state that makes notebooks repeatable), and silence
NumPy's warnings about dividing zeros.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np

from . import random as backend_random
from .tensor import as_array, no_grad

Spec = tuple[tuple, str]  # (shape with None for unknown sizes, dtype name)


def infer_output_specs(run: Callable[[int], object], unknown: bool) -> tuple[list[Spec], bool]:
    """(shape, dtype) of each output of `run(size)`, and whether it returns several outputs.

    Args:
        run: computes the op on zeros whose unknown sizes are `size`; may raise
            ValueError/TypeError/IndexError when a size does not fit.
        unknown: whether any input size is unknown (otherwise one run is enough).
    """
    runs = _trial_runs(run, wanted=2 if unknown else 1)
    several = isinstance(runs[0], list | tuple)
    per_output = list(zip(*runs, strict=True)) if several else [tuple(runs)]
    specs = []
    for values in per_output:  # one output's value in each run
        shapes = [np.shape(as_array(v)) for v in values]
        if len({len(s) for s in shapes}) > 1:
            raise ValueError(
                "The rank of this result depends on sizes that are unknown until data arrives; "
                "give the input a full shape."
            )
        shape = tuple(
            n if all(s[j] == n for s in shapes) else None for j, n in enumerate(shapes[0])
        )
        specs.append((shape, str(as_array(values[0]).dtype)))
    return specs, several


def _trial_runs(run: Callable[[int], object], wanted: int) -> list:
    """Results of `wanted` runs, unknown sizes 2, then 3 (or 1 if a size does not fit)."""
    results, errors = [], []
    for size in (2, 3, 1):
        try:
            with no_grad(), _throwaway_randomness(), np.errstate(all="ignore"):
                results.append(run(size))
        except (ValueError, TypeError, IndexError) as error:
            errors.append(error)
        if len(results) == wanted:
            break
    if not results:
        raise errors[0]
    return results


@contextlib.contextmanager
def _throwaway_randomness() -> Iterator[None]:
    saved = backend_random._global_generator
    backend_random._global_generator = np.random.default_rng(0)
    try:
        yield
    finally:
        backend_random._global_generator = saved
