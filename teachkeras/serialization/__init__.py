"""How objects are named in configs: the ground floor under `keras.saving`.

Everything that can be written into a config (a layer, an initializer, a loss, an
optimizer, a learner's own registered class) is found by name here, and written the
way Keras 3 writes it:

    registry.py       names -> objects: `register_keras_serializable`, custom objects,
                      and `resolve` (what `activations.get('relu')` and friends call;
                      `resolve_callable` for the initializers, regularizers, constraints)
    keras_objects.py  objects <-> config dicts: `serialize_keras_object`

It imports nothing from teachkeras, so activations, initializers, losses, layers and
the rest can all use it; the file formats above them live in `teachkeras/saving/`,
which is also where the public names are (`keras.saving.register_keras_serializable`).
"""
