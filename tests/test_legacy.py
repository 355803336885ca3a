"""Old spellings warn once, with the modern line, pointing at the learner's own line."""

from __future__ import annotations

import tempfile
import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.legacy import CHANGES, KerasLegacyWarning, warn_once


def test_warning_points_at_the_callers_file_and_comes_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.layers.Dense(output_dim=3)
        keras.layers.Dense(output_dim=4)
    legacy = [w for w in caught if issubclass(w.category, KerasLegacyWarning)]
    assert len(legacy) == 1
    assert legacy[0].filename == __file__
    assert "Dense(units=...)" in str(legacy[0].message)


def test_warn_once_keys_are_independent():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_once("a", "first")
        warn_once("b", "second")
        warn_once("a", "again")
    assert [str(w.message) for w in caught] == ["first", "second"]


# --- every row of legacy.CHANGES, run: it must work and warn (KerasLegacyWarning) ------------
def _fit_nb_epoch():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 2)), np.ones(4), nb_epoch=1, verbose=0)


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model


def _generator():
    while True:
        yield np.ones((4, 2)), np.zeros(4)


def _sequence_subclass():
    class Batches(keras.utils.Sequence):  # Keras 2's base class: still a dataset fit reads
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return np.ones((4, 2)), np.zeros(4)

    assert isinstance(Batches(), keras.utils.PyDataset)
    assert len(_model().fit(Batches(), epochs=2, verbose=0).history["loss"]) == 2


def _fit_generator_class_weight():
    history = _model().fit(_generator(), steps_per_epoch=2, class_weight={0: 2.0}, verbose=0)
    assert len(history.history["loss"]) == 1


def _acc():
    model = _model()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["acc"])
    return model.fit(np.ones((4, 2)), np.zeros(4), verbose=0).history["acc"]


def _export_saved_model():
    with tempfile.TemporaryDirectory() as folder:
        keras.experimental.export_saved_model(_model(), folder)


def _load_from_saved_model():
    with tempfile.TemporaryDirectory() as folder:
        _model().save(f"{folder}/model.keras")
        keras.experimental.load_from_saved_model(folder)


