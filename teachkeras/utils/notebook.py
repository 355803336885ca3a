"""Jupyter helpers: are we in a notebook, and text that redraws in place there.

Terminals redraw a line with `\\r`. Notebook front ends do not agree on `\\r` and `\\b`
(some show every redraw as a new line), but all of them (Jupyter, JupyterLab,
VS Code, Colab) implement *display updates*: an output shown with a `display_id` can
be replaced later. `LiveLine` uses that.

Saved notebooks and nbval. nbval re-runs a cell and compares what it receives with
the saved outputs, but it records only the *first* state of an updatable display,
while the saved notebook holds the *last*. So a `LiveLine` starts empty and is
emptied again when it finishes, and its final text is printed as ordinary output:

    display(""), update("12/32 [===>...]"), ..., update("")   # empty first and last
    print("32/32 [==========] - 0s 2ms/step - loss: 0.1234")  # the line that stays

Both the saved notebook and nbval's re-run then hold one empty display and the printed
line, so strict output comparison works.
"""

from __future__ import annotations

import sys


def in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, JupyterLab, VS Code, Colab): it can show figures."""
    if "IPython" not in sys.modules:  # IPython is never imported by a plain script
        return False
    import IPython

    shell = IPython.get_ipython()
    if shell is None:
        return False
    # Colab's shell subclasses Jupyter's, so look along the class hierarchy.
    return any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)


class LiveLine:
    """One line of text in a notebook cell, redrawn in place, then printed for good."""

    def __init__(self) -> None:
        from IPython.display import display

        sys.stdout.flush()  # text printed before us must appear above us
        self._handle = display({"text/plain": ""}, raw=True, display_id=True)

    def show(self, text: str) -> None:
        """Replace the line with `text`."""
        self._handle.update({"text/plain": text}, raw=True)

    def finish(self, text: str) -> None:
        """Empty the live line and print `text` below it as ordinary output."""
        self._handle.update({"text/plain": ""}, raw=True)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
