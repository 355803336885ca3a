"""Keras 2 graph mode: placeholders, recorded ops, K.function, symbolic K.gradients, K.eval."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras.backend import random as backend_random
from teachkeras.backend.gradient_check import numeric_gradient
from teachkeras.legacy import KerasLegacyWarning
from teachkeras.legacy.backend.symbolic import SymbolicTensor
from tests.helpers.data import rand


# --- placeholders ------------------------------------------------------------------------
def test_placeholder_shape_ndim_dtype_name():
    x = K.placeholder(shape=(None, 3), name="x")
    assert isinstance(x, SymbolicTensor) and x.shape == (None, 3) and x.dtype == "float32"
    assert x.name == "x" and K.is_placeholder(x) and K.is_tensor(x) and not K.is_keras_tensor(x)
    y = K.placeholder(ndim=3, dtype="int32")
    assert y.shape == (None, None, None) and y.dtype == "int32" and y.name == "placeholder"
    assert K.placeholder(ndim=1).name == "placeholder_1"
    assert K.int_shape(x) == (None, 3) and K.ndim(y) == 3 and K.dtype(y) == "int32"


def test_placeholder_needs_a_shape_and_is_dense():
    with pytest.raises(ValueError, match="needs a `shape`"):
        K.placeholder()
    with pytest.raises(ValueError, match="Sparse"):
        K.placeholder(shape=(2,), sparse=True)


def test_symbolic_tensors_refuse_to_be_used_as_values():
    x = K.placeholder(shape=(None, 3))
    with pytest.raises(TypeError, match=r"K\.function"):
        np.asarray(x)
    with pytest.raises(TypeError, match=r"K\.switch"):
        bool(x)
    with pytest.raises(TypeError, match="iterated"):
        list(x)
    with pytest.raises(TypeError, match="len"):
        len(x)
    with pytest.raises(ValueError, match="unknown sizes"):
        K.count_params(x)


# --- recording: the one dispatch point ---------------------------------------------------------
def test_every_k_op_on_a_placeholder_is_recorded_with_its_shape():
    x = K.placeholder(shape=(None, 4))
    cases = {
        "dot": (K.dot(x, K.variable(np.ones((4, 2)))), (None, 2)),
        "sum": (K.sum(x, axis=0), (4,)),
        "mean_all": (K.mean(x), ()),
        "reshape": (K.reshape(x, (-1, 2, 2)), (None, 2, 2)),
        "concatenate": (K.concatenate([x, x], axis=0), (None, 4)),
        "stack": (K.stack([x, x], axis=1), (None, 2, 4)),
        "batch_dot": (K.batch_dot(x, x, axes=1), (None, 1)),
        "softmax": (K.softmax(x), (None, 4)),
        "one_hot": (K.one_hot(K.argmax(x), 3), (None, 3)),
        "shape": (K.shape(x), (2,)),
        "transpose": (K.transpose(x), (4, None)),
    }
    for name, (tensor, shape) in cases.items():
        assert isinstance(tensor, SymbolicTensor), name
        assert tensor.shape == shape, name
    assert "K.batch_dot" in repr(cases["batch_dot"][0])


def test_operators_record_on_both_sides_and_with_variables_and_arrays():
    x = K.placeholder(shape=(None, 2))
    w = K.variable([[1.0, 2.0], [3.0, 4.0]])
    a = np.array([1.0, -1.0], dtype="float32")
    # w[0] is indexed at once (a Python operator on a variable): the graph warns it keeps its value
    with pytest.warns(KerasLegacyWarning, match="keeps its current value"):
        exprs = [x + 1, 1 + x, x - a, a - x, 2 * x, x * w[0], w[1] * x, x / 2, 1 / (x + 10)]
    exprs += [x**2, 2.0**x, x @ w, w @ K.transpose(x), -x, abs(x), x[:, 0], x > 0, w[0] < x]
    assert all(isinstance(e, SymbolicTensor) for e in exprs)
    value = rand(3, 2)
    got = K.function([x], exprs)([value])
    wv = K.eval(w)
    want = [value + 1, 1 + value, value - a, a - value, 2 * value, value * wv[0], wv[1] * value]
    want += [value / 2, 1 / (value + 10), value**2, 2.0**value, value @ wv, wv @ value.T]
    want += [-value, np.abs(value), value[:, 0], value > 0, wv[0] < value]
    for g, w_ in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w_, rtol=1e-6)


def test_a_learners_own_function_of_k_ops_works_on_placeholders_unchanged():
    def swish(z):
        return z * K.sigmoid(z)

    x = K.placeholder(shape=(None, 3))
    value = rand(2, 3)
    np.testing.assert_allclose(
        K.function([x], [swish(x)])([value])[0], K.eval(swish(K.constant(value))), rtol=1e-6
    )


def test_unknown_sizes_are_tracked_through_two_trial_runs():
    x = K.placeholder(shape=(None, 6))
    assert K.reshape(x, (-1, 2, 3)).shape == (None, 2, 3)
    assert K.reshape(x, (2, -1)).shape == (2, None)
    assert K.squeeze(K.expand_dims(x, 1), 1).shape == (None, 6)
    assert K.sum(x).shape == ()


def test_recording_changes_no_state_and_draws_no_global_randomness():
    x = K.placeholder(shape=(None, 3))
    v = K.variable([1.0, 2.0, 3.0])
    state = backend_random.global_generator().bit_generator.state
    dropped = K.dropout(x, 0.5)
    updated = K.update_add(v, K.sum(x, axis=0))
    assert backend_random.global_generator().bit_generator.state == state
    np.testing.assert_array_equal(K.eval(v), [1.0, 2.0, 3.0])
    assert dropped.shape == (None, 3) and updated.shape == (3,)


def test_an_op_that_fails_on_the_shapes_says_so_at_the_line_that_built_it():
    x = K.placeholder(shape=(None, 3))
    with pytest.raises(ValueError, match=r"K\.dot cannot be applied .*\(None, 3\)"):
        K.dot(x, K.variable(np.ones((4, 2))))


def test_tuple_valued_ops_give_a_tuple_of_symbolic_tensors():
    x = K.placeholder(shape=(None, 2))
    normed, mean, var = K.normalize_batch_in_training(x, None, None, (0,))
    assert normed.shape == (None, 2) and mean.shape == (2,)
    value = rand(5, 2)
    got = K.function([x], [normed, mean, var])([value])
    np.testing.assert_allclose(got[1], value.mean(0), rtol=1e-5)
    np.testing.assert_allclose(got[2], value.var(0), rtol=1e-5)


def test_k_shape_of_a_placeholder_is_the_fed_shape():
    x = K.placeholder(shape=(None, None, 3))
    np.testing.assert_array_equal(K.function([x], [K.shape(x)])([np.ones((4, 5, 3))])[0], [4, 5, 3])


# --- K.function ---------------------------------------------------------------------------------
def test_function_matches_eager_computation_and_returns_numpy():
    x = K.placeholder(shape=(None, 3))
    w = K.variable(rand(3, 2, seed=1))
    y = K.relu(K.dot(x, w))
    f = K.function([x], [y, K.sum(y)])
    value = rand(4, 3, seed=2)
    out, total = f([value])
    expected = np.maximum(value @ K.eval(w), 0)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(total, expected.sum(), rtol=1e-5)
    K.set_value(w, np.zeros((3, 2)))  # a function reads variables when it runs
    np.testing.assert_array_equal(f([value])[0], np.zeros((4, 2)))


def test_function_with_a_single_output_returns_a_single_array_and_casts_feeds():
    x = K.placeholder(shape=(2,))
    f = K.function([x], 3 * x)
    out = f([[1, 2]])  # a list of ints, fed to a float32 placeholder
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_array_equal(out, [3.0, 6.0])


def test_function_can_output_variables_and_constants():
    v = K.variable([1.0, 2.0])
    x = K.placeholder(shape=(2,))
    got = K.function([x], [v, x])([np.zeros(2)])
    np.testing.assert_array_equal(got[0], [1.0, 2.0])
    got[0][0] = 99  # a copy, not the variable's own array
    np.testing.assert_array_equal(K.eval(v), [1.0, 2.0])


def test_a_placeholder_without_a_value_is_named_in_the_error():
    x = K.placeholder(shape=(None, 3), name="pixels")
    y = K.placeholder(shape=(None, 3), name="labels")
    f = K.function([x], [x + y])
    with pytest.raises(ValueError, match=r"Placeholder 'labels'.*no value"):
        f([np.ones((1, 3))])
    with pytest.raises(ValueError, match="Placeholder 'pixels'"):
        K.eval(K.sum(x))


def test_feeding_the_wrong_shape_or_count_is_a_clear_error():
    x = K.placeholder(shape=(None, 3), name="x")
    f = K.function([x], [x * 2])
    with pytest.raises(ValueError, match=r"shape \(2, 4\) for 'x', which has shape \(None, 3\)"):
        f([np.ones((2, 4))])
    with pytest.raises(ValueError, match="has 1 input"):
        f([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(TypeError, match="must be symbolic tensors"):
        K.function([np.ones(3)], [x])


def test_eval_of_a_placeholder_free_symbolic_tensor():
    phase = K.cast(K.learning_phase(), "float32")  # a placeholder with a default: 0
    assert K.eval(phase * 3 + 1) == 1.0
    assert K.eval(K.switch(K.learning_phase(), K.constant(1.0), K.constant(2.0))) == 2.0


def test_updates_run_after_the_outputs_and_all_values_before_any_assignment():
    a, b = K.variable(1.0), K.variable(2.0)
    x = K.placeholder(shape=())
    swap = K.function([x], [a + x], updates=[(a, b + 0 * x), (b, a + 0 * x)])
    out = swap([10.0])
    assert out[0] == 11.0  # the output saw a before the update
    assert (K.eval(a), K.eval(b)) == (2.0, 1.0)  # swapped: new values computed first


def test_symbolic_update_ops_run_at_each_call():
    v = K.variable([0.0, 0.0])
    x = K.placeholder(shape=(2,))
    f = K.function([x], [K.sum(x)], updates=[K.update_add(v, x)])
    f([np.array([1.0, 2.0])])
    f([np.array([1.0, 2.0])])
    np.testing.assert_array_equal(K.eval(v), [2.0, 4.0])
    m = K.variable([10.0])
    g = K.function([x], [], updates=[K.moving_average_update(m, K.sum(x, keepdims=True), 0.9)])
    g([np.array([0.0, 0.0])])
    np.testing.assert_allclose(K.eval(m), [9.0])
    with pytest.raises(TypeError, match="updates must be"):
        K.function([x], [x], updates=["v"])([np.zeros(2)])


# --- K.gradients on placeholders ------------------------------------------------------------------
# the package's finite differences; upstream 1: the gradient of the scalar loss itself
ONE = np.array(1.0)


def test_gradients_on_placeholders_agree_with_finite_differences():
    K.set_floatx("float64")
    x = K.placeholder(shape=(None, 3))
    w = K.variable(rand(3, 2, seed=3).astype("float64"))
    loss = K.sum(K.square(K.tanh(K.dot(x, w)))) + K.mean(K.softplus(x) * K.sin(x))
    grad_x, grad_w = K.gradients(loss, [x, w])
    assert (
        isinstance(grad_x, SymbolicTensor) and grad_x.shape == (None, 3) and grad_w.shape == (3, 2)
    )
    f = K.function([x], [loss, grad_x, grad_w])
    value = rand(4, 3, seed=4).astype("float64")
    _, gx, gw = f([value])
    (numeric_gx,) = numeric_gradient(lambda v: f([v])[0], [value.copy()], ONE)
    np.testing.assert_allclose(gx, numeric_gx, rtol=1e-6, atol=1e-8)
    w0 = K.eval(w)

    def loss_of_w(wv):
        K.set_value(w, wv)
        return f([value])[0]

    (numeric_gw,) = numeric_gradient(loss_of_w, [w0.copy()], ONE)
    np.testing.assert_allclose(gw, numeric_gw, rtol=1e-6, atol=1e-8)


def test_gradient_of_a_non_scalar_loss_is_that_of_its_sum():
    x = K.placeholder(shape=(3,))
    (g,) = K.gradients(K.square(x), [x])
    np.testing.assert_allclose(K.function([x], [g])([np.array([1.0, 2.0, 3.0])])[0], [2, 4, 6])


def test_gradients_of_an_unconnected_tensor_are_none_as_in_keras2():
    x, y = K.placeholder(shape=(2,)), K.placeholder(shape=(2,))
    w = K.variable([1.0, 2.0])
    loss = K.sum(x * 3)
    assert K.gradients(loss, [y, w]) == [None, None]
    assert K.gradients(K.sum(K.stop_gradient(x) * w), [x])[0] is None  # stop_gradient cuts
    (gw,) = K.gradients(K.sum(K.stop_gradient(x) * w), [w])
    np.testing.assert_array_equal(K.function([x], [gw])([np.array([5.0, 6.0])])[0], [5.0, 6.0])


def test_a_single_variable_gives_a_list_of_one_gradient():
    x = K.placeholder(shape=(2,))
    grads = K.gradients(K.sum(2 * x), x)
    assert isinstance(grads, list) and len(grads) == 1
    np.testing.assert_array_equal(K.function([x], grads)([np.ones(2)])[0], [2.0, 2.0])


def test_gradients_through_non_differentiable_ops_are_zero_when_run():
    x = K.placeholder(shape=(3,))
    (g,) = K.gradients(K.sum(K.round(x) * 2.0), [x])  # connected, but round has no gradient
    np.testing.assert_array_equal(K.function([x], [g])([np.array([0.2, 1.7, 3.1])])[0], [0, 0, 0])


def test_second_derivatives_are_refused_with_a_reason():
    x = K.placeholder(shape=(2,))
    (g,) = K.gradients(K.sum(x**3), [x])
    with pytest.raises(NotImplementedError, match="second derivative"):
        K.gradients(K.sum(g), [x])


def test_eager_and_symbolic_cannot_be_mixed_in_gradients():
    with pytest.raises(TypeError, match="concrete tensor but some variables are symbolic"):
        K.gradients(K.constant(1.0), [K.placeholder(shape=())])


def test_eager_gradients_are_unchanged():
    v = K.variable([1.0, 2.0])
    (g,) = K.gradients(K.sum(K.square(v)), [v])
    np.testing.assert_array_equal(g, [2.0, 4.0])


# --- Keras tensors (model.input, layer.output) ---------------------------------------------------
def small_model(dropout: float = 0.5):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(4,), name="pixels")
    hidden = keras.layers.Dense(6, activation="relu", name="hidden")(inputs)
    dropped = keras.layers.Dropout(dropout, name="drop")(hidden)
    outputs = keras.layers.Dense(3, activation="softmax", name="out")(dropped)
    return keras.Model(inputs, outputs)


def test_keras_tensors_are_symbolic_and_k_ops_apply_to_them():
    model = small_model()
    h = model.get_layer("hidden").output
    assert K.is_keras_tensor(h) and K.is_keras_tensor(model.input)
    assert K.is_placeholder(model.input) and not K.is_placeholder(h)
    first = K.mean(h[:, 0])
    assert isinstance(first, SymbolicTensor) and not K.is_keras_tensor(first)
    x = rand(5, 4)
    got = K.function([model.input], [first])([x])[0]
    hidden_model = keras.Model(model.input, h)
    np.testing.assert_allclose(got, hidden_model.predict(x, verbose=0)[:, 0].mean(), rtol=1e-6)


def test_function_of_model_input_and_learning_phase_returns_layer_activations():
    model = small_model()
    x = rand(50, 4)
    f = K.function([model.input, K.learning_phase()], [model.get_layer("drop").output])
    test_mode = f([x, 0])[0]
    train_mode = f([x, 1])[0]
    hidden = keras.Model(model.input, model.get_layer("hidden").output).predict(x, verbose=0)
    np.testing.assert_allclose(test_mode, hidden, rtol=1e-6)
    kept = train_mode != 0
    np.testing.assert_allclose(train_mode[kept], 2 * hidden[kept], rtol=1e-6)
    assert 0.3 < np.mean(train_mode[hidden > 0] == 0) < 0.7
    np.testing.assert_allclose(f([x, 0])[0], test_mode)  # not fed: test mode
    f_no_phase = K.function([model.input], [model.get_layer("drop").output])
    np.testing.assert_allclose(f_no_phase([x])[0], test_mode)


def test_function_output_equals_predict_and_a_model_input_needs_a_value():
    model = small_model()
    x = rand(7, 4)
    np.testing.assert_allclose(
        K.function([model.input], [model.output])([x])[0], model.predict(x, verbose=0), rtol=1e-6
    )
    with pytest.raises(ValueError, match=r"'pixels'.*no value"):
        K.function([], [model.output])([])


def test_an_intermediate_tensor_can_be_fed_and_the_graph_before_it_is_skipped():
    model = small_model()
    out_layer = model.get_layer("out")
    features = rand(3, 6)
    got = K.function([out_layer.input], [out_layer.output])([features])[0]
    np.testing.assert_allclose(got, K.eval(out_layer(features)), rtol=1e-6)


def test_gradient_of_a_layer_output_with_respect_to_the_model_input():
    model = small_model()
    h = model.get_layer("hidden")
    loss = K.sum(h.output[:, 1])
    (grad,) = K.gradients(loss, model.input)
    x = rand(2, 4)
    got = K.function([model.input], [grad])([x])[0]
    kernel = K.eval(h.kernel)
    active = (x @ kernel + K.eval(h.bias))[:, 1] > 0
    np.testing.assert_allclose(got, active[:, None] * kernel[:, 1], rtol=1e-6)
    assert K.gradients(loss, model.get_layer("out").kernel) == [None]
    (gk,) = K.gradients(loss, h.kernel)
    assert gk.shape == (4, 6)


def test_gradient_with_respect_to_an_intermediate_keras_tensor():
    model = small_model()
    hidden = model.get_layer("hidden").output
    loss = K.sum(model.get_layer("out").output[:, 0])
    (grad,) = K.gradients(loss, hidden)
    f = K.function([model.input], [grad])
    x = rand(3, 4)
    g = f([x])[0]
    out = model.get_layer("out")

    def loss_of_hidden(hv):
        return float(K.sum(out(hv)[:, 0]))

    hv = keras.Model(model.input, hidden).predict(x, verbose=0).astype("float64")
    (numeric,) = numeric_gradient(loss_of_hidden, [hv], ONE, h=1e-3)
    np.testing.assert_allclose(g, numeric, atol=2e-4)


def test_set_learning_phase_is_global_for_layers_and_function():
    model = small_model(dropout=0.9)
    x = rand(20, 4)
    K.set_learning_phase(1)
    assert K.learning_phase() == 1
    trained = K.eval(model.get_layer("drop")(K.constant(np.ones((20, 6)))))
    assert (trained == 0).mean() > 0.5  # Dropout active without training=True
    f = K.function([model.input, K.learning_phase()], [model.get_layer("drop").output])
    assert (f([x, 0])[0] != 0).any() and np.allclose(
        f([x, 0])[0],
        keras.Model(model.input, model.get_layer("hidden").output).predict(x, verbose=0),
    )  # the value fed still chooses this call's phase
    K.set_learning_phase(0)
    np.testing.assert_array_equal(K.eval(model.get_layer("drop")(K.constant(np.ones((2, 6))))), 1)
    with pytest.raises(ValueError, match="0 or 1"):
        K.set_learning_phase(2)
    K.clear_session()
    assert isinstance(K.learning_phase(), SymbolicTensor)
    assert K.learning_phase().name == "keras_learning_phase"


def test_in_train_phase_follows_the_fed_learning_phase():
    x = K.placeholder(shape=(3,))
    y = K.in_train_phase(x * 2, x * 10)
    f = K.function([x, K.learning_phase()], [y])
    np.testing.assert_array_equal(f([np.ones(3), 1])[0], [2, 2, 2])
    np.testing.assert_array_equal(f([np.ones(3), 0])[0], [10, 10, 10])
    assert K.in_test_phase(K.constant(1.0), K.constant(2.0)).item() == 1.0  # eager: test mode


def test_shapes_are_found_even_when_a_trial_size_does_not_fit():
    x = K.placeholder(shape=(None, 2))
    w = K.variable(np.ones((2, 2)))
    assert (w < x).shape == (2, 2)  # only 1 or 2 rows broadcast against w's 2 rows
    np.testing.assert_array_equal(K.function([x], [w < x])([np.full((2, 2), 3.0)])[0], True)


# --- ops on variables alone belong to the graph (as in Keras 2) ------------------------------
def test_op_on_a_variable_alone_is_recomputed_by_the_graph():
    w = K.variable(np.ones(3))
    x = K.placeholder(shape=(None, 3))
    f = K.function([x], [K.dot(x, K.reshape(w, (3, 1)))])  # K.reshape(w) ran eagerly
    assert f([np.ones((1, 3))])[0].item() == 3.0
    K.set_value(w, 2 * np.ones(3))
    assert f([np.ones((1, 3))])[0].item() == 6.0  # the graph read the new value


def test_gradients_reach_a_variable_through_ops_on_it():
    w = K.variable(np.array([1.0, 2.0, 3.0]))
    x = K.placeholder(shape=(None, 3))
    loss = K.sum(x * K.square(K.multiply(w, 2)))  # K ops, all on w before meeting x
    [grad] = K.gradients(loss, [w])
    assert grad is not None
    value = K.function([x], [grad])([np.ones((2, 3))])[0]
    np.testing.assert_allclose(value, 2 * 8 * np.array([1.0, 2.0, 3.0]))  # d/dw sum_b 4w^2


def test_an_operator_on_a_variable_alone_warns_when_it_meets_a_graph():
    # `w * 2` is Python's operator on a concrete tensor: computed at once, no K recipe.
    w = K.variable(np.array([1.0, 2.0, 3.0]))
    x = K.placeholder(shape=(None, 3))
    with pytest.warns(KerasLegacyWarning, match=r"K.multiply\(w, 2\)") as caught:
        loss = K.sum(x * (w * 2))
    assert caught[0].filename == __file__  # at the learner's line
    assert K.gradients(loss, [w]) == [None]  # the graph cannot see w through it, as warned


def test_tensors_computed_from_data_keep_no_recipe():
    w = K.variable(np.ones((2, 2)))
    data = K.constant(np.ones((3, 2)))
    assert getattr(K.transpose(w), "_recipe", None) is not None
    assert getattr(K.dot(data, w), "_recipe", None) is None  # would keep the batch alive
