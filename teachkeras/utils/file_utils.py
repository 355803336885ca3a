"""`keras.utils.get_file`: a file in the Keras cache, from a local copy, checked by its hash.

    path = keras.utils.get_file("data.csv", origin="/home/me/Downloads/data.csv")
    path = keras.utils.get_file(origin="file:///srv/share/flowers.tgz", extract=True)

The cache is Keras's own (`~/.keras/datasets/`, or `$KERAS_HOME/datasets/`), laid out as
Keras 3 lays it out, so a file Keras fetched serves here and the other way round.

This `get_file` works with local files and the cache only. `origin` may be a path or a
`file://` URL: the file is copied into the cache (all or nothing, hash checked before the
rename). A web address is used only through its cached copy: if there is none, the error
says exactly where to put the file. (The dataset loaders, `keras.datasets.mnist` and the
others, do download: see `datasets/_download.py`, whose copy, hash and unpacking code this
function shares.)
"""

from __future__ import annotations

import os
import pathlib
import tarfile
import urllib.parse
import urllib.request
import warnings
import zipfile

_HASH_ALGORITHMS = ("auto", "md5", "sha256")


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format="auto",
    cache_dir: str | None = None,
    force_download: bool = False,
) -> str:
    """The path of a file in the Keras cache, copied there from `origin` if needed.

    Args:
        fname: the file's name in the cache; None takes the last part of `origin`. With
            `extract=True`, a name without a dot names the folder it is unpacked into.
        origin: a local path or `file://` URL to copy from; or a web address whose file is
            already in the cache (nothing is downloaded).
        untar: Keras 2's `extract=True, archive_format="tar"`.
        md5_hash: Keras 2's `file_hash=..., hash_algorithm="md5"`.
        file_hash: the expected sha256 (64 hex digits) or md5 (32) of the file, checked
            when it is copied and every time it is found in the cache.
        cache_subdir: the folder inside the cache (an absolute path is used as it is).
        hash_algorithm: `"auto"` (from the hash's length), `"sha256"` or `"md5"`.
        extract: unpack the archive (tar, tar.gz, tar.bz2 or zip) and return its folder.
        archive_format: `"auto"` (tar or zip), `"tar"`, `"zip"`, a list of those, or None.
        cache_dir: the cache itself; default `$KERAS_HOME` or `~/.keras`.
        force_download: copy from `origin` again even if the cache has the file.

    Returns:
        The path of the cached file, or of the folder it was unpacked into.

    Raises:
        DownloadError: the file is not in the cache and `origin` is not a local file; the
            message says where to put it.
        DamagedFileError: the file's hash is not `file_hash`.

    Example:
        >>> path = keras.utils.get_file("iris.csv", origin="/data/iris.csv")  # doctest: +SKIP
    """
    from ..datasets import _download

    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    _check_hash_algorithm(file_hash, hash_algorithm)
    folder = _download.cache_folder(cache_subdir, cache_dir)
    target, unpacked = _cache_paths(fname, origin, folder, extract or untar)
    source = _local_source(origin)

    fetched = False
    if force_download or not os.path.exists(target):
        if unpacked is not None and not force_download and _has_files(unpacked):
            return unpacked  # unpacked already: the archive itself is not needed
        _copy(source, origin, target, file_hash, unpacked)
        fetched = True
    elif (
        file_hash is not None
        and _download.hash_file(target, _download.hash_algorithm(file_hash)) != file_hash
    ):
        if source is None:
            _download.check_cached_file(target, file_hash, origin)  # raises: says to delete it
        _copy(source, origin, target, file_hash, unpacked)  # Keras fetches it again
        fetched = True

    if unpacked is None:
        return target
    if fetched or not _has_files(unpacked):
        _unpack(target, unpacked, "tar" if untar else archive_format)
    return unpacked


def _check_hash_algorithm(file_hash: str | None, algorithm: str) -> None:
    if algorithm not in _HASH_ALGORITHMS:
        raise ValueError(
            f"get_file: hash_algorithm must be one of {_HASH_ALGORITHMS}. "
            f"Received: hash_algorithm={algorithm!r}"
        )
    expected_length = {"md5": 32, "sha256": 64}.get(algorithm)
    if file_hash is not None and expected_length and len(file_hash) != expected_length:
        raise ValueError(
            f"get_file: a {algorithm} hash has {expected_length} hex digits, but "
            f"file_hash={file_hash!r} has {len(file_hash)}."
        )


def _cache_paths(fname, origin: str, folder: str, extract: bool) -> tuple[str, str | None]:
    """(where the file goes, where it is unpacked or None), named as Keras 3 names them."""
    given = os.fspath(fname) if fname else None
    name = given or os.path.basename(urllib.parse.urlsplit(origin).path)
    if not name:
        raise ValueError(
            f"Can't parse the file name from the origin provided: '{origin}'. "
            "Please specify the `fname` argument."
        )
    if os.sep in name or "/" in name:
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the file's "
            f"parent directory, use the `cache_dir` argument. Received: fname={name}"
        )
    if not extract:
        return os.path.join(folder, name), None
    if given and "." in name:  # 'data.tar.gz': the archive keeps its name, unpacked beside it
        return os.path.join(folder, name), os.path.join(
            folder, name[: name.find(".")] + "_extracted"
        )
    return os.path.join(folder, name + "_archive"), os.path.join(folder, name)


def _local_source(origin: str) -> str | None:
    """The local file `origin` names (a path or a `file://` URL), or None for a web address."""
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme == "file":
        return urllib.request.url2pathname(parts.path)
    if os.path.exists(origin):
        return origin
    return None


def _copy(source: str | None, origin: str, target: str, file_hash, unpacked) -> None:
    """Copy `source` into the cache (atomically, hash checked), or explain where to put it."""
    from ..datasets._download import DownloadError, download, hash_algorithm

    if source is None or not os.path.isfile(source):
        lines = [
            f"get_file: {origin} is not in the Keras cache, and teachkeras's get_file does not "
            "download: it copies local files (a path or a file:// URL) and uses cached ones."
            if source is None
            else f"get_file: the local file {source} does not exist (or is not a file).",
            f"Download the file yourself and put it at exactly this path (same name):\n    {target}",
        ]
        if file_hash is not None:
            lines.append(f"Its {hash_algorithm(file_hash)} hash must be {file_hash}.")
        if unpacked is not None:
            lines.append(
                f"Or unpack the archive yourself so that this folder exists:\n    {unpacked}"
            )
        lines.append("Or pass origin= the path of your copy.")
        raise DownloadError("\n".join(lines))
    download(pathlib.Path(source).resolve().as_uri(), target, file_hash)


def _has_files(folder: str) -> bool:
    return os.path.isdir(folder) and bool(os.listdir(folder))


def _unpack(archive: str, folder: str, archive_format) -> None:
    """Unpack if the archive is one of the formats asked for; warn as Keras does if not."""
    from ..datasets._download import _extract

    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    formats = [archive_format] if isinstance(archive_format, str) else list(archive_format or [])
    unknown = set(formats) - {"tar", "zip"}
    if unknown:
        raise ValueError(
            f"get_file: archive_format must be 'auto', 'tar', 'zip', a list of them or None. "
            f"Received: {sorted(unknown)}"
        )
    kind = "tar" if tarfile.is_tarfile(archive) else "zip" if zipfile.is_zipfile(archive) else None
    if kind not in formats:
        warnings.warn("Could not extract archive.", stacklevel=3)
        return
    _extract(archive, folder)
