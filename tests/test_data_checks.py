"""Bad data gets a message that names what was expected and what came (issue 14's data items)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import Input, Model, Sequential
from teachkeras.layers import Concatenate, Dense, Flatten


def dense_model(width=4):
    model = Sequential([Input((width,)), Dense(1)])
    model.compile("sgd", "mse")
    return model


# --- item 1: an object with __len__/__getitem__ is never handed to np.asarray ----------------
class Liar:
    """A Keras-style dataset that never raises IndexError: past its end it returns empty
    slices, so NumPy, walking it as a sequence, would never stop (23.6 GB before the fix).
    It counts its calls and gives up after 10,000, so a regression fails fast."""

    def __init__(self, x, size=10):
        self.x, self.size, self.calls = x, size, 0

    def __len__(self):
        return len(self.x) // self.size

    def __getitem__(self, i):
        self.calls += 1
        if self.calls > 10_000:
            raise RuntimeError("Liar was indexed 10,000 times: something walks it like an array")
        return self.x[i * self.size : (i + 1) * self.size]


@pytest.mark.parametrize("verb", ["fit", "evaluate", "predict"])
def test_a_sequence_like_object_is_refused_by_name_and_never_walked(verb):
    liar = Liar(np.ones((40, 4), "float32"))
    model = dense_model()
    args = (liar,) if verb == "predict" else (liar, np.zeros(40))
    with pytest.raises(TypeError, match=rf"{verb}\(\) cannot read x: it is a Liar") as caught:
        getattr(model, verb)(*args, verbose=0)
    message = str(caught.value)
    assert "keras.utils.PyDataset" in message and "generator" in message
    assert "class Liar(keras.utils.PyDataset)" in message
    assert liar.calls == 0


def test_a_liar_inside_a_list_or_as_y_is_refused_too():
    liar = Liar(np.ones((40, 4), "float32"))
    with pytest.raises(TypeError, match="cannot read x: it is a list holding a Liar"):
        dense_model().fit([liar, liar], np.zeros(2), verbose=0)
    with pytest.raises(TypeError, match="cannot read y: it is a Liar"):
        dense_model().fit(np.ones((40, 4)), liar, verbose=0)
    assert liar.calls == 0


def test_the_old_generator_methods_read_a_liar_for_its_length_only():
    liar = Liar(np.ones((40, 4), "float32"))
    with pytest.warns(keras.legacy.KerasLegacyWarning):
        predictions = dense_model().predict_generator(liar)
    assert predictions.shape == (40, 1) and liar.calls == 4


# --- item 3: dict data is matched by name only -------------------------------------------------
def two_outputs():
    features = Input((4,), name="features")
    hidden = Dense(3)(features)
    model = Model(features, [Dense(1, name="price")(hidden), Dense(1, name="rating")(hidden)])
    model.compile("sgd", "mse")
    return model


def test_a_misspelled_output_key_is_named_with_the_closest_name():
    x, a, b = np.ones((8, 4)), np.zeros((8, 1)), np.ones((8, 1))
    with pytest.raises(ValueError, match='Missing data for output "price"') as caught:
        two_outputs().fit(x, {"rating": a, "prize": b}, verbose=0)
    assert "The key 'prize' matches no output: did you mean 'price'?" in str(caught.value)
    assert "['price', 'rating']" in str(caught.value)
    with pytest.raises(ValueError, match=r'Missing data for input "features".*did you mean'):
        two_outputs().fit({"feature": x}, {"rating": a, "price": b}, verbose=0)


def test_dict_data_in_any_order_goes_to_the_named_outputs():
    x, a, b = np.ones((8, 4)), np.zeros((8, 1)), np.ones((8, 1))
    model = two_outputs()
    model.fit(x, {"rating": a, "price": b}, epochs=20, verbose=0)
    price, rating = model.predict(x, verbose=0)
    assert price.mean() > rating.mean()  # price learned b (ones), rating learned a (zeros)
    with pytest.warns(UserWarning, match="keys that match no input.*'extra'"):
        model.predict({"features": x, "extra": x}, verbose=0)


# --- item 4: every declared axis of a functional model's inputs --------------------------------
def two_inputs():
    a, b = Input((4,), name="a"), Input((2,), name="b")
    model = Model([a, b], Dense(1)(Concatenate()([a, b])), name="two")
    model.compile("sgd", "mse")
    return model


def test_inputs_of_the_wrong_width_are_refused_even_when_the_total_fits():
    x = np.ones((10, 4), "float32")
    expected = (
        r"Input 0 with name 'a' of model 'two' is incompatible: expected shape \(None, 4\), "
        r"but received input of shape \(10, 2\)\. The inputs seem to be given in another order"
    )
    with pytest.raises(ValueError, match=expected):
        two_inputs().fit([x[:, :2], x], np.zeros(10), verbose=0)
    with pytest.raises(ValueError, match=expected):
        two_inputs().predict([x[:, :2], x], verbose=0)
    with pytest.raises(
        ValueError, match=r"Input 1 with name 'b'.*expected shape \(None, 2\).*\(10, 3\)"
    ):
        two_inputs()([x, x[:, :3]])
    assert two_inputs().predict([x, x[:, :2]], verbose=0).shape == (10, 1)


def test_a_functional_model_used_as_a_layer_still_takes_symbolic_and_lenient_inputs():
    inner = two_inputs()
    a, b = Input((4,)), Input((2,))
    outer = Model([a, b], inner([a, b]))
    assert outer.output_shape == (None, 1)
    one = Input((1,))
    lenient = Model(one, Dense(2)(one))
    assert lenient.predict(np.ones(5), verbose=0).shape == (5, 2)  # (5,) fits (None, 1)


# --- item 7: the rank hint tells a missing batch axis from a missing feature axis ----------
def test_one_sample_without_its_batch_axis_gets_x_none():
    with pytest.raises(
        ValueError, match=r"one sample of shape \(4,\) without the batch axis: use x\[None\]"
    ):
        dense_model().predict(np.ones(4), verbose=0)
    image = Sequential([Input((8, 8, 3)), Flatten(), Dense(1)])
    with pytest.raises(
        ValueError, match=r"one sample of shape \(8, 8, 3\).*x\[None\] \(shape \(1, 8, 8, 3\)\)"
    ):
        image.predict(np.ones((8, 8, 3)), verbose=0)


def test_a_batch_without_its_last_axis_is_told_so():
    rgb = Sequential([Input((28, 28, 3)), Flatten(), Dense(1)])
    with pytest.raises(
        ValueError, match=r"last axis \(size 3\) seems to be missing.*5 samples of shape \(28, 28\)"
    ):
        rgb.predict(np.ones((5, 28, 28)), verbose=0)
    free = Input((5, None))
    model = Model(free, free)
    with pytest.raises(ValueError, match=r"add it, x\[\.\.\., None\]") as caught:
        model.predict(np.ones((3, 5)), verbose=0)
    assert "x[None]" not in str(caught.value)
    gray = Sequential([Input((28, 28, 1)), Flatten(), Dense(1)])
    assert gray.predict(np.ones((5, 28, 28)), verbose=0).shape == (5, 1)  # Keras's leniency


# --- item 11: clear messages for data that is not numbers, and for bad arguments ----------
def test_text_in_x_or_y_is_explained():
    with pytest.raises(ValueError, match=r"x holds text \(dtype <U3, e.g. 'cat'\).*np.unique"):
        dense_model(1).fit(np.array([["cat"], ["dog"]]), np.zeros(2), verbose=0)
    with pytest.raises(ValueError, match=r"y holds text labels.*'cat'.*return_inverse=True"):
        dense_model(1).fit(np.ones((2, 1)), ["cat", "dog"], verbose=0)
    with pytest.raises(ValueError, match=r"x holds text.*'a'"):
        dense_model(2).fit([[1.0, "a"], [2.0, 3.0]], np.zeros(2), verbose=0)
    with pytest.raises(ValueError, match="holds object values such as None"):
        dense_model(2).fit(
            np.array([[1.0, None], [2.0, 3.0]], dtype=object), np.zeros(2), verbose=0
        )
    with pytest.raises(ValueError, match=r"numbers written as text.*x = x.astype\('float32'\)"):
        dense_model(1).fit(np.array([["1.5"], ["2"]]), np.zeros(2), verbose=0)
    with pytest.raises(ValueError, match="rows have different lengths"):
        dense_model(2).fit([[1.0, 2.0], [3.0]], np.zeros(2), verbose=0)
    history = dense_model(2).fit(np.array([[1, 2], [3, 4]], dtype=object), np.zeros(2), verbose=0)
    assert len(history.history["loss"]) == 1  # Python numbers in an object array are numbers


def test_pandas_text_categorical_and_nullable_columns():
    import pandas as pd  # a test dependency (pyproject: the test extra)

    y = np.zeros(4)
    frame = pd.DataFrame({"size": [1.0, 2, 3, 4], "city": ["Seoul", "Busan", "Seoul", "Jeju"]})
    with pytest.raises(ValueError, match=r"x has text columns \['city'\].*get_dummies"):
        dense_model(2).fit(frame, y, verbose=0)
    frame["city"] = frame["city"].astype("category")
    with pytest.raises(ValueError, match=r"x has categorical columns \['city'\].*cat.codes"):
        dense_model(2).fit(frame, y, verbose=0)
    frame["city"] = pd.array([1, 2, 1, 3], dtype="Int64")  # nullable, no missing value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dense_model(2).fit(frame, pd.Series(y), verbose=0)
    frame["city"] = pd.array([1, None, 1, 3], dtype="Int64")
    with pytest.warns(UserWarning, match="x contains 1 NaN"):
        dense_model(2).fit(frame, y, verbose=0)
    with pytest.raises(ValueError, match="y has text columns"):
        dense_model(2).fit(frame.fillna(0), pd.Series(["a", "b", "a", "b"]), verbose=0)


def test_verbose_silent_is_accepted_and_nonsense_refused(capsys):
    x = np.ones((4, 4))
    dense_model().fit(x, np.zeros(4), verbose="silent")
    dense_model().evaluate(x, np.zeros(4), verbose="silent")
    dense_model().predict(x, verbose="silent")
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="verbose must be 'auto', 'silent', 0"):
        dense_model().fit(x, np.zeros(4), verbose="loud")


@pytest.mark.parametrize("batch_size", [True, 2.0, 0, "32"])
def test_batch_size_must_be_a_positive_integer(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be a positive integer.*{batch_size!r}"):
        dense_model().fit(np.ones((4, 4)), np.zeros(4), batch_size=batch_size, verbose=0)


def test_nan_in_predict_speaks_of_predictions_not_the_loss():
    x = np.ones((4, 4))
    x[1, 2] = np.nan
    with pytest.warns(UserWarning, match="x contains 1 NaN") as caught:
        dense_model().predict(x, verbose=0)
    (warning,) = caught
    assert "predictions for those samples will be NaN" in str(warning.message)
    assert "loss" not in str(warning.message) and warning.filename == __file__


# --- item 8 (and the rest): warnings point at the learner's line --------------------------------
def test_data_warnings_point_at_the_callers_line():
    x = np.ones((10, 4))
    with pytest.warns(UserWarning, match="ran out of data") as caught:
        dense_model().fit(x, np.zeros(10), batch_size=5, steps_per_epoch=3, verbose=0)
    assert [w.filename for w in caught] == [__file__]
    x[0, 0] = np.inf
    with pytest.warns(UserWarning, match="1 infinite") as caught:
        dense_model().fit(x, np.zeros(10), verbose=0)
    assert caught[0].filename == __file__
