"""The cases whose Keras 3 outputs `make_preprocessing_goldens.py` records (with TensorFlow)
and `test_preprocessing_goldens.py` checks teachkeras against. Each case names a layer, its
arguments, what to adapt it on (a list of batches when `adapt_batches`) and an input."""

from __future__ import annotations

import numpy as np

_rng = np.random.default_rng(2024)
WORDS = ["a", "b", "c", "d", "é", "가나", "", "x" * 70, "The quick brown fox", "42", "zz"]
STRINGS = [[w] for w in WORDS] + [["y" * n] for n in (15, 16, 17, 31, 33, 64, 65, 128, 129)]
TOKENS = [["a", "b", "a"], ["c", "a", "d"], ["b", "b", "e"], ["a", "f", "h"], ["g", "a", "b"]]
# (no "" among them: Keras 3 strips a vocabulary file's last empty line, so a vocabulary
# ending in "" cannot be loaded back, by Keras or teachkeras)
TOKENS_IN = [["a", "z", "b"], ["", "q", "g"], ["d", "d", "new"]]
INTS = [[12, 36, 12], [42, 12, 7], [36, 36, 1138], [0, 12, 9]]
INTS_IN = [[12, 1000, -5], [0, 36, 7], [1138, 1139, 2**40]]
TEXTS = [
    "The cat sat on the mat.",
    "A dog! A DOG? the dog barked",
    "cats and dogs, cats and mats",
    "",
]
TEXTS_IN = [["the dog sat on a cat"], ["Birds?"], ["mat mat mat the"]]
VALUES = _rng.normal(size=(300, 2)).round(3).tolist()
VALUES_IN = [[-2.0, 0.0], [0.1, 0.5], [1.3, -0.7], [3.0, -3.0]]

