"""`model_to_dot` and `plot_model`: a model drawn as a graph of its layers.

Built on the `graphviz` package: the result is a `graphviz.Digraph`, which shows as an
SVG picture in Jupyter, and which also answers the pydot calls of Keras 2 tutorials
(`SVG(model_to_dot(model).create(prog='dot', format='svg'))`, `write_png`, `to_string`,
`get_nodes`, `get_edges`, ...) without needing pydot.

Nodes are named by layer name (not by memory address), so the DOT text is the same on
every run. Drawing (not building) needs Graphviz's `dot` program.
"""

from __future__ import annotations

import html
import itertools
import os

_INSTALL_DOT = (
    "Drawing a model needs Graphviz's `dot` program, which was not found. Install it with "
    "`apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`; `model_to_dot(model).source` works without it."
)


class DotNode:
    """A node as pydot shows it: `get_name()`, `get_label()`, `get_attributes()`."""

    def __init__(self, name: str, attributes: dict) -> None:
        self._name = name
        self._attributes = attributes

    def get_name(self) -> str:
        return self._name

    def get_label(self) -> str | None:
        return self._attributes.get("label")

    def get_attributes(self) -> dict:
        return dict(self._attributes)

    def __repr__(self) -> str:
        return f"<DotNode {self._name}>"


class DotEdge:
    """An edge as pydot shows it: `get_source()`, `get_destination()`, `get_attributes()`."""

    def __init__(self, source: str, destination: str, attributes: dict) -> None:
        self._source = source
        self._destination = destination
        self._attributes = attributes

    def get_source(self) -> str:
        return self._source

    def get_destination(self) -> str:
        return self._destination

    def get_attributes(self) -> dict:
        return dict(self._attributes)

    def __repr__(self) -> str:
        return f"<DotEdge {self._source} -> {self._destination}>"


def _digraph_class():
    import graphviz

    class ModelDot(graphviz.Digraph):
        """A `graphviz.Digraph` that also answers the pydot calls of Keras 2 tutorials.

        Keras 2's `model_to_dot` returned a `pydot.Dot`; tutorials call its `create`,
        `write`, `to_string`, `get_nodes` and `get_edges`. Those are here, drawn by the
        same Graphviz `dot` program. Nodes and edges are what this graph holds itself
        (a nested model's layers are in `get_subgraphs()`), as in pydot.
        """

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pydot_nodes: list[DotNode] = []
            self._pydot_edges: list[DotEdge] = []
            self._pydot_subgraphs: list = []

        # --- building: graphviz's methods, remembered for the pydot-style questions ---------
        def node(self, name: str, label=None, _attributes=None, **attrs) -> None:
            super().node(name, label, _attributes=_attributes, **attrs)
            attributes = {**(_attributes or {}), **attrs, **({"label": label} if label else {})}
            self._pydot_nodes.append(DotNode(graphviz.quoting.quote(name), attributes))

        def edge(self, tail_name: str, head_name: str, label=None, _attributes=None, **attrs):
            super().edge(tail_name, head_name, label, _attributes=_attributes, **attrs)
            attributes = {**(_attributes or {}), **attrs, **({"label": label} if label else {})}
            self._pydot_edges.append(
                DotEdge(
                    graphviz.quoting.quote(tail_name), graphviz.quoting.quote(head_name), attributes
                )
            )

        def subgraph(self, graph=None, **kwargs):
            if graph is not None:
                self._pydot_subgraphs.append(graph)
            return super().subgraph(graph, **kwargs)

        # --- pydot's questions --------------------------------------------------------------
        def get_nodes(self) -> list[DotNode]:
            """Every node of this graph, in the order they were added (one per layer)."""
            return list(self._pydot_nodes)

        def get_node(self, name: str) -> list[DotNode]:
            """The nodes called `name` (a list, as in pydot: empty if there is none)."""
            return [n for n in self._pydot_nodes if n.get_name() == graphviz.quoting.quote(name)]

        def get_edges(self) -> list[DotEdge]:
            """Every edge of this graph (one per connection between two layers)."""
            return list(self._pydot_edges)

        def get_subgraphs(self) -> list:
            """The nested models drawn in boxes (`model_to_dot(..., expand_nested=True)`)."""
            return list(self._pydot_subgraphs)

        def to_string(self) -> str:
            """The DOT text (the same as `.source`)."""
            return self.source

        # --- drawing ------------------------------------------------------------------------
        def create(self, prog: str | None = None, format: str = "svg", encoding=None) -> bytes:  # noqa: A002 - pydot's name
            """The drawing as bytes, e.g. `SVG(dot.create(prog='dot', format='svg'))`.

            Args:
                prog: the Graphviz program (`'dot'`, `'neato'`, ...); None means `'dot'`.
                format: `'svg'`, `'png'`, `'pdf'`, ... (pydot's default is `'ps'`; SVG is
                    what notebooks show, so it is the default here).
                encoding: accepted for pydot's signature; the result is always bytes.
            """
            try:
                return self.pipe(format=format, engine=prog or "dot")
            except graphviz.ExecutableNotFound as err:
                raise RuntimeError(_INSTALL_DOT) from err

        def create_svg(self, prog: str | None = None, encoding=None) -> bytes:
            return self.create(prog, "svg")

        def create_png(self, prog: str | None = None, encoding=None) -> bytes:
            return self.create(prog, "png")

        def create_pdf(self, prog: str | None = None, encoding=None) -> bytes:
            return self.create(prog, "pdf")

        def write(self, path, prog: str | None = None, format: str = "raw", encoding=None) -> bool:  # noqa: A002
            """Write the DOT text (`format='raw'`) or a drawing in `format` to `path`."""
            data = self.source.encode() if format in ("raw", "dot") else self.create(prog, format)
            with open(path, "wb") as f:
                f.write(data)
            return True

        def write_raw(self, path, prog: str | None = None, encoding=None) -> bool:
            return self.write(path, prog, "raw")

        def write_svg(self, path, prog: str | None = None, encoding=None) -> bool:
            return self.write(path, prog, "svg")

        def write_png(self, path, prog: str | None = None, encoding=None) -> bool:
            return self.write(path, prog, "png")

        def write_pdf(self, path, prog: str | None = None, encoding=None) -> bool:
            return self.write(path, prog, "pdf")

    return ModelDot


