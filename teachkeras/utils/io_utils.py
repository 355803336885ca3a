"""Where Keras's messages go: the screen, or Python's `logging` (Keras 3's `io_utils`).

    keras.config.disable_interactive_logging()   # a training job on a server: no bars
    model.fit(x, y, epochs=3)                     # progress lines go to logging.info
    keras.config.enable_interactive_logging()    # back to the screen (the default)

With interactive logging on, the progress bar is redrawn in place and `summary()`
prints its table. With it off, each finished line is handed to the `teachkeras`
logger at level INFO instead, so a log file gets whole lines and no `\\r` redraws.
(Keras 3 sends them to `absl.logging`; teachkeras uses the standard library's `logging`.)
Nothing shows until logging is configured, e.g. `logging.basicConfig(level=logging.INFO)`.
"""

from __future__ import annotations

import logging
import sys

LOGGER_NAME = "teachkeras"


class _LoggingState:
    """On (the default) means: write to the screen."""

    interactive = True


_state = _LoggingState()


def enable_interactive_logging() -> None:
    """Show progress bars and summaries on the screen (stdout), redrawn in place.

    Example:
        >>> keras.config.enable_interactive_logging()
    """
    _state.interactive = True


def disable_interactive_logging() -> None:
    """Send progress lines and summaries to Python's `logging` (logger `teachkeras`, INFO).

    Example:
        >>> keras.config.disable_interactive_logging()
        >>> logging.basicConfig(level=logging.INFO)   # to see them
    """
    _state.interactive = False


def is_interactive_logging_enabled() -> bool:
    """True when messages go to the screen, False when they go to `logging`.

    Returns:
        Whether interactive logging is on (it is unless you turned it off).
    """
    return _state.interactive


def print_msg(message, line_break: bool = True) -> None:
    """Write `message` to stdout (interactive logging on) or log it at INFO (off).

    Args:
        message: the text (anything; it is turned into a string).
        line_break: on the screen, end the message with a newline.
    """
    message = str(message)
    if not _state.interactive:
        logging.getLogger(LOGGER_NAME).info(message)
        return
    sys.stdout.write(message + "\n" if line_break else message)
    sys.stdout.flush()
