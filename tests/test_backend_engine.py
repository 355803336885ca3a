"""The autodiff engine and the objects around it: Tensor, Variable, GradientTape, config.

The per-op gradients are checked in `test_backend_gradients.py`; here we test what
every op relies on: un-broadcasting, the topological walk, the gradient bookkeeping
(dtypes, None for unconnected inputs, ownership of the returned arrays), recording on
and off, and the Python protocol of tensors (operators, NumPy interop, formatting).
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

from teachkeras import backend as K
from teachkeras.backend import config, naming, random
from teachkeras.backend.tensor import Tensor, record, unbroadcast
from teachkeras.backend.topological_order import topological_order


def grad_of(loss, *variables):
    return K.gradients(loss, list(variables))


# --- unbroadcast: the adjoint of NumPy broadcasting ---------------------------------------
BROADCASTS = [
    ((2, 3, 4), (2, 3, 4)),  # nothing to undo
    ((2, 3, 4), (3, 4)),  # one new leading axis
    ((2, 3, 4), (4,)),  # two new leading axes
    ((2, 3, 4), ()),  # a scalar copied everywhere
    ((2, 3, 4), (1, 3, 1)),  # stretched length-1 axes
    ((2, 3, 4), (2, 1, 4)),  # a stretched middle axis
    ((2, 3, 4), (1, 1, 1)),  # every axis stretched
    ((2, 3, 4), (3, 1)),  # new leading axis and a stretched one
    ((5, 2, 3), (1, 3)),  # both, on a different shape
    ((1, 3), (1, 1)),  # a kept length-1 axis beside a stretched one
]


@pytest.mark.parametrize(("big", "small"), BROADCASTS, ids=[str(b) for b in BROADCASTS])
def test_unbroadcast_is_the_adjoint_of_broadcasting(big, small, rng):
    """<unbroadcast(g), x> == <g, broadcast(x)> for all x: the definition of an adjoint."""
    g = rng.standard_normal(big).astype(np.float32)
    x = rng.standard_normal(small).astype(np.float32)
    back = unbroadcast(g, small)
    assert back.shape == small
    assert back.dtype == np.float32
    np.testing.assert_allclose(
        np.sum(back * x), np.sum(g * np.broadcast_to(x, big)), rtol=1e-5, atol=1e-5
    )


def test_unbroadcast_returns_the_same_array_when_nothing_was_broadcast():
    g = np.ones((2, 3))
    assert unbroadcast(g, (2, 3)) is g


def test_unbroadcast_restores_missing_length_one_axes():
    np.testing.assert_array_equal(unbroadcast(np.array(2.0), (1, 1)), [[2.0]])


def test_a_vjp_returning_a_wrong_shape_is_reported():
    x = K.Variable(np.ones((2, 3)))
    wrong = record(x.data.T.copy(), (x,), (lambda g: g,))  # forgot to transpose g back
    with pytest.raises(AssertionError, match=r"gradient shape \(3, 2\) != tensor shape \(2, 3\)"):
        grad_of(K.sum(wrong), x)


# --- the walk: topological order, shared values, depth -------------------------------------
def test_a_value_used_twice_in_one_op_gets_both_contributions():
    x = K.Variable([1.0, 2.0, 3.0])
    (g,) = grad_of(K.sum(x * x), x)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])


def test_diamond_sums_both_paths():
    x = K.Variable([1.0, -2.0])
    a, b = x * 2.0, x * 3.0  # two branches from x ...
    (g,) = grad_of(K.sum(a * b), x)  # ... joined again: 6x² -> 12x
    np.testing.assert_allclose(g, [12.0, -24.0])


def test_uneven_diamond_is_walked_in_topological_order():
    # d = (e^x + 1) e^x + e^x = e^{2x} + 2 e^x, so d' = 2 e^{2x} + 2 e^x.
    # `a` is reached by paths of length 1, 2 and 3: its gradient must be complete
    # before it is passed on to x, which only a topological order guarantees.
    x = K.Variable([0.5, -1.0], dtype="float64")
    a = K.exp(x)
    b = a + 1.0
    c = b * a
    d = c + a
    (g,) = grad_of(K.sum(d), x)
    xv = x.numpy()
    np.testing.assert_allclose(g, 2 * np.exp(2 * xv) + 2 * np.exp(xv), rtol=1e-12)


def test_topological_order_lists_each_tensor_once_after_its_parents():
    x = K.Variable([1.0, 2.0])
    a = K.exp(x)
    b = a * x
    c = K.sum(b + a)
    order = topological_order([c._node], lambda node: node.parents)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order) == 5  # x, a, b, b + a, c
    assert order[-1] is c._node
    for n in order:
        assert all(position[id(p)] < position[id(n)] for p in n.parents)


def test_deep_chain_of_ten_thousand_ops_has_no_recursion_error():
    x = K.Variable(1.0, dtype="float64")
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    (g,) = grad_of(y, x)
    np.testing.assert_allclose(g, 1.0001**10_000, rtol=1e-9)
    del y  # freeing a 10,000-deep graph must not overflow either


# --- what `gradients` returns ------------------------------------------------------------
def test_gradient_of_a_non_scalar_is_the_gradient_of_its_sum():
    x = K.Variable([[1.0, 2.0], [3.0, 4.0]])
    (g,) = grad_of(x * x, x)
    (g_sum,) = grad_of(K.sum(x * x), x)
    np.testing.assert_allclose(g, g_sum)


def test_output_gradient_is_the_upstream_gradient(rng):
    x = K.Variable(rng.standard_normal((2, 3)))
    u = rng.standard_normal((2, 3)).astype(np.float32)
    (g,) = K.gradients(K.tanh(x), [x], output_gradient=u)
    (expected,) = grad_of(K.sum(K.tanh(x) * u), x)
    np.testing.assert_allclose(g, expected, rtol=1e-6)


def test_output_gradient_must_match_the_loss_shape():
    x = K.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match=r"output_gradient has shape \(3,\).*\(2,\)"):
        K.gradients(x * 2.0, [x], output_gradient=np.ones(3))


def test_output_gradient_array_is_not_handed_back():
    x = K.Variable([1.0, 2.0])
    u = np.array([1.0, 1.0], dtype=np.float32)
    (g,) = K.gradients(x, [x], output_gradient=u)
    g *= 5  # the caller owns g; u must not change
    np.testing.assert_array_equal(u, [1.0, 1.0])


def test_unconnected_variable_gets_none():
    x, unused = K.Variable([1.0]), K.Variable([2.0])
    assert grad_of(K.sum(x * 3.0), x, unused)[1] is None


def test_a_constant_loss_gives_none_for_every_variable():
    x = K.Variable([1.0])
    assert K.gradients(K.constant(3.0), [x]) == [None]
    assert K.gradients(3.0, [x, x]) == [None, None]


def test_single_variable_still_gives_a_list():
    x = K.Variable([1.0, 2.0])
    grads = K.gradients(K.sum(x), x)
    assert isinstance(grads, list) and len(grads) == 1


def test_gradient_with_respect_to_an_intermediate_tensor():
    x = K.Variable([1.0, 2.0])
    h = x * 2.0
    g_h, g_x = grad_of(K.sum(h * h), h, x)
    np.testing.assert_allclose(g_h, 2 * h.numpy())
    np.testing.assert_allclose(g_x, 2 * g_h)  # dh/dx = 2


def test_gradient_dtype_is_the_variable_dtype():
    x32 = K.Variable([1.0, 2.0])
    x64 = K.Variable([1.0, 2.0], dtype="float64")
    (g32,) = grad_of(K.sum(K.exp(x32) * 3.0), x32)
    (g64,) = grad_of(K.sum(K.exp(x64) * 3.0), x64)
    assert g32.dtype == np.float32 and g64.dtype == np.float64
    # an explicit float64 array upcasts the forward value, but not the variable's gradient
    (g_mixed,) = grad_of(K.sum(x32 * np.array([1.0, 2.0])), x32)
    assert g_mixed.dtype == np.float32


def test_returned_gradients_are_writable_and_not_shared():
    x, y = K.Variable([1.0, 2.0]), K.Variable([3.0, 4.0])
    gx, gy = grad_of(x + y, x, y)  # add's VJP hands the same `g` to both inputs
    gx *= 10.0  # an optimizer may scale in place ...
    np.testing.assert_array_equal(gy, [1.0, 1.0])  # ... without touching the other gradient
    (g,) = grad_of(K.sum(x), x)  # sum's VJP is a read-only broadcast view
    g += 1.0
    np.testing.assert_array_equal(g, [2.0, 2.0])


def test_stop_gradient_blocks_the_path_through_it():
    x = K.Variable([1.0, 3.0])
    (g,) = grad_of(K.sum(K.stop_gradient(x) * x), x)
    np.testing.assert_allclose(g, [1.0, 3.0])  # only the second factor's path
    assert K.gradients(K.sum(K.stop_gradient(x)), [x]) == [None]


def test_cast_to_integer_cuts_the_gradient_and_float_cast_converts_it_back():
    x = K.Variable([1.5, 2.5])
    assert grad_of(K.sum(K.cast(K.cast(x, "int32"), "float32")), x) == [None]
    (g,) = grad_of(K.sum(K.cast(x, "float64") * 2.0), x)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [2.0, 2.0])


# --- recording on and off --------------------------------------------------------------
def test_no_grad_records_no_parents():
    x = K.Variable([1.0, 2.0])
    with K.no_grad():
        y = K.sum(K.exp(x) * 2.0)
    assert not y.requires_grad and y._node is None
    assert K.gradients(y, [x]) == [None]
    assert (x * 2.0).requires_grad  # recording is back on afterwards


def test_no_grad_is_restored_after_an_exception():
    x = K.Variable([1.0])
    with pytest.raises(ZeroDivisionError), K.no_grad():
        1 / 0
    assert (x * 2.0).requires_grad


def test_enable_grad_inside_no_grad_records_again():
    x = K.Variable([1.0])
    with K.no_grad():
        with K.enable_grad():
            inner = x * 2.0
        outer = x * 2.0
    assert inner.requires_grad and not outer.requires_grad


# --- GradientTape -----------------------------------------------------------------------
def test_tape_watches_variables_automatically():
    w = K.Variable([1.0, 2.0])
    with K.GradientTape() as tape:
        loss = K.sum(w * w)
    np.testing.assert_allclose(tape.gradient(loss, w), [2.0, 4.0])


def test_tape_watch_makes_a_constant_differentiable():
    x, other = K.constant([1.0, 2.0]), K.constant([5.0, 5.0])
    with K.GradientTape() as tape:
        tape.watch(x)
        y = K.sum(x * x + other)
    np.testing.assert_allclose(tape.gradient(y, x), [2.0, 4.0])


def test_tape_unwatched_constant_gets_none():
    x = K.constant([1.0, 2.0])
    with K.GradientTape(persistent=True) as tape:
        y = K.sum(x * x)
    assert tape.gradient(y, x) is None


def test_tape_watch_accepts_a_list_and_rejects_arrays():
    a, b = K.constant([1.0]), K.constant([2.0])
    with K.GradientTape() as tape:
        tape.watch([a, b])
        y = K.sum(a * b)
        with pytest.raises(TypeError, match="expects a Tensor, got ndarray"):
            tape.watch(np.ones(2))
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_allclose(ga, [2.0])
    np.testing.assert_allclose(gb, [1.0])


def test_non_persistent_tape_gives_gradients_once():
    w = K.Variable([1.0])
    with K.GradientTape() as tape:
        loss = K.sum(w * 3.0)
    tape.gradient(loss, w)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(loss, w)


def test_persistent_tape_gives_gradients_many_times():
    w = K.Variable([1.0])
    with K.GradientTape(persistent=True) as tape:
        a = K.sum(w * 3.0)
        b = K.sum(w * w)
    np.testing.assert_allclose(tape.gradient(a, w), [3.0])
    np.testing.assert_allclose(tape.gradient(b, w), [2.0])


def test_tape_result_mirrors_the_structure_of_sources():
    w, b = K.Variable([1.0]), K.Variable([2.0])
    with K.GradientTape(persistent=True) as tape:
        loss = K.sum(w * b)
    single = tape.gradient(loss, w)
    as_list = tape.gradient(loss, [w, b])
    as_tuple = tape.gradient(loss, (w, b))
    assert isinstance(single, np.ndarray)
    assert isinstance(as_list, list) and len(as_list) == 2
    assert isinstance(as_tuple, tuple) and len(as_tuple) == 2
    np.testing.assert_allclose(as_tuple[1], [1.0])


def test_tape_records_inside_no_grad():
    w = K.Variable([1.0])
    with K.no_grad(), K.GradientTape() as tape:
        loss = K.sum(w * 4.0)
    np.testing.assert_allclose(tape.gradient(loss, w), [4.0])


def test_tape_output_gradients():
    w = K.Variable([1.0, 2.0])
    with K.GradientTape() as tape:
        y = w * 3.0
    np.testing.assert_allclose(tape.gradient(y, w, output_gradients=np.array([1.0, 2.0])), [3, 6])


# --- Variable ---------------------------------------------------------------------------
def test_variable_from_values_and_initializers():
    v = K.Variable(np.zeros((2, 3)))  # float64 data -> floatx
    assert v.dtype == np.float32 and v.shape == (2, 3)
    assert K.Variable([1, 2]).dtype.kind == "i"  # integers keep their type
    assert K.Variable([1.0], dtype="float64").dtype == np.float64
    calls = []

    def init(shape, dtype=None):
        calls.append((shape, dtype))
        return np.ones(shape)

    w = K.Variable(init, shape=[2, 2], name="kernel")
    assert calls == [((2, 2), "float32")]
    assert w.name == "kernel" and w.path == "kernel" and w.dtype == np.float32
    assert w.requires_grad and w.trainable and isinstance(w, Tensor)
    assert K.Variable(1.0, trainable=False, path="dense/bias").path == "dense/bias"


def test_variable_initializer_needs_a_shape():
    with pytest.raises(ValueError, match="'kernel': an initializer callable needs a `shape`"):
        K.Variable(lambda shape, dtype=None: np.ones(shape), name="kernel")


def test_variable_shape_mismatch_at_creation():
    with pytest.raises(ValueError, match=r"initial value has shape \(3,\), expected \(2,\)"):
        K.Variable(np.ones(3), shape=(2,))


def test_variable_does_not_alias_its_initial_array():
    source = np.ones(2, dtype=np.float32)
    v = K.Variable(source)
    source[0] = 9.0
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0])


def test_variable_assign_copies_the_value_in():
    v = K.Variable([1.0, 2.0])
    new = np.array([5.0, 6.0])
    assert v.assign(new) is v
    new[0] = 0.0  # the variable keeps its own copy
    np.testing.assert_array_equal(v.value, [5.0, 6.0])
    assert v.dtype == np.float32  # a float64 value is cast to the variable's type
    v.assign(K.constant([7.0, 8.0]))
    np.testing.assert_array_equal(v.numpy(), [7.0, 8.0])


def test_variable_updates_write_in_place_and_numpy_is_a_snapshot():
    v = K.Variable([1.0, 2.0])
    live, snapshot = v.value, v.numpy()
    v.assign([5.0, 6.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub(0.5)
    assert v.value is live  # no new array: an optimizer step allocates no weights
    np.testing.assert_array_equal(live, [5.5, 6.5])
    np.testing.assert_array_equal(snapshot, [1.0, 2.0])  # numpy() copied, as in Keras


def test_a_retained_graph_keeps_the_value_it_was_computed_with():
    # y = x·W; dy/dx = W. Updating W before differentiating must not change dy/dx.
    w = K.Variable([[2.0], [3.0]])
    x = K.constant([[1.0, 1.0]])
    x.requires_grad = True
    y = K.matmul(x, w)
    live = w.value
    w.assign_sub([[1.0], [1.0]])  # the graph still needs the old W: copy on write
    assert w.value is not live
    np.testing.assert_array_equal(live, [[2.0], [3.0]])
    (dx,) = K.gradients(y, [x], retain_graph=False)
    np.testing.assert_array_equal(dx, [[2.0, 3.0]])
    live = w.value
    w.assign_sub([[1.0], [1.0]])  # the graph has run its VJPs: back to in place
    assert w.value is live
    np.testing.assert_array_equal(w.numpy(), [[0.0], [1.0]])


def test_copy_on_write_also_guards_a_variable_that_needs_no_gradient():
    w = K.Variable([[2.0], [3.0]])
    w.requires_grad = False  # not differentiated, but x's VJP still reads W
    x = K.constant([[1.0, 1.0]])
    x.requires_grad = True
    y = K.matmul(x, w)
    w.assign([[0.0], [0.0]])
    (dx,) = K.gradients(y, [x])
    np.testing.assert_array_equal(dx, [[2.0, 3.0]])


def test_a_tape_frees_its_graph_unless_persistent():
    w = K.Variable([1.0, 2.0])
    with K.GradientTape() as tape:
        loss = K.sum(K.square(w))
    tape.gradient(loss, [w])
    live = w.value
    w.assign_sub([0.1, 0.1])  # the used tape freed the graph: in place
    assert w.value is live

    with K.GradientTape(persistent=True) as tape:
        loss = K.sum(K.square(w))
    np.testing.assert_allclose(tape.gradient(loss, [w])[0], [1.8, 3.8])
    w.assign([0.0, 0.0])  # a persistent tape may be asked again: copy on write
    np.testing.assert_allclose(tape.gradient(loss, [w])[0], [1.8, 3.8])


def test_nested_tapes_share_the_graph():
    x = K.Variable(3.0)
    with K.GradientTape() as outer:
        with K.GradientTape() as inner:
            y = K.square(x)
        dy = inner.gradient(y, x)  # inside `outer`: the graph is kept for it
        z = y * 2.0
    assert float(dy) == 6.0
    assert float(outer.gradient(z, x)) == 12.0


def test_variable_copies_have_no_readers():
    w = K.Variable([1.0, 2.0], name="w")
    y = K.square(w)  # w now has a reader
    for twin in (copy.deepcopy(w), pickle.loads(pickle.dumps(w))):
        np.testing.assert_array_equal(twin.numpy(), [1.0, 2.0])
        live = twin.value
        twin.assign_add([1.0, 1.0])
        assert twin.value is live  # nobody reads the copy: in place
    assert y.requires_grad


def test_eval_and_get_value_are_snapshots():
    v = K.Variable([1.0, 2.0])
    seen = K.get_value(v), K.eval(v)
    v.assign([3.0, 4.0])
    for array in seen:
        np.testing.assert_array_equal(array, [1.0, 2.0])


def test_variable_assign_add_and_sub():
    v = K.Variable([1.0, 2.0])
    assert v.assign_add([0.5, 0.5]) is v
    np.testing.assert_allclose(v.numpy(), [1.5, 2.5])
    v.assign_sub(np.array([1.0, 1.0]))
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5])
    assert v.dtype == np.float32


def test_variable_assign_wrong_shape_names_the_variable():
    v = K.Variable(np.zeros((2, 3)), path="dense/kernel")
    with pytest.raises(ValueError, match=r"shape \(3, 2\) to variable 'dense/kernel' of shape"):
        v.assign(np.zeros((3, 2)))
    with pytest.raises(ValueError):
        v.assign_add(np.zeros(4))


def test_variable_repr():
    v = K.Variable([1.0, 2.0], name="bias", path="dense/bias")
    assert repr(v) == "<Variable path=dense/bias, shape=(2,), dtype=float32, value=[1., 2.]>"


def test_values_are_captured_at_forward_time():
    w = K.Variable([2.0, 3.0])
    x = K.Variable([5.0, 7.0])
    y = K.sum(w * x)
    w.assign([100.0, 100.0])  # an optimizer step between forward and backward ...
    g_w, g_x = grad_of(y, w, x)
    np.testing.assert_allclose(g_x, [2.0, 3.0])  # ... does not change the recorded values
    np.testing.assert_allclose(g_w, [5.0, 7.0])
    assert float(y) == 31.0


# --- the Tensor protocol ---------------------------------------------------------------
def test_tensor_numpy_interop():
    t = K.constant([[1.0, 2.0], [3.0, 4.0]])
    assert np.asarray(t) is t.data  # no copy
    as64 = np.array(t, dtype=np.float64)
    assert as64.dtype == np.float64
    np.testing.assert_array_equal(as64, t.data)
    assert np.array(t, copy=True) is not t.data
    assert t.shape == (2, 2) and t.ndim == 2 and t.size == 4 and t.dtype == np.float32
    assert t.numpy() is t.data


def test_scalar_results_are_arrays():
    """NumPy gives scalars for ufuncs on 0-d arrays; a tensor's data stays an ndarray."""
    total = K.constant(1.0) + K.constant(2.0)
    assert isinstance(total.data, np.ndarray) and total.shape == ()
    assert np.asarray(total) == 3.0
    assert isinstance(K.exp(K.constant(0.0)).numpy(), np.ndarray)


