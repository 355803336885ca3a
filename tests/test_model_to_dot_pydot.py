"""model_to_dot answers the pydot calls Keras 2 tutorials make, without pydot."""

from __future__ import annotations

import shutil

import pytest

from teachkeras import Input, Model, Sequential
from teachkeras.layers import Add, Dense
from teachkeras.utils import model_to_dot

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed")


def branchy():
    x = Input((4,), name="x")
    a, b = Dense(3, name="a")(x), Dense(3, name="b")(x)
    return Model(x, Dense(1, name="out")(Add(name="sum")([a, b])), name="branchy")


def test_nodes_edges_and_text_like_pydot():
    dot = model_to_dot(branchy(), show_shapes=True)
    assert dot.to_string() == dot.source
    nodes = dot.get_nodes()
    assert [n.get_name() for n in nodes] == ["x", "a", "b", "sum", "out"]
    assert "Output shape: <b>(None, 3)</b>" in nodes[1].get_label()
    assert nodes[1].get_label().startswith("<<table")  # an HTML-like label, as Keras writes
    assert nodes[1].get_attributes()["label"] == nodes[1].get_label()
    edges = [(e.get_source(), e.get_destination()) for e in dot.get_edges()]
    assert edges == [("x", "a"), ("x", "b"), ("a", "sum"), ("b", "sum"), ("sum", "out")]
    assert dot.get_edges()[0].get_attributes() == {"penwidth": "2"}
    assert [n.get_name() for n in dot.get_node("sum")] == ["sum"] and dot.get_node("nope") == []


def test_nested_models_are_subgraphs():
    inner = Sequential([Input((4,)), Dense(2, name="inner_dense")], name="inner")
    x = Input((4,), name="x")
    outer = Model(x, Dense(1, name="head")(inner(x)))
    dot = model_to_dot(outer, expand_nested=True)
    (box,) = dot.get_subgraphs()
    assert "inner_dense" in [n.get_name() for n in box.get_nodes()]
    assert "inner_dense" not in [n.get_name() for n in dot.get_nodes()]
    assert ("x", "inner_dense") in [(e.get_source(), e.get_destination()) for e in dot.get_edges()]


def test_write_raw_needs_no_graphviz_program(tmp_path):
    dot = model_to_dot(branchy())
    assert dot.write_raw(str(tmp_path / "m.dot")) is True
    assert (tmp_path / "m.dot").read_text() == dot.source
    dot.write(str(tmp_path / "n.dot"))  # pydot's default format: the DOT text
    assert (tmp_path / "n.dot").read_text() == dot.source


@needs_dot
def test_create_and_write_drawings(tmp_path):
    dot = model_to_dot(branchy(), dpi=60)
    assert b"<svg" in dot.create_svg() and b"<svg" in dot.create(prog="dot", format="svg")
    assert dot.create_png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dot.create_pdf()[:4] == b"%PDF"
    dot.write_svg(str(tmp_path / "m.svg"))
    dot.write_png(str(tmp_path / "m.png"), prog="dot")
    dot.write(str(tmp_path / "w.png"), format="png")
    assert b"<svg" in (tmp_path / "m.svg").read_bytes()
    assert (tmp_path / "m.png").read_bytes()[:4] == (tmp_path / "w.png").read_bytes()[:4]


@needs_dot
def test_the_keras_2_notebook_line():
    display = pytest.importorskip("IPython.display")
    picture = display.SVG(model_to_dot(branchy()).create(prog="dot", format="svg"))
    assert "<svg" in picture.data
