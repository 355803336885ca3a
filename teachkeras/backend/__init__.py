"""`teachkeras.backend`: the engine under everything, and, as `K`, Keras 2's backend.

This package is the ground floor. It imports nothing above it:

    tensor.py          Tensor, reverse-mode autodiff (gradients, GradientTape, no_grad)
    operators.py       Python's operators on tensors (a + b is add(a, b))
    variables.py       Variable: a tensor that training updates in place
    math_ops.py, reduction_ops.py, array_ops.py, sort_ops.py, linalg_ops.py,
    creation_ops.py, nn_ops.py, activation_ops.py
                       every op with its gradient beside it, by family
    conv_ops.py, pooling_ops.py, normalization_ops.py, image_ops.py
                       the image ops; the first three have hand-written backwards
    config.py          floatx, epsilon, image_data_format
    random.py, naming.py, global_state.py
                       random state, default names, what clear_session() forgets
    gradient_check.py  finite differences, to check any gradient

Keras 3 code reaches the ops through `teachkeras.ops`.

Keras 2 tutorials write `from keras import backend as K` and then `K.placeholder`,
`K.function`, `K.sum`. That namespace, Keras 2's `K`, lives at the edge, in
`teachkeras/legacy/backend/`: asking this package for a name it does not hold loads
it from there, once (`__getattr__` below). So the engine never loads Keras 2's graph
machinery, and `K.sum` still works.
"""

from __future__ import annotations

import importlib
import importlib.util

from . import operators


def __getattr__(name: str):
    """`K.<name>`: Keras 2's backend function of that name (see `teachkeras/legacy/backend/`)."""
    if name.startswith("__"):  # Python's own questions (__path__, __all__, ...): not K's
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:
        # `from teachkeras.backend import random`: one of the engine's own modules
        return importlib.import_module(f"{__name__}.{name}")
    from ..legacy import backend as keras2_backend  # the one door from the engine to the edge

    try:
        value = getattr(keras2_backend, name)
    except AttributeError:
        raise AttributeError(
            f"module 'teachkeras.backend' (Keras 2's K) has no attribute {name!r}"
        ) from None
    globals()[name] = value  # found once: `K.mean` in a loss called every batch costs nothing more
    return value


def __dir__() -> list[str]:
    from ..legacy import backend as keras2_backend

    return sorted(set(globals()) | {n for n in dir(keras2_backend) if not n.startswith("_")})
