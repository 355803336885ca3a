"""Keras 2 tutorial programs run unchanged after `install_as_keras()`, and give the right numbers.

Each program below is written as the Keras 2 era wrote it (old imports, `K` graph code,
old argument spellings); the only added line is `teachkeras.install_as_keras()`. Each runs
in its own Python process (the install must not leak into this one), all of them at once,
and prints `RESULT name value` lines that the tests check.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

KERAS2_MLP = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
import keras
from keras.datasets import digits
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation
from keras.optimizers import SGD

np.random.seed(7)
keras.utils.set_random_seed(7)
(x_train, y_train), (x_test, y_test) = digits.load_data()
x_train = x_train.reshape(-1, 64) / 16.0
x_test = x_test.reshape(-1, 64) / 16.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = Sequential()
model.add(Dense(64, input_dim=64, init='uniform'))
model.add(Activation('relu'))
model.add(Dropout(0.2))
model.add(Dense(10, init='uniform'))
model.add(Activation('softmax'))
sgd = SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
model.fit(x_train, y_train, nb_epoch=15, batch_size=32, verbose=0)
score = model.evaluate(x_test, y_test, batch_size=32, verbose=0)
classes = model.predict_classes(x_test)
print("RESULT accuracy", score[1])
print("RESULT classes_agree", np.mean(classes == np.argmax(model.predict(x_test), axis=-1)))
print("RESULT class_accuracy", np.mean(classes == np.argmax(y_test, axis=-1)))
"""

KERAS2_CNN = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
import keras
from keras.datasets import digits
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D
from keras import backend as K

batch_size, num_classes, epochs = 64, 10, 6
img_rows, img_cols = 8, 8
np.random.seed(1)
keras.utils.set_random_seed(1)
(x_train, y_train), (x_test, y_test) = digits.load_data()
if K.image_data_format() == 'channels_first':
    x_train = x_train.reshape(x_train.shape[0], 1, img_rows, img_cols)
    x_test = x_test.reshape(x_test.shape[0], 1, img_rows, img_cols)
    input_shape = (1, img_rows, img_cols)
else:
    x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
    x_test = x_test.reshape(x_test.shape[0], img_rows, img_cols, 1)
    input_shape = (img_rows, img_cols, 1)
