"""Saving that never destroys the previous file: write aside, then rename into place.

Writing `model.h5` directly means that a crash, a full disk or a Ctrl-C half-way
leaves a truncated file where a good one used to be. Instead every save

  1. writes to a temporary file in the same folder (same disk, so step 3 is a rename),
  2. flushes it to the disk (`fsync`), so the bytes really are there,
  3. renames it over the target with `os.replace`, which is atomic: anyone opening
     `model.h5` sees either the old complete file or the new complete file.

If anything fails before step 3, the temporary file is removed and the old file is
untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def atomic_write(filepath) -> Iterator[str]:
    """Yield a temporary path to write; on success it replaces `filepath`.

    Example:
        >>> with atomic_write("model.h5") as tmp:
        ...     with h5py.File(tmp, "w") as f:
        ...         f.attrs["model_config"] = config_json
    """
    target = os.path.abspath(os.fspath(filepath))
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, _mode_for(target))  # mkstemp makes it private (0600); keep the usual mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)  # make the rename itself durable


def _fsync_file(path: str) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: str) -> None:
    # Not every system can open a folder for fsync (Windows cannot); the rename is done anyway.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _mode_for(target: str) -> int:
    """The existing file's permissions, or the default for a new file (0666 minus umask)."""
    if os.path.exists(target):
        return os.stat(target).st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
