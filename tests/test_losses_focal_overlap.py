"""Focal and overlap losses: values by hand, the special cases that reduce to older losses,
finite-difference gradients, configs and names."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras import losses

EPS = 1e-7


def bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


# --- binary focal -----------------------------------------------------------------------
Y = np.array([[0.0, 1.0], [0.0, 0.0]], "float32")
P = np.array([[0.6, 0.4], [0.4, 0.6]], "float32")


def test_binary_focal_by_hand():
    p_t = Y * P + (1 - Y) * (1 - P)  # the probability of the true answer
    expected = np.mean((1 - p_t) ** 2 * bce(Y, P), axis=-1)
    got = losses.binary_focal_crossentropy(Y, P, gamma=2.0).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(got, [0.330, 0.206], atol=1e-3)  # Keras's documented values


def test_binary_focal_with_gamma_0_is_binary_crossentropy():
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y, P, gamma=0.0).numpy(),
        losses.binary_crossentropy(Y, P).numpy(),
        rtol=1e-6,
    )


def test_binary_focal_class_balancing_weighs_ones_by_alpha():
    y = np.array([[1.0, 1.0], [1.0, 1.0]], "float32")  # all ones: every term gets α
    balanced = losses.binary_focal_crossentropy(
        y, P, apply_class_balancing=True, alpha=0.3, gamma=2.0
    ).numpy()
    unbalanced = losses.binary_focal_crossentropy(y, P, gamma=2.0).numpy()
    np.testing.assert_allclose(balanced, 0.3 * unbalanced, rtol=1e-6)
    y = np.zeros((2, 2), "float32")  # all zeros: every term gets 1 - α
    balanced = losses.binary_focal_crossentropy(y, P, apply_class_balancing=True, alpha=0.3)
    unbalanced = losses.binary_focal_crossentropy(y, P)
    np.testing.assert_allclose(balanced.numpy(), 0.7 * unbalanced.numpy(), rtol=1e-6)


def test_binary_focal_from_logits_applies_the_sigmoid_first():
    z = np.array([[-2.0, 0.5], [3.0, -1.0]], "float32")
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y, z, from_logits=True).numpy(),
        losses.binary_focal_crossentropy(Y, 1 / (1 + np.exp(-z))).numpy(),
        rtol=1e-5,
    )


def test_binary_focal_label_smoothing_pulls_labels_to_one_half():
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y, P, label_smoothing=0.2).numpy(),
        losses.binary_focal_crossentropy(Y * 0.8 + 0.1, P).numpy(),
        rtol=1e-6,
    )


def test_binary_focal_shape_mismatch_is_explained():
    with pytest.raises(ValueError, match=r"binary_focal_crossentropy: .*y_true.shape=\(2,\)"):
        losses.binary_focal_crossentropy(np.array([0.0, 1.0]), P)


def test_binary_focal_class_lines_up_ranks_and_weights():
    loss = losses.BinaryFocalCrossentropy(gamma=2.0)
    y, p = np.array([0.0, 1.0, 1.0]), np.array([[0.2], [0.7], [0.4]], "float32")
    per_sample = losses.binary_focal_crossentropy(y[:, None], p).numpy()
    assert float(loss(y, p)) == pytest.approx(per_sample.mean(), rel=1e-6)
    w = np.array([1.0, 0.0, 2.0])
    assert float(loss(y, p, sample_weight=w)) == pytest.approx((per_sample * w).sum() / 3, rel=1e-6)


# --- categorical focal ------------------------------------------------------------------
ONE_HOT = np.array([[0, 1, 0], [0, 0, 1]], "float32")
PROBS = np.array([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]], "float32")


def test_categorical_focal_by_hand():
    p = np.clip(PROBS / PROBS.sum(-1, keepdims=True), EPS, 1 - EPS)
    expected = np.sum(0.25 * (1 - p) ** 2 * -ONE_HOT * np.log(p), axis=-1)
    got = losses.categorical_focal_crossentropy(ONE_HOT, PROBS).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(got, [2.63401289e-04, 6.75912094e-01], rtol=1e-5)  # Keras's docs


def test_categorical_focal_with_alpha_1_gamma_0_is_categorical_crossentropy():
    np.testing.assert_allclose(
        losses.categorical_focal_crossentropy(ONE_HOT, PROBS, alpha=1.0, gamma=0.0).numpy(),
        losses.categorical_crossentropy(ONE_HOT, PROBS).numpy(),
        rtol=1e-6,
    )


def test_categorical_focal_alpha_per_class():
    alpha = [0.1, 0.5, 2.0]
    per_class = losses.categorical_focal_crossentropy(ONE_HOT, PROBS, alpha=1.0).numpy()
    got = losses.categorical_focal_crossentropy(ONE_HOT, PROBS, alpha=alpha).numpy()
    np.testing.assert_allclose(got, per_class * np.array([0.5, 2.0]), rtol=1e-6)  # true classes


def test_categorical_focal_from_logits_and_smoothing():
    z = np.log(PROBS)  # softmax(log p) = p
    np.testing.assert_allclose(
        losses.categorical_focal_crossentropy(ONE_HOT, z, from_logits=True).numpy(),
        losses.categorical_focal_crossentropy(ONE_HOT, PROBS).numpy(),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        losses.categorical_focal_crossentropy(ONE_HOT, PROBS, label_smoothing=0.3).numpy(),
        losses.categorical_focal_crossentropy(ONE_HOT * 0.7 + 0.1, PROBS).numpy(),
        rtol=1e-6,
    )


def test_categorical_focal_class_indices_are_explained():
    with pytest.raises(ValueError, match=r"to_categorical\(y, 3\)"):
        losses.categorical_focal_crossentropy(np.array([1, 2]), PROBS)
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        losses.categorical_focal_crossentropy(ONE_HOT, PROBS, axis=True)


def test_categorical_focal_warns_for_a_single_column():
    with pytest.warns(SyntaxWarning, match="binary_focal_crossentropy"):
        losses.categorical_focal_crossentropy(np.ones((2, 1)), np.ones((2, 1)))


# --- dice and tversky -------------------------------------------------------------------
MASKS = np.array([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]], "float32")
PRED_MASKS = np.array(
    [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]], "float32"
)


def test_dice_by_hand():
    # image 1: I = 1, Σy + Σp = 2 + 2: 1 - 2/4; image 2: I = 0.4, 2 + 1.3: 1 - 0.8/3.3.
    per_image = losses.dice(MASKS, PRED_MASKS, axis=(1, 2, 3)).numpy()
    np.testing.assert_allclose(per_image, [0.5, 1 - 0.8 / 3.3], rtol=1e-5)
    whole = losses.dice(MASKS, PRED_MASKS).numpy()  # every axis: one number for the batch
    assert whole.shape == () and float(whole) == pytest.approx(1 - 2 * 1.4 / 7.3, rel=1e-5)


def test_dice_of_a_perfect_and_an_empty_prediction():
    assert float(losses.dice(MASKS, MASKS)) == pytest.approx(0.0, abs=1e-6)
    assert float(losses.dice(MASKS, np.zeros_like(MASKS))) == pytest.approx(1.0)


def test_tversky_by_hand_and_as_dice():
    y, p = np.array([[1.0, 1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0, 1.0]])
    # I = 1, missed Σy(1-p) = 1, false alarm Σp(1-y) = 1
    got = losses.tversky(y, p, alpha=0.7, beta=0.3)
    assert float(got) == pytest.approx(1 - 1 / (1 + 0.7 * 1 + 0.3 * 1), rel=1e-6)
    y2, p2 = np.array([[1.0, 1.0, 1.0, 0.0]]), np.array([[1.0, 0.0, 0.0, 0.0]])
    # I = 1, missed = 2, no false alarm: α weighs the missed foreground
    assert float(losses.tversky(y2, p2, alpha=0.9, beta=0.1)) == pytest.approx(1 - 1 / 2.8)
    np.testing.assert_allclose(
        losses.tversky(MASKS, PRED_MASKS, axis=(1, 2, 3)).numpy(),
        losses.dice(MASKS, PRED_MASKS, axis=(1, 2, 3)).numpy(),
        rtol=1e-6,
    )


def test_overlap_classes_reduce_per_image_values():
    per_image = losses.dice(MASKS, PRED_MASKS, axis=(1, 2, 3)).numpy()
    loss = losses.Dice(axis=(1, 2, 3))
    assert float(loss(MASKS, PRED_MASKS)) == pytest.approx(per_image.mean(), rel=1e-6)
    w = np.array([2.0, 0.0])
    assert float(loss(MASKS, PRED_MASKS, sample_weight=w)) == pytest.approx(per_image[0], rel=1e-6)
    assert losses.Tversky(reduction=None)(MASKS, PRED_MASKS).shape == ()


# --- gradients, configs, names ----------------------------------------------------------
GRADIENT_CASES = [
    (losses.binary_focal_crossentropy, {"gamma": 2.0}, "binary"),
    (losses.binary_focal_crossentropy, {"apply_class_balancing": True, "from_logits": True}, "z"),
    (losses.categorical_focal_crossentropy, {"gamma": 1.5}, "probs"),
    (losses.categorical_focal_crossentropy, {"from_logits": True, "alpha": [0.2, 1, 3]}, "z"),
    (losses.dice, {"axis": (1,)}, "binary"),
    (losses.tversky, {"alpha": 0.8, "beta": 0.2}, "binary"),
]


@pytest.mark.parametrize("fn, kwargs, kind", GRADIENT_CASES)
def test_finite_difference_gradients(fn, kwargs, kind):
    rng = np.random.default_rng(1)
    y = np.eye(3)[rng.integers(0, 3, 4)]  # (4, 3) one-hot, also fine as 0/1 labels
    if kind == "binary":
        p = rng.uniform(0.1, 0.9, (4, 3))
    elif kind == "probs":
        p = rng.uniform(0.1, 1, (4, 3))
        p = p / p.sum(-1, keepdims=True)
    else:
        p = rng.normal(size=(4, 3))
    K.check_gradients(lambda q: fn(y, q, **kwargs), p)


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (losses.BinaryFocalCrossentropy, {"apply_class_balancing": True, "alpha": 0.4}),
        (losses.CategoricalFocalCrossentropy, {"gamma": 3.0, "label_smoothing": 0.1}),
        (losses.Dice, {"axis": [1, 2], "reduction": "sum"}),
        (losses.Tversky, {"alpha": 0.3, "beta": 0.7, "name": "tv"}),
    ],
)
def test_config_round_trip(cls, kwargs):
    loss = cls(**kwargs)
    config = loss.get_config()
    for key, value in kwargs.items():
        assert config[key] == value
    assert cls.from_config(config).get_config() == config
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == config


def test_names_resolve_as_in_keras():
    for name in ("binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky"):
        assert losses.get(name) is getattr(losses, name)
    for name in ("BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "Dice", "Tversky"):
        assert type(losses.get(name)) is getattr(losses, name)
    assert losses.get("Dice").name == "dice"
