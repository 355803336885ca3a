"""`get_file`: fetch a dataset file once, keep it in the Keras cache, check it every time.

Where files live (the same place Keras uses, so one download serves both):

    $KERAS_HOME/datasets/<fname>        when the KERAS_HOME environment variable is set
    ~/.keras/datasets/<fname>           otherwise

Three promises, each a lesson in handling files:

1. **A cached file needs no network.** If the file is already there, it is checked
   against its hash and used; nothing is downloaded.
2. **A download is all or nothing.** Bytes go to a hidden temporary file in the same
   folder; only a complete file whose hash matches is renamed into place with
   `os.replace` (atomic on one file system). A download that fails half-way leaves
   nothing behind, so the next run never trips over half a file.
3. **Offline is said plainly.** When the address cannot be reached, the error names the
   URL and the exact path where the file can be put by hand.

A hash is a fingerprint of the file's bytes: 64 hex digits for sha256, 32 for md5
(the older Keras files still use md5). Same bytes, same fingerprint.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from ..utils.progbar import Progbar

_CHUNK = 1 << 16  # read and hash 64 KiB at a time: big files never sit whole in memory
_TIMEOUT = 60  # seconds without an answer before a download is given up


class DownloadError(OSError):
    """A dataset file could not be fetched; the message says where to put it by hand."""


class DamagedFileError(ValueError):
    """A cached file does not have the bytes it should; the message says to delete it."""


# --- where the cache is ---------------------------------------------------------------


def keras_home() -> str:
    """The Keras folder: `$KERAS_HOME` if set, else `~/.keras` (read at each call)."""
    if "KERAS_HOME" in os.environ:
        return os.path.expanduser(os.environ["KERAS_HOME"])
    return os.path.join(os.path.expanduser("~"), ".keras")


def cache_folder(cache_subdir: str = "datasets", cache_dir: str | None = None) -> str:
    """The folder a file goes to, created if needed (Keras falls back to /tmp/.keras)."""
    base = os.path.expanduser(cache_dir) if cache_dir is not None else keras_home()
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass  # checked just below: an unwritable home is not an error, Keras uses /tmp
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".keras")
    folder = os.path.join(base, cache_subdir)  # an absolute cache_subdir wins, as in Keras
    os.makedirs(folder, exist_ok=True)
    return folder


# --- fingerprints ---------------------------------------------------------------------


def hash_algorithm(file_hash: str) -> str:
    """'sha256' for a 64-digit hash, 'md5' for a 32-digit one (Keras's 'auto')."""
    return "sha256" if len(file_hash) == 64 else "md5"


def hash_file(path: str, algorithm: str = "sha256") -> str:
    """The hex fingerprint of a file (read in chunks, so big files fit in memory)."""
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def check_cached_file(path: str, file_hash: str | None, origin: str) -> None:
    """Raise `DamagedFileError` unless the file at `path` has the fingerprint `file_hash`."""
    if file_hash is None:
        return
    found = hash_file(path, hash_algorithm(file_hash))
    if found != file_hash:
        raise DamagedFileError(
            f"The cached file {path} is damaged or is not the expected file: its "
            f"{hash_algorithm(file_hash)} hash is {found}, expected {file_hash}.\n"
            f"Delete it and run again to download it afresh from {origin}\n"
            f"(or put a good copy of that file at exactly that path)."
        )


# --- downloading ----------------------------------------------------------------------


def _open_url(origin: str):
    """Open `origin` for reading (a seam: tests replace it to fail mid-download)."""
    return urllib.request.urlopen(origin, timeout=_TIMEOUT)


def _offline_message(
    origin: str, target: str, reason: object, file_hash: str | None, hint: str | None
) -> str:
    lines = [
        f"Could not download {origin}",
        f"  reason: {reason}",
        "This computer may be offline, or the address may be blocked. To use this dataset",
        "without a network, download the file on a machine that has one and copy it to",
        f"exactly this path (same name, no extra extension):\n    {target}",
    ]
    if file_hash is not None:
        lines.append(
            f"The file is checked after copying: its {hash_algorithm(file_hash)} hash must be"
        )
        lines.append(f"    {file_hash}")
    if hint:
        lines.append(hint)
    lines.append(
        "Datasets that need no network: teachkeras.datasets.digits, .iris and .toy "
        "(spirals, moons, circles, xor, noisy_sine)."
    )
    return "\n".join(lines)


def download(
    origin: str, target: str, file_hash: str | None = None, hint: str | None = None
) -> None:
    """Fetch `origin` into `target` atomically, checking `file_hash` before the rename.

    The bytes are written to a temporary file beside `target`, hashed on the way, and
    renamed into place only when complete and correct. Any failure (network, wrong
    hash, Ctrl-C) deletes the temporary file and leaves `target` untouched. `hint` is
    one more line for the offline message.
    """
    folder = os.path.dirname(target)
    print(f"Downloading data from {origin}", file=sys.stdout)
    fd, partial = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".part"
    )
    hasher = hashlib.new(hash_algorithm(file_hash)) if file_hash is not None else None
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with _open_url(origin) as response:
                    total = response.headers.get("Content-Length") if response.headers else None
                    progbar = Progbar(int(total) if total else None, unit_name="byte")
                    received = 0
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        out.write(chunk)
                        if hasher is not None:
                            hasher.update(chunk)
                        received += len(chunk)
                        progbar.update(received)
                    progbar.update(received, finalize=True)
            except urllib.error.HTTPError as err:  # the server answered, but with an error code
                raise DownloadError(
                    _offline_message(
                        origin, target, f"HTTP {err.code} {err.reason}", file_hash, hint
                    )
                ) from err
            except (
                urllib.error.URLError,  # no answer: offline, refused, unknown host
                ConnectionError,  # the connection dropped half-way
                TimeoutError,  # no bytes for _TIMEOUT seconds
                http.client.HTTPException,  # the answer was cut short or garbled
            ) as err:
                reason = getattr(err, "reason", err)
                message = _offline_message(origin, target, reason, file_hash, hint)
                raise DownloadError(message) from err
        if hasher is not None and hasher.hexdigest() != file_hash:
            raise DamagedFileError(
                f"The file downloaded from {origin} is incomplete or corrupted: its "
                f"{hash_algorithm(file_hash)} hash is {hasher.hexdigest()}, expected {file_hash}. "
                "Nothing was saved; run again to retry."
            )
        os.replace(partial, target)  # the only moment `target` appears: whole and checked
    except BaseException:  # also Ctrl-C: never leave half a file behind
        if os.path.exists(partial):
            os.remove(partial)
        raise


