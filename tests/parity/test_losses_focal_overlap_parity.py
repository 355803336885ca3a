"""Focal, Dice and Tversky losses against real Keras 3: values, gradients, configs both ways."""

from __future__ import annotations

import numpy as np

from teachkeras import backend as K
from teachkeras import losses
from tests.helpers.data import C, N, binary, categorical, categorical_logits, one_hot

RTOL, ATOL = 1e-5, 1e-6


def binary_logits(rng):
    return rng.integers(0, 2, (N, C)).astype("float32"), rng.standard_normal((N, C)).astype(
        "float32"
    ) * 3


def binary_column(rng):
    return rng.integers(0, 2, N).astype("float32"), rng.uniform(0.02, 0.98, (N, 1)).astype(
        "float32"
    )


def masks(rng):  # (batch, height, width, 1) segmentation masks and soft predictions
    return rng.integers(0, 2, (N, 4, 4, 1)).astype("float32"), rng.uniform(
        0, 1, (N, 4, 4, 1)
    ).astype("float32")


def unnormalised(rng):  # scores that do not sum to 1: the focal loss renormalises them
    return one_hot(rng), rng.uniform(0.05, 2.0, (N, C)).astype("float32")


FUNCTION_CASES = [
    ("binary_focal_crossentropy", {}, binary),
    ("binary_focal_crossentropy", {"gamma": 0.0}, binary),
    ("binary_focal_crossentropy", {"apply_class_balancing": True, "alpha": 0.4}, binary),
    ("binary_focal_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, binary_logits),
    ("binary_focal_crossentropy", {"gamma": 3.0, "axis": 0}, binary),
    ("categorical_focal_crossentropy", {}, categorical),
    ("categorical_focal_crossentropy", {"alpha": [0.1, 0.2, 0.3, 0.4], "gamma": 1.0}, unnormalised),
    (
        "categorical_focal_crossentropy",
        {"from_logits": True, "label_smoothing": 0.2},
        categorical_logits,
    ),
    ("dice", {}, masks),
    ("dice", {"axis": (1, 2, 3)}, masks),
    ("tversky", {}, masks),
    ("tversky", {"alpha": 0.7, "beta": 0.3, "axis": (1, 2)}, masks),
]
CLASS_CASES = [
    ("BinaryFocalCrossentropy", {}, binary),
    ("BinaryFocalCrossentropy", {}, binary_column),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "gamma": 3.0, "from_logits": True},
        binary_logits,
    ),
    ("CategoricalFocalCrossentropy", {}, categorical),
    (
        "CategoricalFocalCrossentropy",
        {"alpha": 0.5, "gamma": 1.5, "from_logits": True},
        categorical_logits,
    ),
    ("Dice", {}, masks),
    ("Dice", {"axis": (1, 2, 3)}, masks),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, masks),
    ("Tversky", {"axis": (1, 2, 3)}, masks),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"]


def _case_id(name, kwargs, make) -> str:
    return f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {make.__name__}"


def _numpy(t):
    return t.detach().cpu().numpy() if hasattr(t, "detach") else np.asarray(t)


def _max_abs(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)), initial=0))


def test_loss_function_values(keras, rng):
    worst: dict[str, float] = {}
    for name, kwargs, make in FUNCTION_CASES:
        y_true, y_pred = make(rng)
        want = _numpy(getattr(keras.losses, name)(y_true, y_pred, **kwargs))
        got = getattr(losses, name)(y_true, y_pred, **kwargs).numpy()
        case = _case_id(name, kwargs, make)
        assert got.shape == want.shape and got.dtype == want.dtype, case
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=case)
        worst[name] = max(worst.get(name, 0.0), _max_abs(got, want))
    print("\n" + "\n".join(f"{k}: max |teachkeras - keras| = {v:.3g}" for k, v in worst.items()))


def test_loss_class_values_and_gradients(keras, rng):
    """Reduced values with and without sample weights, and d(loss)/d(y_pred) against torch."""
    import torch

    worst: dict[str, list[float]] = {}
    for name, kwargs, make in CLASS_CASES:
        for reduction in REDUCTIONS:
            for weighted in (False, True):
                y_true, y_pred = make(rng)
                sample_weight = rng.uniform(0, 2, N).astype("float32") if weighted else None
                if kwargs.get("axis") is None and name in ("Dice", "Tversky") and weighted:
                    sample_weight = np.float32(0.7)  # one value for the batch: a scalar weight
                torch_pred = torch.tensor(y_pred, requires_grad=True)
                want = getattr(keras.losses, name)(reduction=reduction, **kwargs)(
                    torch.tensor(y_true), torch_pred, sample_weight=sample_weight
                )
                want.sum().backward()
                our_pred = K.Tensor(y_pred.copy())
                our_pred.requires_grad = True
                got = getattr(losses, name)(reduction=reduction, **kwargs)(
                    y_true, our_pred, sample_weight=sample_weight
                )
                (grad,) = K.gradients(K.sum(got), [our_pred])
                case = f"{_case_id(name, kwargs, make)}, {reduction}, weighted={weighted}"
                assert got.shape == tuple(want.shape), case
                np.testing.assert_allclose(
                    got.numpy(), _numpy(want), rtol=RTOL, atol=ATOL, err_msg=case
                )
                np.testing.assert_allclose(
                    grad, torch_pred.grad.numpy(), rtol=RTOL, atol=ATOL, err_msg=case
                )
                pair = worst.setdefault(name, [0.0, 0.0])
                pair[0] = max(pair[0], _max_abs(got.numpy(), _numpy(want)))
                pair[1] = max(pair[1], _max_abs(grad, torch_pred.grad.numpy()))
    print(
        "\n"
        + "\n".join(
            f"{k}: max |Δ value| = {v:.3g}, max |Δ gradient| = {g:.3g}"
            for k, (v, g) in worst.items()
        )
    )


def test_configs_interchange_both_ways(keras):
    for name, kwargs, _ in CLASS_CASES:
        theirs = getattr(keras.losses, name)(**kwargs)
        ours = getattr(losses, name)(**kwargs)
        want, got = theirs.get_config(), ours.get_config()
        if "axis" in kwargs:  # a tuple axis: compare as JSON writes it
            want, got = {**want, "axis": list(want["axis"])}, {**got, "axis": list(got["axis"])}
        assert got == want, name
        from_keras = losses.deserialize(keras.losses.serialize(theirs))
        assert type(from_keras) is type(ours) and from_keras.get_config() == ours.get_config()
        from_us = keras.losses.deserialize(losses.serialize(ours))
        assert type(from_us) is type(theirs) and from_us.get_config() == theirs.get_config()
    for fn in ("binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky"):
        assert losses.serialize(getattr(losses, fn)) == keras.losses.serialize(
            getattr(keras.losses, fn)
        )
        assert keras.losses.deserialize(losses.serialize(getattr(losses, fn))) is getattr(
            keras.losses, fn
        )
        assert losses.get(fn) is getattr(losses, fn) and callable(keras.losses.get(fn))
