"""Attention weights as pictures: which query looks at which key.

An attention layer's weights (`return_attention_scores=True`) have one row per query and
one column per key, and each row sums to 1 (a softmax over the keys):

    weights[t, s] = the share of value s in the output of query t

`plot_attention` draws them as heat maps with the tokens on the axes, one panel per head.
The same picture shows a mask (True = 1 = may look, False = 0 = masked).

`softmax_of_random_scores` is the experiment behind the 1/√d of scaled dot-product
attention: the dot product of two random vectors of d components, each N(0, 1), has a
standard deviation of √d, so without the scale the softmax of such scores picks one key
ever more surely as d grows; divided by √d, the scores keep a spread of 1 for every d.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..backend.tensor import as_array
from .fonts import auto_korean_font


def plot_attention(
    weights,
    query_tokens: Sequence[str] | None = None,
    key_tokens: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    title: str | None = None,
    annotate: bool | None = None,
    label: str = "attention weight",
):
    """Heat maps of attention weights, the queries down and the keys across; returns the Figure.

    Args:
        weights: `(T, S)`, or `(heads, T, S)` for one panel per head (e.g. one sample of
            `MultiHeadAttention`'s scores, `scores[0]`). Values between 0 and 1: weights,
            or a boolean mask.
        query_tokens: T labels for the rows (default 1..T).
        key_tokens: S labels for the columns (default: `query_tokens`, as in self-attention,
            when T == S; else 1..S).
        titles: one title per panel (default "head 1", "head 2", ... for several panels).
        title: the figure's title.
        annotate: write each weight in its cell (default: when a panel has at most 8 × 8 cells).
        label: the colour bar's label.

    Example:
        >>> output, scores = mha(x, x, return_attention_scores=True)   # scores (batch, N, T, S)
        >>> plot_attention(scores[0], ["the", "cat", "sat"])
    """
    import matplotlib.pyplot as plt

    auto_korean_font()
    panels = np.asarray(as_array(weights), dtype=float)
    if panels.ndim == 2:
        panels = panels[None]
    if panels.ndim != 3:
        raise ValueError(
            "plot_attention expects weights of shape (T, S) or (heads, T, S), e.g. scores[0] "
            f"of MultiHeadAttention's (batch, heads, T, S). Received shape {panels.shape}."
        )
    count, t, s = panels.shape
    if key_tokens is None and query_tokens is not None and t == s:
        key_tokens = query_tokens
    query_tokens = _labels(query_tokens, t, "query_tokens", "T", panels.shape)
    key_tokens = _labels(key_tokens, s, "key_tokens", "S", panels.shape)
    if titles is None:
        titles = [f"head {n + 1}" for n in range(count)] if count > 1 else [None]
    if len(titles) != count:
        raise ValueError(f"plot_attention: {count} panels but {len(titles)} titles.")
    # about 10 inches wide at most (a notebook's width), at most 0.6 inch a cell; the panels
    # share the query labels, written once on the left
    room = 10.0 - 2.3 - 0.5 * (count - 1)  # inches for the cells: labels and colour bar aside
    cell = min(0.6 if max(t, s) <= 8 else 0.5, max(0.22, room / (count * s)))
    if annotate is None:
        annotate = t * s <= 64 and cell >= 0.33
    fig, axes = plt.subplots(
        1,
        count,
        figsize=(count * cell * s + 2.3 + 0.5 * (count - 1), cell * t + 2.2),
        layout="constrained",
        squeeze=False,
        sharey=True,
    )
    for ax, panel, panel_title in zip(axes[0], panels, titles, strict=True):
        image = ax.imshow(panel, cmap="viridis", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(s), key_tokens, rotation=90, fontsize=11)
        ax.set_yticks(range(t), query_tokens, fontsize=11)
        ax.tick_params(axis="y", labelleft=ax is axes[0, 0])
        ax.set_xlabel("key (looked at)", fontsize=12)
        if panel_title:
            ax.set_title(panel_title, fontsize=12)
        if annotate:
            for (i, j), value in np.ndenumerate(panel):
                ax.annotate(_short(value), (j, i), ha="center", va="center", fontsize=11,
                            color="black" if value > 0.6 else "white")  # fmt: skip
    axes[0, 0].set_ylabel("query (looking)", fontsize=12)
    bar = fig.colorbar(image, ax=list(axes[0]), shrink=0.9, pad=0.02)
    bar.set_label(label, fontsize=12)
    bar.ax.tick_params(labelsize=11)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def _short(value: float) -> str:
    """A weight in a cell: "0", "1", or two decimals without the leading zero (".25")."""
    if value in (0.0, 1.0):
        return str(int(value))
    return f"{value:.2f}".removeprefix("0") if value < 1 else f"{value:.2f}"


def _labels(tokens, size: int, name: str, axis: str, shape: tuple) -> list[str]:
    if tokens is None:
        return [str(n + 1) for n in range(size)]
    tokens = [str(token) for token in tokens]
    if len(tokens) != size:
        raise ValueError(
            f"plot_attention: {name} has {len(tokens)} labels, but the weights of shape "
            f"{shape} have {axis} = {size}."
        )
    return tokens


def softmax_of_random_scores(
    key_dim: int, num_keys: int = 8, scaled: bool = True, queries: int = 1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of random queries against random keys, and their softmax.

    Formula: q, k ~ N(0, I_d);  score_s = q · k_s  (÷ √d if `scaled`);  w = softmax(score)

    The same seed gives the same vectors whatever `scaled` is, so the two can be compared.

    Returns:
        `(scores, weights)`, each `(queries, num_keys)`; every row of weights sums to 1.

    Example:
        >>> scores, weights = softmax_of_random_scores(512, scaled=False)
        >>> weights.max()     # close to 1: one key takes (nearly) everything
    """
    if int(key_dim) != key_dim or key_dim < 1 or int(num_keys) != num_keys or num_keys < 1:
        raise ValueError(
            "key_dim and num_keys must be positive integers. "
            f"Received: key_dim={key_dim!r}, num_keys={num_keys!r}."
        )
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((queries, int(key_dim)))  # (queries, d)
    k = rng.standard_normal((int(num_keys), int(key_dim)))  # (keys, d)
    scores = q @ k.T  # (queries, keys): spread √d
    if scaled:
        scores = scores / np.sqrt(key_dim)  # spread 1
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))  # softmax, without overflow
    return scores, shifted / shifted.sum(axis=1, keepdims=True)


