"""The CNNs of the tutorials, written once against any Keras-like library `lib`.

`lib` is `teachkeras` or real `keras`: the same code builds both, which is the point.
"""

from __future__ import annotations


def simple_mnist_convnet(lib, num_classes: int = 10):
    """keras.io "Simple MNIST convnet"."""
    layers = lib.layers
    return lib.Sequential(
        [
            lib.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


def convmodel(lib, input_shape=(32, 32, 3), classes: int = 6):
    """The functional `convmodel` of the tutorials (ZeroPadding → Conv → BN → ReLU → MaxPool → Dense)."""
    layers = lib.layers
    x_input = lib.Input(input_shape)
    x = layers.ZeroPadding2D((3, 3))(x_input)
    x = layers.Conv2D(32, (3, 3), strides=(1, 1), padding="valid",
                      kernel_initializer=lib.initializers.glorot_uniform(seed=0), name="conv1")(x)  # fmt: skip
    x = layers.BatchNormalization(axis=3, name="bn_conv1")(x)
    x = layers.Activation("relu")(x)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Flatten()(x)
    x = layers.Dense(classes, activation="softmax", name="fc")(x)
    return lib.Model(inputs=x_input, outputs=x, name="convmodel")


def _identity_block(lib, x, f, filters, stage, block):
    layers = lib.layers
    name = f"res{stage}{block}_branch"
    bn = f"bn{stage}{block}_branch"
    f1, f2, f3 = filters
    shortcut = x
    x = layers.Conv2D(f1, (1, 1), padding="valid", name=name + "2a")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2a")(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(f2, (f, f), padding="same", name=name + "2b")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2b")(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(f3, (1, 1), padding="valid", name=name + "2c")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2c")(x)
    x = layers.Add()([x, shortcut])
    return layers.Activation("relu")(x)


def _convolutional_block(lib, x, f, filters, stage, block, s=2):
    layers = lib.layers
    name = f"res{stage}{block}_branch"
    bn = f"bn{stage}{block}_branch"
    f1, f2, f3 = filters
    shortcut = x
    x = layers.Conv2D(f1, (1, 1), strides=(s, s), name=name + "2a")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2a")(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(f2, (f, f), padding="same", name=name + "2b")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2b")(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(f3, (1, 1), name=name + "2c")(x)
    x = layers.BatchNormalization(axis=3, name=bn + "2c")(x)
    shortcut = layers.Conv2D(f3, (1, 1), strides=(s, s), name=name + "1")(shortcut)
    shortcut = layers.BatchNormalization(axis=3, name=bn + "1")(shortcut)
    x = layers.Add()([x, shortcut])
    return layers.Activation("relu")(x)


def resnet50(lib, input_shape=(64, 64, 3), classes: int = 6):
    """The ResNet-50 of the tutorials (the "SIGNS" assignment): 64×64×3 in, 6 classes out."""
    layers = lib.layers
    x_input = lib.Input(input_shape)
    x = layers.ZeroPadding2D((3, 3))(x_input)
    x = layers.Conv2D(64, (7, 7), strides=(2, 2), name="conv1")(x)
    x = layers.BatchNormalization(axis=3, name="bn_conv1")(x)
    x = layers.Activation("relu")(x)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _convolutional_block(lib, x, 3, [64, 64, 256], stage=2, block="a", s=1)
    for block in "bc":
        x = _identity_block(lib, x, 3, [64, 64, 256], stage=2, block=block)
    x = _convolutional_block(lib, x, 3, [128, 128, 512], stage=3, block="a", s=2)
    for block in "bcd":
        x = _identity_block(lib, x, 3, [128, 128, 512], stage=3, block=block)
    x = _convolutional_block(lib, x, 3, [256, 256, 1024], stage=4, block="a", s=2)
    for block in "bcdef":
        x = _identity_block(lib, x, 3, [256, 256, 1024], stage=4, block=block)
    x = _convolutional_block(lib, x, 3, [512, 512, 2048], stage=5, block="a", s=2)
    for block in "bc":
        x = _identity_block(lib, x, 3, [512, 512, 2048], stage=5, block=block)
    x = layers.AveragePooling2D((2, 2), name="avg_pool")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(classes, activation="softmax", name="fc" + str(classes))(x)
    return lib.Model(inputs=x_input, outputs=x, name="ResNet50")