CASES = {
    # --- Hashing ------------------------------------------------------------------------------
    "hashing_strings": dict(layer="Hashing", kwargs=dict(num_bins=7), input=STRINGS),
    "hashing_mask": dict(layer="Hashing", kwargs=dict(num_bins=5, mask_value=""), input=STRINGS),
    "hashing_salt_pair": dict(
        layer="Hashing", kwargs=dict(num_bins=9, salt=[133, 137]), input=STRINGS
    ),
    "hashing_salt_int": dict(layer="Hashing", kwargs=dict(num_bins=9, salt=2024), input=STRINGS),
    "hashing_ints": dict(layer="Hashing", kwargs=dict(num_bins=11), input=INTS_IN),
    "hashing_int_mask": dict(layer="Hashing", kwargs=dict(num_bins=6, mask_value=12), input=INTS),
    "hashing_floats": dict(layer="Hashing", kwargs=dict(num_bins=11), input=[[1.7, -2.2, 42.0]]),
    "hashing_one_hot": dict(
        layer="Hashing", kwargs=dict(num_bins=4, output_mode="one_hot"), input=STRINGS[:6]
    ),
    "hashing_multi_hot": dict(
        layer="Hashing", kwargs=dict(num_bins=4, output_mode="multi_hot"), input=TOKENS
    ),
    "hashing_count": dict(
        layer="Hashing", kwargs=dict(num_bins=4, output_mode="count"), input=TOKENS
    ),
    # --- StringLookup -------------------------------------------------------------------------
    "string_adapt_list": dict(
        layer="StringLookup",
        kwargs={},
        adapt=["b", "a", "b", "c", "b", "a", "d", "c"],
        input=TOKENS_IN,
    ),
    "string_adapt_max_tokens": dict(
        layer="StringLookup",
        kwargs=dict(max_tokens=4),
        adapt=TOKENS,
        adapt_array=True,
        input=TOKENS_IN,
    ),
    "string_mask_three_oov": dict(
        layer="StringLookup",
        kwargs=dict(vocabulary=["a", "b", "c"], mask_token="", num_oov_indices=3),
        input=TOKENS_IN,
    ),
    "string_salted_oov": dict(
        layer="StringLookup",
        kwargs=dict(vocabulary=["a", "b"], num_oov_indices=4, salt=[7, 9]),
        input=TOKENS_IN,
    ),
    "string_specials_in_vocabulary": dict(
        layer="StringLookup",
        kwargs=dict(vocabulary=["[MASK]", "[UNK]", "a", "b"], mask_token="[MASK]"),
        input=[["a", "[MASK]", "b", "c"]],
    ),
    "string_invert": dict(
        layer="StringLookup",
        kwargs=dict(vocabulary=["a", "b", "c"], mask_token="[MASK]", invert=True),
        input=[[0, 1, 2, 3, 4, 5, 9]],
    ),
    "string_one_hot": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="one_hot"),
        adapt=TOKENS,
        adapt_array=True,
        input=[["a"], ["z"], ["g"]],
    ),
    "string_multi_hot": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="multi_hot", mask_token=""),
        adapt=TOKENS,
        adapt_array=True,
        input=TOKENS_IN,
    ),
    "string_count_padded": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="count", max_tokens=12, pad_to_max_tokens=True),
        adapt=TOKENS,
        adapt_array=True,
        input=TOKENS_IN,
    ),
    "string_tf_idf": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="tf_idf"),
        adapt=TOKENS,
        adapt_array=True,
        input=TOKENS_IN,
    ),
    "string_tf_idf_padded": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="tf_idf", max_tokens=9, pad_to_max_tokens=True),
        adapt=TOKENS,
        adapt_array=True,
        input=TOKENS_IN,
    ),
    "string_tf_idf_given": dict(
        layer="StringLookup",
        kwargs=dict(
            vocabulary=["a", "b", "c", "d"],
            idf_weights=[0.25, 0.75, 0.6, 0.4],
            output_mode="tf_idf",
        ),
        input=TOKENS_IN,
    ),
    "string_adapt_batches": dict(
        layer="StringLookup",
        kwargs=dict(output_mode="tf_idf"),
        adapt=[TOKENS[:2], TOKENS[2:]],
        adapt_batches=True,
        input=TOKENS_IN,
    ),
    # --- IntegerLookup ------------------------------------------------------------------------
    "integer_adapt": dict(
        layer="IntegerLookup", kwargs={}, adapt=[12, 36, 12, 42, 12, 36, 7, 7], input=INTS_IN
    ),
    "integer_mask_floormod": dict(
        layer="IntegerLookup",
        kwargs=dict(mask_token=0, num_oov_indices=3),
        adapt=INTS,
        adapt_array=True,
        input=INTS_IN,
    ),
    "integer_farmhash": dict(
        layer="IntegerLookup",
        kwargs=dict(num_oov_indices=3, oov_method="farmhash"),
        adapt=INTS,
        adapt_array=True,
        input=INTS_IN,
    ),
    "integer_farmhash_salt": dict(
        layer="IntegerLookup",
        kwargs=dict(num_oov_indices=3, oov_method="farmhash", salt=11),
        adapt=INTS,
        adapt_array=True,
        input=INTS_IN,
    ),
    "integer_invert": dict(
        layer="IntegerLookup",
        kwargs=dict(vocabulary=[12, 36, 42], mask_token=0, invert=True),
        input=[[0, 1, 2, 3, 4, 7]],
    ),
    "integer_count": dict(
        layer="IntegerLookup",
        kwargs=dict(output_mode="count", max_tokens=4),
        adapt=INTS,
        adapt_array=True,
        input=INTS_IN,
    ),
    "integer_tf_idf": dict(
        layer="IntegerLookup",
        kwargs=dict(output_mode="tf_idf"),
        adapt=INTS,
        adapt_array=True,
        input=INTS_IN,
    ),
    # --- TextVectorization --------------------------------------------------------------------
    "text_int": dict(
        layer="TextVectorization",
        kwargs=dict(max_tokens=8, output_sequence_length=5),
        adapt=TEXTS,
        input=TEXTS_IN,
    ),
    "text_multi_hot_bigrams": dict(
        layer="TextVectorization",
        kwargs=dict(output_mode="multi_hot", ngrams=2),
        adapt=TEXTS,
        input=TEXTS_IN,
    ),
    "text_count_padded": dict(
        layer="TextVectorization",
        kwargs=dict(output_mode="count", max_tokens=20, pad_to_max_tokens=True),
        adapt=TEXTS,
        input=TEXTS_IN,
    ),
    "text_tf_idf": dict(
        layer="TextVectorization", kwargs=dict(output_mode="tf_idf"), adapt=TEXTS, input=TEXTS_IN
    ),
    "text_tf_idf_batches": dict(
        layer="TextVectorization",
        kwargs=dict(output_mode="tf_idf", max_tokens=6),
        adapt=[TEXTS[:2], TEXTS[2:]],
        adapt_batches=True,
        input=TEXTS_IN,
    ),
    # --- Discretization and Normalization adapt -------------------------------------------------
    "discretization_arange": dict(
        layer="Discretization",
        kwargs=dict(num_bins=4),
        adapt=np.arange(100.0).tolist(),
        adapt_array=True,
        input=[[0.0, 24.0, 25.0, 99.0]],
    ),
    "discretization_normal": dict(
        layer="Discretization",
        kwargs=dict(num_bins=5, epsilon=0.05, output_mode="count"),
        adapt=VALUES,
        adapt_array=True,
        input=VALUES_IN,
    ),
    "discretization_batches": dict(
        layer="Discretization",
        kwargs=dict(num_bins=6, output_mode="one_hot"),
        adapt=[VALUES[:130], VALUES[130:]],
        adapt_batches=True,
        input=[[v] for v in VALUES_IN[1]],
    ),
    "normalization_batches": dict(
        layer="Normalization",
        kwargs={},
        adapt=[VALUES[:70], VALUES[70:200], VALUES[200:]],
        adapt_batches=True,
        input=VALUES_IN,
    ),
}


