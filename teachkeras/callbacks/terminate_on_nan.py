"""`TerminateOnNaN`: stop as soon as a batch's loss is NaN or infinite.

A NaN loss never comes back (every weight it touches becomes NaN), so there is no
point finishing the epoch. The usual causes: a learning rate far too large, `log(0)`
in a hand-written loss, or inputs that were never scaled.
"""

from __future__ import annotations

import numpy as np

from .callback import Callback


class TerminateOnNaN(Callback):
    """Terminate training when a NaN or Inf loss is encountered.

    Args:
        raise_error: False (default) stops gracefully with `model.stop_training = True`,
            so `on_train_end` still runs everywhere (EarlyStopping can restore weights).
            True raises a RuntimeError at once instead.

    Example:
        >>> model.fit(x, y, callbacks=[TerminateOnNaN()])
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs=None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. "
                f"Loss value: {loss}. Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
