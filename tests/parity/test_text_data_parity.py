"""Getting text, images and sequences in, against Keras 3: pad_sequences, the file order and
labels of the *_dataset_from_directory functions, image loading and resizing.

Keras 3's dataset functions return tf.data or grain datasets, and neither TensorFlow nor
grain is installed here: what is compared is what they are built from, Keras's own
`index_directory` and `get_training_or_validation_split` (the files, their order, their
labels, the class names, the split), and `keras.ops.image.resize` for the images.
"""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as tk
from teachkeras.utils import dataset_utils
from teachkeras.utils.image_utils import resize_images


# --- pad_sequences ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"maxlen": 4},
        {"maxlen": 4, "padding": "post"},
        {"maxlen": 4, "truncating": "post"},
        {"maxlen": 9, "padding": "post", "truncating": "post", "value": -1},
        {"maxlen": 2, "dtype": "float32", "value": 0.5},
    ],
)
def test_pad_sequences_matches(keras, kwargs):
    rng = np.random.default_rng(0)
    sequences = [list(rng.integers(1, 9, size=n)) for n in [3, 0, 5, 1, 7]]
    ours, theirs = (
        tk.utils.pad_sequences(sequences, **kwargs),
        keras.utils.pad_sequences(sequences, **kwargs),
    )
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_of_vectors_arrays_and_strings_match(keras):
    rng = np.random.default_rng(1)
    vectors = [rng.normal(size=(n, 3)) for n in [2, 4, 1]]
    for args in [(vectors,), (np.arange(12).reshape(3, 4),)]:
        for kwargs in [{"dtype": "float32"}, {"maxlen": 3, "padding": "post", "dtype": "float64"}]:
            np.testing.assert_array_equal(
                tk.utils.pad_sequences(*args, **kwargs), keras.utils.pad_sequences(*args, **kwargs)
            )
    words = [["a", "b"], ["c"], []]
    np.testing.assert_array_equal(
        tk.utils.pad_sequences(words, dtype=object, value="<pad>"),
        keras.utils.pad_sequences(words, dtype=object, value="<pad>"),
    )


# --- files: order, labels, class names, split ---------------------------------------------------
@pytest.fixture
def folder(tmp_path):
    files = [
        "b_class/z.txt",
        "b_class/a.txt",
        "b_class/sub/m.txt",
        "a_class/k.txt",
        "a_class/c.TXT",
        "a_class/skip.md",
        "c_class/x.txt",
        "c_class/y.txt",
        "c_class/deeper/w.txt",
        ".hidden/h.txt",
    ]
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    return tmp_path


@pytest.mark.parametrize(
    "kwargs",
    [
        {"labels": "inferred", "shuffle": False},
        {"labels": "inferred", "shuffle": True, "seed": 1337},
        {"labels": "inferred", "shuffle": True, "seed": 7, "class_names": ["c_class", "a_class"]},
        {"labels": None, "shuffle": True, "seed": 3},
        {"labels": list(range(9)), "shuffle": True, "seed": 11},
    ],
)
def test_files_labels_and_class_names_are_keras(keras, folder, kwargs):
    from keras.src.utils import dataset_utils as keras_dataset_utils

    kwargs = {"verbose": False, **kwargs}
    ours = dataset_utils.index_directory(folder, formats=(".txt",), **kwargs)
    theirs = keras_dataset_utils.index_directory(str(folder), formats=(".txt",), **kwargs)
    assert ours[0] == theirs[0]  # the paths, in the same order
    assert (ours[1] is None) == (theirs[1] is None)
    if ours[1] is not None:
        assert list(ours[1]) == list(theirs[1])
    assert ours[2] == theirs[2]
    for subset in ("training", "validation"):
        a = dataset_utils.get_training_or_validation_split(*ours[:2], 0.3, subset)
        b = keras_dataset_utils.get_training_or_validation_split(*theirs[:2], 0.3, subset)
        assert a[0] == b[0]


