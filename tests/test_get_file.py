"""`keras.utils.get_file`: local files into the Keras cache, hashes, archives, and no network."""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile

import pytest

from teachkeras.datasets import _download
from teachkeras.datasets._download import DamagedFileError, DownloadError
from teachkeras.utils import get_file

REMOTE = "https://example.org/files/data.csv"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a web address fails the test."""

    def refuse(origin):
        if not origin.startswith("file:"):
            raise AssertionError(f"get_file tried the network: {origin}")
        return _real_open(origin)

    _real_open = _download._open_url
    monkeypatch.setattr(_download, "_open_url", refuse)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "data.csv"
    path.parent.mkdir()
    path.write_text("x,y\n1,2\n")
    return path


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_a_local_path_is_copied_into_the_cache(source, tmp_path, capsys):
    cache = tmp_path / "cache"
    path = get_file(origin=str(source), cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.csv")
    assert open(path).read() == "x,y\n1,2\n"
    assert os.listdir(cache / "datasets") == ["data.csv"]  # no temporary file left


def test_a_file_url_and_a_name_of_its_own(source, tmp_path):
    path = get_file("renamed.csv", origin=source.as_uri(), cache_dir=str(tmp_path / "c"))
    assert os.path.basename(path) == "renamed.csv" and open(path).read().startswith("x,y")


def test_a_cached_file_needs_no_origin(source, tmp_path):
    cache = str(tmp_path / "cache")
    first = get_file("data.csv", origin=str(source), cache_dir=cache)
    source.unlink()
    assert get_file("data.csv", origin=str(source), cache_dir=cache) == first
    assert get_file("data.csv", origin=REMOTE, cache_dir=cache) == first


def test_a_web_address_with_no_cached_copy_says_where_to_put_it(tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as err:
        get_file(origin=REMOTE, cache_dir=str(cache), file_hash="0" * 64)
    message = str(err.value)
    assert REMOTE in message and str(cache / "datasets" / "data.csv") in message
    assert "does not download" in message and "sha256 hash must be " + "0" * 64 in message


def test_cache_subdir_and_absolute_subdir(source, tmp_path):
    assert get_file(origin=str(source), cache_dir=str(tmp_path), cache_subdir="mine").endswith(
        os.path.join("mine", "data.csv")
    )
    elsewhere = tmp_path / "absolute"
    path = get_file(origin=str(source), cache_dir=str(tmp_path), cache_subdir=str(elsewhere))
    assert path == str(elsewhere / "data.csv")


# --- hashes -------------------------------------------------------------------------------
def test_the_hash_is_checked_on_copy_and_in_the_cache(source, tmp_path):
    cache = str(tmp_path / "cache")
    good = sha256(source)
    path = get_file(origin=str(source), cache_dir=cache, file_hash=good)
    md5 = hashlib.md5(source.read_bytes()).hexdigest()
    assert get_file(origin=str(source), cache_dir=cache, md5_hash=md5) == path
    assert get_file(origin=str(source), cache_dir=cache, file_hash=md5, hash_algorithm="md5")
    with pytest.raises(DamagedFileError, match="hash"):
        get_file("other.csv", origin=str(source), cache_dir=cache, file_hash="1" * 64)
    assert not os.path.exists(os.path.join(cache, "datasets", "other.csv"))  # nothing kept


def test_a_damaged_cache_copy_is_replaced_from_a_local_origin(source, tmp_path):
    cache = str(tmp_path / "cache")
    path = get_file(origin=str(source), cache_dir=cache)
    with open(path, "w") as f:
        f.write("damaged")
    assert (
        open(get_file(origin=str(source), cache_dir=cache, file_hash=sha256(source))).read()[:3]
        == "x,y"
    )


def test_a_damaged_cache_copy_of_a_web_file_says_to_delete_it(source, tmp_path):
    cache = tmp_path / "cache"
    get_file("data.csv", origin=str(source), cache_dir=str(cache))
    (cache / "datasets" / "data.csv").write_text("damaged")
    with pytest.raises(DamagedFileError, match="Delete it"):
        get_file("data.csv", origin=REMOTE, cache_dir=str(cache), file_hash=sha256(source))


def test_force_download_copies_again(source, tmp_path):
    cache = str(tmp_path / "cache")
    get_file(origin=str(source), cache_dir=cache)
    source.write_text("new")
    assert open(get_file(origin=str(source), cache_dir=cache)).read() != "new"
    assert open(get_file(origin=str(source), cache_dir=cache, force_download=True)).read() == "new"


def test_bad_arguments_are_named(source, tmp_path):
    with pytest.raises(ValueError, match='specify the "origin"'):
        get_file("x.csv")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        get_file("sub/x.csv", origin=str(source))
    with pytest.raises(ValueError, match="hash_algorithm must be one of"):
        get_file(origin=str(source), cache_dir=str(tmp_path), hash_algorithm="sha1")
    with pytest.raises(ValueError, match="md5 hash has 32 hex digits"):
        get_file(
            origin=str(source), cache_dir=str(tmp_path), file_hash="0" * 64, hash_algorithm="md5"
        )
    with pytest.raises(ValueError, match="file name from the origin"):
        get_file(origin="https://example.org/", cache_dir=str(tmp_path))


# --- archives -----------------------------------------------------------------------------
@pytest.fixture
def tar_archive(tmp_path):
    inner = tmp_path / "inner.txt"
    inner.write_text("hello")
    path = tmp_path / "src" / "bundle.tar.gz"
    path.parent.mkdir(exist_ok=True)
    with tarfile.open(path, "w:gz") as tar:
        tar.add(inner, arcname="bundle/inner.txt")
    return path


def test_extract_names_folders_as_keras_3(tar_archive, tmp_path):
    cache = tmp_path / "cache"
    # no fname: the archive is kept as '<name>_archive', unpacked into '<name>'
    folder = get_file(origin=str(tar_archive), cache_dir=str(cache), extract=True)
    assert folder == str(cache / "datasets" / "bundle.tar.gz")
    assert (cache / "datasets" / "bundle.tar.gz_archive").is_file()
    assert open(os.path.join(folder, "bundle", "inner.txt")).read() == "hello"
    # fname with a dot: the archive keeps it, unpacked into '<stem>_extracted'
    folder = get_file("b.tar.gz", origin=str(tar_archive), cache_dir=str(cache), extract=True)
    assert folder == str(cache / "datasets" / "b_extracted")
    # fname without a dot: it names the folder
    folder = get_file("flowers", origin=str(tar_archive), cache_dir=str(cache), untar=True)
    assert folder == str(cache / "datasets" / "flowers")
    assert (cache / "datasets" / "flowers_archive").is_file()


def test_an_unpacked_folder_is_enough(tar_archive, tmp_path):
    cache = tmp_path / "cache"
    folder = get_file("flowers", origin=str(tar_archive), cache_dir=str(cache), extract=True)
    os.remove(str(cache / "datasets" / "flowers_archive"))
    assert get_file("flowers", origin=REMOTE, cache_dir=str(cache), extract=True) == folder


def test_zip_archive_and_a_format_that_does_not_match(tmp_path):
    path = tmp_path / "pack.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "zipped")
    folder = get_file("pack", origin=str(path), cache_dir=str(tmp_path / "c"), extract=True)
    assert open(os.path.join(folder, "a.txt")).read() == "zipped"
    with pytest.warns(UserWarning, match="Could not extract archive"):
        get_file("p2", origin=str(path), cache_dir=str(tmp_path / "c"), untar=True)
    assert not os.path.exists(tmp_path / "c" / "datasets" / "p2")