def test_tensor_python_scalars_and_format():
    t = K.constant(math.pi)
    assert float(t) == pytest.approx(math.pi, rel=1e-6)
    assert int(K.constant(3.7)) == 3
    assert bool(K.constant(1.0)) and not bool(K.constant(0.0))
    assert f"{t:.3f}" == "3.142"
    assert t.item() == pytest.approx(math.pi, rel=1e-6)
    vector = K.constant([1.0, 2.0])
    assert f"{vector}" == str(vector)


def test_tensor_len_and_iteration():
    x = K.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3 and rows[1].shape == (2,)
    np.testing.assert_array_equal(rows[2].numpy(), [5.0, 6.0])
    (g,) = grad_of(rows[0] * rows[2], x)  # rows are differentiable slices
    np.testing.assert_array_equal(g, [[5.0, 6.0], [0.0, 0.0], [1.0, 2.0]])
    with pytest.raises(TypeError, match="0-d tensor"):
        len(K.constant(1.0))


def test_tensor_repr():
    assert repr(K.constant([1.0, 2.0])) == ("<Tensor shape=(2,), dtype=float32, value=[1., 2.]>")
    assert "requires_grad=True" in repr(K.Variable([1.0]) * 2.0)


def test_tensor_equality_is_identity_so_tensors_can_be_keys():
    a, b = K.constant([1.0]), K.constant([1.0])
    assert a == a and a != b
    assert len({a, b}) == 2