x_train = x_train.astype('float32') / 16
x_test = x_test.astype('float32') / 16
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Conv2D(16, kernel_size=(3, 3), activation='relu', input_shape=input_shape))
model.add(Conv2D(32, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(num_classes, activation='softmax'))
model.compile(loss=keras.losses.categorical_crossentropy,
              optimizer=keras.optimizers.Adam(lr=0.003),
              metrics=['accuracy'])
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=0,
                    validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
print("RESULT test_accuracy", score[1])
print("RESULT val_accuracy_last", history.history['val_accuracy'][-1])
print("RESULT loss_first", history.history['loss'][0])
print("RESULT loss_last", history.history['loss'][-1])
"""

KERAS2_FEATURES = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
import keras
from keras.datasets import digits
from keras.models import Sequential, Model
from keras.layers import Dense, Dropout
from keras import backend as K

np.random.seed(3)
keras.utils.set_random_seed(3)
(x_train, y_train), (x_test, y_test) = digits.load_data()
x_train = x_train.reshape(-1, 64).astype('float32') / 16
x_test = x_test.reshape(-1, 64).astype('float32') / 16
model = Sequential()
model.add(Dense(32, input_shape=(64,), activation='relu', name='features'))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)

# with a Keras function (the Keras 2 FAQ)
get_dropout_output = K.function([model.layers[0].input, K.learning_phase()],
                                [model.layers[1].output])
test_mode = get_dropout_output([x_test, 0])[0]
train_mode = get_dropout_output([x_test, 1])[0]
# with an intermediate model
intermediate_layer_model = Model(inputs=model.input, outputs=model.get_layer('features').output)
intermediate_output = intermediate_layer_model.predict(x_test)
get_probabilities = K.function([model.input], [model.output])

print("RESULT test_mode_vs_model", np.max(np.abs(test_mode - intermediate_output)))
kept = train_mode != 0
print("RESULT train_mode_scaled", np.max(np.abs(train_mode[kept] - 2 * test_mode[kept])))
print("RESULT dropped_fraction", np.mean(train_mode[test_mode > 0] == 0))
print("RESULT probabilities_vs_predict",
      np.max(np.abs(get_probabilities([x_test])[0] - model.predict(x_test))))
print("RESULT shape", test_mode.shape)
"""

KERAS2_CUSTOM_LOSS = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
import keras
from keras.datasets import digits
from keras.models import Sequential
from keras.layers import Dense
from keras import backend as K

def weighted_categorical_crossentropy(weights):
    weights = K.variable(weights)
    def loss(y_true, y_pred):
        y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
        y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
        return -K.sum(y_true * K.log(y_pred) * weights, axis=-1)
    return loss

def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

np.random.seed(5)
keras.utils.set_random_seed(5)
(x_train, y_train), (x_test, y_test) = digits.load_data()
x_train = x_train.reshape(-1, 64).astype('float32') / 16
x_test = x_test.reshape(-1, 64).astype('float32') / 16
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
class_weights = np.linspace(0.5, 2.0, 10)
model = Sequential([Dense(32, activation='relu', input_shape=(64,)), Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss=weighted_categorical_crossentropy(class_weights),
              metrics=['accuracy', rmse])
history = model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
loss, accuracy, rmse_value = model.evaluate(x_test, y_test, batch_size=len(x_test), verbose=0)

p = np.clip(model.predict(x_test), 1e-7, 1 - 1e-7)
by_hand = np.mean(-np.sum(y_test * np.log(p) * class_weights, axis=-1))
print("RESULT loss_vs_numpy", abs(loss - by_hand) / by_hand)
print("RESULT rmse_vs_numpy", abs(rmse_value - np.mean(np.sqrt(np.mean((p - y_test) ** 2, -1)))))
print("RESULT loss_first", history.history['loss'][0])
print("RESULT loss_last", history.history['loss'][-1])
print("RESULT accuracy", accuracy)
print("RESULT metrics", model.metrics_names)
"""

KERAS2_GRAPH_MODE = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
from keras import backend as K

rng = np.random.RandomState(0)
X = rng.randn(200, 2).astype('float32')
Y = (X[:, :1] + 2 * X[:, 1:] > 0).astype('float32')

x = K.placeholder(shape=(None, 2), name='x')
y = K.placeholder(shape=(None, 1), name='y')
w = K.variable(np.zeros((2, 1)), name='w')
b = K.variable(np.zeros((1,)), name='b')
p = K.sigmoid(K.dot(x, w) + b)
loss = K.mean(K.binary_crossentropy(y, p))
grad_w, grad_b = K.gradients(loss, [w, b])
lr = 0.5
train = K.function([x, y], [loss, grad_w], updates=[K.update_sub(w, lr * grad_w),
                                                    K.update_sub(b, lr * grad_b)])
predict = K.function([x], [p])

first_loss, first_grad = train([X, Y])
for epoch in range(300):
    loss_value, _ = train([X, Y])
accuracy = np.mean((predict([X])[0] > 0.5) == Y)
analytic = X.T @ (0.5 - Y) / len(X)   # d loss / d w at w = 0, b = 0
print("RESULT first_loss", first_loss)
print("RESULT last_loss", loss_value)
print("RESULT first_grad_error", np.max(np.abs(first_grad - analytic)))
print("RESULT accuracy", accuracy)
print("RESULT direction", float(K.get_value(w)[1, 0] / K.get_value(w)[0, 0]))
"""

KERAS2_GRADIENT_ASCENT = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
from keras.datasets import digits
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.utils import to_categorical
from keras import backend as K

np.random.seed(0)
teachkeras.utils.set_random_seed(0)
(x_train, y_train), _ = digits.load_data()
x_train = x_train.reshape(-1, 8, 8, 1).astype('float32') / 16
model = Sequential()
model.add(Conv2D(8, (3, 3), activation='relu', input_shape=(8, 8, 1), name='block1_conv1'))
model.add(Conv2D(16, (3, 3), activation='relu', name='block1_conv2'))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='categorical_crossentropy')
model.fit(x_train, to_categorical(y_train), epochs=2, batch_size=64, verbose=0)

layer_dict = dict([(layer.name, layer) for layer in model.layers])
input_img = model.input

def normalize(x):
    # utility function to normalize a tensor by its L2 norm
    return x / (K.sqrt(K.mean(K.square(x))) + 1e-5)

def deprocess_image(x):
    x -= x.mean()
    x /= (x.std() + 1e-5)
    x *= 0.1
    x += 0.5
    x = np.clip(x, 0, 1)
    x *= 255
    return np.clip(x, 0, 255).astype('uint8')

kept_filters = []
for filter_index in range(4):
    layer_output = layer_dict['block1_conv2'].output
    loss = K.mean(layer_output[:, :, :, filter_index])
    grads = K.gradients(loss, input_img)[0]
    grads = normalize(grads)
    iterate = K.function([input_img], [loss, grads])

    input_img_data = np.random.random((1, 8, 8, 1)) * 0.2 + 0.4
    step = 0.1
    losses = []
    for i in range(20):
        loss_value, grads_value = iterate([input_img_data])
        input_img_data += grads_value * step
        losses.append(float(loss_value))
    kept_filters.append((deprocess_image(input_img_data[0]), losses[-1]))
    print("RESULT gain_%d" % filter_index, losses[-1] / max(losses[0], 1e-3))
    print("RESULT rms_grad_%d" % filter_index, float(np.sqrt(np.mean(grads_value ** 2))))

# the gradient K.gradients gives, against a finite difference, at one pixel
layer_output = layer_dict['block1_conv2'].output
loss = K.mean(layer_output[:, :, :, 0])
f = K.function([input_img], [loss, K.gradients(loss, input_img)[0]])
x0 = np.random.RandomState(1).rand(1, 8, 8, 1).astype('float32')
_, g = f([x0])
h = 1e-2
xp, xm = x0.copy(), x0.copy()
xp[0, 3, 4, 0] += h
xm[0, 3, 4, 0] -= h
numeric = (f([xp])[0] - f([xm])[0]) / (2 * h)
print("RESULT fd_error", abs(numeric - g[0, 3, 4, 0]))
print("RESULT image_dtype", kept_filters[0][0].dtype)
"""

KERAS2_GENERATORS = """
import teachkeras
teachkeras.install_as_keras()

import numpy as np
import keras
from keras.datasets import digits
from keras.models import Sequential
from keras.layers import Dense

def batch_generator(x, y, batch_size):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]

