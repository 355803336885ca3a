"""`model.summary()`: the table of layers, output shapes and parameter counts.

The table is Keras 3's, drawn the same way (with the `rich` library, which Keras
uses too), so a learner can compare it with any tutorial line by line:

    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                        ┃ Output Shape                  ┃          Param # ┃
    ...
     Total params: 261 (1.02 KB)

"Param #" of a Dense layer is inputs × units + units (one weight per connection,
one bias per unit). When the optimizer has been built (after training), Keras also
counts its state (e.g. Adam's two moments per weight) as "Optimizer params" and adds
them to the total.

In a notebook the same summary is shown as a display with two forms: the text above
(`text/plain`) and an HTML table (`text/html`), which Jupyter, JupyterLab and VS Code
draw as a real table.
"""

from __future__ import annotations

import html
import math
import shutil

import numpy as np

from .io_utils import is_interactive_logging_enabled, print_msg
from .notebook import in_notebook


def count_params(weights) -> int:
    return int(sum(math.prod(v.shape) for v in weights))


def weight_memory_size(weights) -> int:
    """Bytes taken by the weights (each counted once)."""
    unique = {id(w): w for w in weights}.values()
    return int(sum(math.prod(w.shape) * np.dtype(w.dtype).itemsize for w in unique))


def readable_memory_size(size: float) -> str:
    """`1.02 KB`: bytes in the largest unit that keeps the number at least 1."""
    for unit in ["B", "KB", "MB", "GB", "TB"]:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def format_shape(shape) -> str:
    return f"({', '.join(str(d) for d in shape)})"


def layer_output_shape(layer) -> str:
    """The output shape(s) of the layer's last call in the graph, or `?` when unknown."""
    try:
        if layer._inbound_nodes:
            shapes = layer._inbound_nodes[-1].output_shapes
        elif layer.built and layer._build_shapes is not None:
            shapes = layer.compute_output_shape(layer._build_shapes)
        else:
            return "?"
    except (AttributeError, NotImplementedError, ValueError):
        return "?"
    if isinstance(shapes, list) and len(shapes) == 1:
        shapes = shapes[0]
    if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
        return format_shape(shapes)
    return "[" + ", ".join(format_shape(s) for s in shapes) + "]"


def _is_sequential_like(model) -> bool:
    """A graph with no branches and no shared layers is printed without "Connected to"."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return True
    in_model = {id(n) for n in nodes}
    consumers: dict[int, int] = {}
    for node in nodes:
        if len(node.input_tensors) > 1:
            return False
        for parent in node.parent_nodes:
            consumers[id(parent)] = consumers.get(id(parent), 0) + 1
    if any(count > 1 for count in consumers.values()):
        return False
    for layer in model.layers:
        if sum(1 for n in layer._inbound_nodes if id(n) in in_model) > 1:
            return False
    return len(model.outputs) == 1


def _connections(layer, model) -> str:
    in_model = {id(n) for n in model._nodes}
    parts = []
    for node in layer._inbound_nodes:
        if id(node) not in in_model:
            continue
        for tensor in node.input_tensors:
            source, node_index, tensor_index = tensor._keras_history
            parts.append(f"{source.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range=None,
) -> None:
    """Print (or pass to `print_fn`) the summary table of `model`; in a notebook, show it."""
    sequential_like = _is_sequential_like(model)
    layers = model.layers
    if sequential_like:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width

    def rows_for(layer, level: int = 0):
        prefix = "   " * level + "└ " if level else ""
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", layer_output_shape(layer), params]
        if not sequential_like:
            row.append(_connections(layer, model))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows = [row]
        if expand_nested and getattr(layer, "layers", None):
            for inner in layer.layers:
                rows.extend(rows_for(inner, level + 1))
        return rows

    start, stop = _layer_range(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in rows_for(layer)]
    title = f'Model: "{model.name}"'
    totals = _totals(model)
    text = _as_text(title, header, alignment, widths, rows, totals, line_length)
    if print_fn is None and not is_interactive_logging_enabled():
        print_fn = print_msg  # to `logging`, as Keras 3 does
    if print_fn is not None:
        print_fn(text.rstrip("\n"))
    elif in_notebook():
        from IPython.display import display

        bundle = {"text/plain": text, "text/html": _as_html(title, header, alignment, rows, totals)}
        display(bundle, raw=True)
    else:
        print(text, end="")


def _totals(model) -> list[str]:
    """The lines under the table: total, trainable, non-trainable (and optimizer) params."""
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    optimizer = getattr(model, "optimizer", None)
    optimizer_vars = (
        optimizer.variables
        if getattr(model, "compiled", False)
        and optimizer is not None
        and getattr(optimizer, "built", False)
        else None
    )
    groups = [trainable, non_trainable, optimizer_vars or []]
    counts = [count_params(group) for group in groups]
    sizes = [weight_memory_size(group) for group in groups]
    lines = [
        f"Total params: {sum(counts):,} ({readable_memory_size(sum(sizes))})",
        f"Trainable params: {counts[0]:,} ({readable_memory_size(sizes[0])})",
        f"Non-trainable params: {counts[1]:,} ({readable_memory_size(sizes[1])})",
    ]
    if optimizer_vars is not None:
        lines.append(f"Optimizer params: {counts[2]:,} ({readable_memory_size(sizes[2])})")
    return lines


def _as_text(title, header, alignment, widths, rows, totals, line_length) -> str:
    """The summary as Keras prints it in a terminal, drawn by `rich`."""
    import rich.console
    import rich.markup
    import rich.table

    columns = [
        rich.table.Column(h, justify=a, width=w)
        for h, a, w in zip(header, alignment, widths, strict=True)
    ]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)
    for row in rows:
        table.add_row(*(rich.markup.escape(cell) for cell in row))
    console = rich.console.Console(
        highlight=False,
        force_terminal=False,
        force_jupyter=False,
        color_system=None,
        width=max(line_length, 80) + 20,
    )
    console.begin_capture()
    console.print(rich.markup.escape(title))
    console.print(table)
    for line in totals:
        console.print(" " + line)
    return console.end_capture()


def _as_html(title, header, alignment, rows, totals) -> str:
    """The summary as an HTML table, for notebooks."""

    def cells(tag: str, values) -> str:
        return "".join(
            f'<{tag} style="text-align:{align}">{html.escape(value)}</{tag}>'
            for value, align in zip(values, alignment, strict=True)
        )

    body = "\n".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (
        f"<p><b>{html.escape(title)}</b></p>\n"
        f"<table>\n<thead><tr>{cells('th', header)}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
        + "<br>".join(html.escape(line) for line in totals)
    )


def _layer_range(layers, layer_range) -> tuple[int, int]:
    """Indices `[first, last + 1]` of the layers named (or matched by regex) in `layer_range`."""
    import re

    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2 or not all(isinstance(n, str) for n in layer_range):
        raise ValueError(f"layer_range must be two layer names, got {layer_range!r}.")
    first = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    last = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not first or not last:
        raise ValueError(
            f"layer_range {layer_range} matches no layer of {[x.name for x in layers]}."
        )
    return first[0], last[-1] + 1
