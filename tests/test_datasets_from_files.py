"""Folders and arrays -> batches: text_dataset_from_directory, image_dataset_from_directory,
timeseries_dataset_from_array, and the image helpers (load_img, img_to_array, ...)."""

from __future__ import annotations

import numpy as np
import pytest

import teachkeras as keras
from teachkeras.utils import (
    PyDataset,
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from teachkeras.utils.image_utils import resize_images


def write_texts(root):
    """neg/ (3 files, one in a sub-folder), pos/ (2 files), plus files that do not count."""
    files = {
        "neg/a.txt": "bad movie",
        "neg/b.txt": "boring plot, bad acting",
        "neg/more/c.txt": "awful",
        "pos/d.txt": "great movie",
        "pos/e.TXT": "fun fun fun",
        "pos/notes.md": "not a text file",
        ".hidden/f.txt": "hidden folders are skipped",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_text_files_sorted_with_labels_from_their_folders(tmp_path, capsys):
    ds = text_dataset_from_directory(write_texts(tmp_path), batch_size=2, shuffle=False)
    assert "Found 5 files belonging to 2 classes." in capsys.readouterr().out
    assert isinstance(ds, PyDataset) and ds.class_names == ["neg", "pos"] and len(ds) == 3
    names = [p.replace(str(tmp_path), "").replace("\\", "/") for p in ds.file_paths]
    assert names == ["/neg/a.txt", "/neg/b.txt", "/neg/more/c.txt", "/pos/d.txt", "/pos/e.TXT"]
    texts, labels = ds[0]
    assert texts.tolist() == ["bad movie", "boring plot, bad acting"] and texts.dtype.kind == "U"
    assert labels.tolist() == [0, 0] and labels.dtype == np.int32
    assert ds[2][0].tolist() == ["fun fun fun"]  # the last batch is smaller


@pytest.mark.parametrize(
    ("label_mode", "expected"),
    [
        ("int", np.array([0, 1], "int32")),
        ("binary", np.array([[0.0], [1.0]], "float32")),
        ("categorical", np.array([[1.0, 0.0], [0.0, 1.0]], "float32")),
    ],
)
def test_label_modes(tmp_path, label_mode, expected):
    ds = text_dataset_from_directory(
        write_texts(tmp_path), label_mode=label_mode, batch_size=5, shuffle=False, verbose=False
    )
    labels = ds[0][1]
    np.testing.assert_array_equal(labels[[0, 3]], expected)
    assert labels.dtype == expected.dtype


def test_no_labels_one_at_a_time_and_max_length(tmp_path):
    ds = text_dataset_from_directory(
        write_texts(tmp_path), labels=None, batch_size=None, max_length=4, shuffle=False
    )
    # without labels every file below the folder counts, hidden folders too (as in Keras)
    assert ds.class_names is None and len(ds) == 6
    assert ds[0] == "hidd" and ds[2] == "bori"  # one text at a time, cut to 4 characters


def test_shuffling_is_seeded_and_the_split_does_not_overlap(tmp_path):
    root = write_texts(tmp_path)
    a = text_dataset_from_directory(root, seed=3, verbose=False)
    b = text_dataset_from_directory(root, seed=3, verbose=False)
    assert a.file_paths == b.file_paths
    train, val = text_dataset_from_directory(
        root, validation_split=0.4, subset="both", seed=3, verbose=False
    )
    assert train.file_paths == a.file_paths[:3] and val.file_paths == a.file_paths[3:]
    only_val = text_dataset_from_directory(
        root, validation_split=0.4, subset="validation", seed=3, verbose=False
    )
    assert only_val.file_paths == val.file_paths


def test_explicit_labels_and_class_names(tmp_path):
    root = write_texts(tmp_path)
    labels = [1, 0, 1, 0, 0, 1]  # one per file below the folder, .hidden/f.txt first
    ds = text_dataset_from_directory(root, labels=labels, shuffle=False, verbose=False)
    assert ds.class_names == ["0", "1"] and ds[0][1].tolist() == labels
    only_pos = text_dataset_from_directory(root, class_names=["pos"], shuffle=False, verbose=False)
    assert len(only_pos.file_paths) == 2 and only_pos.class_names == ["pos"]


def test_text_dataset_errors(tmp_path):
    root = write_texts(tmp_path)
    with pytest.raises(ValueError, match="must provide a `seed`"):
        text_dataset_from_directory(root, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="exactly 2 class_names"):
        (root / "meh").mkdir()
        (root / "meh" / "x.txt").write_text("so so")
        text_dataset_from_directory(root, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        text_dataset_from_directory(root, class_names=["cats"], verbose=False)
    with pytest.raises(ValueError, match="does not exist"):
        text_dataset_from_directory(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No text files found"):
        text_dataset_from_directory(tmp_path / "empty", labels=None, verbose=False)


def test_fit_reads_a_text_dataset_through_tf_data_style_methods(tmp_path):
    raw = text_dataset_from_directory(write_texts(tmp_path), batch_size=2, seed=0, verbose=False)
    vectorize = keras.layers.TextVectorization(output_sequence_length=4)
    vectorize.adapt(raw.map(lambda x, y: x))  # the keras.io tutorial's line
    train = raw.map(lambda x, y: (vectorize(x), y)).cache().prefetch(buffer_size=10)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Embedding(vectorize.vocabulary_size(), 3, mask_zero=True),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile("adam", "binary_crossentropy")
    history = model.fit(train, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    assert len(raw.take(1)) == 1 and raw.take(-1)[2][0].shape == (1,)


# --- images ---------------------------------------------------------------------------------------
def write_images(root):
    from PIL import Image

    rng = np.random.default_rng(0)
    for folder, count, size in (("cats", 2, (6, 4)), ("dogs", 3, (5, 5))):
        (root / folder).mkdir(parents=True)
        for i in range(count):
            pixels = rng.integers(0, 256, size=(*size, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(root / folder / f"{i}.png")
    (root / "dogs" / "readme.txt").write_text("not an image")
    return root


def test_images_are_read_resized_and_labelled(tmp_path):
    root = write_images(tmp_path)
    ds = image_dataset_from_directory(root, image_size=(3, 4), batch_size=4, shuffle=False)
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 2
    images, labels = ds[0]
    assert images.shape == (4, 3, 4, 3) and images.dtype == np.float32
    assert labels.tolist() == [0, 0, 1, 1]
    original = keras.utils.img_to_array(keras.utils.load_img(ds.file_paths[0]))
    np.testing.assert_allclose(images[0], resize_images(original, (3, 4)), rtol=1e-6)
    gray = image_dataset_from_directory(
        root, image_size=(2, 2), color_mode="grayscale", shuffle=False, verbose=False
    )
    assert gray[0][0].shape == (5, 2, 2, 1)
    first = image_dataset_from_directory(
        root, image_size=(2, 2), data_format="channels_first", shuffle=False, verbose=False
    )
    assert first[0][0].shape == (5, 3, 2, 2)


def test_image_dataset_trains_a_model(tmp_path):
    ds = image_dataset_from_directory(
        write_images(tmp_path), image_size=(4, 4), batch_size=2, seed=1, verbose=False
    )
    model = keras.Sequential(
        [keras.Input((4, 4, 3)), keras.layers.Flatten(), keras.layers.Dense(2, "softmax")]
    )
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert np.isfinite(model.fit(ds, epochs=1, verbose=0).history["loss"]).all()


def test_image_round_trip_through_a_file(tmp_path):
    pixels = np.arange(24, dtype="float32").reshape(2, 4, 3) * 10
    keras.utils.save_img(tmp_path / "x.png", pixels, scale=False)
    loaded = keras.utils.img_to_array(keras.utils.load_img(tmp_path / "x.png"))
    np.testing.assert_array_equal(loaded, pixels)
    scaled = keras.utils.img_to_array(keras.utils.array_to_img(pixels))
    assert scaled.min() == 0 and scaled.max() == 255  # scale=True stretches to 0..255
    small = keras.utils.load_img(tmp_path / "x.png", target_size=(1, 2), color_mode="grayscale")
    assert keras.utils.img_to_array(small).shape == (1, 2, 1)


def test_resize_keeps_a_constant_image_and_is_linear_between_pixels():
    flat = np.full((3, 5, 2), 7.0)
    np.testing.assert_allclose(resize_images(flat, (6, 2)), 7.0)
    ramp = np.arange(4, dtype="float32")[None, :, None]  # one row: 0 1 2 3
    # half-pixel centers: output pixel j samples (j + 0.5) * 4/8 - 0.5, clamped at the ends
    np.testing.assert_allclose(
        resize_images(ramp, (1, 8))[0, :, 0], [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]
    )


# --- time series ------------------------------------------------------------------------------
def test_windows_follow_keras_docstring_example():
    data = np.arange(99)  # "Consider indices [0, 1, ... 98]"
    ds = timeseries_dataset_from_array(
        data, None, sequence_length=10, sequence_stride=3, sampling_rate=2, batch_size=128
    )
    windows = ds[0]
    np.testing.assert_array_equal(windows[0], np.arange(0, 20, 2))
    np.testing.assert_array_equal(windows[1], np.arange(3, 23, 2))
    np.testing.assert_array_equal(windows[-1], np.arange(78, 98, 2))
    assert len(windows) == 27


def test_windows_with_targets_predict_the_next_value():
    data = np.arange(20, dtype="float32")[:, None] * np.ones((1, 3))  # (20, 3)
    ds = timeseries_dataset_from_array(data[:-5], data[5:, 0], sequence_length=5, batch_size=4)
    x, y = ds[0]
    assert x.shape == (4, 5, 3) and y.tolist() == [5, 6, 7, 8]  # the step after each window
    assert len(ds) == 3 and ds[2][0].shape == (3, 5, 3)  # 11 windows
    shuffled = timeseries_dataset_from_array(data, None, 5, shuffle=True, seed=0, batch_size=None)
    starts = sorted(int(shuffled[i][0, 0]) for i in range(len(shuffled)))
    assert starts == list(range(16))
    part = timeseries_dataset_from_array(data, None, 2, start_index=3, end_index=7, batch_size=10)
    np.testing.assert_array_equal(part[0][:, :, 0], [[3, 4], [4, 5], [5, 6]])


def test_timeseries_errors_and_fit():
    with pytest.raises(ValueError, match="`sampling_rate` must be higher than 0"):
        timeseries_dataset_from_array(np.arange(10), None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="`end_index` must be lower than the length"):
        timeseries_dataset_from_array(np.arange(10), None, 3, end_index=10)
    series = np.sin(np.arange(60) / 5).astype("float32")[:, None]
    ds = timeseries_dataset_from_array(series[:-4], series[4:, 0], sequence_length=4, batch_size=8)
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert np.isfinite(model.fit(ds, epochs=2, verbose=0).history["loss"]).all()
    for batch in ds.take(1):
        inputs, targets = batch
    assert inputs.shape == (8, 4, 1) and targets.shape == (8,)
