"""What changed between Keras 1, 2 and 3, and the warning that teaches it.

Tutorials written for older Keras still work here: an old spelling is accepted,
behaves as it did, and warns once with the line to write today. This file is the
single table of those spellings, so a learner can read what changed in one place.
Old argument names are translated before a constructor runs, by one table per class
(`renames.py`: `@accepts_renamed({"output_dim": "units", ...})` above `Dense`).
"""

from __future__ import annotations

import os
import re
import sys
import warnings

# teachkeras/ (this file is teachkeras/legacy/__init__.py): frames below it are ours, not the learner's
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class KerasLegacyWarning(UserWarning):
    """An older Keras spelling was used; the message shows the modern one."""


# Every older spelling teachkeras accepts, under the Keras that used it: what you may find in a
# tutorial → what to write today. Each is accepted where it was used, behaves as it did, and
# warns once with the modern line; `tests/test_legacy.py` runs every row. (A spelling too long
# for the first column puts its "→ today" on the next line.)
_CHANGES_TABLE = """
Keras 1
Dense(output_dim=8)                               →  Dense(units=8)
Dense(..., init='uniform')                        →  Dense(..., kernel_initializer='uniform')
Dense(..., W_regularizer=l2(0.01))                →  Dense(..., kernel_regularizer=l2(0.01))
Dense(..., b_regularizer=...)                     →  Dense(..., bias_regularizer=...)
Dense(..., W_constraint=...)                      →  Dense(..., kernel_constraint=...)
Dense(..., b_constraint=...)                      →  Dense(..., bias_constraint=...)
Dense(..., bias=False)                            →  Dense(..., use_bias=False)
model.fit(..., nb_epoch=10)                       →  model.fit(..., epochs=10)
Convolution2D(32, 3, 3)                           →  Conv2D(32, (3, 3))
Conv2D(nb_filter=32, nb_row=3, nb_col=3)          →  Conv2D(filters=32, kernel_size=(3, 3))
Conv2D(..., border_mode='same')                   →  Conv2D(..., padding='same')
Conv2D(..., subsample=(2, 2))                     →  Conv2D(..., strides=(2, 2))
Convolution1D(filter_length=3, subsample_length=1)
                                                  →  Conv1D(kernel_size=3, strides=1)
Convolution1D(..., input_dim=5, input_length=9)   →  Conv1D(..., input_shape=(9, 5))
MaxPooling1D(pool_length=2, stride=2)             →  MaxPooling1D(pool_size=2, strides=2)
MaxPooling2D(..., border_mode='valid')            →  MaxPooling2D(..., padding='valid')
Conv2D(..., dim_ordering='th')                    →  Conv2D(..., data_format='channels_first')
BatchNormalization(beta_init=..., gamma_init=..., mode=0)
                                                  →  BatchNormalization(beta_initializer=..., gamma_initializer=...)
merge([a, b], mode='sum')                         →  Add()([a, b])  (concat: Concatenate(), mul: Multiply(), ...)
regularizers.l1l2(...), activity_l2(...)          →  regularizers.L1L2(...), L2(...)
L2(l=0.01)                                        →  L2(l2=0.01)
constraints.maxnorm(m=2), nonneg, unitnorm        →  constraints.MaxNorm(max_value=2), NonNeg(), UnitNorm()
imdb.load_data(nb_words=5000)                     →  imdb.load_data(num_words=5000)
LSTM(output_dim=32), GRU(...), SimpleRNN(...)     →  LSTM(units=32)
LSTM(..., init=..., inner_init=...)               →  LSTM(..., kernel_initializer=..., recurrent_initializer=...)
LSTM(..., inner_activation='hard_sigmoid')        →  LSTM(..., recurrent_activation='hard_sigmoid')
LSTM(..., W_regularizer=..., U_regularizer=..., b_regularizer=...)
                                                  →  LSTM(..., kernel_regularizer=..., recurrent_regularizer=..., bias_regularizer=...)
LSTM(..., dropout_W=0.2, dropout_U=0.2)           →  LSTM(..., dropout=0.2, recurrent_dropout=0.2)
LSTM(..., forget_bias_init='one')                 →  LSTM(..., unit_forget_bias=True)
LSTM(..., consume_less='gpu')                     →  LSTM(...)  (Keras 2's implementation=2: a speed option, the same numbers)
LSTM(..., input_dim=8, input_length=10)           →  LSTM(..., input_shape=(10, 8))
Convolution3D(32, 3, 3, 3)                        →  Conv3D(32, (3, 3, 3))
Conv3D(nb_filter=8, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3)
                                                  →  Conv3D(filters=8, kernel_size=(3, 3, 3))
AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2)) →  Conv2D(64, (3, 3), dilation_rate=(2, 2))
AtrousConvolution1D(32, 2, atrous_rate=4)         →  Conv1D(32, 2, dilation_rate=4)
Deconvolution2D(64, 3, 3, output_shape=...)       →  Conv2DTranspose(64, (3, 3))  (it computes its output shape)
SeparableConvolution2D(32, 3, 3, init='he_normal')
                                                  →  SeparableConv2D(32, (3, 3), depthwise_initializer='he_normal', pointwise_initializer='he_normal')
UpSampling1D(length=2)                            →  UpSampling1D(size=2)
GaussianNoise(sigma=0.1)                          →  GaussianNoise(stddev=0.1)
GaussianDropout(p=0.2), SpatialDropout2D(p=0.2)   →  GaussianDropout(rate=0.2), SpatialDropout2D(rate=0.2)
PReLU(init='zero')                                →  PReLU(alpha_initializer='zeros')

Keras 2
BatchNormalization(..., fused=True)               →  BatchNormalization(...)  (fused was a TensorFlow speed option)
SGD(lr=0.01)                                      →  SGD(learning_rate=0.01)
SGD(..., decay=1e-6)                              →  SGD(learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6))
optimizer.lr                                      →  optimizer.learning_rate
LeakyReLU(alpha=0.1)                              →  LeakyReLU(negative_slope=0.1)
activations.relu(x, alpha=0.1)                    →  activations.relu(x, negative_slope=0.1)
InputLayer(input_shape=(4,)) / batch_input_shape  →  InputLayer(shape=(4,)) / batch_shape
ReduceLROnPlateau(epsilon=1e-4)                   →  ReduceLROnPlateau(min_delta=1e-4)
model.predict_classes(x)                          →  np.argmax(model.predict(x), axis=-1)
model.predict_proba(x)                            →  model.predict(x)
model.fit_generator(gen, steps_per_epoch=...)     →  model.fit(gen, steps_per_epoch=...)
model.evaluate_generator / predict_generator      →  model.evaluate / model.predict
class Data(keras.utils.Sequence)                  →  class Data(keras.utils.PyDataset), calling super().__init__(**kwargs)
model.fit(generator, class_weight=...)            →  yield (x, y, sample_weight) batches, or fit(py_dataset, class_weight=...)
model.to_yaml() / model_from_yaml(...)            →  model.to_json() / model_from_json(...)
metrics=['acc'] (history key 'acc')               →  metrics=['accuracy']
metric.reset_states()                             →  metric.reset_state()
LSTM(..., implementation=2)                       →  LSTM(...)  (a speed option: the same numbers)
LSTM(..., time_major=False)  (tf.keras .h5 files) →  LSTM(...)  (sequences are always (batch, timesteps, features))
model.reset_states()  (stateful RNNs)             →  layer.reset_state() for each stateful layer
AtrousConv1D(...), AtrousConv2D(...)             →  Conv1D(..., dilation_rate=...), Conv2D(..., dilation_rate=...)
Deconv2D(...), Deconvolution3D(...), Deconv3D(...)
                                                  →  Conv2DTranspose(...), Conv3DTranspose(...)
Embedding(10000, 8, input_length=100)             →  keras.Input(shape=(100,)), then Embedding(10000, 8)  (Keras 3 ignores input_length)
keras.preprocessing.text: Tokenizer, text_to_word_sequence
                                                  →  keras.layers.TextVectorization(max_tokens=..., output_sequence_length=...), .adapt(texts)
losses: logcosh, kullback_leibler_divergence, cosine_proximity
                                                  →  log_cosh, kl_divergence, cosine_similarity
kernel_regularizer='l1_l2'                        →  kernel_regularizer=L1L2(l1=0.01, l2=0.01)
keras.experimental.export_saved_model(model, path)
                                                  →  model.save('model.keras')  (Keras 3's model.export(path) for TensorFlow serving)
keras.experimental.load_from_saved_model(path)    →  keras.models.load_model('model.keras')
from keras import backend as K; K.placeholder, K.function, K.gradients
                                                  →  a GradientTape and model(x) (teachkeras keeps the Keras 2 K, see teachkeras/backend)
keras.layers.experimental.preprocessing.RandomFlip & co (tf.keras 2.2-2.5)
                                                  →  keras.layers.RandomFlip & co
"""


