"""Image preprocessing and augmentation layers: the layer contract, the transforms by hand,
the edges of every fill mode, the random numbers by their distribution and their seeding,
identity at inference, and the errors a learner meets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import teachkeras as keras
from teachkeras import ops
from teachkeras.layers import (
    CenterCrop,
    Normalization,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
)
from tests.helpers.layer_testing import layer_case, run_layer_test

RANDOM = "random: every call draws new numbers, so finite differences would compare two draws"
CROP_SHAPE = "the window is drawn at random in training, and predict() gives the whole image"
IMAGES = np.random.default_rng(3).uniform(0, 1, (2, 6, 8, 2)).astype("float32")

LAYER_CASES = [
    layer_case(Rescaling, {"scale": 1 / 255, "offset": 0.5}, input_shape=(2, 3, 4)),
    layer_case(Rescaling, {"scale": [1.0, 2.0]}, input_shape=(2, 3, 2)),
    layer_case(Resizing, {"height": 3, "width": 5}, input_shape=(2, 6, 8, 2)),
    layer_case(
        Resizing,
        {"height": 4, "width": 4, "interpolation": "bicubic", "crop_to_aspect_ratio": True},
        input_shape=(2, 6, 8, 2),
        expected_output_shape=(2, 4, 4, 2),
    ),
    layer_case(
        Resizing,
        {"height": 5, "width": 3, "pad_to_aspect_ratio": True, "data_format": "channels_first"},
        input_shape=(2, 2, 6, 8),
        expected_output_shape=(2, 2, 5, 3),
    ),
    layer_case(CenterCrop, {"height": 3, "width": 4}, input_shape=(2, 6, 8, 2)),
    layer_case(CenterCrop, {"height": 8, "width": 8}, input_shape=(2, 6, 8, 2)),  # smart_resize
    layer_case(RandomFlip, {"seed": 1}, input_data=IMAGES, run_gradient_check=RANDOM),
    layer_case(
        RandomFlip,
        {"mode": "horizontal", "seed": 1},
        input_data=IMAGES,
        call_kwargs={"training": False},
        expected_output=IMAGES,
    ),
    layer_case(RandomRotation, {"factor": (0.1, 0.1)}, input_data=IMAGES),  # one fixed angle
    layer_case(
        RandomRotation, {"factor": 0.2, "seed": 4}, input_data=IMAGES, run_gradient_check=RANDOM
    ),
    layer_case(
        RandomZoom,
        {"height_factor": (-0.3, -0.3), "fill_mode": "constant", "fill_value": 0.5},
        input_data=IMAGES,
    ),
    layer_case(
        RandomTranslation,
        {"height_factor": (0.2, 0.2), "width_factor": (-0.1, -0.1), "fill_mode": "wrap"},
        input_data=IMAGES,
    ),
    layer_case(
        RandomTranslation,
        {"height_factor": 0.2, "width_factor": 0.3, "interpolation": "nearest", "seed": 2},
        input_data=IMAGES,
        run_gradient_check=RANDOM,
    ),
    layer_case(
        RandomContrast,
        {"factor": 0.5, "value_range": (0, 1), "seed": 5},
        input_data=IMAGES,
        run_gradient_check=RANDOM,
    ),
    layer_case(RandomBrightness, {"factor": (0.1, 0.1), "value_range": (-5, 5)}, input_data=IMAGES),
    layer_case(
        RandomCrop,
        {"height": 3, "width": 4, "seed": 6},
        input_data=IMAGES,
        expected_output_shape=(2, 3, 4, 2),
        run_gradient_check=RANDOM,
        run_saving_check=CROP_SHAPE,
    ),
    layer_case(Normalization, {"mean": [0.5, 1.0], "variance": [4.0, 0.25]}, input_shape=(3, 2)),
    layer_case(
        Normalization,
        {
            "axis": (1, 2),
            "mean": [[1.0, 2.0], [3.0, 4.0]],
            "variance": 2.0 * np.ones((2, 2)),
            "invert": True,
        },
        input_shape=(3, 2, 2),
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_layer_contract(case, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", UserWarning
        )  # unadapted Normalization is warned about below
        run_layer_test(**case, tmp_path=tmp_path)


# --- the transforms, by hand -----------------------------------------------------------------
ROW = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")  # a 1 x 4 image: a b c d


def shifted(fill_mode, dx, interpolation="nearest", fill_value=0.0):
    """The row image moved `dx` pixels right by affine_transform, as a flat list."""
    image = ROW.reshape(1, 1, 4, 1)
    transform = np.array([1, 0, -dx, 0, 1, 0, 0, 0], dtype="float32")
    out = ops.image.affine_transform(image, transform, interpolation, fill_mode, fill_value)
    return out.numpy().ravel().tolist()


@pytest.mark.parametrize(
    "fill_mode, expected",
    [
        ("reflect", [2, 1, 1, 2]),  # d c b a | a b c d: the edge pixel repeated
        ("mirror", [3, 2, 1, 2]),  # d c b | a b c d: not repeated
        ("wrap", [3, 4, 1, 2]),
        ("nearest", [1, 1, 1, 2]),
        ("constant", [9, 9, 1, 2]),
    ],
)
def test_each_fill_mode_extends_the_image_as_its_picture_says(fill_mode, expected):
    assert shifted(fill_mode, 2, fill_value=9.0) == expected


def test_bilinear_mixes_the_two_neighbours_and_counts_outside_as_the_fill_value():
    # half a pixel to the right: each output is the mean of its pixel and the one to its left
    assert shifted("nearest", 0.5, "bilinear") == [1.0, 1.5, 2.5, 3.5]
    assert shifted("constant", 0.5, "bilinear", fill_value=5.0) == [3.0, 1.5, 2.5, 3.5]
    assert shifted("wrap", 0.5, "bilinear") == [2.5, 1.5, 2.5, 3.5]


def test_nearest_rounds_halves_to_even():
    # positions x - 0.5: -0.5, 0.5, 1.5, 2.5 round to 0 (-0), 0, 2, 2
    assert shifted("nearest", 0.5) == [1, 1, 3, 3]


def test_a_quarter_turn_moves_the_corners():
    image = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    out = RandomRotation((0.25, 0.25), interpolation="nearest")(image).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, np.rot90(image[0, :, :, 0]))  # counter-clockwise


def test_zoom_out_by_two_reads_every_other_pixel_around_the_centre():
    image = np.arange(25, dtype="float32").reshape(1, 5, 5, 1)
    out = RandomZoom((1.0, 1.0), interpolation="nearest", fill_mode="constant")(image)
    # z = 2: output x reads 2 + 2(x - 2) = 2x - 2; inside only for x = 1, 2, 3
    expected = np.zeros((5, 5))
    expected[1:4, 1:4] = image[0, 0:5:2, 0:5:2, 0]
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], expected)


def test_translation_by_whole_pixels_moves_the_content_down_and_right():
    image = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    layer = RandomTranslation(
        (0.25, 0.25), (0.5, 0.5), fill_mode="constant", interpolation="nearest"
    )
    out = layer(image).numpy()[0, :, :, 0]
    expected = np.zeros((4, 4))
    expected[1:, 2:] = image[0, :3, :2, 0]
    np.testing.assert_array_equal(out, expected)


def test_flip_horizontal_and_vertical_turns_by_180_degrees_or_not_at_all():
    images = np.random.default_rng(0).normal(size=(64, 3, 4, 1)).astype("float32")
    out = RandomFlip(seed=3)(images).numpy()
    turned = np.array([np.array_equal(o, i[::-1, ::-1]) for o, i in zip(out, images, strict=True)])
    kept = np.array([np.array_equal(o, i) for o, i in zip(out, images, strict=True)])
    assert np.all(turned | kept) and 16 < turned.sum() < 48


def test_contrast_and_brightness_formulas():
    images = np.random.default_rng(1).uniform(0, 1, (2, 3, 4, 3)).astype("float32")
    contrast = RandomContrast(0.5, value_range=(0, 1))
    c = np.array([1.2, 0.7], dtype="float32").reshape(2, 1, 1, 1)
    mean = images.mean(axis=(1, 2), keepdims=True)
    got = contrast.transform_images(ops.convert_to_tensor(images), {"contrast_factor": c})
    np.testing.assert_allclose(got.numpy(), np.clip((images - mean) * c + mean, 0, 1), atol=1e-6)
    out = RandomBrightness((0.5, 0.5), value_range=(0, 1))(images).numpy()
    np.testing.assert_allclose(out, np.clip(images + 0.5, 0, 1))


def test_center_crop_and_resizing_keep_the_middle():
    image = np.arange(48, dtype="float32").reshape(1, 6, 8, 1)
    np.testing.assert_array_equal(CenterCrop(2, 4)(image).numpy(), image[:, 2:4, 2:6])
    np.testing.assert_array_equal(
        Resizing(3, 4, interpolation="nearest")(image).numpy(), image[:, 1::2, 1::2]
    )
    uint8 = Resizing(3, 4)(image.astype("uint8"))
    assert uint8.dtype == np.uint8


# --- random numbers: their ranges, distributions and seeding ----------------------------------
BATCH = np.zeros((4000, 2, 2, 1), dtype="float32")


@pytest.mark.parametrize(
    "layer, key, low, high",
    [
        (RandomRotation(0.1, seed=1), "angle", -36.0, 36.0),
        (RandomRotation((-0.25, 0.0), seed=1), "angle", -90.0, 0.0),
        (RandomZoom(0.2, seed=1), "height_zoom", 0.8, 1.2),
        (RandomZoom((-0.5, 0.1), (0.3, 0.4), seed=1), "width_zoom", 1.3, 1.4),
        (RandomContrast(0.3, seed=1), "contrast_factor", 1.0, 1.3),  # Keras 3.15: (0, f)
        (RandomContrast((0.2, 0.4), seed=1), "contrast_factor", 0.8, 1.4),
        (RandomBrightness(0.2, value_range=(0, 255), seed=1), "rgb_delta", -51.0, 51.0),
    ],
)
def test_draws_are_uniform_over_the_documented_range(layer, key, low, high):
    values = np.asarray(layer.get_random_transformation(BATCH)[key]).ravel()
    assert values.min() >= low - 1e-4 and values.max() < high + 1e-4
    assert values.min() < low + 0.02 * (high - low) and values.max() > high - 0.02 * (high - low)
    np.testing.assert_allclose(values.mean(), (low + high) / 2, atol=0.02 * (high - low))
    histogram, _ = np.histogram(values, bins=4, range=(low, high))
    assert histogram.min() > 850  # about 1000 in each quarter


def test_translation_draws_pixels_from_the_fraction_of_each_side():
    layer = RandomTranslation(0.25, (0.0, 0.5), seed=2)
    translations = layer.get_random_transformation(np.zeros((2000, 8, 10, 1)))["translations"]
    dx, dy = translations[:, 0], translations[:, 1]
    assert 0 <= dx.min() and dx.max() < 5 and -2 <= dy.min() and dy.max() < 2


def test_random_crop_windows_cover_every_place_evenly():
    layer = RandomCrop(2, 2, seed=3)
    starts = [layer.get_random_transformation(np.zeros((1, 5, 4, 1))) for _ in range(3000)]
    counts = np.zeros((4, 3))
    for top, left in starts:
        counts[top, left] += 1
    assert counts.min() > 150  # 250 expected in each of the 12 places


def test_a_seed_repeats_the_sequence_and_set_random_seed_repeats_unseeded_layers():
    images = np.random.default_rng(0).uniform(size=(8, 5, 5, 3)).astype("float32")
    a, b = RandomRotation(0.3, seed=11), RandomRotation(0.3, seed=11)
    first = [a(images).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first[0], b(images).numpy())
    np.testing.assert_array_equal(first[1], b(images).numpy())
    assert not np.array_equal(first[0], first[1])  # the next call draws anew
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        runs.append(RandomZoom(0.4)(images).numpy())
    np.testing.assert_array_equal(runs[0], runs[1])


AUGMENTATIONS = [
    RandomFlip(seed=1),
    RandomRotation(0.2, seed=1),
    RandomZoom(0.2, seed=1),
    RandomTranslation(0.2, 0.2, seed=1),
    RandomContrast(0.5, seed=1),
    RandomBrightness(0.5, seed=1),
    RandomCrop(3, 3, seed=1),
]


@pytest.mark.parametrize("layer", AUGMENTATIONS, ids=lambda layer: type(layer).__name__)
def test_augmentations_are_the_identity_at_inference(layer):
    images = np.random.default_rng(0).uniform(0, 255, (2, 5, 6, 3)).astype("float32")
    np.testing.assert_array_equal(layer(images, training=False).numpy(), images)
    single = layer(images[0], training=False)
    np.testing.assert_array_equal(single.numpy(), images[0])


def test_in_a_model_predict_leaves_images_alone_and_a_direct_call_augments():
    images = np.random.default_rng(0).uniform(size=(16, 4, 4, 1)).astype("float32")
    model = keras.Sequential([keras.Input((4, 4, 1)), RandomFlip("horizontal", seed=2)])
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    assert not np.array_equal(model(images).numpy(), images)  # as Keras 3: training's default
    np.testing.assert_array_equal(model(images, training=False).numpy(), images)


def test_uint8_images_become_floats_and_a_single_image_stays_single():
    image = np.random.default_rng(0).integers(0, 255, (5, 6, 3)).astype("uint8")
    out = RandomRotation((0.0, 0.0))(image)
    assert out.shape == (5, 6, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), image, atol=1e-4)


@pytest.mark.parametrize(
    "layer",
    [*AUGMENTATIONS, Resizing(2, 2), CenterCrop(2, 2)],
    ids=lambda layer: type(layer).__name__,
)
def test_images_of_the_wrong_rank_are_refused_with_the_fix(layer):
    with pytest.raises(
        ValueError,
        match=rf"{type(layer).__name__} layer '{layer.name}' expects images of rank 3 .* received an input of rank 2, shape \(28, 28\)\. A grayscale image",
    ):
        layer(np.zeros((28, 28), "float32"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: RandomRotation(1.5), r"range \[-1, 1\]. Received: factor=1.5"),
        (lambda: RandomZoom(-1.0), r"\(-1.0, 1.0\]. Received: input_number=-1.0"),
        (lambda: RandomTranslation((0.1, 0.2, 0.3), 0.1), r"Received: height_factor=\(0.1"),
        (lambda: RandomContrast(-0.2), r"range \[0, 1\]"),
        (lambda: RandomBrightness(0.1, value_range=5), r"value_range=5"),
        (lambda: RandomFlip("diagonal"), r"unknown mode argument 'diagonal'"),
        (lambda: Resizing(2, 2, interpolation="area"), r"'area'"),
    ],
)
def test_bad_arguments_name_what_was_received(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_unknown_fill_mode_is_not_implemented_as_in_keras():
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` mirror"):
        RandomRotation(0.1, fill_mode="mirror")


# --- Normalization ------------------------------------------------------------------------------
X = np.random.default_rng(7).normal(3.0, 2.0, (60, 4, 3)).astype("float32")


@pytest.mark.parametrize("axis", [-1, 1, (1, 2), None])
def test_adapt_on_an_array_is_numpys_mean_and_population_variance(axis):
    layer = Normalization(axis=axis)
    layer.adapt(X)
    reduce = {-1: (0, 1), 1: (0, 2), (1, 2): (0,), None: (0, 1, 2)}[axis]
    mean, var = X.mean(axis=reduce), X.var(axis=reduce)
    np.testing.assert_allclose(layer.get_weights()[0], mean, rtol=1e-6)
    np.testing.assert_allclose(layer.get_weights()[1], var, rtol=1e-6)
    out = layer(X).numpy()
    np.testing.assert_allclose(out.mean(axis=reduce), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=reduce), 1, atol=1e-4)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.weights[2].dtype == np.int32 and not layer.trainable_weights


def test_adapt_on_batches_merges_them_into_the_same_statistics():
    batches = [X[i : i + 7] for i in range(0, 60, 7)]  # uneven: the last has 4
    whole, merged = Normalization(), Normalization()
    whole.adapt(X)
    merged.adapt(batches)
    for a, b in zip(whole.get_weights()[:2], merged.get_weights()[:2], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    labelled = Normalization()
    labelled.adapt((x, np.zeros(len(x))) for x in batches)  # (x, y) batches: x counts
    np.testing.assert_allclose(labelled.get_weights()[0], whole.get_weights()[0], rtol=1e-5)


def test_adapt_on_a_pydataset_and_a_mapped_image_dataset(tmp_path):
    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return X[20 * i : 20 * i + 20], np.zeros(20)

    layer = Normalization()
    layer.adapt(Batches())
    np.testing.assert_allclose(layer.get_weights()[0], X.mean(axis=(0, 1)), rtol=1e-5)
    from PIL import Image

    for label in ("a", "b"):
        (tmp_path / label).mkdir()
        for i in range(3):
            pixels = np.full((4, 4, 3), 40 * i + (100 if label == "b" else 0), "uint8")
            Image.fromarray(pixels).save(tmp_path / label / f"{i}.png")
    dataset = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 4), batch_size=4, shuffle=False
    )
    layer = Normalization()
    layer.adapt(dataset.map(lambda x, y: x))
    np.testing.assert_allclose(layer.get_weights()[0], [90.0] * 3, rtol=1e-5)  # 0,40,80,100,140,180


def test_normalization_with_given_statistics_and_inverted():
    layer = Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(layer(np.array([[2.0, 6.0]])).numpy(), [[0.0, 2.0]])
    back = Normalization(mean=2.0, variance=4.0, invert=True)
    np.testing.assert_allclose(back(np.array([[0.0, 2.0]])).numpy(), [[2.0, 6.0]])
    assert layer.weights == []
    tiny = Normalization(mean=0.0, variance=0.0)  # σ is kept at epsilon, not 0
    assert np.isfinite(tiny(np.ones((1, 2))).numpy()).all()


def test_normalization_statistics_survive_a_keras_file(tmp_path):
    layer = Normalization()
    layer.adapt(X[:, 0, :])
    model = keras.Sequential([keras.Input((3,)), layer])
    model.save(tmp_path / "norm.keras")
    loaded = keras.saving.load_model(tmp_path / "norm.keras")
    np.testing.assert_allclose(
        loaded.predict(X[:5, 0], verbose=0), model.predict(X[:5, 0], verbose=0)
    )


def test_normalization_warns_once_when_never_adapted():
    layer = Normalization()
    with pytest.warns(
        UserWarning, match=r"'normalization.*' has not been adapted.*adapt\(x_train\)"
    ):
        layer(np.ones((2, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.ones((2, 3)))


@pytest.mark.parametrize(
    "action, message",
    [
        (
            lambda layer: layer.adapt(np.ones((5, 4))),
            r"built for inputs of shape \(60, 3\).*received data of shape \(5, 4\)",
        ),
        (
            lambda layer: layer(np.ones((2, 4))),
            r"statistics of shape \(1, 3\).*do not fit inputs of shape \(2, 4\)",
        ),
    ],
)
def test_normalization_refuses_data_of_another_shape(action, message):
    layer = Normalization()
    layer.adapt(X[:, 0, :])
    with pytest.raises(ValueError, match=message):
        action(layer)


def test_normalization_refuses_a_rank_without_the_axis_and_half_given_statistics():
    with pytest.raises(ValueError, match=r"Normalization layer 'n'.*range \[-ndim, ndim\).*ndim=1"):
        Normalization(axis=2, name="n").adapt(np.ones(5))
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="nothing to adapt"):
        Normalization(mean=1.0, variance=1.0).adapt(np.ones((2, 1)))
