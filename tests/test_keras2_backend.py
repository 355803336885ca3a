"""Keras 2's `K` functions: names, signatures and results (values; gradients are checked in
test_backend_gradients, graph mode in test_symbolic, Keras 3 parity in tests/parity)."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import backend as K
from teachkeras.legacy.backend.symbolic import SymbolicTensor
from tests.helpers.data import rand

# The issue's list (Keras 2's K), family by family.
ISSUE_LIST = """
placeholder variable constant eye zeros ones zeros_like ones_like identity random_uniform_variable
random_normal_variable random_uniform random_normal truncated_normal eval get_value batch_get_value
set_value batch_set_value
backend epsilon set_epsilon floatx set_floatx image_data_format set_image_data_format clear_session
learning_phase set_learning_phase is_keras_tensor is_placeholder is_tensor ndim dtype int_shape shape
count_params cast
update update_add update_sub moving_average_update
dot batch_dot transpose gather max min sum prod mean var std any all cumsum cumprod argmax argmin
square sqrt abs exp log round sign pow clip equal not_equal greater greater_equal less less_equal
maximum minimum sin cos
concatenate reshape permute_dimensions resize_images flatten batch_flatten expand_dims squeeze
spatial_2d_padding stack one_hot slice tile repeat_elements
relu elu softmax softplus softsign sigmoid hard_sigmoid tanh categorical_crossentropy
sparse_categorical_crossentropy binary_crossentropy dropout l2_normalize in_top_k
batch_normalization normalize_batch_in_training conv2d pool2d bias_add
gradients function stop_gradient
""".split()


def test_every_function_of_the_issue_list_is_in_k():
    missing = [name for name in ISSUE_LIST if not callable(getattr(K, name, None))]
    assert not missing


def test_every_op_of_the_list_accepts_a_placeholder():
    """The one dispatch point covers the whole list (none of them forgot it)."""
    graph_aware = {"placeholder", "gradients", "function", "eval", "get_value", "clear_session"}
    graph_aware |= {"backend", "epsilon", "set_epsilon", "floatx", "set_floatx", "variable"}
    graph_aware |= {"image_data_format", "set_image_data_format", "learning_phase"}
    graph_aware |= {"set_learning_phase", "batch_get_value", "batch_set_value"}
    for name in ISSUE_LIST:
        fn = getattr(K, name)
        if name in graph_aware or getattr(fn, "_handles_symbolic", False):
            continue
        assert hasattr(fn, "__wrapped__"), f"K.{name} is not wrapped by symbolic_op"


# --- creation ---------------------------------------------------------------------------------
def test_variable_defaults_to_floatx_as_in_keras2():
    v = K.variable(np.array([[1, 2], [3, 4]]), name="w")
    assert isinstance(v, K.Variable) and v.dtype == np.float32 and v.name == "w"
    assert K.variable([1, 2], dtype="int64").dtype == np.int64
    c = K.constant(2, shape=(2, 3))
    assert not isinstance(c, K.Variable) and c.dtype == np.float32 and c.shape == (2, 3)


def test_eye_zeros_ones_are_variables():
    e = K.eye(3)
    assert isinstance(e, K.Variable) and e.dtype == np.float32
    np.testing.assert_array_equal(K.eval(e), np.eye(3))
    np.testing.assert_array_equal(K.eval(K.eye((2, 3), dtype="float64")), np.eye(2, 3))
    z, o = K.zeros((2, 3), name="z"), K.ones(4, dtype="int32")
    assert isinstance(z, K.Variable) and z.name == "z" and z.shape == (2, 3)
    np.testing.assert_array_equal(K.eval(z), 0)
    assert o.dtype == np.int32 and o.shape == (4,)
    np.testing.assert_array_equal(K.eval(o), 1)


def test_zeros_like_ones_like_keep_shape_and_type():
    x = K.variable(rand(2, 3))
    z, o = K.zeros_like(x), K.ones_like(np.arange(4), dtype="float32")
    assert not isinstance(z, K.Variable) and z.shape == (2, 3) and z.dtype == np.float32
    np.testing.assert_array_equal(K.eval(z), 0)
    assert o.dtype == np.float32 and o.shape == (4,)
    np.testing.assert_array_equal(K.eval(o), 1)
    assert K.zeros_like(np.arange(3)).dtype == np.arange(3).dtype


def test_identity_copies_values_and_passes_gradients():
    v = K.variable([1.0, 2.0])
    y = K.identity(v)
    assert not isinstance(y, K.Variable)
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(K.eval(y), [1.0, 2.0])  # a snapshot, not an alias
    w = K.variable([3.0])
    np.testing.assert_array_equal(K.gradients(K.sum(K.identity(w) * 2), [w])[0], [2.0])


def test_random_variables_have_the_right_range_statistics_and_seeds():
    u = K.random_uniform_variable((200, 50), low=-1.0, high=3.0, seed=1, name="u")
    assert isinstance(u, K.Variable) and u.name == "u" and u.dtype == np.float32
    values = K.eval(u)
    assert values.min() >= -1 and values.max() < 3 and abs(values.mean() - 1.0) < 0.05
    n = K.eval(K.random_normal_variable((200, 50), mean=2.0, scale=0.5, seed=1))
    assert abs(n.mean() - 2.0) < 0.02 and abs(n.std() - 0.5) < 0.02
    again = K.eval(K.random_uniform_variable((200, 50), -1.0, 3.0, seed=1))
    np.testing.assert_array_equal(values, again)


def test_random_tensors_and_the_global_seed():
    r = K.random_uniform((1000,), minval=2.0, maxval=4.0)
    assert not isinstance(r, K.Variable) and r.dtype == np.float32
    assert 2 <= K.eval(r).min() and K.eval(r).max() < 4
    n = K.eval(K.random_normal((100, 100), mean=-1.0, stddev=2.0, dtype="float64"))
    assert n.dtype == np.float64 and abs(n.mean() + 1) < 0.1 and abs(n.std() - 2) < 0.05
    t = K.eval(K.truncated_normal((100, 100), mean=1.0, stddev=0.5, seed=3))
    assert np.all(np.abs(t - 1.0) < 1.0)  # within 2 standard deviations
    assert 0.4 < t.std() < 0.45  # a normal truncated at 2σ has std 0.88σ
    keras.utils.set_random_seed(11)
    first = K.eval(K.random_normal((5,)))
    keras.utils.set_random_seed(11)
    np.testing.assert_array_equal(first, K.eval(K.random_normal((5,))))


# --- values in and out ---------------------------------------------------------------------------
def test_get_value_set_value_and_their_batch_forms():
    a, b = K.variable([1.0, 2.0]), K.variable([[3.0]])
    K.batch_set_value([(a, [5, 6]), (b, np.array([[7.0]]))])
    assert [v.tolist() for v in K.batch_get_value([a, b])] == [[5.0, 6.0], [[7.0]]]
    K.set_value(a, [0.5, 0.25])
    np.testing.assert_array_equal(K.get_value(a), [0.5, 0.25])
    assert K.batch_get_value([a])[0].dtype == np.float32
    with pytest.raises(TypeError, match="changes a variable"):
        K.set_value(K.constant(1.0), 2.0)
    np.testing.assert_array_equal(K.eval(K.constant([1.0])), [1.0])


def test_updates_change_variables_and_return_them():
    v = K.variable([1.0, 2.0])
    assert K.update(v, [3.0, 4.0]) is v
    np.testing.assert_array_equal(K.eval(v), [3.0, 4.0])
    K.update_add(v, [1.0, 1.0])
    np.testing.assert_array_equal(K.eval(v), [4.0, 5.0])
    K.update_sub(v, K.constant([0.5, 0.5]))
    np.testing.assert_array_equal(K.eval(v), [3.5, 4.5])
    m = K.variable([10.0, 0.0])
    K.moving_average_update(m, [0.0, 10.0], 0.9)  # 0.9 m + 0.1 value
    np.testing.assert_allclose(K.eval(m), [9.0, 1.0], rtol=1e-6)
    with pytest.raises(TypeError, match=r"K\.update_add changes a variable"):
        K.update_add(K.constant([1.0]), 1.0)


# --- asking about tensors -------------------------------------------------------------------------
def test_predicates():
    x = keras.Input((3,))
    y = keras.layers.Dense(2)(x)
    assert K.is_keras_tensor(x) and K.is_keras_tensor(y)
    assert not K.is_keras_tensor(K.constant(1.0)) and not K.is_keras_tensor(K.variable(1.0))
    assert not K.is_keras_tensor(K.placeholder(shape=(2,)))
    with pytest.raises(ValueError, match="Expected a symbolic tensor"):
        K.is_keras_tensor(np.ones(3))
    assert K.is_placeholder(x) and not K.is_placeholder(y)
    assert K.is_placeholder(K.placeholder(ndim=2)) and not K.is_placeholder(K.constant(1.0))
    assert K.is_tensor(K.constant(1.0)) and K.is_tensor(x) and not K.is_tensor(np.ones(2))


def test_shape_int_shape_ndim_dtype_count_params_cast_to_floatx():
    x = K.variable(np.zeros((2, 3, 4)))
    s = K.shape(x)
    assert isinstance(s, K.Tensor) and s.dtype == np.int32
    np.testing.assert_array_equal(K.eval(s), [2, 3, 4])
    assert K.int_shape(x) == (2, 3, 4) and K.ndim(x) == 3 and K.dtype(x) == "float32"
    assert K.int_shape(keras.Input((5,))) == (None, 5) and K.dtype(np.arange(2)) == "int64"
    assert K.count_params(x) == 24
    c = K.cast_to_floatx([1, 2])
    assert isinstance(c, np.ndarray) and c.dtype == np.float32


def test_backend_name_and_clear_session():
    assert K.backend() == "numpy"
    keras.layers.Dense(2)
    K.set_learning_phase(1)
    K.clear_session()
    assert keras.layers.Dense(2).name == "dense"
    assert isinstance(K.learning_phase(), SymbolicTensor)


# --- math and shapes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x_shape, y_shape",
    [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3, 4), (4, 5)), ((2, 3), (4, 3, 5))],
)
def test_dot_is_numpys_dot(x_shape, y_shape):
    x, y = rand(*x_shape, seed=1), rand(*y_shape, seed=2)
    np.testing.assert_allclose(K.eval(K.dot(x, y)), np.dot(x, y), rtol=1e-5)


def test_dot_of_two_stacks_is_not_matmul():
    x, y = rand(2, 3, 4), rand(2, 4, 5)
    out = K.eval(K.dot(x, y))
    assert out.shape == (2, 3, 2, 5)
    np.testing.assert_allclose(out, np.dot(x, y), rtol=1e-5)
    with pytest.raises(ValueError, match="different lengths"):
        K.dot(rand(2, 3), rand(4, 2))


@pytest.mark.parametrize(
    "x_shape, y_shape, axes, spec",
    [
        ((4, 3), (4, 3), None, "bi,bi->b"),
        ((4, 3), (4, 3), 1, "bi,bi->b"),
        ((2, 3, 4), (2, 4, 5), None, "bij,bjk->bik"),
        ((2, 3, 4), (2, 5, 3), (1, 2), "bji,bkj->bik"),
        ((2, 3), (2, 4, 3), (1, 2), "bj,bkj->bk"),
        ((2, 3, 4), (2, 4), (2, 1), "bij,bj->bi"),
        ((2, 3, 4, 2), (2, 2, 5), (3, 1), "bijk,bkl->bijl"),
        ((32, 20, 1), (32, 30, 20), (1, 2), "bij,bki->bjk"),
    ],
)
def test_batch_dot_is_one_dot_per_sample(x_shape, y_shape, axes, spec):
    x, y = rand(*x_shape, seed=1), rand(*y_shape, seed=2)
    out = K.eval(K.batch_dot(x, y, axes=axes))
    expected = np.einsum(spec, x, y)
    if expected.ndim == 1:
        expected = expected[:, None]  # two matrices give (batch, 1), as in Keras 2
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_batch_dot_errors():
    with pytest.raises(ValueError, match="rank < 2"):
        K.batch_dot(rand(3), rand(3, 2))
    with pytest.raises(ValueError, match="different batch sizes"):
        K.batch_dot(rand(2, 3), rand(3, 3))
    with pytest.raises(ValueError, match="axis 0"):
        K.batch_dot(rand(2, 3), rand(2, 3), axes=(0, 1))
    with pytest.raises(ValueError, match="different lengths"):
        K.batch_dot(rand(2, 3), rand(2, 4))


def test_gather_takes_rows():
    x = rand(5, 3)
    np.testing.assert_array_equal(K.eval(K.gather(x, [4, 0, 4])), x[[4, 0, 4]])
    np.testing.assert_array_equal(K.eval(K.gather(x, np.array([[1], [2]]))), x[[[1], [2]]])


def test_cumprod_matches_numpy_including_zeros():
    x = np.array([[1.5, 0.0, 2.0, -1.0], [0.5, 2.0, 3.0, 0.5]], dtype="float32")
    for axis in (0, 1, -1):
        np.testing.assert_allclose(K.eval(K.cumprod(x, axis=axis)), np.cumprod(x, axis=axis))
    assert K.cumprod(x).dtype == np.float32


def test_mean_of_booleans_is_a_float32_fraction():
    out = K.mean(K.equal(K.constant([1.0, 2.0, 3.0, 4.0]), K.constant([1.0, 0.0, 3.0, 0.0])))
    assert out.dtype == np.float32 and out.item() == 0.5
    np.testing.assert_allclose(K.eval(K.mean(rand(3, 4), axis=1)), rand(3, 4).mean(1), rtol=1e-6)


def test_permute_expand_tile_repeat_elements():
    x = rand(2, 3, 4)
    assert K.permute_dimensions(x, (2, 0, 1)).shape == (4, 2, 3)
    np.testing.assert_array_equal(K.eval(K.permute_dimensions(x, (2, 0, 1))), x.transpose(2, 0, 1))
    assert K.expand_dims(x).shape == (2, 3, 4, 1) and K.expand_dims(x, 0).shape == (1, 2, 3, 4)
    np.testing.assert_array_equal(K.eval(K.tile(x[0], 2)), np.tile(x[0], 2))
    np.testing.assert_array_equal(K.eval(K.tile(x, (1, 2, 1))), np.tile(x, (1, 2, 1)))
    np.testing.assert_array_equal(K.eval(K.repeat_elements(x, 2, axis=1)), np.repeat(x, 2, 1))


def test_slice_takes_a_block():
    x = rand(3, 4, 5)
    np.testing.assert_array_equal(K.eval(K.slice(x, (1, 0, 2), (2, -1, 2))), x[1:3, :, 2:4])
    with pytest.raises(ValueError, match="reach outside"):
        K.slice(x, (2, 0, 0), (2, 1, 1))
    with pytest.raises(ValueError, match="one start and one size per axis"):
        K.slice(x, (0, 0), (1, 1))


def test_spatial_2d_padding_in_both_layouts():
    x = rand(1, 2, 3, 2)
    out = K.eval(K.spatial_2d_padding(x, ((1, 2), (0, 1))))
    np.testing.assert_array_equal(out, np.pad(x, [(0, 0), (1, 2), (0, 1), (0, 0)]))
    out = K.eval(K.spatial_2d_padding(x, data_format="channels_first"))
    np.testing.assert_array_equal(out, np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)]))
    with pytest.raises(ValueError, match="2 tuples of 2 integers"):
        K.spatial_2d_padding(x, (1, 1))


def test_resize_images_nearest_repeats_pixels():
    x = rand(2, 3, 4, 5)
    out = K.eval(K.resize_images(x, 2, 3, "channels_last"))
    np.testing.assert_array_equal(out, np.repeat(np.repeat(x, 2, 1), 3, 2))
    out = K.eval(K.resize_images(x, 2, 3, "channels_first"))
    np.testing.assert_array_equal(out, np.repeat(np.repeat(x, 2, 2), 3, 3))
    with pytest.raises(ValueError, match="'nearest' or 'bilinear'"):
        K.resize_images(x, 2, 2, "channels_last", interpolation="bicubic")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_resize_images_bilinear_agrees_with_upsampling2d(data_format):
    x = rand(2, 3, 4, 5)
    layer = keras.layers.UpSampling2D((2, 3), data_format=data_format, interpolation="bilinear")
    out = K.eval(K.resize_images(x, 2, 3, data_format, interpolation="bilinear"))
    np.testing.assert_allclose(out, K.eval(layer(x)), rtol=1e-5, atol=1e-6)


def test_resize_images_bilinear_by_hand():
    x = np.array([[0.0, 4.0]], dtype="float32").reshape(1, 1, 2, 1)
    out = K.eval(K.resize_images(x, 1, 2, "channels_last", interpolation="bilinear"))
    np.testing.assert_allclose(out.ravel(), [0.0, 1.0, 3.0, 4.0])  # half-pixel centres


# --- nn -----------------------------------------------------------------------------------------------
def test_relu_with_keras2_options():
    x = np.array([-10.0, -5.0, 0.0, 0.5, 5.0, 10.0], dtype="float32")
    np.testing.assert_array_equal(K.eval(K.relu(x)), np.maximum(x, 0))
    np.testing.assert_allclose(K.eval(K.relu(x, alpha=0.5)), np.where(x > 0, x, 0.5 * x))
    np.testing.assert_array_equal(K.eval(K.relu(x, max_value=5.0)), [0, 0, 0, 0.5, 5, 5])
    np.testing.assert_array_equal(K.eval(K.relu(x, threshold=5.0)), [0, 0, 0, 0, 0, 10])
    np.testing.assert_allclose(
        K.eval(K.relu(x, alpha=0.1, max_value=6.0, threshold=1.0)),
        [-1.1, -0.6, -0.1, -0.05, 5.0, 6.0],
        rtol=1e-6,
    )


def test_softsign_and_keras2_hard_sigmoid():
    x = np.array([-4.0, -1.0, 0.0, 2.0, 3.0], dtype="float32")
    np.testing.assert_allclose(K.eval(K.softsign(x)), x / (1 + np.abs(x)), rtol=1e-6)
    np.testing.assert_allclose(K.eval(K.hard_sigmoid(x)), [0.0, 0.3, 0.5, 0.9, 1.0], rtol=1e-6)


def test_l2_normalize():
    x = rand(3, 4)
    out = K.eval(K.l2_normalize(x, axis=-1))
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(K.eval(K.l2_normalize(x)), x / np.linalg.norm(x), rtol=1e-6)
    np.testing.assert_array_equal(K.eval(K.l2_normalize(np.zeros((2, 3)), axis=1)), 0)


def test_in_top_k_counts_ties_for_the_target():
    predictions = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6]], dtype="float32")
    got = K.eval(K.in_top_k(predictions, [2, 0, 0], 1))
    np.testing.assert_array_equal(got, [False, False, False])
    np.testing.assert_array_equal(K.eval(K.in_top_k(predictions, [2, 0, 0], 2)), [True, True, True])
    np.testing.assert_array_equal(K.eval(K.in_top_k(predictions, [1, 2, 2], 1)), [True, True, True])
    with pytest.raises(ValueError, match=r"\(batch, classes\)"):
        K.in_top_k(predictions[0], [1], 1)


def test_bias_add_along_the_channel_axis():
    x, b = rand(2, 3, 4, 5), rand(5)
    np.testing.assert_allclose(K.eval(K.bias_add(x, b)), x + b)
    c = rand(3)
    out = K.eval(K.bias_add(x, c, data_format="channels_first"))
    np.testing.assert_allclose(out, x + c[None, :, None, None])
    per_position = rand(3, 4, 5)
    np.testing.assert_allclose(K.eval(K.bias_add(x, per_position)), x + per_position)
    # channels_first with a per-position bias: Keras reshapes it (4, 5, 3) -> (1, 3, 4, 5)
    np.testing.assert_allclose(
        K.eval(K.bias_add(x, rand(4, 5, 3), data_format="channels_first")),
        x + rand(4, 5, 3).reshape(1, 3, 4, 5),
    )
    with pytest.raises(ValueError, match="Unexpected bias dimensions"):
        K.bias_add(x, rand(4, 5))


def test_batch_normalization_takes_keras2_and_keras3_argument_orders():
    x, mean, var, beta, gamma = rand(4, 3), rand(3, seed=1), rand(3, seed=2) ** 2, rand(3), rand(3)
    expected = gamma * (x - mean) / np.sqrt(var + 1e-3) + beta
    keras2 = K.eval(K.batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3))
    keras3 = K.eval(K.batch_normalization(x, mean, var, -1, beta, gamma))
    keywords = K.eval(K.batch_normalization(x, mean, var, axis=-1, offset=beta, scale=gamma))
    for out in (keras2, keras3, keywords):
        np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        K.eval(K.batch_normalization(x, mean, var, None, None)),
        (x - mean) / np.sqrt(var + 1e-3),
        rtol=1e-5,
    )


def test_switch_with_scalar_and_row_conditions_and_lazy_branches():
    a, b = rand(3, 2, seed=1), rand(3, 2, seed=2)
    np.testing.assert_array_equal(K.eval(K.switch(True, a, b)), a)
    np.testing.assert_array_equal(K.eval(K.switch(K.constant(0.0), a, b)), b)
    rows = np.array([True, False, True])
    np.testing.assert_array_equal(K.eval(K.switch(rows, a, b)), np.where(rows[:, None], a, b))

    def never():
        raise AssertionError("the branch not chosen must not run")

    np.testing.assert_array_equal(K.eval(K.switch(False, never, lambda: a)), a)
    with pytest.raises(ValueError, match="rank"):
        K.switch(np.ones((3, 2, 1), dtype=bool), a, b)


def test_in_train_phase_and_in_test_phase_on_concrete_values():
    a, b = K.constant(1.0), K.constant(2.0)
    assert K.in_train_phase(a, b).item() == 2.0  # no learning phase set: test mode
    assert K.in_train_phase(a, b, training=True).item() == 1.0
    assert K.in_test_phase(a, b, training=0).item() == 1.0
    assert K.in_train_phase(lambda: a, lambda: b, training=1).item() == 1.0
    K.set_learning_phase(1)
    assert K.in_train_phase(a, b).item() == 1.0 and K.in_test_phase(a, b).item() == 2.0


def test_batch_normalization_takes_scalar_statistics():
    # Keras 2 tutorials write K.batch_normalization(x, 0, 1, beta, gamma): one mean and
    # variance for every channel.
    x = rand(4, 3)
    beta, gamma = rand(3), rand(3)
    out = K.eval(K.batch_normalization(K.constant(x), 0.0, 1.0, beta, gamma, axis=-1))
    np.testing.assert_allclose(out, gamma * x / np.sqrt(1.0 + 1e-3) + beta, rtol=1e-6)


def test_dropout_takes_keras2s_level():
    x = K.constant(np.ones((50, 40)))
    dropped = K.eval(K.dropout(x, level=0.25, seed=3))
    assert set(np.unique(dropped)) == {0.0, np.float32(1 / 0.75)}
    np.testing.assert_array_equal(dropped, K.eval(K.dropout(x, 0.25, seed=3)))  # positional too
    assert 0.2 < (dropped == 0).mean() < 0.3
