"""`keras.experimental.export_saved_model` / `load_from_saved_model` (tf.keras 1.14 to 2.x).

Older tutorials save a model as a folder:

    keras.experimental.export_saved_model(model, "saved_model")
    model = keras.experimental.load_from_saved_model("saved_model")

In TensorFlow that folder was a SavedModel: a TensorFlow graph (`saved_model.pb`) and its
variables. The two functions were deprecated in TensorFlow 2.1 and are not in Keras 3;
today one writes a `.keras` file:

    model.save("model.keras")
    model = keras.models.load_model("model.keras")

teachkeras has no TensorFlow graph to export, so it keeps the folder and puts in it what
it honestly has, the model in Keras 3's own format, with a note saying so:

    saved_model/model.keras    architecture, weights, optimizer state (Keras 3 loads it too)
    saved_model/README.txt     what this folder is, and is not

Both functions work and warn once with the modern line (`legacy.CHANGES`).
"""

from __future__ import annotations

import os

from .legacy import warn_once

MODEL_FILE = "model.keras"
README_FILE = "README.txt"

_README = """\
This folder was written by teachkeras's keras.experimental.export_saved_model().

It is NOT a TensorFlow SavedModel: there is no saved_model.pb and no variables/ folder,
because teachkeras (Keras in NumPy) has no TensorFlow graph to export. It holds the model
in Keras 3's own format instead:

    model.keras    the architecture, the weights and the optimizer state
                   (a zip of config.json, metadata.json and model.weights.h5)

To load it, in teachkeras or in Keras 3:

    model = keras.models.load_model("{folder}/model.keras")

(or keras.experimental.load_from_saved_model("{folder}") in teachkeras).

Today, write the file directly: model.save("model.keras"). To serve a model with
TensorFlow, Keras 3 has model.export(path), which writes a real SavedModel.
"""


def export_saved_model(
    model,
    saved_model_path,
    custom_objects=None,
    as_text: bool = False,
    input_signature=None,
    serving_only: bool = False,
) -> None:
    """Keras 2: save `model` into the folder `saved_model_path` (warns once).

    The folder gets `model.keras` (Keras 3's format) and a `README.txt`; it is not a
    TensorFlow SavedModel. Existing files of those two names are replaced, atomically.

    Args:
        model: a built model.
        saved_model_path: the folder to write (created if needed).
        custom_objects, as_text, input_signature, serving_only: TensorFlow's options for
            its graph; accepted so old code runs, and without effect here.

    Example:
        >>> keras.experimental.export_saved_model(model, "saved_model")   # warns
        >>> model.save("model.keras")                                     # what to write today
    """
    warn_once(
        "experimental.export_saved_model",
        "keras.experimental.export_saved_model(model, path) is from tf.keras (deprecated in "
        "TensorFlow 2.1, not in Keras 3). teachkeras writes path/model.keras, which is not a "
        "TensorFlow SavedModel (see path/README.txt). Write model.save('model.keras') instead "
        "(for TensorFlow serving, Keras 3's model.export(path) writes a real SavedModel).",
    )
    from .saving.atomic import atomic_write
    from .saving.saving_api import save_model

    folder = os.fspath(saved_model_path)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(
            f"export_saved_model: saved_model_path must be a folder; {folder!r} is a file."
        )
    os.makedirs(folder, exist_ok=True)
    save_model(model, os.path.join(folder, MODEL_FILE))
    with atomic_write(os.path.join(folder, README_FILE)) as tmp, open(tmp, "w") as f:
        f.write(_README.format(folder=folder))


def load_from_saved_model(saved_model_path, custom_objects=None):
    """Keras 2: the model in a folder written by `export_saved_model` (warns once).

    Args:
        saved_model_path: the folder `export_saved_model` wrote.
        custom_objects: `{'MyLayer': MyLayer}` for classes of your own.

    Returns:
        The model, compiled as it was saved.

    Raises:
        ModelFileError: no such folder, a folder without `model.keras`, or a real
            TensorFlow SavedModel (which teachkeras cannot read).

    Example:
        >>> model = keras.experimental.load_from_saved_model("saved_model")   # warns
        >>> model = keras.models.load_model("saved_model/model.keras")        # today
    """
    warn_once(
        "experimental.load_from_saved_model",
        "keras.experimental.load_from_saved_model(path) is from tf.keras (deprecated in "
        "TensorFlow 2.1, not in Keras 3). Write keras.models.load_model('model.keras') instead.",
    )
    from .saving.errors import ModelFileError
    from .saving.saving_api import load_model

    folder = os.fspath(saved_model_path)
    model_file = os.path.join(folder, MODEL_FILE)
    if os.path.isfile(model_file):
        return load_model(model_file, custom_objects=custom_objects)
    if os.path.isfile(folder):  # the .keras (or .h5) file itself: that is what it holds anyway
        return load_model(folder, custom_objects=custom_objects)
    if not os.path.isdir(folder):
        raise ModelFileError(folder, "there is no such folder.", "Check the path.")
    if any(
        os.path.exists(os.path.join(folder, n)) for n in ("saved_model.pb", "saved_model.pbtxt")
    ):
        raise ModelFileError(
            folder,
            "it is a TensorFlow SavedModel (a TensorFlow graph), which teachkeras cannot read.",
            "In TensorFlow, load it with tf.keras.models.load_model(path) and save it with "
            "model.save('model.keras'); keras.models.load_model('model.keras') then reads it here.",
        )
    raise ModelFileError(
        folder,
        f"the folder has no {MODEL_FILE}, so it was not written by export_saved_model.",
    )


__all__ = ["export_saved_model", "load_from_saved_model"]
