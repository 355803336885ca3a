"""teachkeras.datasets: loaders on fake files in Keras's formats, the cache, the offline sets.

No test touches the network: every Keras loader reads small fake files written here into
a temporary KERAS_HOME, and `_open_url` is replaced by a tripwire unless a test
downloads from a local `file://` origin or a closed localhost port on purpose.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import struct
import tarfile
import urllib.error
import warnings

import numpy as np
import pytest

from teachkeras import datasets
from teachkeras.backend import config
from teachkeras.backend import random as K_random
from teachkeras.datasets import (
    _download,
    _safe_pickle,
    boston_housing,
    cifar10,
    digits,
    fashion_mnist,
    imdb,
    iris,
    mnist,
    reuters,
    toy,
)
from teachkeras.datasets._download import DamagedFileError, DownloadError, get_file
from teachkeras.legacy import KerasLegacyWarning

# --- fixtures and fake files ------------------------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh KERAS_HOME; returns its `datasets` folder. Any download attempt fails loudly."""
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))

    def no_network(origin):
        raise AssertionError(f"a test tried to download {origin}")

    monkeypatch.setattr(_download, "_open_url", no_network)
    folder = home / "datasets"
    folder.mkdir(parents=True)
    return folder


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def use_fake(monkeypatch, module, path, attr="FILE_HASH"):
    """Make `module` expect the fake file's hash, so the real hash check still runs."""
    monkeypatch.setattr(module, attr, sha256(path))


def ragged(rng, n, low=1, high=9, vocab=30):
    """`n` lists of word indices of random lengths (an object array, as in imdb.npz)."""
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = rng.integers(1, vocab, rng.integers(low, high)).tolist()
    return out


def py2_cifar_batch(data: np.ndarray, labels: list[int]) -> bytes:
    """A CIFAR batch byte for byte as Python 2's cPickle wrote it (protocol 2, str=BINSTRING)."""

    def s(b: bytes) -> bytes:  # SHORT_BINSTRING / BINSTRING
        return b"U" + bytes([len(b)]) + b if len(b) < 256 else b"T" + struct.pack("<i", len(b)) + b

    def i(n: int) -> bytes:  # BININT
        return b"J" + struct.pack("<i", n)

    array = b"cnumpy.core.multiarray\n_reconstruct\nq\x02cnumpy\nndarray\nq\x03"
    array += i(0) + b"\x85" + s(b"b") + b"\x87Rq\x04"  # _reconstruct(ndarray, (0,), 'b')
    array += b"(" + i(1) + i(len(data)) + i(3072) + b"\x86"  # state: version, shape
    array += b"cnumpy\ndtype\nq\x05" + s(b"u1") + i(0) + i(1) + b"\x87R"  # dtype('u1', 0, 1)
    array += b"(" + i(3) + s(b"|") + b"NNN" + i(-1) + i(-1) + i(0) + b"tb"  # dtype state
    array += b"\x89" + s(data.tobytes()) + b"tb"  # fortran=False, raw bytes; BUILD
    out = b"\x80\x02}q\x01(" + s(b"data") + array
    out += s(b"labels") + b"](" + b"".join(i(v) for v in labels) + b"e"
    out += s(b"batch_label") + s(b"training batch 1 of 5") + b"u."
    return out


def write_cifar_archive(path, rng, n=3):
    """A tar.gz like cifar-10-python.tar.gz, with n images per batch; returns the batches."""
    batches = {}
    with tarfile.open(path, "w:gz") as tar:
        for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
            data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
            labels = rng.integers(0, 10, n).tolist()
            raw = py2_cifar_batch(data, labels)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
            batches[name] = (data, labels)
    return batches


