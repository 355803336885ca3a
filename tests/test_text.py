"""Text in: TextVectorization, pad_sequences, and Keras 2's Tokenizer.

TextVectorization needs TensorFlow in Keras 3, so it cannot run in the parity tests: its
expected values below are the ones Keras 3's own tests assert (`keras/src/layers/
preprocessing/text_vectorization_test.py`, `index_lookup_test.py`), or worked by hand from
Keras 3's rules (the vocabulary by count, ties in reverse alphabetical order; "" = 0 and
"[UNK]" = 1 in "int" mode; idf = log(1 + N / (1 + document count))). Keras 3 has no
Tokenizer: its expectations are Keras 2's rules, worked by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.layers import TextVectorization
from teachkeras.legacy import KerasLegacyWarning, reset_warnings
from teachkeras.preprocessing.text import Tokenizer, text_to_word_sequence, tokenizer_from_json
from teachkeras.utils import pad_sequences
from tests.helpers.layer_testing import layer_case, run_layer_test

# Tokenizer warns once per test (the warning itself is checked below and in test_legacy.py)
pytestmark = pytest.mark.filterwarnings("ignore::teachkeras.legacy.KerasLegacyWarning")

TEXTS = np.array([["foo qux bar"], ["qux baz"]])
NO_GRADIENT = "strings in, ids out: nothing to differentiate, and no weights"
NO_TRAINING = "no weights: the vocabulary is learned by adapt, not by fit"

LAYER_CASES = [
    layer_case(
        TextVectorization,
        {"vocabulary": ["baz", "bar", "foo"], "output_sequence_length": 4},
        input_data=TEXTS,
        expected_output=np.array([[4, 1, 3, 0], [1, 2, 0, 0]]),  # Keras 3's test_fixed_vocabulary
        expected_output_dtype="int64",
        expected_num_trainable_weights=0,
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
    layer_case(
        TextVectorization,
        {"vocabulary": ["one", "two", "three"], "output_mode": "count", "ngrams": 2},
        input_data=np.array(["one two four two", "three three"]),
        # the 2-grams are outside the vocabulary: 3 + "four" in column 0 ("[UNK]")
        expected_output=np.array([[4, 1, 2, 0], [1, 0, 0, 2]], dtype="float32"),
        run_gradient_check=NO_GRADIENT,
        run_training_check=NO_TRAINING,
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    run_layer_test(**case, tmp_path=tmp_path)


# --- TextVectorization ------------------------------------------------------------------------
def test_adapt_orders_the_vocabulary_by_count_then_reverse_alphabetically():
    layer = TextVectorization(max_tokens=5000, output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])  # Keras 3's test_adapt_flow
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    assert layer.get_vocabulary(include_special_tokens=False)[:2] == ["baz", "bar"]
    assert layer.vocabulary_size() == 7
    np.testing.assert_array_equal(layer(TEXTS).numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])
    assert layer(TEXTS).dtype == np.int64


def test_max_tokens_keeps_the_most_frequent_with_the_special_tokens():
    layer = TextVectorization(max_tokens=4)
    layer.adapt(["a a a b b c", "d"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b"]
    layer = TextVectorization(max_tokens=4, output_mode="multi_hot")  # one special token
    layer.adapt(["a a a b b c", "d"])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "d"]  # c and d: once each, d first


def test_standardize_and_split_options():
    texts = ["Hello, World!  It's ME."]
    words = {
        "lower_and_strip_punctuation": ["hello", "world", "its", "me"],
        "lower": ["hello,", "world!", "it's", "me."],
        "strip_punctuation": ["Hello", "World", "Its", "ME"],
        None: ["Hello,", "World!", "It's", "ME."],
    }
    for standardize, expected in words.items():
        layer = TextVectorization(standardize=standardize)
        layer.adapt(texts)
        assert sorted(layer.get_vocabulary()[2:]) == sorted(expected), standardize
    characters = TextVectorization(split="character", standardize=None)
    characters.adapt(["abca"])
    assert characters.get_vocabulary()[2:] == ["a", "c", "b"]
    whole = TextVectorization(split=None, output_mode="multi_hot", standardize="lower")
    whole.adapt(["New York", "new york", "Paris"])
    assert whole.get_vocabulary() == ["[UNK]", "new york", "paris"]
    own = TextVectorization(standardize=lambda t: np.char.replace(t, "x", "y"), split=None)
    own.adapt(["axb"])
    assert own.get_vocabulary()[2:] == ["ayb"]


def test_lowercasing_and_punctuation_are_ascii_only_as_in_tensorflow():
    layer = TextVectorization()
    layer.adapt(["Ünïcode ÉTÉ 좋은 영화!"])
    assert sorted(layer.get_vocabulary()[2:]) == sorted(["Ünïcode", "ÉtÉ", "좋은", "영화"])


def test_ngrams_come_after_the_words_of_each_text():
    layer = TextVectorization(ngrams=2, vocabulary=["a", "b", "c", "a b", "b c"])
    np.testing.assert_array_equal(layer(["a b c"]).numpy(), [[2, 3, 4, 5, 6]])
    layer = TextVectorization(ngrams=(2,), vocabulary=["a b"])
    np.testing.assert_array_equal(layer(["a b", "a"]).numpy(), [[2], [0]])  # "a": no 2-gram


@pytest.mark.parametrize(
    ("mode", "expected"),
    [  # Keras 3's index_lookup_test.test_output_modes, vocabulary ["one", "two", "three"]
        ("multi_hot", [[1, 1, 1, 0]]),
        ("count", [[1, 1, 2, 0]]),
        ("tf_idf", [[0.2, 0.1, 0.4, 0.0]]),
    ],
)
def test_output_modes_with_a_given_vocabulary(mode, expected):
    weights = {"idf_weights": [0.1, 0.2, 0.3]} if mode == "tf_idf" else {}
    layer = TextVectorization(vocabulary=["one", "two", "three"], output_mode=mode, **weights)
    out = layer(["one two four two"]).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.dtype == np.float32
    padded = TextVectorization(
        vocabulary=["one", "two"],
        output_mode=mode,
        max_tokens=6,
        pad_to_max_tokens=True,
        **({"idf_weights": [0.1, 0.2]} if mode == "tf_idf" else {}),
    )
    assert padded(["one"]).shape == (1, 6)


def test_tf_idf_learns_inverse_document_frequencies():
    # Keras 3's index_lookup_test.test_adapt_tf_idf, batched case, as texts
    layer = TextVectorization(max_tokens=7, output_mode="tf_idf")
    layer.adapt(["one one", "one two", "two three"])
    idf = np.log(1 + 3 / (1 + np.array([2, 2, 1])))
    np.testing.assert_allclose(layer.idf_weights[1:], idf, rtol=1e-6)
    np.testing.assert_allclose(
        layer(["one two", "two four"]).numpy(),
        [[0.0, 0.6931472, 0.6931472, 0.0], [0.76752836, 0.0, 0.6931472, 0.0]],
        rtol=1e-6,
    )
    single = TextVectorization(max_tokens=7, output_mode="tf_idf")  # the unbatched case
    single.adapt(["one", "one", "one", "two", "two", "three"])
    np.testing.assert_allclose(
        single(["one two four"]).numpy(), [[1.1337324, 0.91629076, 1.0986123, 0.0]], rtol=1e-6
    )


def test_adapt_reads_batches_from_an_iterable_or_a_dataset():
    def batches():
        yield ["hello world", "foo bar"]
        yield ["baz qux", "hello foo"]

    layer = TextVectorization()
    layer.adapt(batches())
    assert layer.get_vocabulary()[2:4] == ["hello", "foo"]
    endless = TextVectorization()
    endless.adapt(iter(lambda: ["a b"], None), steps=3)
    assert endless.get_vocabulary()[2:] == ["b", "a"]
    with pytest.raises(ValueError, match=r"a tuple \(texts, labels\?\).*lambda x, y: x"):
        TextVectorization().adapt(iter([(np.array(["a"]), np.array([1]))]))


def test_calling_before_adapt_names_the_fix():
    layer = TextVectorization()
    with pytest.raises(ValueError, match=r"has no vocabulary yet.*adapt\(texts\).*vocabulary="):
        layer(["some text"])


def test_bad_inputs_and_arguments_are_refused():
    layer = TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match=r"takes strings.*dtype float64"):
        layer(np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match=r"input rank must be 1 or the last shape dimension"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="repeated term"):
        TextVectorization(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="idf_weights"):
        TextVectorization(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        TextVectorization(vocabulary=["a"]).adapt(["b"])
    with pytest.raises(ValueError, match="TensorFlow"):
        TextVectorization(ragged=True)
    with pytest.raises(ValueError, match=r"`split`.*Received: split='comma'"):
        TextVectorization(split="comma")


def test_a_vocabulary_with_the_special_tokens_first_or_in_a_file(tmp_path):
    with_specials = TextVectorization(vocabulary=["", "[UNK]", "a", "b"])
    assert with_specials.get_vocabulary() == ["", "[UNK]", "a", "b"]
    path = tmp_path / "vocabulary.txt"
    path.write_text("a\nb\n", encoding="utf-8")
    from_file = TextVectorization(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["", "[UNK]", "a", "b"]


@pytest.mark.parametrize("mode", ["int", "multi_hot", "tf_idf"])
def test_an_adapted_layer_in_a_model_saves_and_loads(mode, tmp_path):
    texts = np.array(["the cat sat", "the dog sat down", "a cat"])
    layer = TextVectorization(output_mode=mode, ngrams=2)
    layer.adapt(texts)
    model = keras.Sequential([keras.Input((), dtype="string"), layer])
    model.save(tmp_path / "text.keras")
    loaded = keras.saving.load_model(tmp_path / "text.keras")
    assert loaded.layers[0].get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(loaded.predict(texts, verbose=0), model.predict(texts, verbose=0))


def test_a_model_reads_raw_texts_and_trains():
    texts = np.array(["good movie", "bad movie", "good good fun", "bad boring"])
    labels = np.array([1, 0, 1, 0])
    vectorize = TextVectorization(output_sequence_length=3)
    vectorize.adapt(texts)
    model = keras.Sequential(
        [
            vectorize,
            keras.layers.Embedding(vectorize.vocabulary_size(), 4, mask_zero=True),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy")
    history = model.fit(texts, labels, epochs=2, batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(["good fun"], verbose=0).shape == (1, 1)


# --- pad_sequences ------------------------------------------------------------------------------
def test_pad_sequences_pads_and_cuts_at_either_end():
    seqs = [[1, 2, 3], [4, 5], [6]]
    np.testing.assert_array_equal(pad_sequences(seqs), [[1, 2, 3], [0, 4, 5], [0, 0, 6]])
    np.testing.assert_array_equal(
        pad_sequences(seqs, maxlen=2, padding="post", truncating="post", value=-1),
        [[1, 2], [4, 5], [6, -1]],
    )
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=2), [[2, 3], [4, 5], [0, 6]])
    assert pad_sequences(seqs).dtype == np.int32
    vectors = pad_sequences([np.ones((2, 3)), np.ones((1, 3))], dtype="float32")
    assert vectors.shape == (2, 2, 3) and vectors[1, 0].sum() == 0


def test_pad_sequences_names_the_first_bad_item():
    with pytest.raises(ValueError, match=r"position 1 has the item 'great' at position 2"):
        pad_sequences([[1, 2], [3, 4, "great"]])
    with pytest.raises(ValueError, match=r"item 0.5 .*dtype='float32'"):
        pad_sequences([[1, 2], [0.5]])
    with pytest.raises(ValueError, match=r"non-iterable: 7 at position 1"):
        pad_sequences([[1], 7])
    with pytest.raises(ValueError, match=r"Shape of sample \(1,\) of sequence at position 1"):
        pad_sequences([[[1, 2]], [[3]]])
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        pad_sequences([[1]], padding="middle")


def test_the_keras2_path_is_the_same_function():
    assert keras.preprocessing.sequence.pad_sequences is pad_sequences
    assert keras.utils.pad_sequences is pad_sequences


# --- Tokenizer (Keras 2) -------------------------------------------------------------------------
CORPUS = ["The cat sat on the mat.", "The dog sat!", "A cat, a dog; a bird?"]


def test_tokenizer_numbers_words_by_count_first_seen_first_and_warns():
    reset_warnings()
    with pytest.warns(KerasLegacyWarning, match=r"Tokenizer is Keras 2.*TextVectorization"):
        tok = Tokenizer()
    tok.fit_on_texts(CORPUS)
    # counts: the 3, a 3, cat 2, sat 2, dog 2, on 1, mat 1, bird 1 (ties: first seen first)
    assert list(tok.word_index) == ["the", "a", "cat", "sat", "dog", "on", "mat", "bird"]
    assert tok.word_index["the"] == 1 and tok.index_word[8] == "bird"
    assert tok.word_counts["a"] == 3 and tok.word_docs["cat"] == 2 and tok.document_count == 3
    assert tok.texts_to_sequences(["the bird sat on a fish"]) == [[1, 8, 4, 6, 2]]


def test_tokenizer_num_words_and_oov_token():
    tok = Tokenizer(num_words=4, oov_token="<OOV>")
    tok.fit_on_texts(CORPUS)
    assert tok.word_index["<OOV>"] == 1 and tok.word_index["the"] == 2
    assert len(tok.word_index) == 9  # word_index keeps every word; num_words acts later
    # ids from num_words on become the OOV id: the=2, a=3, cat=4 -> 1, fish -> 1
    assert tok.texts_to_sequences(["the cat a fish"]) == [[2, 1, 3, 1]]
    assert tok.sequences_to_texts([[2, 1, 3, 7]]) == ["the <OOV> a <OOV>"]
    plain = Tokenizer(num_words=3)
    plain.fit_on_texts(CORPUS)
    assert plain.texts_to_sequences(["the cat a fish"]) == [[1, 2]]


def test_tokenizer_matrix_modes():
    tok = Tokenizer(num_words=5)
    tok.fit_on_texts(CORPUS)
    text = ["the the cat dog"]  # ids 1, 1, 3 (dog = 5 is cut by num_words)
    assert tok.texts_to_matrix(text, mode="binary").tolist() == [[0, 1, 0, 1, 0]]
    assert tok.texts_to_matrix(text, mode="count").tolist() == [[0, 2, 0, 1, 0]]
    np.testing.assert_allclose(tok.texts_to_matrix(text, mode="freq"), [[0, 2 / 3, 0, 1 / 3, 0]])
    # tfidf: (1 + ln c) · ln(1 + N / (1 + documents)); "the" is in 2 of 3 texts, "cat" in 2
    expected = [0, (1 + np.log(2)) * np.log(1 + 3 / 3), 0, np.log(1 + 3 / 3), 0]
    np.testing.assert_allclose(tok.texts_to_matrix(text, mode="tfidf"), [expected])
    with pytest.raises(ValueError, match="Specify a dimension"):
        Tokenizer().texts_to_matrix(["a"])


def test_tokenizer_char_level_filters_and_json():
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abca"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3}
    tok = Tokenizer(filters="", lower=False, split=",")
    tok.fit_on_texts(["A,b,,A"])
    assert tok.word_index == {"A": 1, "b": 2}
    fitted = Tokenizer(num_words=4, oov_token="?")
    fitted.fit_on_texts(CORPUS)
    again = tokenizer_from_json(fitted.to_json())
    assert again.word_index == fitted.word_index and again.index_docs == fitted.index_docs
    assert again.texts_to_sequences(CORPUS) == fitted.texts_to_sequences(CORPUS)
    assert json.loads(fitted.to_json())["class_name"] == "Tokenizer"


def test_text_to_word_sequence_keeps_apostrophes():
    assert text_to_word_sequence("Hello, world!  It's me.") == ["hello", "world", "it's", "me"]


# --- the generated toy corpus -------------------------------------------------------------------
def _said(clause: str) -> int:
    """A clause's sentiment by the generator's rule: the adjective, flipped by "not"."""
    from teachkeras.datasets import toy

    words = clause.rstrip(".").split()
    positive = words[-1] in toy._POSITIVE
    return int(positive != ("not" in words))


def test_toy_reviews_say_their_label_by_the_documented_rule():
    from teachkeras.datasets import toy

    texts, labels = toy.reviews(300)
    assert texts.shape == (300,) and texts.dtype.kind == "U" and labels.dtype == np.int64
    assert 0.4 < labels.mean() < 0.6
    for text, label in zip(texts, labels, strict=True):
        lowered = text.lower()
        if " but " in lowered:
            before, after = lowered.split(" but ")
            assert _said(after) == label and _said(before) == 1 - label, text
        else:
            assert all(_said(part) == label for part in lowered.split(" and ")), text
    again, _ = toy.reviews(300)
    assert (again == texts).all()  # seed 0 by default: the same corpus every time
    assert not (toy.reviews(300, seed=1)[0] == texts).all()


def test_toy_reviews_train_a_text_model_and_word_order_helps():
    from teachkeras.datasets import toy

    texts, labels = toy.reviews(400)
    accuracy = {}
    for ngrams in (None, 2):  # words alone, then words and pairs of words
        keras.utils.set_random_seed(0)
        vectorize = TextVectorization(ngrams=ngrams, output_mode="multi_hot")
        vectorize.adapt(texts[:300])
        model = keras.Sequential([vectorize, keras.layers.Dense(1, activation="sigmoid")])
        model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
        model.fit(texts[:300], labels[:300], epochs=10, batch_size=32, verbose=0)
        accuracy[ngrams] = model.evaluate(texts[300:], labels[300:], verbose=0)[1]
    assert 0.6 < accuracy[None] < accuracy[2]  # "not great", "but": pairs of words tell more


def test_one_hot_encodes_whole_texts():
    layer = TextVectorization(split=None, output_mode="one_hot", vocabulary=["red", "blue"])
    np.testing.assert_array_equal(layer(["blue", "green"]).numpy(), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="one token per text: use split=None"):
        TextVectorization(output_mode="one_hot")