np.random.seed(2)
keras.utils.set_random_seed(2)
(x_train, y_train), (x_test, y_test) = digits.load_data()
x_train = x_train.reshape(-1, 64).astype('float32') / 16
x_test = x_test.reshape(-1, 64).astype('float32') / 16
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
model = Sequential([Dense(32, activation='relu', input_dim=64), Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
history = model.fit_generator(batch_generator(x_train, y_train, 32),
                              steps_per_epoch=len(x_train) // 32, epochs=8,
                              validation_data=batch_generator(x_test, y_test, 60),
                              validation_steps=6, verbose=0)
loss, accuracy = model.evaluate_generator(batch_generator(x_test, y_test, 60), steps=6)
predictions = model.predict_generator(batch_generator(x_test, y_test, 60), steps=6)
print("RESULT accuracy", accuracy)
print("RESULT val_accuracy", history.history['val_accuracy'][-1])
print("RESULT predict_vs_generator", np.max(np.abs(predictions - model.predict(x_test))))
print("RESULT predictions_shape", predictions.shape)
"""

PROGRAMS = {
    "mlp": KERAS2_MLP,
    "cnn": KERAS2_CNN,
    "features": KERAS2_FEATURES,
    "custom_loss": KERAS2_CUSTOM_LOSS,
    "graph_mode": KERAS2_GRAPH_MODE,
    "gradient_ascent": KERAS2_GRADIENT_ASCENT,
    "generators": KERAS2_GENERATORS,
}

# fit_generator & co. live in models/legacy_generators.py; Model gains them with one line.


class Ran:
    """One program's exit code, output, and its `RESULT name value` lines as a dict."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        self.results: dict[str, str] = {}
        for line in stdout.splitlines():
            if line.startswith("RESULT "):
                _, name, value = line.split(" ", 2)
                self.results[name] = value

    def number(self, name: str) -> float:
        return float(self.results[name])


@pytest.fixture(scope="module")
def ran() -> dict[str, Ran]:
    """Start every program at once (each in a fresh process), then collect them."""
    wanted = dict(PROGRAMS)
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, code in wanted.items()
    }
    done = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=180)
        done[name] = Ran(process.returncode, stdout, stderr)
    return done