def write_idx_gz(path, array: np.ndarray) -> None:
    header = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def closed_port() -> int:
    """A localhost port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Response(io.BytesIO):
    """A fake HTTP response that sends `good` bytes and then fails with `error`."""

    def __init__(self, good: bytes, error: BaseException):
        super().__init__(good)
        self.error = error
        self.headers = {"Content-Length": str(len(good) * 2)}

    def read(self, size=-1):
        chunk = super().read(size)
        if not chunk:
            raise self.error
        return chunk


# --- get_file: cache, hashes, offline, atomic writes ------------------------------------


def test_cached_file_is_used_without_network_and_honours_keras_home(cache):
    target = cache / "thing.bin"
    target.write_bytes(b"hello")
    path = get_file(
        "thing.bin", origin="https://example.invalid/thing.bin", file_hash=sha256(target)
    )
    assert path == str(target)
    md5 = hashlib.md5(b"hello").hexdigest()  # a 32-digit hash means md5, as in Keras
    assert get_file("thing.bin", origin="https://example.invalid/x", file_hash=md5) == str(target)


def test_cache_dir_and_subdir_and_default_home(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _download.keras_home() == str(tmp_path / ".keras")
    folder = _download.cache_folder("datasets/fashion-mnist")
    assert folder == str(tmp_path / ".keras" / "datasets" / "fashion-mnist")
    assert _download.cache_folder("sub", cache_dir=str(tmp_path / "c")) == str(
        tmp_path / "c" / "sub"
    )


def test_download_from_file_origin_then_cache(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(_download, "_open_url", _download.urllib.request.urlopen)
    source = tmp_path / "remote.npz"
    source.write_bytes(b"0123456789" * 1000)
    digest = sha256(source)
    path = get_file(origin=source.as_uri(), file_hash=digest)  # fname from the URL
    assert path == str(cache / "remote.npz")
    assert sha256(path) == digest
    source.unlink()  # the second call must not need the origin at all
    assert get_file("remote.npz", origin=source.as_uri(), file_hash=digest) == path
    assert sorted(os.listdir(cache)) == ["remote.npz"]  # no temporary file left over


def test_damaged_cached_file_says_delete_it(cache):
    target = cache / "mnist.npz"
    target.write_bytes(b"half a file")
    with pytest.raises(DamagedFileError) as info:
        get_file("mnist.npz", origin=mnist.ORIGIN_FOLDER + "mnist.npz", file_hash=mnist.FILE_HASH)
    message = str(info.value)
    assert str(target) in message and "Delete it" in message and mnist.FILE_HASH in message
    assert target.read_bytes() == b"half a file"  # we never delete a user's file ourselves


def test_downloaded_file_with_wrong_hash_is_not_kept(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(_download, "_open_url", _download.urllib.request.urlopen)
    source = tmp_path / "data.bin"
    source.write_bytes(b"not what we expect")
    with pytest.raises(DamagedFileError, match="incomplete or corrupted"):
        get_file("data.bin", origin=source.as_uri(), file_hash="0" * 64)
    assert os.listdir(cache) == []


def test_offline_error_names_url_and_exact_path(cache, monkeypatch):
    monkeypatch.setattr(_download, "_open_url", _download.urllib.request.urlopen)
    for proxy in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(proxy, raising=False)  # never send this to a real proxy
    origin = f"http://127.0.0.1:{closed_port()}/mnist.npz"
    with pytest.raises(DownloadError) as info:
        get_file("mnist.npz", origin=origin, file_hash=mnist.FILE_HASH)
    error = info.value
    assert isinstance(error, OSError) and not isinstance(error, urllib.error.URLError)
    message = str(error)
    assert origin in message
    assert str(cache / "mnist.npz") in message  # the full path to put the file at
    assert mnist.FILE_HASH in message and "offline" in message
    assert "digits" in message  # and what works without a network
    assert os.listdir(cache) == []


def test_offline_error_for_an_archive_also_names_the_unpacked_folder(cache, monkeypatch):
    monkeypatch.setattr(
        _download, "_open_url", lambda origin: (_ for _ in ()).throw(urllib.error.URLError("down"))
    )
    with pytest.raises(DownloadError) as info:
        cifar10.load_data()
    message = str(info.value)
    assert str(cache / "cifar-10-batches-py-target_archive") in message
    assert str(cache / "cifar-10-batches-py-target") in message and cifar10.ORIGIN in message


@pytest.mark.parametrize(
    "error",
    [ConnectionResetError("connection reset"), KeyboardInterrupt()],
    ids=["reset", "ctrl-c"],
)
def test_a_download_that_fails_midway_leaves_no_file(cache, monkeypatch, error):
    monkeypatch.setattr(_download, "_open_url", lambda origin: _Response(b"x" * 200_000, error))
    expected = KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else DownloadError
    with pytest.raises(expected):
        get_file("big.npz", origin="https://example.invalid/big.npz")
    assert os.listdir(cache) == []  # neither big.npz nor a .part file


def test_get_file_rejects_paths_and_missing_origin(cache):
    with pytest.raises(ValueError, match="cache_dir"):
        get_file("sub/mnist.npz", origin="https://example.invalid/mnist.npz")
    with pytest.raises(ValueError, match="origin"):
        get_file("mnist.npz")


def test_extract_unpacks_once_and_refuses_unsafe_members(cache, tmp_path):
    archive = cache / "stuff_archive"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("inner/a.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    folder = get_file("stuff", origin="https://example.invalid/stuff.tgz", extract=True)
    assert folder == str(cache / "stuff")
    assert open(os.path.join(folder, "inner", "a.txt")).read() == "hi"
    archive.unlink()  # an unpacked folder is enough from now on
    assert get_file("stuff", origin="https://example.invalid/stuff.tgz", extract=True) == folder

    evil = cache / "evil_archive"
    with tarfile.open(evil, "w") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(DamagedFileError, match="unsafe path"):
        get_file("evil", origin="https://example.invalid/evil.tar", extract=True)
    assert not (cache.parent / "escaped.txt").exists()
    assert not (cache / "evil").exists()


# --- reading pickled arrays as data only --------------------------------------------------


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_object_arrays_load_without_pickle_and_code_is_refused(tmp_path):
    good = np.empty(3, dtype=object)
    good[:] = [[1, 2, 3], [4, 5], [6, 7, 8]]
    np.savez(tmp_path / "good.npz", x=good, y=np.array([0, 1, 1]))
    arrays = _safe_pickle.load_npz(tmp_path / "good.npz")
    assert arrays["x"].shape == (3,) and arrays["x"].dtype == object
    assert arrays["x"][2] == [6, 7, 8] and isinstance(arrays["x"][2], list)
    np.testing.assert_array_equal(arrays["y"], [0, 1, 1])

    marker = tmp_path / "pwned"
    evil = np.empty(1, dtype=object)
    evil[0] = _Evil(str(marker))
    np.savez(tmp_path / "evil.npz", x=evil)
    with pytest.raises(_safe_pickle.UnsafeFileError, match="mkdir"):
        _safe_pickle.load_npz(tmp_path / "evil.npz")
    assert not marker.exists()  # the file's code never ran


def test_python2_cifar_pickle_and_protocol5_arrays_read_as_data():
    data = np.arange(2 * 3072, dtype=np.uint8).reshape(2, 3072)
    batch = _safe_pickle.load_pickled_data(io.BytesIO(py2_cifar_batch(data, [3, 7])), "batch")
    np.testing.assert_array_equal(batch[b"data"], data)
    assert batch[b"labels"] == [3, 7] and batch[b"batch_label"] == b"training batch 1 of 5"

    import pickle

    array = np.arange(12, dtype=">i4").reshape(3, 4, order="F")
    loaded = _safe_pickle.load_pickled_data(io.BytesIO(pickle.dumps(array, protocol=5)), "p5")
    np.testing.assert_array_equal(loaded, array)
    with pytest.raises(DamagedFileError, match="damaged or incomplete"):
        _safe_pickle.load_pickled_data(io.BytesIO(py2_cifar_batch(data, [3, 7])[:500]), "cut")


# --- the Keras loaders on fake files ----------------------------------------------------


def test_mnist(cache, monkeypatch, rng):
    x_train = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    y_train = rng.integers(0, 10, 6, dtype=np.uint8)
    x_test = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    y_test = rng.integers(0, 10, 2, dtype=np.uint8)
    path = cache / "mnist.npz"
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    use_fake(monkeypatch, mnist, path)
    (a, b), (c, d) = datasets.mnist.load_data()
    for got, want in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        assert got.dtype == np.uint8 and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_fashion_mnist(cache, rng):
    folder = cache / "fashion-mnist"
    folder.mkdir()
    images = {"train": rng.integers(0, 256, (5, 28, 28)), "t10k": rng.integers(0, 256, (3, 28, 28))}
    labels = {"train": rng.integers(0, 10, 5), "t10k": rng.integers(0, 10, 3)}
    for part in ("train", "t10k"):
        write_idx_gz(folder / f"{part}-images-idx3-ubyte.gz", images[part])
        write_idx_gz(folder / f"{part}-labels-idx1-ubyte.gz", labels[part])
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (5, 28, 28) and x_test.shape == (3, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train, images["train"])
    np.testing.assert_array_equal(y_test, labels["t10k"])
    x_train[0, 0, 0] = 1  # writable, unlike a frombuffer view

    write_idx_gz(folder / "t10k-labels-idx1-ubyte.gz", images["t10k"])  # images where labels go
    with pytest.raises(DamagedFileError, match="IDX file of 1-D"):
        fashion_mnist.load_data()


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cifar10(cache, monkeypatch, rng, data_format):
    archive = cache / "cifar-10-batches-py-target_archive"
    batches = write_cifar_archive(archive, rng, n=3)
    use_fake(monkeypatch, cifar10, archive)
    config.set_image_data_format(data_format)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.dtype == x_test.dtype == y_train.dtype == y_test.dtype == np.uint8
    assert y_train.shape == (15, 1) and y_test.shape == (3, 1)
    first, labels = batches["data_batch_1"]
    if data_format == "channels_last":
        assert x_train.shape == (15, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
        red = x_train[0, :, :, 0]
    else:
        assert x_train.shape == (15, 3, 32, 32)
        red = x_train[0, 0]
    np.testing.assert_array_equal(red.ravel(), first[0, :1024])  # the first 1024 bytes are red
    assert y_train[:3, 0].tolist() == labels
    assert y_test[:, 0].tolist() == batches["test_batch"][1]
    archive.unlink()  # the unpacked folder is reused: no archive, no network
    (again, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(again, x_train)


def test_boston_housing(cache, monkeypatch, rng):
    x = rng.normal(size=(50, 13))
    y = rng.uniform(10, 50, 50)
    path = cache / "boston_housing.npz"
    np.savez(path, x=x, y=y)
    use_fake(monkeypatch, boston_housing, path)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (40, 13) and x_test.shape == (10, 13) and y_train.shape == (40,)
    order = np.arange(50)
    np.random.RandomState(113).shuffle(order)  # Keras's shuffle, hence Keras's split
    np.testing.assert_array_equal(x_train, x[order[:40]])
    np.testing.assert_array_equal(y_test, y[order[40:]])
    (x_train, _), (x_test, _) = boston_housing.load_data(test_split=0.3, seed=1)
    assert len(x_train) == 35 and len(x_test) == 15
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)


def _fake_imdb(cache, monkeypatch, rng):
    x_train, x_test = ragged(rng, 8), ragged(rng, 5)
    # labels = row numbers, so every output row can be traced back to its input row
    path = cache / "imdb.npz"
    np.savez(path, x_train=x_train, y_train=np.arange(8), x_test=x_test, y_test=np.arange(5))
    use_fake(monkeypatch, imdb, path)
    return x_train, x_test


def test_imdb_defaults(cache, monkeypatch, rng):
    x_train, x_test = _fake_imdb(cache, monkeypatch, rng)
    (a, b), (c, d) = imdb.load_data()
    assert a.dtype == object and a.shape == (8,) and c.shape == (5,) and b.dtype == np.int64
    assert sorted(b.tolist()) == list(range(8))  # shuffled, nothing lost
    biggest = max(max(s) for s in list(x_train) + list(x_test)) + 3
    for out, labels, source in ((a, b, x_train), (c, d, x_test)):
        for sequence, row in zip(out, labels, strict=True):
            assert isinstance(sequence, list)
            shifted = [w + 3 for w in source[row]]  # index_from=3, then start_char=1 in front
            assert sequence == [1] + [w if w < biggest else 2 for w in shifted]


def test_imdb_options(cache, monkeypatch, rng):
    x_train, _ = _fake_imdb(cache, monkeypatch, rng)
    (a, b), _ = imdb.load_data(num_words=12, skip_top=5, start_char=None, oov_char=None)
    for sequence, row in zip(a, b, strict=True):  # out-of-range words are removed, no start
        assert sequence == [w + 3 for w in x_train[row] if 5 <= w + 3 < 12]
    (a, b), _ = imdb.load_data(num_words=12, oov_char=9, index_from=0)
    for sequence, row in zip(a, b, strict=True):
        assert sequence == [1] + [w if w < 12 else 9 for w in x_train[row]]
    (a, b), _ = imdb.load_data(maxlen=6)  # drops sequences of >= 6 items, start included
    assert all(len(s) < 6 for s in a) and len(a) == sum(len(s) + 1 < 6 for s in x_train)
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=1)
    (a1, b1), _ = imdb.load_data(seed=7)
    (a2, b2), _ = imdb.load_data(seed=7)
    assert b1.tolist() == b2.tolist() and list(a1) == list(a2)
    with pytest.warns(KerasLegacyWarning, match="num_words"):
        (a, _), _ = imdb.load_data(nb_words=12)
    assert max(max(s) for s in a) < 12


def test_word_indexes_are_json(cache, monkeypatch):
    path = cache / "imdb_word_index.json"
    path.write_text(json.dumps({"the": 1, "and": 2}))
    monkeypatch.setattr(imdb, "WORD_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest())
    assert imdb.get_word_index() == {"the": 1, "and": 2}
    path = cache / "reuters_word_index.json"
    path.write_text(json.dumps({"said": 1}))
    monkeypatch.setattr(reuters, "WORD_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest())
    assert reuters.get_word_index() == {"said": 1}


def test_reuters(cache, monkeypatch, rng):
    xs = ragged(rng, 20)
    path = cache / "reuters.npz"
    np.savez(path, x=xs, y=np.arange(20))
    use_fake(monkeypatch, reuters, path)
    (a, b), (c, d) = reuters.load_data(num_words=20)
    assert len(a) == 16 and len(c) == 4 and b.dtype == np.int64
    order = np.arange(20)
    np.random.RandomState(113).shuffle(order)
    assert b.tolist() + d.tolist() == order.tolist()
    for sequence, row in zip(a, b, strict=True):
        assert sequence == [1] + [w + 3 if w + 3 < 20 else 2 for w in xs[row]]
    (a, _), (c, _) = reuters.load_data(test_split=0.5, maxlen=7)
    kept = sum(len(s) + 1 < 7 for s in xs)
    assert len(a) + len(c) == kept and len(a) == int(kept * 0.5)
    assert len(reuters.get_label_names()) == 46 and reuters.get_label_names()[3] == "earn"
    with pytest.raises(TypeError, match="num_word"):
        reuters.load_data(num_word=10)


# --- shipped offline datasets ------------------------------------------------------------


def _digest(array) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def test_digits_shipped_data_and_split():
    (x_train, y_train), (x_test, y_test) = datasets.digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert x_train.max() == 16 and x_train.min() == 0 and set(y_test) <= set(range(10))
    x = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test])
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    original = digits._read_shipped(digits.FILE)
    assert _digest(original["images"]) == (
        "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"
    )
    assert _digest(original["labels"]) == (
        "a3c91c262eddcf7ba8f0e37507c30284493c9b20412ffe4af30d536401f7ba21"
    )
    order = np.arange(1797)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(x, original["images"][order])
    np.testing.assert_array_equal(y, original["labels"][order])
    (again, _), _ = digits.load_data()
    np.testing.assert_array_equal(again, x_train)  # the same split every run
    (x_train, _), (x_test, _) = digits.load_data(test_split=0.5, seed=0)
    assert len(x_train) == 898 and len(x_test) == 899


def test_iris_shipped_data_and_split():
    (x_train, y_train), (x_test, y_test) = datasets.iris.load_data()
    assert x_train.shape == (120, 4) and x_test.shape == (30, 4)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert np.bincount(np.concatenate([y_train, y_test])).tolist() == [50, 50, 50]
    original = iris._read_shipped(iris.FILE)
    assert _digest(original["features"]) == (
        "2374923a3acd29a63001946c3c216e2a5581864f01041c86c4b5211ec93885c2"
    )
    np.testing.assert_allclose(original["features"][0], [5.1, 3.5, 1.4, 0.2], rtol=1e-6)
    np.testing.assert_allclose(
        original["features"][34], [4.9, 3.1, 1.5, 0.2], rtol=1e-6
    )  # Fisher's
    assert len(iris.CLASS_NAMES) == 3 and len(iris.FEATURE_NAMES) == 4
    with pytest.raises(ValueError, match="test_split"):
        iris.load_data(test_split=-0.1)


# --- toy generators -------------------------------------------------------------------------

CLASSIFIERS = [toy.xor, toy.circles, toy.moons, toy.spirals]


@pytest.mark.parametrize("make", CLASSIFIERS, ids=lambda f: f.__name__)
def test_toy_classification_sets(make):
    x, y = make(101)
    assert x.shape == (101, 2) and x.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64 and set(y.tolist()) == {0, 1}
    assert abs(int(y.sum()) - 50) <= 1  # balanced classes
    x2, y2 = make(101)
    np.testing.assert_array_equal(x, x2)  # the fixed default seed
    np.testing.assert_array_equal(y, y2)
    x3, _ = make(101, seed=5)
    assert not np.array_equal(x, x3)
    tail = y[-20:]  # validation_split=0.2 takes the last 20%: both classes must be there
    assert 0 < tail.sum() < 20
    K_random.set_seed(3)
    a, _ = make(50, seed=None)
    K_random.set_seed(3)
    b, _ = make(50, seed=None)
    np.testing.assert_array_equal(a, b)  # seed=None follows set_random_seed
    with pytest.raises(ValueError, match="n_samples"):
        make(0)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-1)


def test_toy_shapes_follow_their_formulas():
    x, y = toy.xor(4, noise=0.0)
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == [0, 1, 1, 0]
    x, y = toy.circles(200, noise=0.0, factor=0.3)
    radius = np.linalg.norm(x, axis=1)
    np.testing.assert_allclose(radius, np.where(y == 0, 1.0, 0.3), rtol=1e-6)
    x, y = toy.moons(200, noise=0.0)
    upper = x[y == 0]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(x[y == 1] - [1.0, 0.5], axis=1), 1.0, rtol=1e-6)
    x, y = toy.spirals(300, n_classes=3, noise=0.0)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.linalg.norm(x, axis=1).max() < 1.0
    with pytest.raises(ValueError, match="n_classes"):
        toy.spirals(10, n_classes=1)
    with pytest.raises(ValueError, match="factor"):
        toy.circles(10, factor=1.5)


def test_noisy_sine():
    x, y = toy.noisy_sine(64, noise=0.0)
    assert x.shape == y.shape == (64, 1) and x.dtype == y.dtype == np.float32
    assert x.min() >= -np.pi and x.max() <= np.pi
    np.testing.assert_allclose(y, np.sin(x), atol=1e-6)
    _, noisy = toy.noisy_sine(2000, noise=0.5)
    x, _ = toy.noisy_sine(2000, noise=0.5)
    assert 0.45 < float(np.std(noisy - np.sin(x))) < 0.55


def test_datasets_package_exports():
    for name in ("mnist", "fashion_mnist", "cifar10", "boston_housing", "imdb", "reuters"):
        assert callable(getattr(datasets, name).load_data)
    assert datasets.get_file is get_file
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert datasets.toy.xor(8)[0].shape == (8, 2)