def plot_softmax_of_random_scores(
    key_dim: int, scaled: bool = True, seed: int = 0, num_keys: int = 8
):
    """One random query against `num_keys` random keys: its scores (left) and weights (right)."""
    import matplotlib.pyplot as plt

    auto_korean_font()
    scores, weights = softmax_of_random_scores(key_dim, num_keys, scaled, seed=seed)
    scores, weights = scores[0], weights[0]
    keys = np.arange(1, num_keys + 1)
    fig, (ax_s, ax_w) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    ax_s.bar(keys, scores, color="tab:gray")
    ax_s.axhline(0, color="black", linewidth=0.6)
    ax_s.set_ylabel("score q · k / √d" if scaled else "score q · k", fontsize=12)
    ax_s.set_title(f"scores: spread (std) {scores.std():.1f}", fontsize=12)
    ax_w.bar(keys, weights, color="tab:blue")
    for key, weight in zip(keys, weights, strict=True):
        ax_w.annotate(f"{weight:.2f}", (key, weight), ha="center", va="bottom", fontsize=11)
    ax_w.set_ylim(0, 1.12)
    ax_w.set_ylabel("softmax weight", fontsize=12)
    ax_w.set_title(f"weights: the largest is {weights.max():.2f}", fontsize=12)
    for ax in (ax_s, ax_w):
        ax.set_xticks(keys)
        ax.set_xlabel("key", fontsize=12)
        ax.tick_params(labelsize=11)
    fig.suptitle(
        f"d = {int(key_dim)}, " + ("scaled by 1/√d" if scaled else "not scaled"), fontsize=13
    )
    return fig
