"""Activations against real Keras 3: values and gradients (torch autograd) on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import activations
from teachkeras import backend as K

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

RTOL, ATOL = 1e-5, 1e-6

# Inputs away from every kink (0, ±0.5, ±1, ±3, 6), with a few large ones to test saturation.
X = np.array(
    [[-7.3, -4.1, -2.7, -1.6, -0.8, -0.3, 0.2, -12.5], [0.7, 1.4, 2.2, 3.6, 6.4, 9.5, 21.0, 4.7]],
    dtype="float32",
)

# case id -> (call on teachkeras.activations, call on keras.activations)
CASES = {
    **{name: (lambda m, x, n=name: getattr(m, n)(x)) for name in [
        "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "sigmoid",
        "hard_sigmoid", "log_sigmoid", "sparse_sigmoid", "tanh", "hard_tanh", "tanh_shrink",
        "softplus", "softsign", "silu", "swish", "hard_silu", "hard_swish", "gelu", "mish",
        "squareplus", "sparse_plus", "soft_shrink", "hard_shrink", "exponential", "softmax",
        "log_softmax", "glu",
    ]},
    "relu(negative_slope=0.3)": lambda m, x: m.relu(x, negative_slope=0.3),
    "relu(max_value=2)": lambda m, x: m.relu(x, max_value=2.0),
    "relu(max_value=6)": lambda m, x: m.relu(x, max_value=6.0),
    "relu(threshold=1.1)": lambda m, x: m.relu(x, threshold=1.1),
    "relu(all three)": lambda m, x: m.relu(x, negative_slope=0.2, max_value=5.0, threshold=0.9),
    "leaky_relu(0.01)": lambda m, x: m.leaky_relu(x, negative_slope=0.01),
    "elu(alpha=1.7)": lambda m, x: m.elu(x, alpha=1.7),
    "celu(alpha=0.6)": lambda m, x: m.celu(x, alpha=0.6),
    "gelu(approximate)": lambda m, x: m.gelu(x, approximate=True),
    "softmax(axis=0)": lambda m, x: m.softmax(x, axis=0),
    "log_softmax(axis=0)": lambda m, x: m.log_softmax(x, axis=0),
    "squareplus(b=2)": lambda m, x: m.squareplus(x, b=2),
    "soft_shrink(0.1)": lambda m, x: m.soft_shrink(x, threshold=0.1),
    "hard_shrink(0.1)": lambda m, x: m.hard_shrink(x, threshold=0.1),
    "threshold(0.4, -2)": lambda m, x: m.threshold(x, 0.4, -2.0),
    "glu(axis=0)": lambda m, x: m.glu(x, axis=0),
    # Keras 3.15's sparsemax sums the running sums over the support, which is right only when
    # the support has one element: we compare there (ours is the textbook sparsemax).
    "sparsemax(support of 1)": lambda m, x: m.sparsemax(3.0 * x),
}  # fmt: skip


def ours(case, x, upstream):
    t = K.Tensor(x.copy())
    t.requires_grad = True
    y = CASES[case](activations, t)
    (grad,) = K.gradients(K.sum(y * upstream), [t])
    return K.as_array(y), grad


def theirs(keras, case, x, upstream):
    import torch

    t = torch.tensor(x, requires_grad=True)
    y = CASES[case](keras.activations, t)
    (y * torch.tensor(upstream)).sum().backward()
    return y.detach().numpy(), t.grad.numpy()


def max_abs_diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def test_values_and_gradients_match_keras(keras):
    # One test over every case (the `keras` fixture costs 0.2 s per test); the message lists
    # every case that disagrees, and `pytest -s` prints the largest differences seen.
    failures, worst = [], {"value": 0.0, "gradient": 0.0}
    for case in sorted(CASES):
        out_shape = K.as_array(CASES[case](activations, X)).shape  # glu halves an axis
        upstream = np.random.default_rng(0).normal(size=out_shape).astype("float32")
        y, g = ours(case, X, upstream)
        y_ref, g_ref = theirs(keras, case, X, upstream)
        assert y.dtype == np.float32 and y.shape == y_ref.shape, case
        for kind, a, b in (("value", y, y_ref), ("gradient", g, g_ref)):
            worst[kind] = max(worst[kind], max_abs_diff(a, b))
            if not np.allclose(a, b, rtol=RTOL, atol=ATOL):
                failures.append(f"{case} {kind}s: max |diff| = {max_abs_diff(a, b):.3g}")
    print(f"activations vs Keras over {len(CASES)} cases, max |diff|: {worst}")
    assert not failures, "\n".join(failures)


def test_every_keras_activation_name_resolves(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, fn in ALL_OBJECTS_DICT.items():
        assert activations.get(name).__name__ == fn.__name__, name
        assert activations.serialize(activations.get(name)) == keras.activations.serialize(fn)


def test_softmax_1d_like_keras(keras):
    x = np.array([-1.0, 0.0, 1.0], dtype="float32")
    expected = keras.ops.convert_to_numpy(keras.activations.softmax(x))
    np.testing.assert_allclose(K.as_array(activations.softmax(x)), expected, rtol=RTOL)