def _shape_text(tensors) -> str:
    if tensors is None:
        return "?"
    if isinstance(tensors, list | tuple):
        return ", ".join(str(t.shape) for t in tensors) if tensors else "?"
    return str(tensors.shape)


def _layer_label(
    layer, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable
) -> str:
    """An HTML-like Graphviz label: a dark title row, then the rows asked for."""
    class_name = type(layer).__name__
    title = (
        f"<b>{html.escape(layer.name)}</b> ({class_name})"
        if show_layer_names
        else f"<b>{class_name}</b>"
    )
    cells = []
    if show_shapes:
        inputs = layer._inbound_nodes[0].inputs if layer._inbound_nodes else None
        outputs = layer._inbound_nodes[0].outputs if layer._inbound_nodes else None
        if class_name != "InputLayer":
            cells.append(f"Input shape: <b>{html.escape(_shape_text(inputs))}</b>")
        cells.append(f"Output shape: <b>{html.escape(_shape_text(outputs))}</b>")
    if show_dtype:
        cells.append(f"Output dtype: <b>{layer.dtype}</b>")
    if show_trainable and layer.weights:
        cells.append("<b>Trainable</b>" if layer.trainable else "<b>Non-trainable</b>")
    span = max(1, len(cells))
    rows = [
        f'<tr><td colspan="{span}" bgcolor="black"><font point-size="16" color="white">{title}</font></td></tr>'
    ]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        name = getattr(activation, "__name__", str(activation))
        rows.append(
            f'<tr><td colspan="{span}" bgcolor="white"><font point-size="14">Activation: <b>{name}</b></font></td></tr>'
        )
    if cells:
        rows.append(
            "<tr>"
            + "".join(f'<td bgcolor="white"><font point-size="14">{c}</font></td>' for c in cells)
            + "</tr>"
        )
    return (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
        + "".join(rows)
        + "</table>>"
    )


def _edges(model) -> list[tuple[str, str]]:
    """(from layer, to layer) for every connection inside `model`, in graph order."""
    graph = getattr(model, "_functional", None) or model
    nodes = getattr(graph, "_nodes", None)
    if nodes is None:  # a subclassed model: the order its layers were assigned
        names = [layer.name for layer in model.layers]
        return list(itertools.pairwise(names))
    edges = []
    for node in nodes:
        for parent in node.parent_nodes:
            edge = (parent.layer.name, node.layer.name)
            if edge not in edges:
                edges.append(edge)
    return edges


def model_to_dot(
    model,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs,
):
    """The model as a `graphviz.Digraph` (one node a layer, one edge a connection).

    Args:
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's output dtype.
        show_layer_names: title nodes `name (Class)` instead of `Class`.
        rankdir: `'TB'` (top to bottom) or `'LR'` (left to right).
        expand_nested: draw the layers of nested models inside a box.
        dpi: resolution of the drawing.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: mark layers with weights as trainable or not.

    Returns:
        A `graphviz.Digraph` that also has pydot's `create`, `create_svg`, `create_png`,
        `write`, `write_svg`, `write_png`, `to_string`, `get_nodes` and `get_edges`.

    Example:
        >>> from IPython.display import SVG
        >>> SVG(model_to_dot(model, show_shapes=True).create(prog="dot", format="svg"))
    """
    if kwargs.pop("splines", None) is None and kwargs:
        raise TypeError(f"Unrecognized arguments passed to model_to_dot(): {sorted(kwargs)}")
    if not getattr(model, "built", True) or (
        hasattr(model, "_functional") and model._functional is None
    ):
        raise ValueError(
            f"Model {model.name!r} is not built yet, so its graph is unknown. Give it an Input (or "
            "input_shape= on the first layer), or call it on data, then draw it."
        )
    dot = _digraph_class()(name=model.name if not subgraph else f"cluster_{model.name}")
    if not subgraph:
        dot.attr(rankdir=rankdir, concentrate="true", dpi=str(dpi))
    dot.attr("node", shape="plaintext", fontname="Helvetica", margin="0")
    label_options = (
        show_shapes,
        show_dtype,
        show_layer_names,
        show_layer_activations,
        show_trainable,
    )
    graph = getattr(model, "_functional", None) or model
    # a functional graph draws its ops too (`x[:, 0] * 2` between layers), so every edge has ends
    layers = graph._layers if hasattr(graph, "_nodes") else model.layers
    entry: dict[str, str] = {}  # a nested model's name -> the node its edges attach to
    for layer in layers:
        if expand_nested and hasattr(layer, "layers") and layer.layers:
            inner = model_to_dot(
                layer, *label_options[:3], rankdir, True, dpi, True, *label_options[3:]
            )
            dot.subgraph(inner)
            entry[layer.name] = layer.layers[0].name
            continue
        dot.node(layer.name, label=_layer_label(layer, *label_options))
    for src, dst in _edges(graph):
        dot.edge(src, entry.get(dst, dst), penwidth="2")
    return dot


def plot_model(
    model,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = False,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs,
):
    """Draw the model to `to_file` (format from its extension); in Jupyter, return the picture."""
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        **kwargs,
    )
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    dot.write(to_file, format=extension)
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    return None if extension == "pdf" else display.Image(filename=to_file)