SCALAR_OPERATIONS = {
    "t + 1": lambda t: t + 1,
    "1 + t": lambda t: 1 + t,
    "t - 0.5": lambda t: t - 0.5,
    "2.0 - t": lambda t: 2.0 - t,
    "t * 0.1": lambda t: t * 0.1,
    "3 * t": lambda t: 3 * t,
    "t / 3": lambda t: t / 3,
    "3.0 / t": lambda t: 3.0 / t,
    "t ** 2": lambda t: t**2,
    "2.0 ** t": lambda t: 2.0**t,
    "-t": lambda t: -t,
    "abs(t)": lambda t: abs(t),
    "t * np.float64(2)": lambda t: t * np.float64(2.0),
    "K.maximum(t, 0.0)": lambda t: K.maximum(t, 0.0),
    "K.where(t > 1, t, 0.0)": lambda t: K.where(t > 1, t, 0.0),
}


@pytest.mark.parametrize("expression", list(SCALAR_OPERATIONS))
def test_python_scalars_do_not_upcast(expression):
    for dtype in ("float32", "float64"):
        t = K.constant([1.0, 2.0], dtype=dtype)
        assert SCALAR_OPERATIONS[expression](t).dtype == np.dtype(dtype)


def test_integer_tensor_plus_python_int_stays_integer():
    labels = K.argmax(K.constant([[0.1, 0.9], [0.8, 0.2]]))
    shifted = labels + 1
    assert shifted.dtype.kind == "i"
    np.testing.assert_array_equal(shifted.numpy(), [2, 1])


