"""`image_dataset_from_directory`: a folder of images, one sub-folder per class ->
batches of `(images, labels)` that `fit` reads.

    flower_photos/
        daisy/  a.jpg b.jpg ...         label 0
        roses/  c.jpg d.jpg ...         label 1

    train = keras.utils.image_dataset_from_directory("flower_photos", image_size=(180, 180),
                                                     validation_split=0.2, subset="training",
                                                     seed=123, batch_size=32)
    images, labels = train[0]           # (32, 180, 180, 3) float32 in 0..255, (32,) int32
"""

from __future__ import annotations

import numpy as np

from ..backend import config
from . import dataset_utils
from .dataset_utils import FileDataset
from .image_utils import img_to_array, load_img, resize_images

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",  # noqa: A002 (Keras's name for it)
    verbose=True,
):
    """Image files in `directory` -> a `PyDataset` of `(images, labels)` batches (Keras 3's
    arguments and defaults; the images are read and resized when a batch is asked for).

    Args: as `text_dataset_from_directory`, and
        color_mode: "rgb", "rgba" or "grayscale" (3, 4 or 1 channels).
        image_size: `(height, width)` every image is resized to (default (256, 256)).
        interpolation: "bilinear" (default) or "nearest", as Keras 3's `ops.image.resize`.
        crop_to_aspect_ratio / pad_to_aspect_ratio: crop the center, or pad the sides, to
            the target's aspect ratio first, so the image is not stretched.
        data_format: "channels_last" `(h, w, c)` or "channels_first" `(c, h, w)`.

    Returns:
        A `PyDataset` with `class_names` and `file_paths` (a list of two for
        `subset="both"`); each batch is `(images, labels)`, images float32 in 0..255.
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "image")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if color_mode not in _CHANNELS:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, list | tuple) or len(image_size) != 2:
        raise ValueError(
            f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(
            f"Argument `interpolation` should be 'bilinear' or 'nearest' in teachkeras. "
            f"Received: interpolation={interpolation}"
        )
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    image_paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        formats=ALLOWLIST_FORMATS,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )
    data_format = data_format or config.image_data_format()

    def load(paths: list[str]) -> np.ndarray:
        return np.stack(
            [
                _load_image(
                    p,
                    image_size,
                    color_mode,
                    interpolation,
                    data_format,
                    crop_to_aspect_ratio,
                    pad_to_aspect_ratio,
                )
                for p in paths
            ]
        )  # (batch, height, width, channels)

    def dataset(paths, subset_labels, shuffled: bool, what: str) -> FileDataset:
        if not paths:
            raise ValueError(
                f"No {what}images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}"
            )
        encoded = None
        if label_mode is not None:
            encoded = dataset_utils.encode_labels(subset_labels, label_mode, len(class_names))
        return FileDataset(paths, encoded, load, batch_size, shuffled, seed, class_names)

    if subset == "both":
        split = dataset_utils.get_training_or_validation_split
        train = split(image_paths, labels, validation_split, "training")
        val = split(image_paths, labels, validation_split, "validation")
        return [dataset(*train, shuffle, "training "), dataset(*val, False, "validation ")]
    paths, subset_labels = dataset_utils.get_training_or_validation_split(
        image_paths, labels, validation_split, subset
    )
    return dataset(paths, subset_labels, shuffle, "")


def _load_image(path, size, color_mode, interpolation, data_format, crop, pad) -> np.ndarray:
    """One image as float32 `(height, width, channels)`, resized as Keras 3 resizes it."""
    image = img_to_array(load_img(path, color_mode=color_mode), "channels_last", "float32")
    return resize_images(
        image,
        size,
        interpolation=interpolation,
        crop_to_aspect_ratio=crop,
        pad_to_aspect_ratio=pad,
        data_format="channels_last",
    ).transpose((2, 0, 1) if data_format == "channels_first" else (0, 1, 2))