L = keras.layers
ROWS = {
    "Dense(output_dim=8)": lambda: L.Dense(output_dim=8),
    "Dense(..., init='uniform')": lambda: L.Dense(2, init="uniform"),
    "Dense(..., W_regularizer=l2(0.01))": lambda: L.Dense(
        2, W_regularizer=keras.regularizers.L2(0.01)
    ),
    "Dense(..., b_regularizer=...)": lambda: L.Dense(2, b_regularizer="l2"),
    "Dense(..., W_constraint=...)": lambda: L.Dense(2, W_constraint="non_neg"),
    "Dense(..., b_constraint=...)": lambda: L.Dense(2, b_constraint="non_neg"),
    "Dense(..., bias=False)": lambda: L.Dense(2, bias=False),
    "model.fit(..., nb_epoch=10)": _fit_nb_epoch,
    "Convolution2D(32, 3, 3)": lambda: L.Convolution2D(32, 3, 3),
    "Conv2D(nb_filter=32, nb_row=3, nb_col=3)": lambda: L.Conv2D(nb_filter=32, nb_row=3, nb_col=3),
    "Conv2D(..., border_mode='same')": lambda: L.Conv2D(2, 3, border_mode="same"),
    "Conv2D(..., subsample=(2, 2))": lambda: L.Conv2D(2, 3, subsample=(2, 2)),
    "Convolution1D(filter_length=3, subsample_length=1)": lambda: L.Convolution1D(
        2, filter_length=3, subsample_length=1
    ),
    "Convolution1D(..., input_dim=5, input_length=9)": lambda: L.Convolution1D(
        2, 3, input_dim=5, input_length=9
    ),
    "MaxPooling1D(pool_length=2, stride=2)": lambda: L.MaxPooling1D(pool_length=2, stride=2),
    "MaxPooling2D(..., border_mode='valid')": lambda: L.MaxPooling2D(border_mode="valid"),
    "Conv2D(..., dim_ordering='th')": lambda: L.Conv2D(2, 3, dim_ordering="th"),
    "BatchNormalization(beta_init=..., gamma_init=..., mode=0)": lambda: L.BatchNormalization(
        beta_init="zeros", gamma_init="ones", mode=0
    ),
    "BatchNormalization(..., fused=True)": lambda: L.BatchNormalization(fused=True),
    "merge([a, b], mode='sum')": lambda: L.merge(
        [keras.Input((2,)), keras.Input((2,))], mode="sum"
    ),
    "regularizers.l1l2(...), activity_l2(...)": lambda: keras.regularizers.l1l2(0.01, 0.01),
    "L2(l=0.01)": lambda: keras.regularizers.L2(l=0.01),
    "constraints.maxnorm(m=2), nonneg, unitnorm": lambda: keras.constraints.maxnorm(m=2),
    "SGD(lr=0.01)": lambda: keras.optimizers.SGD(lr=0.01),
    "SGD(..., decay=1e-6)": lambda: keras.optimizers.SGD(0.01, decay=1e-6),
    "optimizer.lr": lambda: keras.optimizers.SGD(0.01).lr,
    "LeakyReLU(alpha=0.1)": lambda: L.LeakyReLU(alpha=0.1),
    "activations.relu(x, alpha=0.1)": lambda: keras.activations.relu(np.ones(2), alpha=0.1),
    "InputLayer(input_shape=(4,)) / batch_input_shape": lambda: L.InputLayer(input_shape=(4,)),
    "Embedding(10000, 8, input_length=100)": lambda: L.Embedding(10000, 8, input_length=100),
    "keras.preprocessing.text: Tokenizer, text_to_word_sequence": lambda: (
        keras.preprocessing.text.Tokenizer()
    ),
    "ReduceLROnPlateau(epsilon=1e-4)": lambda: keras.callbacks.ReduceLROnPlateau(epsilon=1e-4),
    "model.predict_classes(x)": lambda: _model().predict_classes(np.ones((2, 2))),
    "model.predict_proba(x)": lambda: _model().predict_proba(np.ones((2, 2))),
    "model.fit_generator(gen, steps_per_epoch=...)": lambda: _model().fit_generator(
        _generator(), steps_per_epoch=2, epochs=1, verbose=0
    ),
    "model.evaluate_generator / predict_generator": lambda: _model().evaluate_generator(
        _generator(), steps=1
    ),
    "class Data(keras.utils.Sequence)": _sequence_subclass,
    "model.fit(generator, class_weight=...)": _fit_generator_class_weight,
    "model.to_yaml() / model_from_yaml(...)": lambda: _model().to_yaml(),
    "metrics=['acc'] (history key 'acc')": _acc,
    "metric.reset_states()": lambda: keras.metrics.Mean().reset_states(),
    "losses: logcosh, kullback_leibler_divergence, cosine_proximity": lambda: keras.losses.get(
        "logcosh"
    ),
    "kernel_regularizer='l1_l2'": lambda: L.Dense(2, kernel_regularizer="l1_l2"),
    "keras.experimental.export_saved_model(model, path)": _export_saved_model,
    "keras.experimental.load_from_saved_model(path)": _load_from_saved_model,
    "LSTM(output_dim=32), GRU(...), SimpleRNN(...)": lambda: L.GRU(output_dim=3),
    "LSTM(..., init=..., inner_init=...)": lambda: L.SimpleRNN(2, init="zeros", inner_init="ones"),
    "LSTM(..., inner_activation='hard_sigmoid')": lambda: L.LSTM(2, inner_activation="sigmoid"),
    "LSTM(..., W_regularizer=..., U_regularizer=..., b_regularizer=...)": lambda: L.LSTM(
        2, W_regularizer="l2", U_regularizer="l2", b_regularizer="l2"
    ),
    "LSTM(..., dropout_W=0.2, dropout_U=0.2)": lambda: L.GRU(2, dropout_W=0.2, dropout_U=0.2),
    "LSTM(..., forget_bias_init='one')": lambda: L.LSTM(2, forget_bias_init="one"),
    "LSTM(..., consume_less='gpu')": lambda: L.LSTM(2, consume_less="gpu"),
    "LSTM(..., input_dim=8, input_length=10)": lambda: L.LSTM(2, input_dim=8, input_length=10),
    "LSTM(..., implementation=2)": lambda: L.LSTM(2, implementation=2),
    "LSTM(..., time_major=False)  (tf.keras .h5 files)": lambda: L.RNN(
        L.LSTMCell(2), time_major=False
    ),
    "model.reset_states()  (stateful RNNs)": lambda: keras.Sequential(
        [L.LSTM(2, batch_input_shape=(1, 3, 1), stateful=True)]
    ).reset_states(),
    "keras.layers.experimental.preprocessing.RandomFlip & co (tf.keras 2.2-2.5)": lambda: (
        L.experimental.preprocessing.RandomFlip("horizontal")
    ),
    "Convolution3D(32, 3, 3, 3)": lambda: L.Convolution3D(32, 3, 3, 3),
    "Conv3D(nb_filter=8, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3)": lambda: L.Conv3D(
        nb_filter=8, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3
    ),
    "AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2))": lambda: L.AtrousConvolution2D(
        64, 3, 3, atrous_rate=(2, 2)
    ),
    "AtrousConvolution1D(32, 2, atrous_rate=4)": lambda: L.AtrousConvolution1D(
        32, 2, atrous_rate=4
    ),
    "Deconvolution2D(64, 3, 3, output_shape=...)": lambda: L.Deconvolution2D(
        64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2)
    ),
    "SeparableConvolution2D(32, 3, 3, init='he_normal')": lambda: L.SeparableConvolution2D(
        32, 3, 3, init="he_normal"
    ),
    "UpSampling1D(length=2)": lambda: L.UpSampling1D(length=2),
    "GaussianNoise(sigma=0.1)": lambda: L.GaussianNoise(sigma=0.1),
    "GaussianDropout(p=0.2), SpatialDropout2D(p=0.2)": lambda: L.SpatialDropout2D(p=0.2),
    "PReLU(init='zero')": lambda: L.PReLU(init="zero"),
    "AtrousConv1D(...), AtrousConv2D(...)": lambda: L.AtrousConv2D(8, (3, 3), atrous_rate=2),
    "Deconv2D(...), Deconvolution3D(...), Deconv3D(...)": lambda: L.Deconvolution3D(4, 3),
}
# Rows checked elsewhere, with why.
ELSEWHERE = {
    "imdb.load_data(nb_words=5000)": "needs a dataset file: tests/test_datasets.py",
    "from keras import backend as K; K.placeholder, K.function, K.gradients": "no warning: kept as it was; tests/test_symbolic.py",
}


def test_every_change_has_a_check():
    assert sorted(set(ROWS) | set(ELSEWHERE)) == sorted(row[0] for row in CHANGES)


@pytest.mark.parametrize("spelling", sorted(ROWS))
def test_old_spelling_works_and_warns(spelling):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ROWS[spelling]()
    legacy = [w for w in caught if issubclass(w.category, KerasLegacyWarning)]
    assert legacy, f"{spelling} gave no KerasLegacyWarning"
