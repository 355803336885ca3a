"""`model.save`, `save_weights`, `load_weights`, `to_json`, `to_yaml`: saving as model methods.

`SavingMixin` is mixed into `Model`; each method is one line into `teachkeras/saving/`
(`saving_api.py` or `json_yaml.py`, where the formats are explained), imported when the
method is called: saving sits above models, and these methods are the door to it.
"""

from __future__ import annotations


class SavingMixin:
    """The saving half of `Model` (mixed in; `self` is the model)."""

    def save(self, filepath, overwrite: bool = True, include_optimizer: bool = True, **kwargs):
        """Save architecture, weights and compile state to a `.keras` (or `.h5`) file.

        Example:
            >>> model.save("model.keras")
            >>> model = keras.models.load_model("model.keras")
        """
        from ..saving.saving_api import save_model

        save_model(
            self, filepath, overwrite=overwrite, include_optimizer=include_optimizer, **kwargs
        )

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        """Save the weights only: `.weights.h5` (Keras 3's layout) or `.h5` (Keras 2's)."""
        from ..saving.saving_api import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, by_name: bool = False, skip_mismatch: bool = False) -> None:
        """Load weights from `.weights.h5`, `.keras` or `.h5` into this (built) model.

        Args:
            by_name: (`.h5` saved in Keras 2's layout) match layers by name, not position.
            skip_mismatch: skip, with a warning, layers whose weights do not fit.
        """
        from ..saving.saving_api import load_weights

        load_weights(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch)

    def to_json(self, **kwargs) -> str:
        """The architecture (and compile arguments) as a JSON string; no weights."""
        from ..saving.json_yaml import model_to_json

        return model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs) -> str:
        """Keras 2's YAML twin of `to_json` (removed in Keras 2.6; warns once)."""
        from ..saving.json_yaml import model_to_yaml

        return model_to_yaml(self, **kwargs)