def finished(ran: dict[str, Ran], name: str) -> Ran:
    result = ran[name]
    assert result.returncode == 0, result.stderr
    assert "import keras` now imports teachkeras" in result.stdout
    return result


def test_mlp_with_keras1_and_keras2_spellings(ran):
    result = finished(ran, "mlp")
    assert result.number("accuracy") > 0.9
    assert result.number("classes_agree") == 1.0
    assert abs(result.number("class_accuracy") - result.number("accuracy")) < 1e-6
    for modern in ("kernel_initializer=", "epochs=", "learning_rate=", "np.argmax(model.predict"):
        assert modern in result.stderr, modern


def test_cnn_from_the_keras2_examples(ran):
    result = finished(ran, "cnn")
    assert result.number("test_accuracy") > 0.9
    assert result.number("val_accuracy_last") == pytest.approx(result.number("test_accuracy"))
    assert result.number("loss_last") < 0.5 * result.number("loss_first")


def test_feature_extraction_with_k_function_and_the_learning_phase(ran):
    result = finished(ran, "features")
    assert result.number("test_mode_vs_model") < 1e-6  # test mode: Dropout is the identity
    assert result.number("train_mode_scaled") < 1e-5  # train mode: kept units scaled by 1/(1-0.5)
    assert 0.35 < result.number("dropped_fraction") < 0.65  # and about half of them dropped
    assert result.number("probabilities_vs_predict") < 1e-6
    assert result.results["shape"] == "(360, 32)"


def test_custom_loss_and_metric_written_with_k(ran):
    result = finished(ran, "custom_loss")
    assert result.number("loss_vs_numpy") < 1e-4
    assert result.number("rmse_vs_numpy") < 1e-5
    assert result.number("loss_last") < 0.5 * result.number("loss_first")
    assert result.number("accuracy") > 0.85
    assert result.results["metrics"] == "['loss', 'accuracy', 'rmse']"


def test_graph_mode_training_with_placeholders_gradients_and_updates(ran):
    result = finished(ran, "graph_mode")
    assert abs(result.number("first_loss") - 0.6931472) < 1e-5  # log 2 at w = 0
    assert result.number("first_grad_error") < 1e-6
    assert result.number("last_loss") < 0.3
    assert result.number("accuracy") > 0.95
    assert 1.5 < result.number("direction") < 2.5  # the boundary x1 + 2 x2 = 0 was learned


def test_gradient_ascent_on_an_input_image(ran):
    result = finished(ran, "gradient_ascent")
    for i in range(4):
        assert result.number(f"gain_{i}") > 2, f"filter {i} was not excited"
        assert 0.99 < result.number(f"rms_grad_{i}") <= 1.0  # normalize(): x / (rms(x) + 1e-5)
    assert result.number("fd_error") < 1e-3
    assert result.results["image_dtype"] == "uint8"


def test_fit_generator_evaluate_generator_predict_generator(ran):
    result = finished(ran, "generators")
    assert result.number("accuracy") > 0.85
    assert result.number("val_accuracy") == pytest.approx(result.number("accuracy"))
    assert result.number("predict_vs_generator") < 1e-6
    assert result.results["predictions_shape"] == "(360, 10)"
    for old in ("fit_generator", "evaluate_generator", "predict_generator"):
        assert f"Model.{old}() is the Keras 2 spelling" in result.stderr