def test_operators_compute_the_right_values():
    a, b = K.constant([[1.0, 2.0], [3.0, 4.0]]), K.constant([[2.0, 0.5], [1.0, 2.0]])
    np.testing.assert_allclose((a @ b).numpy(), a.numpy() @ b.numpy())
    np.testing.assert_allclose((a - b).numpy(), a.numpy() - b.numpy())
    np.testing.assert_allclose((a / b).numpy(), a.numpy() / b.numpy())
    np.testing.assert_array_equal((a > b).numpy(), a.numpy() > b.numpy())
    np.testing.assert_array_equal((a <= b).numpy(), a.numpy() <= b.numpy())


NDARRAY_ON_THE_LEFT = {
    "+": (lambda n, t: n + t, lambda n, v: n + v),
    "-": (lambda n, t: n - t, lambda n, v: n - v),
    "*": (lambda n, t: n * t, lambda n, v: n * v),
    "/": (lambda n, t: n / t, lambda n, v: n / v),
    "@": (lambda n, t: n @ t, lambda n, v: n @ v),
    "**": (lambda n, t: n**t, lambda n, v: n**v),
    ">": (lambda n, t: n > t, lambda n, v: n > v),
}


@pytest.mark.parametrize("op", list(NDARRAY_ON_THE_LEFT))
def test_ndarray_op_tensor_dispatches_to_the_tensor(op):
    tensor_form, numpy_form = NDARRAY_ON_THE_LEFT[op]
    n = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    v = K.Variable([[0.5, 1.5], [2.5, 1.0]])
    out = tensor_form(n, v)
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.numpy(), numpy_form(n, v.numpy()), rtol=1e-6)
    if op != ">":
        assert out.requires_grad and out.dtype == np.float32