FILE_INPUTS = [
    np.array([["the dog sat on a cat"], ["Birds?"], ["mat mat mat the"]]),
    np.array(TOKENS_IN),
    np.array([*INTS_IN[:2], [12, 12, 36]], dtype="int64"),
    np.array(VALUES_IN[:3], dtype="float32"),
]


def build_file_model(lib):
    """A model of every adapted preprocessing layer, for `lib` = keras or teachkeras."""
    L = lib.layers
    text = lib.Input((1,), dtype="string", name="text")
    tokens = lib.Input((3,), dtype="string", name="tokens")
    ids = lib.Input((3,), dtype="int64", name="ids")
    values = lib.Input((2,), name="values")
    vectorize = L.TextVectorization(max_tokens=10, output_sequence_length=4)
    vectorize.adapt(TEXTS)
    tf_idf_text = L.TextVectorization(output_mode="tf_idf")
    tf_idf_text.adapt(TEXTS)
    tf_idf = L.StringLookup(output_mode="tf_idf")
    tf_idf.adapt(np.array(TOKENS))
    masked = L.StringLookup(mask_token="", num_oov_indices=2)
    masked.adapt(np.array(TOKENS))
    multi_hot = L.IntegerLookup(output_mode="multi_hot")
    multi_hot.adapt(np.array(INTS))
    bins = L.Discretization(num_bins=3)
    bins.adapt(np.array(VALUES))
    norm = L.Normalization()
    norm.adapt(np.array(VALUES, dtype="float32"))
    outputs = [
        vectorize(text),
        tf_idf_text(text),
        tf_idf(tokens),
        masked(tokens),
        multi_hot(ids),
        L.Hashing(num_bins=5, salt=3)(tokens),
        bins(values),
        norm(values),
    ]
    return lib.Model([text, tokens, ids, values], outputs)
