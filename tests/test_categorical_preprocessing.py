"""Layers for categories: CategoryEncoding, Discretization, Hashing, StringLookup, IntegerLookup.

Values from Keras 3's documentation and tests (computed by Keras with TensorFlow), the
hash functions against published test vectors, adapt on arrays and datasets, saving, and
the errors a learner meets."""

from __future__ import annotations

import numpy as np
import pytest

from teachkeras.layers import (
    CategoryEncoding,
    Discretization,
    Hashing,
    IntegerLookup,
    StringLookup,
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