# --- Keras 2 helpers in K -----------------------------------------------------------------
def test_keras2_helpers():
    c = K.constant(2.0, shape=(2, 3))
    assert c.dtype == np.float32 and c.shape == (2, 3) and K.is_tensor(c)
    assert not K.is_tensor(np.ones(2))
    v = K.variable([[1.0, 2.0]], name="w")
    assert isinstance(v, K.Variable) and v.name == "w" and v.dtype == np.float32
    np.testing.assert_array_equal(K.eval(v), [[1.0, 2.0]])
    K.set_value(v, [[3.0, 4.0]])
    np.testing.assert_array_equal(K.get_value(v), [[3.0, 4.0]])
    assert K.int_shape(v) == (1, 2) and K.int_shape(np.ones((3,))) == (3,)
    assert K.ndim(c) == 2 and K.dtype(c) == "float32" and K.count_params(c) == 6
    assert K.backend() == "numpy"
    assert K.pow is K.power  # (K.dot, K.gather, K.permute_dimensions: Keras 2's own, in keras2_ops)


# --- config ------------------------------------------------------------------------------
def test_floatx_setter_changes_new_values():
    assert K.floatx() == "float32"
    K.set_floatx("float64")
    assert K.floatx() == "float64"
    assert K.constant(1.0).dtype == np.float64
    assert K.as_array(0.5).dtype == np.float64
    assert K.Variable(np.zeros(2, np.float32)).dtype == np.float64


