"""Attention pictures: the heat maps with tokens on the axes, the softmax of random scores
(why 1/√d), and the explorer around it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from teachkeras import layers, viz


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def test_plot_attention_draws_one_panel_per_head_with_the_tokens_on_the_axes():
    x = np.random.default_rng(0).normal(size=(1, 3, 4)).astype("float32")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    _, scores = mha(x, x, return_attention_scores=True)  # (1, 2, 3, 3)
    fig = viz.plot_attention(scores[0], ["the", "cat", "sat"], title="demo")
    panels = image_axes(fig)
    assert len(panels) == 2
    assert [ax.get_title() for ax in panels] == ["head 1", "head 2"]
    for ax, head in zip(panels, np.asarray(scores[0]), strict=True):
        np.testing.assert_allclose(ax.images[0].get_array(), head)
        assert ax.images[0].get_clim() == (0.0, 1.0)  # one scale for every panel
        assert [t.get_text() for t in ax.get_xticklabels()] == ["the", "cat", "sat"]
        assert ax.get_xlabel().startswith("key")
        assert min(t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()) >= 11
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["the", "cat", "sat"]
    assert panels[0].get_ylabel().startswith("query")
    # small maps carry their numbers: 9 per panel, and each row sums to 1
    texts = [t.get_text() for t in panels[0].texts]
    assert len(texts) == 9 and all(t in ("0", "1") or t.startswith(".") for t in texts)
    assert fig._suptitle.get_text() == "demo"
    assert fig.get_size_inches()[0] <= 10.5  # fits a notebook's width


def test_plot_attention_one_map_other_keys_masks_and_bad_shapes():
    weights = np.array([[0.25, 0.75, 0.0], [1.0, 0.0, 0.0]])  # 2 queries, 3 keys
    fig = viz.plot_attention(weights, ["a", "b"], ["x", "y", "z"], annotate=True)
    [ax] = image_axes(fig)
    assert [t.get_text() for t in ax.texts] == [".25", ".75", "0", "1", "0", "0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    mask = np.tril(np.ones((4, 4), dtype=bool))
    [ax] = image_axes(viz.plot_attention(mask, label="1 = may look"))
    np.testing.assert_array_equal(ax.images[0].get_array(), mask.astype(float))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]
    long = viz.plot_attention(np.full((2, 16, 16), 1 / 16))
    assert not image_axes(long)[0].texts  # too many cells to write in
    assert long.get_size_inches()[0] <= 10.5
    with pytest.raises(ValueError, match=r"\(T, S\) or \(heads, T, S\).*\(2, 1, 3, 3\)"):
        viz.plot_attention(np.zeros((2, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"key_tokens has 2 labels.*S = 3"):
        viz.plot_attention(weights, ["a", "b"], ["x", "y"])
    with pytest.raises(ValueError, match="2 panels but 1 titles"):
        viz.plot_attention(np.zeros((2, 3, 3)), titles=["only one"])


def test_softmax_of_random_scores_spreads_like_root_d_unless_scaled():
    for d in (4, 256):
        scores, weights = viz.softmax_of_random_scores(d, num_keys=16, scaled=False, queries=400)
        assert scores.shape == weights.shape == (400, 16)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0)
        assert abs(scores.std() / np.sqrt(d) - 1) < 0.15  # q · k of N(0, 1) vectors: std √d
        scaled, _ = viz.softmax_of_random_scores(d, num_keys=16, scaled=True, queries=400)
        np.testing.assert_allclose(scaled, scores / np.sqrt(d))  # the same draw, divided
    _, wide = viz.softmax_of_random_scores(1024, num_keys=16, scaled=False, queries=400)
    _, wide_scaled = viz.softmax_of_random_scores(1024, num_keys=16, scaled=True, queries=400)
    assert wide.max(axis=1).mean() > 0.9  # unscaled: one key takes nearly everything
    assert wide_scaled.max(axis=1).mean() < 0.4
    with pytest.raises(ValueError, match="positive integers"):
        viz.softmax_of_random_scores(0)


def test_attention_scale_explorer_update():
    fig = viz.attention_scale_explorer_update(256, False, 3)
    ax_scores, ax_weights = fig.axes
    scores, weights = viz.softmax_of_random_scores(256, 8, scaled=False, seed=3)
    np.testing.assert_allclose([bar.get_height() for bar in ax_scores.patches], scores[0])
    np.testing.assert_allclose([bar.get_height() for bar in ax_weights.patches], weights[0])
    assert fig._suptitle.get_text() == "d = 256, not scaled"
    assert ax_weights.get_title() == f"weights: the largest is {weights.max():.2f}"
    assert ax_scores.get_ylabel() == "score q · k"
    scaled = viz.attention_scale_explorer_update(256, True, 3)
    assert scaled._suptitle.get_text() == "d = 256, scaled by 1/√d"
    assert scaled.axes[0].get_ylabel() == "score q · k / √d"
    for ax in fig.axes:
        assert min(t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()) >= 11


def test_attention_scale_explorer_redraws_when_controls_move():
    pytest.importorskip("ipywidgets")
    box = viz.attention_scale_explorer()
    controls = box.controls
    assert set(controls) == {"key_dim", "scaled", "query"}
    assert box.figure._suptitle.get_text() == "d = 64, not scaled"
    controls["key_dim"].value = 1024
    assert box.figure._suptitle.get_text() == "d = 1024, not scaled"
    controls["scaled"].value = True
    assert box.figure._suptitle.get_text() == "d = 1024, scaled by 1/√d"
    controls["query"].value = 5
    _, weights = viz.softmax_of_random_scores(1024, 8, scaled=True, seed=5)
    heights = [bar.get_height() for bar in box.figure.axes[1].patches]
    np.testing.assert_allclose(heights, weights[0])