def test_the_dataset_takes_keras_files_in_keras_order(keras, folder):
    from keras.src.utils import dataset_utils as keras_dataset_utils

    train, val = tk.utils.text_dataset_from_directory(
        folder, validation_split=0.25, subset="both", seed=42, batch_size=3, verbose=False
    )
    paths, labels, names = keras_dataset_utils.index_directory(
        str(folder), "inferred", formats=(".txt",), shuffle=True, seed=42, verbose=False
    )
    want_train = keras_dataset_utils.get_training_or_validation_split(
        paths, labels, 0.25, "training"
    )
    want_val = keras_dataset_utils.get_training_or_validation_split(
        paths, labels, 0.25, "validation"
    )
    assert train.file_paths == want_train[0] and train.class_names == names
    assert val.file_paths == want_val[0] and val[0][1].tolist() == list(want_val[1][:3])
    texts, got_labels = train[0]
    assert got_labels.tolist() == list(want_train[1][:3])
    assert texts.tolist() == [open(p).read() for p in want_train[0][:3]]


# --- images -------------------------------------------------------------------------------------
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize(
    ("size", "options"),
    [
        ((7, 5), {}),
        ((3, 9), {}),
        ((4, 4), {"crop_to_aspect_ratio": True}),
        ((4, 4), {"pad_to_aspect_ratio": True}),
        ((10, 3), {"crop_to_aspect_ratio": True}),
    ],
)
def test_resizing_is_keras_ops_image_resize(keras, interpolation, size, options):
    image = np.random.default_rng(0).random((6, 8, 3)).astype("float32") * 255
    theirs = keras.ops.image.resize(image, size, interpolation=interpolation, **options)
    ours = resize_images(image, size, interpolation=interpolation, **options)
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-5, atol=1e-3)
    batch = np.stack([image, image[::-1]])
    np.testing.assert_allclose(
        resize_images(batch, size, interpolation=interpolation, **options),
        np.asarray(keras.ops.image.resize(batch, size, interpolation=interpolation, **options)),
        rtol=1e-5,
        atol=1e-3,
    )


def test_smart_resize_matches(keras):
    image = np.random.default_rng(2).random((9, 5, 3)).astype("float32")
    np.testing.assert_allclose(
        tk.preprocessing.image.smart_resize(image, (4, 4)),
        np.asarray(keras.preprocessing.image.smart_resize(image, (4, 4))),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
def test_loading_images_matches(keras, tmp_path, color_mode):
    from PIL import Image

    pixels = np.random.default_rng(3).integers(0, 256, size=(7, 9, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "i.png")
    for kwargs in [{}, {"target_size": (4, 5)}, {"target_size": (4, 4), "keep_aspect_ratio": True}]:
        ours = tk.utils.img_to_array(
            tk.utils.load_img(tmp_path / "i.png", color_mode=color_mode, **kwargs)
        )
        theirs = keras.utils.img_to_array(
            keras.utils.load_img(tmp_path / "i.png", color_mode=color_mode, **kwargs)
        )
        np.testing.assert_array_equal(ours, theirs)
    array = np.random.default_rng(4).random((3, 4, 1)) * 3
    np.testing.assert_array_equal(
        np.asarray(tk.utils.array_to_img(array)), np.asarray(keras.utils.array_to_img(array))
    )


def test_image_batches_are_keras_resized_files(keras, tmp_path):
    from keras.src.utils import dataset_utils as keras_dataset_utils
    from PIL import Image

    rng = np.random.default_rng(5)
    for folder, shape in (("a", (6, 4)), ("b", (5, 7))):
        (tmp_path / folder).mkdir()
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, size=(*shape, 3), dtype=np.uint8)).save(
                tmp_path / folder / f"{i}.png"
            )
    ds = tk.utils.image_dataset_from_directory(
        tmp_path, image_size=(5, 5), batch_size=6, seed=9, verbose=False
    )
    paths, labels, _ = keras_dataset_utils.index_directory(
        str(tmp_path), "inferred", formats=(".png",), shuffle=True, seed=9, verbose=False
    )
    images, got = ds[0]
    assert ds.file_paths == paths and got.tolist() == list(labels)
    for image, path in zip(images, paths, strict=True):
        array = keras.utils.img_to_array(keras.utils.load_img(path))
        want = np.asarray(keras.ops.image.resize(array, (5, 5), interpolation="bilinear"))
        np.testing.assert_allclose(image, want, rtol=1e-5, atol=1e-3)