def test_floatx_rejects_unknown_types():
    with pytest.raises(ValueError, match="Unknown floatx type: 'float8'"):
        K.set_floatx("float8")
    assert K.floatx() == "float32"


def test_epsilon_setter():
    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    assert K.epsilon() == 1e-5


def test_image_data_format_setter():
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("CHANNELS_FIRST")
    assert K.image_data_format() == "channels_first"
    assert K.standardize_data_format(None) == "channels_first"
    assert K.standardize_data_format("Channels_Last") == "channels_last"
    with pytest.raises(ValueError, match="Unknown data_format: 'nhwc'"):
        K.set_image_data_format("nhwc")
    with pytest.raises(ValueError, match="Unknown data_format"):
        K.standardize_data_format("nchw")
    assert config.image_data_format() == "channels_first"


# --- naming ------------------------------------------------------------------------------
def test_unique_name_counts_like_keras():
    assert [naming.unique_name("dense") for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert naming.unique_name("conv2d") == "conv2d"  # counted separately per prefix
    naming.reset_uids()
    assert naming.unique_name("dense") == "dense"


def test_get_uid_and_clear_session():
    assert K.get_uid("x") == 1 and K.get_uid("x") == 2
    K.clear_session()
    assert K.get_uid("x") == 1


@pytest.mark.parametrize(
    ("class_name", "snake"),
    [
        ("Dense", "dense"),
        ("BatchNormalization", "batch_normalization"),
        ("Conv2D", "conv2d"),
        ("Conv2DTranspose", "conv2d_transpose"),
        ("GlobalAveragePooling2D", "global_average_pooling2d"),
        ("LeakyReLU", "leaky_re_lu"),
        ("PReLU", "p_re_lu"),
        ("LSTMCell", "lstm_cell"),
        ("SimpleRNN", "simple_rnn"),
        ("SGD", "sgd"),
        ("RMSprop", "rm_sprop"),
        ("MeanIoU", "mean_io_u"),
        ("CategoricalCrossentropy", "categorical_crossentropy"),
        ("My-Layer.v2", "my_layerv2"),
        ("already_snake", "already_snake"),
    ],
)
def test_to_snake_case_follows_keras(class_name, snake):
    # expected values are what keras.src.utils.naming.to_snake_case returns
    assert naming.to_snake_case(class_name) == snake


# --- random ------------------------------------------------------------------------------
def test_set_seed_makes_draws_repeat():
    random.set_seed(7)
    first = random.make_generator().random(4)
    random.set_seed(7)
    np.testing.assert_array_equal(random.make_generator().random(4), first)
    assert random.make_generator() is random.global_generator()


def test_an_int_seed_is_private_and_repeatable():
    random.set_seed(1)
    a = random.make_generator(5).random(3)
    random.global_generator().random(10)  # the global state moves on ...
    np.testing.assert_array_equal(random.make_generator(5).random(3), a)  # ... seed 5 does not
    own = np.random.default_rng(0)
    assert random.make_generator(own) is own


def test_unseeded_dropout_repeats_after_set_seed():
    x = np.ones((4, 5), dtype=np.float32)
    random.set_seed(3)
    first = K.dropout(x, 0.5).numpy()
    random.set_seed(3)
    np.testing.assert_array_equal(K.dropout(x, 0.5).numpy(), first)
    assert set(np.unique(first)) <= {0.0, 2.0}


def test_retain_graph_false_frees_the_graph_once_used():
    x = K.Variable([1.0, 2.0])
    loss = K.sum(K.exp(x) * x)
    (first,) = K.gradients(loss, [x], retain_graph=False)
    np.testing.assert_allclose(first, np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0])), rtol=1e-6)
    with pytest.raises(RuntimeError, match="retain_graph"):
        K.gradients(loss, [x])


def test_intermediate_values_are_not_kept_by_the_graph():
    import gc
    import weakref

    x = K.Variable(np.ones((4, 4)))
    hidden = x + 1.0  # its value is not needed by any VJP below (exp keeps its own output)
    ref = weakref.ref(hidden.data)
    loss = K.sum(K.exp(hidden))
    del hidden
    gc.collect()
    assert ref() is None  # freed: the graph keeps nodes, not values
    np.testing.assert_allclose(K.gradients(loss, [x])[0], np.exp(2.0) * np.ones((4, 4)), rtol=1e-6)
