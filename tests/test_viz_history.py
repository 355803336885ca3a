"""plot_history: panels, lines, best epoch, early stop, NaN gaps, and bad names."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from teachkeras.callbacks import History
from teachkeras.viz import plot_history
from teachkeras.viz.history import best_epoch


def fake_history():
    history = History()
    history.history = {
        "loss": [1.0, 0.6, 0.4, 0.3],
        "accuracy": [0.5, 0.7, 0.8, 0.85],
        "val_loss": [1.1, 0.7, 0.65, 0.8],
        "val_accuracy": [0.45, 0.65, 0.75, 0.7],
    }
    history.epoch = [0, 1, 2, 3]
    return history


def test_one_panel_per_quantity_with_train_and_validation():
    fig = plot_history(fake_history())
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_title() == "loss" and acc_ax.get_title() == "accuracy"
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert labels[:2] == ["train loss", "validation loss"]
    np.testing.assert_array_equal(loss_ax.get_lines()[0].get_xdata(), [1, 2, 3, 4])


def test_best_validation_epoch_is_marked():
    fig = plot_history(fake_history())
    loss_marker = fig.axes[0].get_lines()[-1]
    acc_marker = fig.axes[1].get_lines()[-1]
    assert (
        loss_marker.get_label() == "best val_loss (epoch 3)" and loss_marker.get_ydata()[0] == 0.65
    )
    assert acc_marker.get_label() == "best val_accuracy (epoch 3)"
    assert best_epoch([0.5, float("nan"), 0.2], "loss") == 2
    assert best_epoch([float("nan")], "accuracy") is None


def test_stopped_epoch_line_and_history_plot_method():
    fig = fake_history().plot(metrics=["loss"], stopped_epoch=3)
    assert len(fig.axes) == 1
    assert any(line.get_label() == "stopped (epoch 4)" for line in fig.axes[0].get_lines())


def test_nan_leaves_a_gap_not_an_error():
    history = {"loss": [1.0, float("nan"), 0.5]}
    fig = plot_history(history)
    ydata = fig.axes[0].get_lines()[0].get_ydata()
    assert np.isnan(ydata[1]) and ydata[2] == 0.5


def test_unknown_metric_names_the_available_ones():
    with pytest.raises(ValueError, match=r"no \['acc'\]; it has \['accuracy', 'loss'"):
        plot_history(fake_history(), metrics="acc")


def test_wrong_type_and_empty():
    with pytest.raises(TypeError, match="History returned by fit"):
        plot_history([1, 2, 3])
    with pytest.raises(ValueError, match="empty"):
        plot_history({})
