"""model_to_dot / plot_model: the DOT graph of a model, and its drawing."""

from __future__ import annotations

import shutil

import pytest

from teachkeras import Input, Model, Sequential
from teachkeras.layers import Add, Dense
from teachkeras.utils import model_to_dot, plot_model
from teachkeras.utils.vis_utils import model_to_dot as vis_model_to_dot

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")


def branchy():
    x = Input((4,), name="x")
    a, b = Dense(3, name="a")(x), Dense(3, name="b", activation="relu")(x)
    return Model(x, Dense(1, name="out")(Add(name="sum")([a, b])), name="branchy")


def test_nodes_are_layer_names_and_edges_follow_the_graph():
    dot = model_to_dot(branchy())
    source = dot.source
    for name in ("x", "a", "b", "sum", "out"):
        assert f"\t{name} [label=" in source
    for edge in ("x -> a", "x -> b", "a -> sum", "b -> sum", "sum -> out"):
        assert edge in source
    assert "0x" not in source  # no memory addresses: the text is the same on every run
    assert vis_model_to_dot is model_to_dot


def test_labels_show_shapes_activations_and_trainable():
    model = branchy()
    model.get_layer("a").trainable = False
    source = model_to_dot(
        model, show_shapes=True, show_layer_activations=True, show_trainable=True, show_dtype=True
    ).source
    assert "Output shape: <b>(None, 3)</b>" in source and "Input shape: <b>(None, 4)</b>" in source
    assert "Activation: <b>relu</b>" in source
    assert "<b>Non-trainable</b>" in source and "<b>Trainable</b>" in source
    assert "Output dtype: <b>float32</b>" in source
    assert "<b>Dense</b>" in model_to_dot(model, show_layer_names=False).source


def test_sequential_chain_and_rankdir():
    model = Sequential([Input((2,)), Dense(3, name="h"), Dense(1, name="o")])
    source = model_to_dot(model, rankdir="LR", dpi=70).source
    assert "h -> o" in source and "rankdir=LR" in source and "dpi=70" in source


def test_nested_model_expanded_in_a_box():
    inner = Sequential([Input((4,)), Dense(2, name="inner_dense")], name="inner")
    x = Input((4,), name="x")
    outer = Model(x, Dense(1, name="head")(inner(x)))
    flat = model_to_dot(outer).source
    assert "\tinner [label=" in flat and "inner_dense" not in flat
    expanded = model_to_dot(outer, expand_nested=True).source
    assert "subgraph cluster_inner" in expanded and "inner_dense" in expanded


def test_unbuilt_model_explains():
    with pytest.raises(ValueError, match="not built yet"):
        model_to_dot(Sequential([Dense(1)]))


@needs_dot
def test_create_returns_svg_like_pydot(tmp_path):
    svg = model_to_dot(branchy(), show_shapes=True, dpi=70).create(prog="dot", format="svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert "image/svg+xml" in model_to_dot(branchy())._repr_mimebundle_()


@needs_dot
def test_plot_model_writes_png_and_svg(tmp_path):
    png = tmp_path / "model.png"
    plot_model(branchy(), to_file=str(png), show_shapes=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "model.svg"
    plot_model(branchy(), to_file=str(svg))
    assert b"<svg" in svg.read_bytes()


def test_plot_model_without_dot_names_the_install(monkeypatch, tmp_path):
    import graphviz

    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        plot_model(branchy(), to_file=str(tmp_path / "m.png"))