# --- archives -------------------------------------------------------------------------


def _extract(archive: str, destination: str) -> None:
    """Unpack a tar or zip `archive` into `destination`, refusing paths that escape it.

    Unpacks into a temporary folder first and renames it into place, so a failed
    extraction leaves no half-filled `destination`.
    """
    parent = os.path.dirname(destination)
    staging = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(destination)}.")
    try:
        if tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tar:
                _check_members([m.name for m in tar.getmembers()], archive)
                if any(m.issym() or m.islnk() or m.isdev() for m in tar.getmembers()):
                    raise DamagedFileError(
                        f"{archive} holds links or devices; refusing to unpack it."
                    )
                # filter="data" (Python >= 3.11.4) also drops odd permissions and owners
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tar.extractall(staging, **safe)
        elif zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                _check_members(zf.namelist(), archive)
                zf.extractall(staging)
        else:
            raise DamagedFileError(
                f"{archive} is neither a tar nor a zip archive. Delete it and run again."
            )
        if os.path.isdir(destination):
            shutil.rmtree(destination)
        os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_members(names: list[str], archive: str) -> None:
    """An archive member may not be absolute nor climb out with '..' (path traversal)."""
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or os.path.isabs(name):
            raise DamagedFileError(
                f"{archive} contains the unsafe path {name!r}; refusing to unpack it."
            )


# --- the public function --------------------------------------------------------------


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    cache_dir: str | None = None,
    extract: bool = False,
) -> str:
    """Download a file into the Keras cache unless it is there already; return its path.

    Args:
        fname: name of the file in the cache; `None` takes the last part of `origin`.
            With `extract=True` and a name without a dot, the archive is saved as
            `<fname>_archive` and unpacked into the folder `<fname>` (as Keras 3 does).
        origin: the URL to download from (`https://...`, or `file://...`).
        file_hash: expected sha256 (64 hex digits) or md5 (32) of the file; checked on
            download and on every later use.
        cache_subdir: folder under the cache, `"datasets"` by default.
        cache_dir: the cache itself; default `$KERAS_HOME` or `~/.keras`.
        extract: unpack a tar/zip archive and return the folder instead.

    Returns:
        The path to the file (or to the unpacked folder with `extract=True`).

    Raises:
        DownloadError: the file is not cached and `origin` cannot be reached; the
            message gives the path where the file can be put by hand.
        DamagedFileError: the cached or downloaded file has the wrong hash.

    Example:
        >>> path = get_file("mnist.npz", origin="https://.../mnist.npz")  # doctest: +SKIP
    """
    if origin is None:
        raise ValueError("get_file needs `origin`, the URL of the file to download.")
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't tell a file name from origin={origin!r}; pass `fname=`.")
    fname = os.fspath(fname)
    if os.sep in fname or "/" in fname:
        raise ValueError(
            "get_file takes a plain file name, not a path: put the folder in `cache_dir=`. "
            f"Received: fname={fname!r}"
        )
    folder = cache_folder(cache_subdir, cache_dir)

    if extract:
        if "." in fname:  # 'data.tar.gz' -> archive 'data.tar.gz', folder 'data_extracted'
            target = os.path.join(folder, fname)
            unpacked = os.path.join(folder, fname[: fname.find(".")] + "_extracted")
        else:  # 'data' -> archive 'data_archive', folder 'data'
            target = os.path.join(folder, fname + "_archive")
            unpacked = os.path.join(folder, fname)
        if os.path.isdir(unpacked) and os.listdir(unpacked):
            return unpacked  # already unpacked: no archive, no hash, no network needed
    else:
        target = os.path.join(folder, fname)

    if os.path.exists(target):
        check_cached_file(target, file_hash, origin)
    else:
        hint = None
        if extract:
            hint = f"(Or unpack the archive yourself so that this folder exists:\n    {unpacked})"
        download(origin, target, file_hash, hint)

    if extract:
        _extract(target, unpacked)
        return unpacked
    return target
