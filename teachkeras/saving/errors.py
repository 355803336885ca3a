"""The one error a damaged or foreign model file raises: `ModelFileError`.

Loading reads bytes someone else wrote. Whatever is wrong with them (a save cut off
half-way, a flipped bit, an HDF5 file with no model inside, a zip with no
`config.json`, weights for another architecture), the loaders raise `ModelFileError`
and nothing else: never a bare `KeyError` from deep inside h5py or `zipfile`, and
never a half-built model. It is a `ValueError`, as Keras's own loading errors are,
so `except ValueError` written for Keras still catches it.

    try:
        model = keras.models.load_model("model.keras")
    except keras.saving.ModelFileError as err:
        print(err.filepath, err.problem)
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import signal
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator


class ModelFileError(ValueError):
    """A model, weights or config file that cannot be loaded.

    Attributes:
        filepath: the file (or `'<JSON string>'`, `'<YAML string>'`) that was read.
        problem: what is wrong with it, in a sentence.
        hint: the usual fix, when there is one.
    """

    def __init__(self, filepath, problem: str, hint: str | None = None) -> None:
        self.filepath = str(filepath)
        self.problem = problem
        self.hint = hint
        message = f"Cannot load {self.filepath!r}: {problem}"
        if hint:
            message += f" {hint}"
        super().__init__(message)


def describe(error: BaseException) -> str:
    """A learner-readable sentence for a low-level error met while reading a file."""
    if isinstance(error, zipfile.BadZipFile):
        return f"it is not a valid zip archive, or it is truncated or corrupted ({error})."
    if isinstance(error, json.JSONDecodeError):
        return f"its configuration is not valid JSON ({error})."
    if isinstance(error, UnicodeDecodeError):
        return "its configuration is not UTF-8 text: the file is corrupted."
    if isinstance(error, KeyError):
        return f"a required entry is missing: {error}."
    if isinstance(error, RecursionError):
        return "its configuration is nested too deeply to be a real model."
    if isinstance(error, OSError):
        # h5py reports unreadable HDF5 structures as OSError
        return f"the file could not be read: it is truncated, corrupted, or not of this format ({error})."
    if isinstance(error, ValueError | TypeError) and "Unknown" in str(error):
        return (
            f"{error} If it is your own class or function, pass "
            "custom_objects={'Name': Name} or decorate it with "
            "@keras.saving.register_keras_serializable()."
        )
    return f"{type(error).__name__}: {error}"


@contextlib.contextmanager
def reading(filepath) -> Iterator[None]:
    """Inside this block, any failure becomes a `ModelFileError` naming `filepath`.

    Example:
        >>> with reading("model.h5"):
        ...     config = json.loads(h5file.attrs["model_config"])
    """
    try:
        yield
    except ModelFileError:
        raise
    except Exception as error:  # everything a damaged file can trigger, from any library
        raise ModelFileError(filepath, describe(error)) from error


def check_exists(filepath) -> None:
    """Missing, empty and directory paths get their own clear message."""
    path = os.fspath(filepath)
    if not os.path.exists(path):
        raise ModelFileError(path, "there is no such file.", "Check the path and the file name.")
    if os.path.isdir(path):
        raise ModelFileError(path, "it is a folder, not a file.")
    if os.path.getsize(path) == 0:
        raise ModelFileError(
            path,
            "the file is empty (0 bytes).",
            "A save was probably interrupted before anything was written: save the model again.",
        )


def crashes_when_run(read: Callable[[], object], timeout: float = 10.0) -> bool:
    """Run `read()` in a copy of this process; True if that copy crashed or never finished.

    Some damage cannot be caught as a Python exception: the HDF5 library can crash
    the whole process (a segmentation fault) when it follows a corrupted pointer,
    which would kill a Jupyter kernel, or loop forever on a corrupted length. So
    before such a read, a forked child does it first; if the child dies from a
    signal, or is still reading after `timeout` seconds (a few milliseconds is normal),
    the file is reported damaged instead. Where `fork` does not exist (Windows) the
    check is skipped (returns False).
    """
    if not hasattr(os, "fork"):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "fork() in a threaded process"
        pid = os.fork()
    if pid == 0:  # the child: read, and leave without running any clean-up code
        faulthandler.disable()  # its crash is expected and reported by the parent
        code = 1
        try:
            read()
            code = 0
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.WIFSIGNALED(status)
        if time.monotonic() > deadline:  # stuck: the same read would hang this process too
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return True
        time.sleep(0.001)