def _parse_changes(table: str) -> list[tuple[str, str, str]]:
    """The rows of `table` as (old spelling, the Keras that used it, what to write today)."""
    table = re.sub(r"\n +→", "  →", table)  # a long spelling's "→ today" joins its line
    rows, version = [], ""
    for line in table.splitlines():
        if "→" in line:
            old, today = line.split("→")
            rows.append((old.strip(), version, today.strip()))
        elif line.strip():  # a heading: "Keras 1"
            version = line.strip()
    return rows


CHANGES: list[tuple[str, str, str]] = _parse_changes(_CHANGES_TABLE)


_already_warned: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int | None = None) -> None:
    """Warn with `message` the first time `key` is seen in this process.

    The warning points at the learner's line (the first caller outside teachkeras),
    however deep inside the library the old spelling was noticed.
    """
    if key in _already_warned:
        return
    _already_warned.add(key)
    warnings.warn(message, KerasLegacyWarning, stacklevel=stacklevel or user_stacklevel())


def user_stacklevel() -> int:
    """The `stacklevel` for a `warnings.warn` in the calling function that names the learner's
    line: the first frame outside teachkeras, however deep the call (a fixed number is wrong
    once a wrapper such as `@accepts_renamed` adds a frame)."""
    frame, level = sys._getframe(1), 1  # 1: the function that calls warnings.warn
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def reset_warnings() -> None:
    """Forget which warnings were given (for tests)."""
    _already_warned.clear()


# Old argument names, translated by table (renames.py imports warn_once from here).
from .renames import pop_renamed  # noqa: E402
