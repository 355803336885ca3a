"""Putting a graph in order: every node after the nodes it depends on.

Three graphs in teachkeras need this, and all use this one function: the engine's
record of a computation (walked backwards by `gradients`), a functional model's
layer calls (run forwards by `Model.call`), and Keras 2's symbolic graphs (run by
`K.function`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Node = TypeVar("Node")


def topological_order(
    roots: Sequence[Node],
    parents_of: Callable[[Node], Iterable[Node]],
    stop: Callable[[Node], bool] | None = None,
) -> list[Node]:
    """Every node the `roots` depend on (roots included), each listed after its parents.

    A depth-first walk, first root and first parent first, with an explicit stack (a
    deep network would overflow Python's recursion). Nodes are told apart by identity.

    Args:
        roots: where to start, e.g. a model's outputs.
        parents_of: the nodes a node depends on, e.g. a layer call's input nodes.
        stop: nodes whose parents are not visited (a value fed to `K.function`).

    Example:
        >>> topological_order(["c"], {"c": ["a", "b"], "b": ["a"], "a": []}.get)
        ['a', 'b', 'c']
    """
    order: list[Node] = []
    visited: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        if stop is None or not stop(node):
            parents = [p for p in parents_of(node) if id(p) not in visited]
            stack.extend((p, False) for p in reversed(parents))
    return order
