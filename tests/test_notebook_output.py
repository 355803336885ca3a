"""What teachkeras shows inside a notebook: the live progress line and the HTML summary.

No kernel is started: `get_ipython` returns an object whose class has the name of
Jupyter's shell, and `IPython.display.display` is replaced by a recorder.
"""

from __future__ import annotations

import IPython
import IPython.display
import numpy as np
import pytest

from teachkeras import Input, Model, Sequential
from teachkeras.layers import Add, Dense
from teachkeras.utils import Progbar


class ZMQInteractiveShell:  # the name Jupyter's kernel shell has
    pass


class Recorder:
    """Stands in for `IPython.display.display`: keeps every state of every display."""

    def __init__(self) -> None:
        self.displays: list[list[dict]] = []  # one list of states per display

    def __call__(self, bundle, raw=False, display_id=None):
        assert raw, "bundles are passed raw"
        states = [bundle]
        self.displays.append(states)

        class Handle:
            def update(self, new_bundle, raw=False):
                assert raw
                states.append(new_bundle)

        return Handle() if display_id else None


@pytest.fixture
def notebook(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(IPython.display, "display", recorder)
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    return recorder


def test_progbar_redraws_one_display_that_starts_and_ends_empty(notebook, capsys):
    bar = Progbar(target=5, interval=0.0)  # redraw at every step
    for step in range(1, 6):
        bar.update(step, [("loss", 1.0 / step)])
    [states] = notebook.displays
    assert states[0] == {"text/plain": ""} and states[-1] == {"text/plain": ""}
    live = [state["text/plain"] for state in states[1:-1]]
    assert live[0].startswith("1/5 [=====>") and "ETA" in live[0]
    assert live[-1].startswith("4/5 [") and "loss: 0.2500" in live[-1]
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and printed.startswith("5/5 [====")
    assert "loss: 0.2000" in printed


def test_progbar_quick_epoch_still_makes_its_display(notebook, capsys):
    # An epoch shorter than the redraw interval must give the same outputs as a slow
    # one, or re-running a notebook would change its outputs.
    bar = Progbar(target=3, interval=3600.0)
    for step in range(1, 4):
        bar.update(step)
    [states] = notebook.displays
    assert states[0] == states[-1] == {"text/plain": ""}
    assert len(states) == 3  # the first step is drawn, the next ones come too soon
    assert capsys.readouterr().out.startswith("3/3 [")


def test_fit_in_a_notebook_shows_one_live_line_per_epoch(notebook, capsys):
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((40, 3), "float32")
    model.fit(x, np.zeros((40, 1), "float32"), epochs=3, batch_size=8, verbose=1)
    assert len(notebook.displays) == 3
    assert all(states[0] == states[-1] == {"text/plain": ""} for states in notebook.displays)
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("Epoch")] == [
        "Epoch 1/3",
        "Epoch 2/3",
        "Epoch 3/3",
    ]
    assert sum(line.startswith("5/5 [") for line in lines) == 3


def test_fit_verbose_2_prints_without_displays(notebook, capsys):
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 1), "float32"), epochs=2, verbose=2)
    assert notebook.displays == []
    assert capsys.readouterr().out.count(" - loss: ") == 2


def test_progbar_outside_a_notebook_prints_only_the_finished_line(capsys):
    bar = Progbar(target=3, interval=0.0)
    for step in range(1, 4):
        bar.update(step)
    assert capsys.readouterr().out.count("\n") == 1


def test_summary_in_a_notebook_is_text_and_an_html_table(notebook, capsys):
    model = Sequential([Input((4,)), Dense(8, name="hidden"), Dense(1, name="out")])
    lines = []
    model.summary(print_fn=lines.append)  # print_fn wins over the notebook display
    assert notebook.displays == []
    model.summary()
    assert capsys.readouterr().out == ""
    [[bundle]] = notebook.displays
    assert bundle["text/plain"].rstrip("\n") == lines[0]
    page = bundle["text/html"]
    assert page.count("<tr>") == 3  # the header and two layers
    assert '<td style="text-align:left">hidden (Dense)</td>' in page
    assert '<td style="text-align:right">40</td>' in page  # 4 x 8 + 8
    assert "Total params: 49 (196.00 B)" in page


def test_summary_html_escapes_names_and_lists_connections(notebook):
    inputs = Input((2,), name="x<in>")
    outputs = Add(name="sum")([Dense(2, name="a")(inputs), Dense(2, name="b")(inputs)])
    Model(inputs, outputs, name="two & branches").summary()
    page = notebook.displays[0][0]["text/html"]
    assert "Model: &quot;two &amp; branches&quot;" in page
    assert "x&lt;in&gt; (InputLayer)" in page and "x<in>" not in page
    assert '<th style="text-align:left">Connected to</th>' in page
    assert "a[0][0], b[0][0]" in page
