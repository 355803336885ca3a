"""`teachkeras.viz`: the pictures a teacher draws. Every function returns its Figure.

matplotlib and ipywidgets are imported inside the functions, so `import teachkeras`
stays fast. Each file is one picture:

    history            plot_history: training curves, best epoch, early stop
    activations        an activation and its derivative; softmax of a vector
    gradient_flow      per-layer gradient norms against depth (vanishing gradients)
    optimizers         real optimizers racing over 2-D loss surfaces
    decision_boundary  what a classifier answers over the plane
    conv               Conv2D filters and feature maps
    weights            weight histograms
    overfitting        train (dashed) vs validation (solid) for several models
    recurrent          the gradient reaching each time step (vanishing through time)
    attention          attention weights as heat maps; the softmax of random scores (1/√d)
    fonts              Korean labels (a Hangul font)
    widgets            ipywidgets explorers around the plots above
"""

from .activations import activation_curve, plot_activation, plot_activations, plot_softmax
from .attention import plot_attention, plot_softmax_of_random_scores, softmax_of_random_scores
from .conv import feature_maps, plot_feature_maps, plot_filters
from .decision_boundary import plot_decision_boundary
from .fonts import korean_font_name, use_korean_font
from .gradient_flow import (
    deep_network,
    gradient_flow_demo,
    layer_gradient_norms,
    plot_gradient_flow,
)
from .history import plot_history
from .optimizers import SURFACES, Surface, get_surface, optimizer_path, plot_optimizer_paths
from .overfitting import plot_overfitting
from .recurrent import (
    plot_step_gradients,
    recurrent_gradient_demo,
    set_gate_bias,
    step_gradient_norms,
)
from .weights import plot_weight_histograms
from .widgets import (
    activation_explorer,
    activation_explorer_update,
    attention_scale_explorer,
    attention_scale_explorer_update,
    optimizer_race,
    optimizer_race_update,
    overfitting_explorer,
    overfitting_explorer_update,
    recurrent_gradient_explorer,
    recurrent_gradient_explorer_update,
    vanishing_gradient_explorer,
    vanishing_gradient_explorer_update,
)

__all__ = [
    "SURFACES",
    "Surface",
    "activation_curve",
    "activation_explorer",
    "activation_explorer_update",
    "attention_scale_explorer",
    "attention_scale_explorer_update",
    "deep_network",
    "feature_maps",
    "get_surface",
    "gradient_flow_demo",
    "korean_font_name",
    "layer_gradient_norms",
    "optimizer_path",
    "optimizer_race",
    "optimizer_race_update",
    "overfitting_explorer",
    "overfitting_explorer_update",
    "plot_activation",
    "plot_activations",
    "plot_attention",
    "plot_decision_boundary",
    "plot_feature_maps",
    "plot_filters",
    "plot_gradient_flow",
    "plot_history",
    "plot_optimizer_paths",
    "plot_overfitting",
    "plot_softmax",
    "plot_softmax_of_random_scores",
    "plot_step_gradients",
    "plot_weight_histograms",
    "recurrent_gradient_demo",
    "recurrent_gradient_explorer",
    "recurrent_gradient_explorer_update",
    "set_gate_bias",
    "softmax_of_random_scores",
    "step_gradient_norms",
    "use_korean_font",
    "vanishing_gradient_explorer",
    "vanishing_gradient_explorer_update",
]
