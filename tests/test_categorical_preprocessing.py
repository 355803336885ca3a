"""Layers for categories: CategoryEncoding, Discretization, Hashing, StringLookup, IntegerLookup.

Values from Keras 3's documentation and tests (computed by Keras with TensorFlow), the
hash functions against published test vectors, adapt on arrays and datasets, saving, and
the errors a learner meets."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.layers import (
    CategoryEncoding,
    Discretization,
    Hashing,
    IntegerLookup,
    StringLookup,
    TextVectorization,
)
from tests.helpers.layer_testing import layer_case, run_layer_test

NO_GRADIENT = "its output is made of integers or counts: no gradient flows through it"
NO_TRAINING = "it has no weights and no gradient reaches its inputs: nothing to train"
INTEGER_OUTPUT = "its output is integers: a model cannot fit them with a float loss"

LAYER_CASES = [
    layer_case(
        CategoryEncoding,
        {"num_tokens": 4, "output_mode": "count"},
        input_data=np.array([[0, 1], [0, 0], [1, 2], [3, 1]]),
        expected_output=np.array([[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]),
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
    layer_case(
        CategoryEncoding,
        {"num_tokens": 4, "output_mode": "one_hot"},
        input_data=np.array([[3], [2], [0], [1]]),
        expected_output=np.eye(4)[[3, 2, 0, 1]],
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
    layer_case(
        Discretization,
        {"bin_boundaries": [0.0, 1.0, 2.0]},
        input_data=np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.5, 1.5]], dtype="float32"),
        expected_output=np.array([[0, 2, 3, 1], [1, 3, 2, 2]]),
        expected_output_dtype="int32",
        run_gradient_check=NO_GRADIENT,
        run_training_check=INTEGER_OUTPUT,
    ),
    layer_case(
        Discretization,
        {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": "multi_hot"},
        input_data=np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.5, 1.5]], dtype="float32"),
        expected_output=np.array([[1, 1, 1, 1], [0, 1, 1, 1]]),
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
    layer_case(
        Hashing,
        {"num_bins": 3},
        input_data=np.array([["A"], ["B"], ["C"], ["D"], ["E"]]),
        expected_output=np.array([[1], [0], [1], [1], [2]]),  # Keras 3's docstring
        expected_output_dtype="int64",
        run_gradient_check=NO_GRADIENT,
        run_training_check=INTEGER_OUTPUT,
    ),
    layer_case(
        Hashing,
        {"num_bins": 3, "salt": [133, 137], "output_mode": "one_hot"},
        input_data=np.array([["A"], ["B"], ["C"], ["D"], ["E"]]),
        expected_output=np.eye(3)[[1, 2, 1, 0, 2]],  # Keras 3's docstring (SipHash64)
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
]

LAYER_CASES += [
    layer_case(
        StringLookup,
        {"vocabulary": ["a", "b", "c", "d"]},
        input_data=np.array([["a", "c", "d"], ["d", "z", "b"]]),
        expected_output=np.array([[1, 3, 4], [4, 0, 2]]),  # Keras 3's docstring
        expected_output_dtype="int64",
        run_gradient_check=NO_GRADIENT,
        run_training_check=INTEGER_OUTPUT,
    ),
    layer_case(
        StringLookup,
        {
            "vocabulary": ["a", "b", "c", "d"],
            "output_mode": "tf_idf",
            "idf_weights": [0.25, 0.75, 0.6, 0.4],
        },
        input_data=np.array([["a", "c", "d", "d"], ["d", "z", "b", "z"]]),
        # Keras 3's docstring: the OOV column gets the mean idf, 0.5
        expected_output=np.array([[0.0, 0.25, 0.0, 0.6, 0.8], [1.0, 0.0, 0.75, 0.0, 0.4]]),
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
    layer_case(
        IntegerLookup,
        {"vocabulary": [12, 36, 1138, 42], "mask_token": 0},
        input_data=np.array([[12, 1138, 42], [42, 1000, 0]]),
        expected_output=np.array([[2, 4, 5], [5, 1, 0]]),
        expected_output_dtype="int64",
        run_gradient_check=NO_GRADIENT,
        run_training_check=INTEGER_OUTPUT,
    ),
    layer_case(
        IntegerLookup,
        {"vocabulary": [12, 36, 1138, 42], "output_mode": "multi_hot", "num_oov_indices": 2},
        input_data=np.array([[12, 1138, 42, 42], [42, 7, 36, 7]]),
        expected_output=np.array([[0, 0, 1, 0, 1, 1], [0, 1, 0, 1, 0, 1]]),  # 7 mod 2: OOV id 1
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- the hashes ----------------------------------------------------------------------------------
def test_siphash_matches_the_reference_test_vector():
    from teachkeras.layers.preprocessing.string_hashing import siphash64

    # SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e -> a129ca6149be45e5
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    message = np.array([bytes(range(15))], dtype="S15")
    assert int(siphash64(message, key)[0]) == 0xA129CA6149BE45E5


def test_fingerprint64_of_the_empty_string_is_farmhash_k2():
    from teachkeras.layers.preprocessing.string_hashing import fingerprint64

    assert int(fingerprint64(np.array([""]))[0]) == 0x9AE16A3B2F90404F


def test_hashing_docstring_examples_of_keras_3():
    five = [["A"], ["B"], ["C"], ["D"], ["E"]]
    assert Hashing(3)(five).numpy().ravel().tolist() == [1, 0, 1, 1, 2]
    masked = Hashing(3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]])
    assert masked.numpy().ravel().tolist() == [1, 1, 0, 2, 2]
    assert Hashing(3, salt=133)(five).numpy().ravel().tolist() == [0, 0, 2, 1, 0]
    assert Hashing(3, salt=[133, 137])(five).numpy().ravel().tolist() == [1, 2, 1, 0, 2]


def test_hashing_integers_is_hashing_their_decimal_text():
    ints = np.array([[7, -12, 2**40]])
    np.testing.assert_array_equal(Hashing(13)(ints).numpy(), Hashing(13)(ints.astype(str)).numpy())


# --- lookups ---------------------------------------------------------------------------------------
def test_adapt_orders_by_count_then_the_larger_token_first():
    lookup = StringLookup()
    lookup.adapt(np.array(["b", "a", "b", "c", "b", "a", "d"]))
    assert lookup.get_vocabulary() == ["[UNK]", "b", "a", "d", "c"]
    ints = IntegerLookup(max_tokens=3)
    ints.adapt(np.array([[5, 5, 9], [3, 9, 1]]))
    assert ints.get_vocabulary() == [-1, 9, 5]  # ties 9 and 5 with 2 each: 9 first; then cut


def test_adapt_on_a_pydataset_and_on_a_text_dataset(tmp_path):
    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.array([["x", "y"], ["y", "z"]]) if i == 0 else np.array([["y", "w"]])

    lookup = StringLookup()
    lookup.adapt(Batches())
    assert lookup.get_vocabulary() == ["[UNK]", "y", "z", "x", "w"]
    for label, texts in {"neg": ["bad film", "bad"], "pos": ["good film"]}.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text)
    dataset = keras.utils.text_dataset_from_directory(tmp_path, batch_size=2, shuffle=False)
    vectorize = TextVectorization()
    vectorize.adapt(dataset.map(lambda x, y: x))
    assert vectorize.get_vocabulary() == ["", "[UNK]", "film", "bad", "good"]


def test_invert_maps_ids_back_and_unknown_ids_to_the_oov_token():
    back = StringLookup(vocabulary=["a", "b"], mask_token="", invert=True)
    out = back(np.array([[0, 1, 2, 3, 7]]))
    assert out.numpy().tolist() == [["", "[UNK]", "a", "b", "[UNK]"]]
    inputs = keras.Input((2,), dtype="int64")
    assert back(inputs).dtype == "string"
    assert IntegerLookup(vocabulary=[12, 36], invert=True)(np.array([2, 9])).numpy().tolist() == [
        36,
        -1,
    ]


def test_lookup_vocabulary_round_trips_through_a_keras_file(tmp_path):
    lookup = StringLookup(output_mode="tf_idf")
    lookup.adapt(np.array([["a", "b"], ["a", "c"], ["d", "a"]]))
    model = keras.Sequential([keras.Input((2,), dtype="string"), lookup])
    model.save(tmp_path / "lookup.keras")
    loaded = keras.saving.load_model(tmp_path / "lookup.keras")
    again = loaded.layers[0]
    assert again.get_vocabulary() == lookup.get_vocabulary()
    np.testing.assert_allclose(again.idf_weights, lookup.idf_weights)
    tokens = np.array([["a", "z"], ["c", "c"]])
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0), model.predict(tokens, verbose=0))


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("cat\ndog\nbird\n")
    lookup = StringLookup(vocabulary=str(path))
    assert lookup(np.array(["dog", "fish"])).numpy().tolist() == [2, 0]
    assert lookup.get_config()["vocabulary"] is None  # the file's words travel as an asset


def test_discretization_adapt_finds_quantiles_on_arrays_and_batches():
    layer = Discretization(num_bins=4)
    layer.adapt(np.arange(100.0))
    np.testing.assert_allclose(layer.bin_boundaries, [24.0, 49.0, 74.0], atol=1e-4)
    batched = Discretization(num_bins=4)
    batched.adapt(np.arange(100.0).reshape(4, 25))  # one array: the same summary
    np.testing.assert_allclose(batched.bin_boundaries, layer.bin_boundaries)
    values = np.random.default_rng(0).normal(size=2000)
    quartiles = Discretization(num_bins=4, epsilon=0.001)
    quartiles.adapt(values)
    np.testing.assert_allclose(
        quartiles.bin_boundaries, np.quantile(values, [0.25, 0.5, 0.75]), atol=0.02
    )


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: StringLookup(vocabulary=["a", "b", "a"]), ValueError, r"repeated term.*\['a'\]"),
        (lambda: IntegerLookup(vocabulary=[3, 3]), ValueError, r"repeated term.*\[3\]"),
        (
            lambda: StringLookup(vocabulary=["a", ""], mask_token=""),
            ValueError,
            "reserved mask token",
        ),
        (
            lambda: StringLookup(vocabulary=["a", "b", "c"], max_tokens=3),
            ValueError,
            "larger than the maximum",
        ),
        (
            lambda: StringLookup(output_mode="tf_idf", vocabulary=["a"]),
            ValueError,
            "`idf_weights` argument must also",
        ),
        (
            lambda: StringLookup(invert=True, output_mode="count"),
            ValueError,
            "must be `'int'` when `invert`",
        ),
        (lambda: CategoryEncoding(), ValueError, "num_tokens must be set"),
        (lambda: Discretization(), ValueError, "either `num_bins` or `bin_boundaries`"),
        (lambda: Hashing(0), ValueError, "num_bins"),
    ],
)
def test_bad_arguments_are_refused_with_keras_words(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_calls_before_adapt_say_what_to_do():
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary before calling it"):
        StringLookup(output_mode="multi_hot")(np.array([["a"]]))
    with pytest.warns(UserWarning, match=r"no vocabulary yet.*adapt\(data\)"):
        out = StringLookup()(np.array(["a", "b"]))
    assert out.numpy().tolist() == [0, 0]  # everything OOV, as in Keras 3
    with pytest.raises(ValueError, match=r"call `adapt\(dataset\)` before"):
        Discretization(num_bins=3)(np.array([1.0]))
    with pytest.raises(ValueError, match=r"has no vocabulary yet: call .*adapt\(texts\)"):
        TextVectorization()(np.array(["a text"]))


def test_oov_without_oov_ids_and_ids_past_num_tokens_are_named():
    strict = StringLookup(vocabulary=["a"], num_oov_indices=0)
    assert strict(np.array(["a"])).numpy().tolist() == [0]
    with pytest.raises(ValueError, match=r"found OOV values \['zebra'\].*num_oov_indices=1"):
        strict(np.array(["a", "zebra"]))
    with pytest.raises(
        ValueError, match=r"CategoryEncoding layer '.*' encodes ids in \[0, 3\).*received the id 5"
    ):
        CategoryEncoding(3)(np.array([[0, 5]]))
    with pytest.raises(ValueError, match="looks up strings, but received values of dtype int64"):
        StringLookup(vocabulary=["a"])(np.array([1, 2]))


def test_adapting_after_a_fixed_vocabulary_or_on_labelled_batches_is_refused():
    with pytest.raises(ValueError, match="after setting a static vocabulary"):
        StringLookup(vocabulary=["a"]).adapt(np.array(["b"]))
    batches = [(np.array([["a"]]), np.array([1]))]
    with pytest.raises(ValueError, match=r"adapt\(dataset.map\(lambda x, y: x\)\)"):
        StringLookup().adapt(iter(batches))
    layer = StringLookup(output_mode="count")
    layer.adapt(np.array(["a", "b"]))
    with pytest.raises(RuntimeError, match="cannot be changed after"):
        layer.adapt(np.array(["a"]))  # Keras 3: the number of columns is fixed once known


def test_the_experimental_preprocessing_path_of_tf_keras_2_warns_once():
    from teachkeras.legacy import KerasLegacyWarning

    with pytest.warns(KerasLegacyWarning, match="keras.layers.Normalization"):
        from teachkeras.layers.experimental.preprocessing import Normalization
    assert Normalization is keras.layers.Normalization


@pytest.mark.parametrize("output_mode", ["tf_idf", "multi_hot"])
def test_an_adapted_text_vectorization_before_a_dense_loads_back(output_mode, tmp_path):
    # the number of columns comes from the config (vocabulary_size), before the vocabulary
    # asset is read: the Dense after it is rebuilt with the right input width
    vectorize = TextVectorization(output_mode=output_mode)
    vectorize.adapt(["a b c", "a d", "b b e"])
    model = keras.Sequential([keras.Input((1,), dtype="string"), vectorize, keras.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    texts = np.array([["a c"], ["zz b"]])
    np.testing.assert_array_equal(loaded.predict(texts, verbose=0), model.predict(texts, verbose=0))
