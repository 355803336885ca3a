"""Files as TensorFlow's Keras wrote them, built with h5py so no test needs TensorFlow."""

from __future__ import annotations

import json

import h5py
import numpy as np


def write_tf211_h5(path, kernel, bias, optimizer="Custom>Adam", loss="categorical_crossentropy"):
    """A whole-model `.h5` as TensorFlow 2.11's Keras wrote it (`model.save('m.h5')`).

    Its optimizer was registered as a user class, `Custom>Adam`; its config has TF-only
    keys; metrics are stored per output as MeanMetricWrapper configs; the optimizer
    state is TensorFlow's (no learning_rate variable, slots named `Adam/m/...`).
    `loss` may also be a loss object's config, as TF stored it (`"reduction": "auto"`).
    """
    dense = {
        "name": "dense",
        "trainable": True,
        "dtype": "float32",
        "batch_input_shape": [None, 4],
        "units": 2,
        "activation": "softmax",
        "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }
    input_layer = {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False}
    input_layer |= {"ragged": False, "name": "dense_input"}
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer", "config": input_layer},
                {"class_name": "Dense", "config": dense},
            ],
        },
    }
    accuracy = {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}
    training = {
        "loss": loss,
        "metrics": [[{"class_name": "MeanMetricWrapper", "config": accuracy}]],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": optimizer,
            "config": {
                "name": "Adam",
                "weight_decay": None,
                "clipnorm": None,
                "global_clipnorm": None,
                "clipvalue": None,
                "use_ema": False,
                "ema_momentum": 0.99,
                "ema_overwrite_frequency": None,
                "jit_compile": True,
                "is_legacy_optimizer": False,
                "learning_rate": 0.0020000000949949026,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        },
    }
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["training_config"] = json.dumps(training)
        f.attrs["keras_version"] = "2.11.0"
        f.attrs["backend"] = "tensorflow"
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [b"dense"]
        group.attrs["backend"], group.attrs["keras_version"] = b"tensorflow", b"2.11.0"
        layer = group.create_group("dense")
        layer.attrs["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]
        layer["dense/kernel:0"], layer["dense/bias:0"] = kernel, bias
        state = f.create_group("optimizer_weights")
        names = ["iteration:0"] + [
            f"Adam/{s}/dense/{w}:0" for w in ("kernel", "bias") for s in "mv"
        ]
        state.attrs["weight_names"] = [name.encode() for name in names]
        state[names[0]] = np.int64(7)
        for name, like in zip(names[1:], [kernel, kernel, bias, bias], strict=True):
            state[name] = np.full_like(like, 0.25)
