"""Saving that never destroys the previous file: write aside, then rename into place.

Writing `model.h5` directly means that a crash, a full disk or a Ctrl-C half-way
leaves a truncated file where a good one used to be. Instead every save

  1. writes to a temporary file in the same folder (same disk, so step 3 is a rename),
     named `.model.h5.<8 random characters>.tmp`,
  2. flushes it to the disk (`fsync`), so the bytes really are there,
  3. renames it over the target with `os.replace`, which is atomic: anyone opening
     `model.h5` sees either the old complete file or the new complete file.

If anything fails before step 3, the temporary file is removed and the old file is
untouched; a full disk says so in plain words. Only a process killed outright (the
kernel's OOM killer, `kill -9`, a power cut) leaves its temporary file behind, so each
save first removes the ones an earlier, dead process left for the same target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator

_TEMP_SUFFIX = ".tmp"
# mkstemp's random part: 8 characters from tempfile's alphabet (lowercase, digits, "_")
_RANDOM_PART = "[a-z0-9_]{8}"
# No space left on the disk, or in the user's quota (Windows has no EDQUOT)
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


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
    remove_stale_temps(target)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=_TEMP_SUFFIX, dir=folder)
        os.close(fd)
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, _mode_for(target))  # mkstemp makes it private (0600); keep the usual mode
        os.replace(tmp, target)
    except BaseException as error:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)
        code = _disk_full_errno(error)
        if code is not None:
            raise _disk_full_error(target, code) from error
        raise
    _fsync_folder(folder)  # make the rename itself durable


def _temp_prefix(target: str) -> str:
    return f".{os.path.basename(target)}."


# --- temporary files left by a killed save ---------------------------------------------------
def remove_stale_temps(target: str) -> list[str]:
    """Remove the temporary files that saves to `target` left when their process was killed.

    Only files that are all of these go: named exactly as `atomic_write` names them for
    this target; regular files (not folders, not links); and last written before this
    process started, so no save of this process made them, and a save still running in
    another process (which keeps writing to its file) keeps it. Anything else is left.

    Returns:
        The paths removed.
    """
    started = process_start_time()
    if started is None:  # unknown: better to leave a stale file than remove a live one
        return []
    folder, prefix = os.path.dirname(target), _temp_prefix(target)
    ours = re.compile(re.escape(prefix) + _RANDOM_PART + re.escape(_TEMP_SUFFIX))
    removed = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not ours.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(FileNotFoundError):  # another save removed it first
                if entry.stat(follow_symlinks=False).st_mtime < started:
                    os.remove(entry.path)
                    removed.append(entry.path)
    return removed


def process_start_time() -> float | None:
    """When this process started (seconds since the epoch, rounded down), or None if unknown.

    Linux keeps it in /proc: the boot time (`btime` in /proc/stat, whole seconds) plus
    the start in clock ticks after boot (field 22 of /proc/self/stat). Elsewhere psutil
    knows it, when it is installed.
    """
    try:
        started = _linux_start_time()
    except (OSError, ValueError, IndexError, StopIteration):
        try:
            import psutil
        except ImportError:
            return None
        started = psutil.Process().create_time()
    return started if 0 < started <= time.time() else None


def _linux_start_time() -> float:
    with open("/proc/self/stat") as f:
        after_name = f.read().rpartition(")")[2].split()  # the name may contain spaces
    ticks = int(after_name[19])  # field 22; the fields after the name start at field 3
    with open("/proc/stat") as f:
        boot = next(int(line.split()[1]) for line in f if line.startswith("btime "))
    return boot + ticks / os.sysconf("SC_CLK_TCK")  # both rounded down: never after the start


# --- a full disk -----------------------------------------------------------------------------
def _disk_full_errno(error: BaseException | None) -> int | None:
    """ENOSPC or EDQUOT if `error`, or an error it was raised while handling, says the
    disk is full; otherwise None.

    Python's own writes and h5py's (which reports HDF5's "file write failed ... errno =
    28") both raise `OSError` with `errno` set; closing a half-written HDF5 file can
    raise a second error on top of the first, so the chain is followed.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _DISK_FULL:
            return error.errno
        error = error.__cause__ or error.__context__
    return None


def _disk_full_error(target: str, code: int) -> OSError:
    """The same `OSError` (errno kept), saying what happened to which file, and what to do."""
    kept = (
        "The old file is intact: it was not replaced, and the partial new file was removed."
        if os.path.exists(target)
        else "No file was written: the partial one was removed."
    )
    return OSError(
        code,
        f"Cannot save {target!r}: the disk is full ({os.strerror(code)}). {kept} "
        "Free some space, or save to another disk, and save again.",
    )


# --- flushing --------------------------------------------------------------------------------
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
