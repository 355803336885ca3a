"""Image preprocessing, augmentation and Normalization against Keras 3 (PyTorch backend).

Random draws cannot agree number for number (Keras draws with torch's generator), so every
deterministic path is compared instead: `ops.image` itself, each layer fed the same drawn
numbers (`transform_images(images, transformation)`, whose dicts use Keras's keys), equal-bound
factors (one fixed rotation, zoom, shift), inference, and configs and files both ways.
Largest absolute differences, pixels in [0, 255]: resize 1.7e-4, affine_transform 1.2e-4
(bilinear; nearest: 0), rotation layer 1.5e-4, zoom and translation 1e-6, Normalization 2.4e-7.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import teachkeras as tk

IMAGES = np.random.default_rng(0).uniform(0, 255, (3, 8, 10, 3)).astype("float32")
ATOL = 3e-4  # pixels in [0, 255]: float32 rounding of the sampled positions and the weights


def numpy(keras, x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    "interpolation, antialias, size, aspect",
    list(
        itertools.product(
            ["bilinear", "nearest", "bicubic"],
            [False, True],
            [(4, 5), (10, 13), (7, 3)],
            [None, "crop_to_aspect_ratio", "pad_to_aspect_ratio"],
        )
    ),
)
def test_resize_matches(keras, interpolation, antialias, size, aspect):
    options = {aspect: True} if aspect else {}
    args = dict(interpolation=interpolation, antialias=antialias, fill_value=3.0, **options)
    theirs = numpy(keras, keras.ops.image.resize(IMAGES, size, **args))
    ours = tk.ops.image.resize(IMAGES, size, **args).numpy()
    np.testing.assert_allclose(ours, theirs, atol=ATOL)


TRANSFORMS = np.array(
    [
        [0.9, 0.3, -1.7, -0.2, 1.1, 2.3, 0, 0],
        [1.3, -0.4, 0.5, 0.25, 0.7, -3.1, 0, 0],
        [1, 0, 2, 0, 1, -3, 0, 0],
    ],
    dtype="float32",
)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_affine_transform_matches(keras, interpolation, fill_mode, data_format):
    images = IMAGES if data_format == "channels_last" else IMAGES.transpose(0, 3, 1, 2)
    args = dict(
        interpolation=interpolation, fill_mode=fill_mode, fill_value=7.0, data_format=data_format
    )
    theirs = numpy(keras, keras.ops.image.affine_transform(images, TRANSFORMS, **args))
    ours = tk.ops.image.affine_transform(images, TRANSFORMS, **args).numpy()
    np.testing.assert_allclose(ours, theirs, atol=ATOL)


FILLS = [
    dict(fill_mode=f, interpolation=i, fill_value=9.0)
    for f, i in itertools.product(
        ["reflect", "wrap", "constant", "nearest"], ["bilinear", "nearest"]
    )
]


@pytest.mark.parametrize("options", FILLS, ids=lambda o: f"{o['fill_mode']}-{o['interpolation']}")
@pytest.mark.parametrize(
    "make",
    [
        lambda L, o: L.RandomRotation((0.1, 0.1), **o),
        lambda L, o: L.RandomRotation((-0.37, -0.37), **o),
        lambda L, o: L.RandomZoom((0.3, 0.3), (-0.2, -0.2), **o),
        lambda L, o: L.RandomZoom((-0.5, -0.5), **o),
        lambda L, o: L.RandomTranslation((0.25, 0.25), (-0.13, -0.13), **o),
    ],
    ids=["rotate-36", "rotate-minus-133", "zoom-both", "zoom-in", "translate"],
)
def test_fixed_affine_augmentations_match(keras, make, options):
    theirs = numpy(keras, make(keras.layers, options)(IMAGES))
    ours = make(tk.layers, options)(IMAGES).numpy()
    np.testing.assert_allclose(ours, theirs, atol=ATOL)


@pytest.mark.parametrize(
    "make, transformation",
    [
        (lambda L: L.RandomFlip(), {"flips": np.array([True, False, True]).reshape(3, 1, 1, 1)}),
        (
            lambda L: L.RandomFlip("vertical"),
            {"flips": np.array([True, True, False]).reshape(3, 1, 1, 1)},
        ),
        (
            lambda L: L.RandomFlip("horizontal"),
            {"flips": np.array([False, True, True]).reshape(3, 1, 1, 1)},
        ),
        (
            lambda L: L.RandomZoom(0.5, 0.4),
            {
                "height_zoom": np.array([[0.6], [1.2], [1.45]]),
                "width_zoom": np.array([[1.1], [0.7], [1.0]]),
            },
        ),
        (
            lambda L: L.RandomTranslation(0.5, 0.5),
            {"translations": np.array([[2.5, -1.25], [-3.0, 0.5], [0, 0]])},
        ),
        (
            lambda L: L.RandomContrast(0.5),
            {"contrast_factor": np.array([1.4, 0.6, 1.0]).reshape(3, 1, 1, 1)},
        ),
        (
            lambda L: L.RandomBrightness(0.5),
            {"rgb_delta": np.array([30.0, -100.0, 5.0]).reshape(3, 1, 1, 1)},
        ),
        (lambda L: L.RandomCrop(5, 4), (2, 3)),
        (lambda L: L.RandomCrop(9, 12), (0, 0)),  # larger than the images: crop box and resize
    ],
    ids=[
        "flip-both",
        "flip-vertical",
        "flip-horizontal",
        "zoom",
        "translate",
        "contrast",
        "brightness",
        "crop",
        "crop-resize",
    ],
)
def test_the_same_draws_give_the_same_images(keras, make, transformation):
    keras_transformation = (
        {k: keras.ops.convert_to_tensor(v) for k, v in transformation.items()}
        if isinstance(transformation, dict)
        else transformation
    )
    theirs = numpy(
        keras,
        make(keras.layers).transform_images(
            keras.ops.convert_to_tensor(IMAGES), keras_transformation
        ),
    )
    ours = (
        make(tk.layers).transform_images(tk.ops.convert_to_tensor(IMAGES), transformation).numpy()
    )
    np.testing.assert_allclose(ours, theirs, atol=ATOL)


def test_rotation_draws_become_the_same_matrix(keras):
    theirs = keras.layers.RandomRotation(0.3, seed=1)
    ours = tk.layers.RandomRotation(0.3, seed=1)
    drawn = theirs.get_random_transformation(IMAGES)
    angle = numpy(keras, drawn["angle"])
    from teachkeras.layers.preprocessing.image_preprocessing.affine_augmentation import (
        centred_affine_matrix,
    )

    ones, zeros = np.ones(3, "float32"), np.zeros(3, "float32")
    np.testing.assert_allclose(
        centred_affine_matrix(angle, zeros, zeros, ones, 8, 10),
        numpy(keras, drawn["rotation_matrix"]),
        atol=1e-6,
    )
    out = ours.transform_images(
        tk.ops.convert_to_tensor(IMAGES),
        {"rotation_matrix": numpy(keras, drawn["rotation_matrix"])},
    )
    np.testing.assert_allclose(
        out.numpy(),
        numpy(keras, theirs.transform_images(keras.ops.convert_to_tensor(IMAGES), drawn)),
        atol=ATOL,
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda L: L.Resizing(5, 13, pad_to_aspect_ratio=True, fill_value=2.0),
        lambda L: L.Resizing(6, 6, interpolation="bicubic", crop_to_aspect_ratio=True),
        lambda L: L.Resizing(4, 20, interpolation="nearest", data_format="channels_first"),
        lambda L: L.CenterCrop(5, 7),
        lambda L: L.CenterCrop(12, 7),
        lambda L: L.Rescaling(1 / 127.5, -1),
        lambda L: L.Rescaling([1.0, 2.0, 3.0], [0.5, 0.0, 1.0]),
        lambda L: L.RandomBrightness((0.1, 0.1)),
        lambda L: L.RandomContrast(0.0),
    ],
)
@pytest.mark.parametrize("single", [False, True])
def test_deterministic_layers_match(keras, make, single):
    images = IMAGES[0] if single else IMAGES
    theirs = numpy(keras, make(keras.layers)(images))
    ours = make(tk.layers)(images).numpy()
    np.testing.assert_allclose(ours, theirs, atol=ATOL)


def test_uint8_resizing_rounds_as_keras(keras):
    images = IMAGES.astype("uint8")
    theirs = numpy(keras, keras.layers.Resizing(5, 7)(images))
    ours = tk.layers.Resizing(5, 7)(images).numpy()
    assert ours.dtype == theirs.dtype == np.uint8
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 1  # x.5 after float rounding


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("RandomFlip", {"mode": "horizontal", "seed": 3}),
        ("RandomRotation", {"factor": (-0.2, 0.1), "fill_mode": "constant", "fill_value": 1.0}),
        (
            "RandomZoom",
            {"height_factor": 0.2, "width_factor": (-0.1, 0.3), "interpolation": "nearest"},
        ),
        ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2, "fill_mode": "wrap"}),
        ("RandomContrast", {"factor": 0.3, "value_range": (0, 1)}),
        ("RandomBrightness", {"factor": (-0.2, 0.4), "value_range": (-1, 1)}),
        ("RandomCrop", {"height": 5, "width": 6, "seed": 42}),
        ("CenterCrop", {"height": 5, "width": 6}),
        ("Resizing", {"height": 5, "width": 6, "interpolation": "bicubic", "antialias": True}),
        ("Rescaling", {"scale": 1 / 255, "offset": -0.5}),
        (
            "Normalization",
            {"axis": (1, 2), "mean": [[1.0, 2.0]], "variance": [[3.0, 4.0]], "invert": True},
        ),
    ],
)
def test_configs_match_both_ways(keras, name, kwargs):
    ours = getattr(tk.layers, name)(**kwargs, name="layer")
    theirs = getattr(keras.layers, name)(**kwargs, name="layer")
    a, b = ours.get_config(), theirs.get_config()
    assert set(a) == set(b)
    for key in set(a) - {"dtype"}:
        assert _plain(a[key]) == _plain(b[key]), key
    again = getattr(keras.layers, name).from_config(a).get_config()
    mine = getattr(tk.layers, name).from_config(b).get_config()
    for key in set(a) - {"dtype"}:
        assert _plain(again[key]) == _plain(b[key]) and _plain(mine[key]) == _plain(a[key]), key


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


# --- Normalization --------------------------------------------------------------------------------
X = np.random.default_rng(1).normal(3, 2, (50, 4, 3)).astype("float32")


@pytest.mark.parametrize("axis", [-1, 1, (1, 2), None])
@pytest.mark.parametrize("invert", [False, True])
def test_normalization_adapt_matches(keras, axis, invert):
    theirs, ours = (
        keras.layers.Normalization(axis=axis, invert=invert),
        tk.layers.Normalization(axis=axis, invert=invert),
    )
    theirs.adapt(X)
    ours.adapt(X)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-6)
        assert a.dtype == np.asarray(b).dtype
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    np.testing.assert_allclose(ours(X).numpy(), numpy(keras, theirs(X)), rtol=1e-6, atol=1e-6)


def _augmenting_model(L, lib):
    norm = L.Normalization()
    model = lib.Sequential(
        [
            lib.Input((8, 10, 3)),
            L.Rescaling(1 / 255),
            L.RandomFlip("horizontal", seed=1),
            L.RandomRotation(0.1, seed=2),
            L.RandomZoom(0.1, seed=3),
            L.RandomTranslation(0.1, 0.1, seed=4),
            L.RandomContrast(0.2, value_range=(0, 1), seed=5),
            L.RandomBrightness(0.1, value_range=(0, 1), seed=6),
            L.Resizing(6, 6),
            L.CenterCrop(4, 4),
            norm,
            L.Flatten(),
            L.Dense(2),
        ]
    )
    norm.adapt(np.random.default_rng(2).uniform(0, 1, (20, 4, 4, 3)).astype("float32"))
    return model


def test_keras_files_go_both_ways_with_the_statistics(keras, tmp_path):
    ours = _augmenting_model(tk.layers, tk)
    ours.save(tmp_path / "ours.keras")
    loaded = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(
        loaded.predict(IMAGES, verbose=0), ours.predict(IMAGES, verbose=0), atol=1e-5
    )
    theirs = _augmenting_model(keras.layers, keras)
    theirs.save(tmp_path / "theirs.keras")
    back = tk.saving.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(
        back.predict(IMAGES, verbose=0), theirs.predict(IMAGES, verbose=0), atol=1e-5
    )
    norm = back.get_layer(theirs.layers[9].name)
    np.testing.assert_allclose(norm.get_weights()[0], numpy(keras, theirs.layers[9].adapt_mean))
