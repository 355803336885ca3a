"""Masks (Keras 3's rules): where they start, how they travel, who uses them, who drops them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import layers, ops
from teachkeras.layers import Layer

IDS = np.array([[1, 2, 0, 0], [3, 4, 5, 0], [6, 0, 0, 0]])
KEEP = IDS != 0


def mask_of(x):
    mask = getattr(x, "_keras_mask", None)
    return None if mask is None else np.asarray(mask)


class Keeps(Layer):
    """A layer that passes the mask on (no warning)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True


class Records(Layer):
    """Keeps the `mask` its call received; supports masking (so the mask passes on)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seen = "not called"

    def call(self, inputs, mask=None):
        self.seen = None if mask is None else np.asarray(mask)
        return inputs + 0.0  # a new tensor: its mask is the one compute_mask gives


# --- where masks start, and the shapes they have ----------------------------------------------
def test_embedding_with_mask_zero_writes_the_mask_on_its_output():
    out = layers.Embedding(10, 3, mask_zero=True)(IDS)
    np.testing.assert_array_equal(mask_of(out), KEEP)
    assert mask_of(layers.Embedding(10, 3)(IDS)) is None


def test_a_symbolic_mask_is_a_bool_keras_tensor_with_the_steps_shape():
    x = keras.Input((None,), dtype="int32")
    h = layers.Embedding(10, 3, mask_zero=True)(x)
    assert isinstance(h._keras_mask, layers.KerasTensor)
    assert h._keras_mask.shape == (None, None) and h._keras_mask.dtype == "bool"
    fixed = layers.Embedding(10, 3, mask_zero=True)(keras.Input((7,)))
    assert fixed._keras_mask.shape == (None, 7)
    # the default compute_mask hands the same mask on
    assert layers.Dense(2)(h)._keras_mask is h._keras_mask


def test_masking_marks_steps_whose_features_all_equal_the_mask_value():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]], [[-1.0, -1.0], [5.0, 5.0], [-1.0, -1.0]]])
    out = layers.Masking()(x)
    np.testing.assert_array_equal(mask_of(out), [[True, False, True], [True, True, True]])
    out = layers.Masking(mask_value=-1.0)(x)
    np.testing.assert_array_equal(mask_of(out), [[True, True, True], [False, True, False]])
    np.testing.assert_array_equal(out.numpy()[1, 0], [0.0, 0.0])  # a padded step becomes 0
    symbolic = layers.Masking()(keras.Input((5, 2)))
    assert symbolic._keras_mask.shape == (None, 5)


# --- how they travel ------------------------------------------------------------------------
def test_call_receives_the_mask_of_its_input_and_passes_it_on():
    record = Records()
    out = record(layers.Embedding(10, 3, mask_zero=True)(IDS))
    np.testing.assert_array_equal(record.seen, KEEP)
    np.testing.assert_array_equal(mask_of(out), KEEP)


def test_an_explicit_mask_is_used_as_given():
    record = Records()
    given = np.array([[True, False, True, False]] * 3)
    out = record(layers.Embedding(10, 3, mask_zero=True)(IDS), mask=given)
    np.testing.assert_array_equal(record.seen, given)
    np.testing.assert_array_equal(mask_of(out), given)


def test_with_two_tensor_arguments_keras_fills_no_mask_but_the_named_ones():
    class WithState(Keeps):
        def call(self, inputs, initial_state=None, mask=None):
            self.seen = mask
            return inputs

    class Attention(Keeps):
        def call(self, query, value, query_mask=None, value_mask=None):
            self.seen = (np.asarray(query_mask), value_mask)
            return query

    masked = layers.Embedding(10, 3, mask_zero=True)(IDS)
    layer = WithState()
    layer(masked)
    np.testing.assert_array_equal(np.asarray(layer.seen), KEEP)
    layer(masked, initial_state=np.zeros((3, 2), "float32"))  # two tensor arguments
    assert layer.seen is None
    attention = Attention()
    attention(masked, np.ones((3, 2, 3), "float32"))
    np.testing.assert_array_equal(attention.seen[0], KEEP)
    assert attention.seen[1] is None


@pytest.mark.parametrize(
    ("make", "keeps"),
    [
        (lambda: layers.Dense(2), True),
        (lambda: layers.Activation("relu"), True),
        (lambda: layers.ReLU(), True),
        (lambda: layers.LeakyReLU(), True),
        (lambda: layers.ELU(), True),
        (lambda: layers.Dropout(0.5), True),
        (lambda: layers.BatchNormalization(), True),
        (lambda: layers.TimeDistributed(layers.Dense(2)), True),
        (lambda: layers.GlobalAveragePooling1D(), False),  # consumes it
        (lambda: layers.Dot(axes=2), False),
    ],
    ids=lambda v: v if isinstance(v, bool) else "",
)
def test_layers_that_keep_the_steps_keep_the_mask(make, keeps):
    layer = make()
    assert layer.supports_masking
    x = layers.Embedding(10, 4, mask_zero=True)(IDS)
    out = layer([x, x]) if isinstance(layer, layers.Dot) else layer(x)
    assert (mask_of(out) is not None) == keeps
    if keeps:
        np.testing.assert_array_equal(mask_of(out), KEEP)


@pytest.mark.parametrize(
    "make",
    [
        layers.Flatten,
        lambda: layers.Conv1D(2, 1),
        layers.GlobalMaxPooling1D,
        lambda: layers.Reshape((4, 2, 2)),
        lambda: layers.MaxPooling1D(2),
    ],
)
def test_a_layer_without_masking_support_drops_the_mask_and_says_so(make):
    layer = make()
    assert not layer.supports_masking
    x = layers.Embedding(10, 4, mask_zero=True)(IDS)
    with pytest.warns(UserWarning, match=rf"Layer '{layer.name}'.*destroy the mask"):
        out = layer(x)
    assert mask_of(out) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no mask, no warning
        make()(layers.Embedding(10, 4)(IDS))


def test_supports_masking_follows_compute_mask_as_in_keras():
    class OwnMask(Layer):
        def compute_mask(self, inputs, previous_mask):
            return None

        def call(self, x):
            return x

    class Plain(Layer):
        def call(self, x):
            return x

    assert OwnMask().supports_masking and not Plain().supports_masking
    assert layers.Embedding(5, 2, mask_zero=True).supports_masking
    assert not layers.Embedding(5, 2).supports_masking


def test_the_mask_survives_the_input_cast():
    x = keras.ops.convert_to_tensor(np.ones((3, 4, 2), "float64"))
    x._keras_mask = ops.convert_to_tensor(KEEP)
    out = layers.Dense(1)(x)  # float64 data is cast to float32 first
    np.testing.assert_array_equal(mask_of(out), KEEP)


# --- merges ---------------------------------------------------------------------------------
def test_elementwise_merges_or_the_masks_and_drop_them_if_one_is_missing():
    a = layers.Embedding(10, 3, mask_zero=True)(IDS)
    b = layers.Embedding(10, 3, mask_zero=True)(np.roll(IDS, 1, axis=1))
    for merge in (layers.Add(), layers.Subtract(), layers.Multiply(), layers.Average()):
        np.testing.assert_array_equal(mask_of(merge([a, b])), KEEP | (np.roll(IDS, 1, 1) != 0))
    plain = layers.Embedding(10, 3)(IDS)
    assert mask_of(layers.Maximum()([a, plain])) is None


def test_concatenate_joins_the_masks_like_the_inputs():
    a = layers.Embedding(10, 3, mask_zero=True)(IDS)
    plain = layers.Embedding(10, 2)(IDS)
    # along the features: a step is kept where any input keeps it; no mask counts as all True
    np.testing.assert_array_equal(mask_of(layers.Concatenate()([a, plain])), np.ones((3, 4)))
    b = layers.Embedding(10, 3, mask_zero=True)(np.flip(IDS, axis=1))
    np.testing.assert_array_equal(
        mask_of(layers.Concatenate()([a, b])), KEEP | np.flip(KEEP, axis=1)
    )
    # along the steps: the masks follow one another
    np.testing.assert_array_equal(
        mask_of(layers.Concatenate(axis=1)([a, b])), np.concatenate([KEEP, np.flip(KEEP, 1)], 1)
    )
    symbolic = layers.Embedding(10, 3, mask_zero=True)(keras.Input((4,)))
    joined = layers.Concatenate(axis=1)([symbolic, symbolic])
    assert joined._keras_mask.shape == (None, 8)


# --- who uses them --------------------------------------------------------------------------
def test_global_average_pooling_averages_the_real_steps_only():
    x = layers.Embedding(10, 3, mask_zero=True)(IDS)
    pooled = layers.GlobalAveragePooling1D()(x).numpy()
    values = x.numpy()
    expected = [values[n][KEEP[n]].mean(axis=0) for n in range(3)]
    np.testing.assert_allclose(pooled, expected, rtol=1e-6)


def test_time_distributed_folds_the_mask_for_a_layer_that_takes_one():
    inner = Records()
    wrapper = layers.TimeDistributed(inner)
    out = wrapper(layers.Embedding(10, 3, mask_zero=True)(IDS))
    np.testing.assert_array_equal(inner.seen, KEEP.reshape(-1))  # (batch·steps,)
    np.testing.assert_array_equal(mask_of(out), KEEP)
    with pytest.raises(ValueError, match=r"mask.*\(3, 2\).*\(batch, steps\) = \(3, 4\)"):
        wrapper(np.ones((3, 4, 3), "float32"), mask=np.ones((3, 2), bool))


def test_softmax_zeroes_masked_entries_and_refuses_a_mask_that_does_not_fit():
    scores = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    keys = np.array([[[True, True, False, False]], [[True, False, False, False]]])  # (2, 1, 4)
    out = layers.Softmax()(scores, mask=keys).numpy()
    assert np.all(out[~np.broadcast_to(keys, out.shape)] == 0)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match=r"softmax.*inputs.shape=\(3, 4, 4\), mask.shape=\(3, 4\)"):
        layers.Softmax()(layers.Embedding(10, 4, mask_zero=True)(IDS))


def test_an_op_on_a_symbolic_tensor_drops_the_mask_silently():
    x = layers.Embedding(10, 3, mask_zero=True)(keras.Input((4,)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doubled = x * 2
    assert getattr(doubled, "_keras_mask", None) is None


# --- models ---------------------------------------------------------------------------------
def masked_model():
    x = keras.Input((4,), dtype="int32")
    h = layers.Embedding(10, 3, mask_zero=True)(x)
    return keras.Model(x, layers.Dense(2)(h))


def test_a_functional_model_passes_masks_between_its_layers_and_out():
    model = masked_model()
    assert model.output._keras_mask.shape == (None, 4)
    np.testing.assert_array_equal(mask_of(model(IDS)), KEEP)


def test_sequential_passes_masks_too():
    model = keras.Sequential(
        [keras.Input((4,)), layers.Embedding(10, 3, mask_zero=True), layers.Dense(2)]
    )
    np.testing.assert_array_equal(mask_of(model(IDS)), KEEP)
    deferred = keras.Sequential([layers.Embedding(10, 3, mask_zero=True), Records()])
    np.testing.assert_array_equal(mask_of(deferred(IDS)), KEEP)


def test_the_mask_argument_of_a_model_puts_a_mask_on_its_inputs():
    x = keras.Input((4, 3))
    record = Records()
    model = keras.Model(x, layers.Dense(2)(record(x)))
    given = np.array([[True, True, False, False]] * 2)
    # Keras 3 warns here too (a model does not "support masking"), yet the mask flows inside
    with pytest.warns(UserWarning, match="Layer 'functional'.*mask"):
        out = model(np.ones((2, 4, 3), "float32"), mask=given)
    np.testing.assert_array_equal(record.seen, given)
    np.testing.assert_array_equal(mask_of(out), given)


def test_a_nested_model_keeps_the_masks_of_its_layers():
    inner = masked_model()
    x = keras.Input((4,), dtype="int32")
    outer = keras.Model(x, Records()(inner(x)))
    np.testing.assert_array_equal(mask_of(outer(IDS)), KEEP)


def test_the_loss_and_metrics_skip_masked_steps():
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Embedding(10, 3, mask_zero=True),
            layers.Dense(5, activation="softmax"),
        ]
    )
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    y = np.random.default_rng(0).integers(0, 5, size=IDS.shape)
    loss, accuracy = model.evaluate(IDS, y, verbose=0)
    p = model.predict(IDS, verbose=0)  # (3, 4, 5)
    picked = np.take_along_axis(p, y[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(loss, -np.log(picked)[KEEP].mean(), rtol=1e-5)
    np.testing.assert_allclose(accuracy, (p.argmax(-1) == y)[KEEP].mean(), rtol=1e-6)


# --- symbolic tensors given as other arguments ------------------------------------------------
class AddState(Layer):
    """call(inputs, state=None): inputs + state, to give a node a second symbolic input."""

    def call(self, inputs, state=None):
        return inputs if state is None else inputs + state

    def compute_output_shape(self, input_shape):
        return input_shape


def test_a_symbolic_keyword_argument_is_an_input_of_the_node_and_gets_its_value():
    x, s = keras.Input((3,), name="x"), keras.Input((3,), name="s")
    state = layers.Dense(3, name="project")(s)
    y = AddState(name="add_state")(x, state=state)
    model = keras.Model([x, s], y)
    node = model.get_layer("add_state")._inbound_nodes[0]
    assert node.input_tensors[1] is state  # the graph knows the link
    a, b = np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")
    project = model.get_layer("project")
    expected = a + (b @ project.kernel.numpy() + project.bias.numpy())
    np.testing.assert_allclose(model.predict([a, b], verbose=0), expected, rtol=1e-6)
    # the config refers to the tensor, and rebuilding from it links it again
    config = model.get_config()
    kwargs = next(c for c in config["layers"] if c["name"] == "add_state")["inbound_nodes"][0]
    assert kwargs["kwargs"]["state"]["config"]["keras_history"] == ["project", 0, 0]
    again = keras.Model.from_config(config, custom_objects={"AddState": AddState})
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(again.predict([a, b], verbose=0), expected, rtol=1e-6)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict([a, b], verbose=0), expected, rtol=1e-6)


def test_a_symbolic_mask_cannot_be_passed_as_an_argument():
    x = layers.Embedding(10, 3, mask_zero=True)(keras.Input((4,)))
    with pytest.raises(ValueError, match=r"symbolic mask.*leave out mask="):
        Records()(x, mask=x._keras_mask)


def test_batch_normalization_in_training_takes_its_statistics_from_the_kept_steps():
    x = layers.Embedding(10, 3, mask_zero=True)(IDS)
    bn = layers.BatchNormalization(momentum=0.0)
    out = bn(x, training=True)
    kept = x.numpy()[KEEP]  # (steps kept, 3)
    np.testing.assert_allclose(bn.moving_mean.numpy(), kept.mean(axis=0), rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(bn.moving_variance.numpy(), kept.var(axis=0), rtol=1e-3, atol=1e-7)
    np.testing.assert_array_equal(mask_of(out), KEEP)
    with pytest.raises(ValueError, match=r"one axis fewer.*mask.shape=\(3,\)"):
        bn(x, training=True, mask=np.ones(3, bool))
