"""The gradient reaching each time step: the numbers, the gate knob, the plot and its explorer."""

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


def linear_rnn(recurrent: float, features: int = 2):
    """h_t = x_t W + h_{t-1} u with W all ones: h_T = Σ_t u^(T-t) Σ_features x_t."""
    layer = layers.SimpleRNN(1, activation="linear", use_bias=False)
    layer.build((None, None, features))
    layer.cell.kernel.assign(np.ones((features, 1)))
    layer.cell.recurrent_kernel.assign([[recurrent]])
    return layer


def test_step_gradient_norms_of_a_linear_rnn_are_powers_of_its_recurrent_weight():
    x = np.random.default_rng(0).normal(size=(3, 6, 2))
    norms = viz.step_gradient_norms(linear_rnn(0.5), x)
    expected = np.sqrt(2) * 0.5 ** np.arange(5, -1, -1)  # ∂h_T/∂x_t = u^(T-t) for each feature
    np.testing.assert_allclose(norms, expected, rtol=1e-6)


def test_step_gradient_norms_reads_the_last_output_whatever_the_layer_returns():
    x = np.random.default_rng(1).normal(size=(4, 7, 3))
    plain = layers.LSTM(5)
    plain.build((None, 7, 3))
    weights = plain.get_weights()
    for options in ({"return_sequences": True}, {"return_state": True}):
        other = layers.LSTM(5, **options)
        other.build((None, 7, 3))
        other.set_weights(weights)
        np.testing.assert_allclose(
            viz.step_gradient_norms(other, x), viz.step_gradient_norms(plain, x), rtol=1e-6
        )
    with pytest.raises(ValueError, match=r"\(batch, timesteps, features\); got shape \(7, 3\)"):
        viz.step_gradient_norms(plain, x[0])


def test_set_gate_bias_sets_the_lstm_forget_gate_and_the_gru_update_gate():
    lstm = layers.LSTM(3)
    lstm.build((None, 4, 2))
    viz.set_gate_bias(lstm, 2.5)
    bias = lstm.cell.bias.numpy()  # i, f, c, o
    np.testing.assert_array_equal(bias[3:6], 2.5)
    np.testing.assert_array_equal(np.delete(bias, np.s_[3:6]), 0.0)
    gru = layers.GRU(3)
    gru.build((None, 4, 2))
    viz.set_gate_bias(gru, -1.0)
    bias = gru.cell.bias.numpy()  # (2, 9): input row, recurrent row; z, r, h
    np.testing.assert_array_equal(bias[0, :3], -1.0)
    assert not np.any(bias[0, 3:]) and not np.any(bias[1])
    old_gru = layers.GRU(3, reset_after=False)
    old_gru.build((None, 4, 2))
    viz.set_gate_bias(old_gru, 4.0)
    np.testing.assert_array_equal(old_gru.cell.bias.numpy()[:3], 4.0)
    simple = layers.SimpleRNN(3)
    with pytest.raises(ValueError, match="needs an LSTM or a GRU"):
        viz.set_gate_bias(simple, 1.0)


def test_demo_is_repeatable_and_shows_the_vanishing_and_the_gate_that_stops_it():
    simple = viz.recurrent_gradient_demo("SimpleRNN", timesteps=40)
    np.testing.assert_array_equal(simple, viz.recurrent_gradient_demo("SimpleRNN", timesteps=40))
    assert simple.shape == (40,)
    assert simple[0] / simple[-1] < 1e-6  # a constant factor per step: vanishing
    default_lstm = viz.recurrent_gradient_demo("LSTM", timesteps=40)
    open_lstm = viz.recurrent_gradient_demo("LSTM", timesteps=40, gate_bias=3.0)
    assert open_lstm[0] / open_lstm[-1] > 0.1  # f ≈ σ(3) ≈ 0.95 lets it through
    assert open_lstm[0] > 100 * default_lstm[0]
    # the SimpleRNN has no gate: gate_bias changes nothing
    np.testing.assert_array_equal(
        viz.recurrent_gradient_demo("SimpleRNN", timesteps=40, gate_bias=3.0), simple
    )
    with pytest.raises(ValueError, match="kind must be one of"):
        viz.recurrent_gradient_demo("Transformer")


def test_plot_step_gradients_draws_one_line_per_layer_on_a_log_scale():
    fig = viz.plot_step_gradients(
        {"a": [1e-6, 1e-3, 1.0], "b": np.array([0.0, 0.5, 1.0])}, title="demo"
    )
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "demo"
    assert ax.get_xlabel().startswith("time step") and "gradient" in ax.get_ylabel()
    first, second = ax.get_lines()
    assert [first.get_label(), second.get_label()] == ["a", "b"]
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    assert np.isnan(second.get_ydata()[0])  # a zero cannot be drawn on a log axis: a gap
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 11
    assert min(t.get_fontsize() for t in ax.get_yticklabels() + ax.get_xticklabels()) >= 11
    with pytest.raises(TypeError, match="expects a dict"):
        viz.plot_step_gradients([1.0, 2.0])
    with pytest.raises(ValueError, match="one norm per time step"):
        viz.plot_step_gradients({"a": np.ones((2, 3))})


def test_recurrent_gradient_explorer_update():
    fig = viz.recurrent_gradient_explorer_update(20, 3.0)
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["SimpleRNN", "LSTM", "GRU"]
    assert all(len(line.get_xdata()) == 20 for line in lines)
    assert fig.axes[0].get_title() == "T = 20 steps; forget / update gate bias 3: σ = 0.95"
    lstm = lines[1].get_ydata()
    np.testing.assert_allclose(lstm, viz.recurrent_gradient_demo("LSTM", 20, 3.0))


def test_recurrent_gradient_widget():
    pytest.importorskip("ipywidgets")
    box = viz.recurrent_gradient_explorer()
    controls = box.controls
    assert set(controls) == {"timesteps", "gate_bias"}
    assert not any(control.continuous_update for control in controls.values())
    controls["timesteps"].value = 30
    assert len(box.figure.axes[0].get_lines()[0].get_xdata()) == 30
    controls["gate_bias"].value = -2.0
    assert box.figure.axes[0].get_title().endswith("σ = 0.12")
