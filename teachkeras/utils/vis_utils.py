"""Keras 2's module path `keras.utils.vis_utils` (tutorials import model_to_dot from here)."""

from .model_visualization import model_to_dot, plot_model

__all__ = ["model_to_dot", "plot_model"]
