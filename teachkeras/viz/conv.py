"""What a convolution layer looks for (its filters) and what it finds (feature maps).

A Conv2D kernel has shape (kernel_height, kernel_width, in_channels, filters): each
filter is a small image (one per input channel) slid over the input. For the first
layer of a network trained on photos they come out as edge and colour detectors.
A feature map is one filter's response at every position: bright where the input
looks like the filter.
"""

from __future__ import annotations

import math

import numpy as np

from ..backend import config
from ..backend.tensor import as_array
from .fonts import auto_korean_font


def _grid(count: int, max_cols: int = 8, size: float = 1.4):
    """A figure with `count` small image axes (ticks off), laid out in rows."""
    import matplotlib.pyplot as plt

    cols = min(count, max_cols, max(1, math.ceil(math.sqrt(count))))
    rows = math.ceil(count / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(size * cols, size * rows + 0.4), squeeze=False, layout="constrained"
    )
    axes = axes.ravel()
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[count:]:
        ax.set_visible(False)  # the unused cells of the last row
    return fig, axes[:count]


def _conv_layer(layer_or_model):
    """The layer itself, or a model's first layer with a 4-D kernel (its first Conv2D)."""
    if hasattr(layer_or_model, "layers") and not hasattr(layer_or_model, "kernel"):
        for layer in layer_or_model.layers:
            if getattr(layer, "kernel", None) is not None and len(layer.kernel.shape) == 4:
                return layer
        raise ValueError(
            f"Model {layer_or_model.name!r} has no Conv2D layer whose filters to draw."
        )
    kernel = getattr(layer_or_model, "kernel", None)
    if kernel is None or len(kernel.shape) != 4:
        name = getattr(layer_or_model, "name", type(layer_or_model).__name__)
        shape = None if kernel is None else tuple(kernel.shape)
        raise ValueError(
            f"plot_filters expects a built Conv2D layer (kernel of shape (height, width, "
            f"in_channels, filters)); {name!r} has kernel shape {shape}. Build the layer first "
            "(call the model on data, or give it an Input)."
        )
    return layer_or_model


def plot_filters(conv_layer, channel: int | None = None, max_filters: int = 64):
    """Draw each filter of a Conv2D layer as a small image; returns the Figure.

    With 3 input channels (an RGB image) each filter is shown in colour, scaled to
    [0, 1] on its own; otherwise in grey, for input `channel` (default: the mean over
    input channels). Dark is negative, light positive.

    Args:
        conv_layer: a built Conv2D layer (or a model: its first Conv2D is used).
        channel: which input channel to show (`None`: RGB, or the mean).
        max_filters: draw at most this many.

    Example:
        >>> plot_filters(model.layers[0])
    """
    auto_korean_font()
    layer = _conv_layer(conv_layer)
    kernel = np.asarray(as_array(layer.kernel), dtype=float)  # (kh, kw, in, filters)
    in_channels, filters = kernel.shape[2], kernel.shape[3]
    count = min(filters, max_filters)
    fig, axes = _grid(count)
    for i, ax in enumerate(axes):
        weights = kernel[:, :, :, i]  # (kh, kw, in)
        if channel is None and in_channels == 3:
            low, high = np.nanmin(weights), np.nanmax(weights)
            ax.imshow((weights - low) / (high - low if high > low else 1.0))
        else:
            image = weights.mean(axis=-1) if channel is None else weights[:, :, channel]
            ax.imshow(image, cmap="gray")
        ax.set_title(str(i), fontsize=7)
    shown = (
        "RGB"
        if channel is None and in_channels == 3
        else ("mean over input channels" if channel is None else f"input channel {channel}")
    )
    fig.suptitle(
        f"{layer.name}: {count} of {filters} filters {kernel.shape[:2]} ({shown})", fontsize=9
    )
    return fig


def _find_layer(model, layer_name_or_index):
    if isinstance(layer_name_or_index, int | np.integer):
        return model.get_layer(index=int(layer_name_or_index))
    return model.get_layer(name=layer_name_or_index)


def feature_maps(model, layer_name_or_index, image) -> np.ndarray:
    """The output of one layer for one image: an array (height, width, channels)."""
    from ..models import Model

    layer = _find_layer(model, layer_name_or_index)
    image = np.asarray(as_array(image), dtype=config.floatx())
    expected = len(model.inputs[0].shape)  # with the batch axis
    if image.ndim == expected - 1:
        image = image[None]  # one image: add the batch axis
    if image.ndim != expected or len(image) != 1:
        raise ValueError(
            f"plot_feature_maps expects one image of shape {tuple(model.inputs[0].shape[1:])} "
            f"(or a batch of one). Received an array of shape {image.shape}."
        )
    probe = Model(model.inputs, layer.output)  # the same layers, stopping at `layer`
    maps = np.asarray(probe.predict(image, verbose=0))[0]
    if maps.ndim != 3:
        raise ValueError(
            f"Layer {layer.name!r} outputs shape {maps.shape} per image, not (height, width, "
            "channels): pick a convolution or pooling layer, before Flatten."
        )
    if getattr(layer, "data_format", "channels_last") == "channels_first":
        maps = np.moveaxis(maps, 0, -1)
    return maps


def plot_feature_maps(model, layer_name_or_index, image, max_maps: int = 32):
    """Draw what one layer outputs for one image, one small image per channel; returns the Figure.

    Example:
        >>> plot_feature_maps(model, "conv2d", x_test[0])
    """
    auto_korean_font()
    maps = feature_maps(model, layer_name_or_index, image)
    count = min(maps.shape[-1], max_maps)
    fig, axes = _grid(count)
    for i, ax in enumerate(axes):
        ax.imshow(maps[:, :, i], cmap="viridis")
        ax.set_title(str(i), fontsize=7)
    name = _find_layer(model, layer_name_or_index).name
    fig.suptitle(f"{name}: {count} of {maps.shape[-1]} feature maps {maps.shape[:2]}", fontsize=9)
    return fig
