"""teachkeras.datasets against real Keras 3 on the same (fake, offline) files.

Keras's loaders are pointed at our fake files by replacing the `get_file` each of its
dataset modules imported; ours read them from a temporary KERAS_HOME. Outputs must be
identical: same values, dtypes, shapes, order.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import inspect
import io
import struct

import numpy as np
import pytest

from teachkeras.datasets import (
    _download,
    _safe_pickle,
    boston_housing,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))

    def no_network(origin):
        raise AssertionError(f"a test tried to download {origin}")

    monkeypatch.setattr(_download, "_open_url", no_network)
    folder = tmp_path / "home" / "datasets"
    folder.mkdir(parents=True)
    return folder


def _point_keras_at(monkeypatch, module_name, path):
    module = importlib.import_module(f"keras.src.datasets.{module_name}")
    monkeypatch.setattr(module, "get_file", lambda *args, **kwargs: str(path))
    return module


def _trust(monkeypatch, module, path):
    monkeypatch.setattr(module, "FILE_HASH", hashlib.sha256(path.read_bytes()).hexdigest())


def _ragged(rng, n, vocab=40):
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = rng.integers(1, vocab, rng.integers(1, 12)).tolist()
    return out


def _assert_same(ours, theirs):
    (a, b), (c, d) = ours
    (e, f), (g, h) = theirs
    for x_ours, x_keras in ((a, e), (c, g)):
        assert x_ours.dtype == x_keras.dtype and x_ours.shape == x_keras.shape
        assert [list(s) for s in x_ours] == [list(s) for s in x_keras]
    for y_ours, y_keras in ((b, f), (d, h)):
        assert y_ours.dtype == y_keras.dtype
        np.testing.assert_array_equal(y_ours, y_keras)


def test_loader_signatures_match_keras(keras):
    for name in ("mnist", "fashion_mnist", "cifar10", "boston_housing", "imdb", "reuters"):
        ours = inspect.signature(importlib.import_module(f"teachkeras.datasets.{name}").load_data)
        theirs = inspect.signature(getattr(keras.datasets, name).load_data)
        ours_params = [(p.name, p.default) for p in ours.parameters.values() if p.name != "kwargs"]
        theirs_params = [
            (p.name, p.default) for p in theirs.parameters.values() if p.name != "kwargs"
        ]
        assert ours_params == theirs_params, name


IMDB_OPTIONS = [
    {},
    {"num_words": 15},
    {"num_words": 15, "skip_top": 6},
    {"maxlen": 8},
    {"seed": 3, "start_char": None},
    {"start_char": None, "index_from": 0},
    {"oov_char": None, "num_words": 20, "skip_top": 4},
    {"start_char": 7, "oov_char": 0, "index_from": 5, "num_words": 25},
]


@pytest.mark.parametrize("options", IMDB_OPTIONS, ids=str)
def test_imdb_matches_keras(keras, cache, monkeypatch, options):
    rng = np.random.default_rng(0)
    path = cache / "imdb.npz"
    np.savez(
        path,
        x_train=_ragged(rng, 30),
        y_train=rng.integers(0, 2, 30),
        x_test=_ragged(rng, 20),
        y_test=rng.integers(0, 2, 20),
    )
    _trust(monkeypatch, imdb, path)
    keras_imdb = _point_keras_at(monkeypatch, "imdb", path)
    _assert_same(imdb.load_data(**options), keras_imdb.load_data(**options))


@pytest.mark.parametrize("options", [*IMDB_OPTIONS, {"test_split": 0.35, "maxlen": 9}], ids=str)
def test_reuters_matches_keras(keras, cache, monkeypatch, options):
    rng = np.random.default_rng(1)
    path = cache / "reuters.npz"
    np.savez(path, x=_ragged(rng, 40), y=rng.integers(0, 46, 40))
    _trust(monkeypatch, reuters, path)
    keras_reuters = _point_keras_at(monkeypatch, "reuters", path)
    _assert_same(reuters.load_data(**options), keras_reuters.load_data(**options))
    assert reuters.get_label_names() == tuple(keras_reuters.get_label_names())


def test_boston_and_mnist_match_keras(keras, cache, monkeypatch):
    rng = np.random.default_rng(2)
    path = cache / "boston_housing.npz"
    np.savez(path, x=rng.normal(size=(37, 13)), y=rng.uniform(10, 50, 37))
    _trust(monkeypatch, boston_housing, path)
    keras_boston = _point_keras_at(monkeypatch, "boston_housing", path)
    for kwargs in ({}, {"test_split": 0.3, "seed": 5}):
        ours, theirs = boston_housing.load_data(**kwargs), keras_boston.load_data(**kwargs)
        for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1], strict=True):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)

    path = cache / "mnist.npz"
    arrays = {k: rng.integers(0, 256, (4, 28, 28), dtype=np.uint8) for k in ("x_train", "x_test")}
    arrays |= {k: rng.integers(0, 10, 4, dtype=np.uint8) for k in ("y_train", "y_test")}
    np.savez(path, **arrays)
    _trust(monkeypatch, mnist, path)
    keras_mnist = _point_keras_at(monkeypatch, "mnist", path)
    ours, theirs = mnist.load_data(), keras_mnist.load_data()
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1], strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_fashion_mnist_matches_keras(keras, cache, monkeypatch):
    rng = np.random.default_rng(3)
    folder = cache / "fashion-mnist"
    folder.mkdir()
    for part, n in (("train", 5), ("t10k", 3)):
        for kind, shape in (("images-idx3", (n, 28, 28)), ("labels-idx1", (n,))):
            array = rng.integers(0, 256 if kind.startswith("images") else 10, shape)
            header = bytes([0, 0, 8, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
            with gzip.open(folder / f"{part}-{kind}-ubyte.gz", "wb") as f:
                f.write(header + array.astype(np.uint8).tobytes())
    module = importlib.import_module("keras.src.datasets.fashion_mnist")
    monkeypatch.setattr(module, "get_file", lambda fname, **kwargs: str(folder / fname))
    ours, theirs = fashion_mnist.load_data(), module.load_data()
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1], strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_cifar_batches_read_like_keras(keras, tmp_path):
    from keras.src.datasets.cifar import load_batch as keras_load_batch

    from teachkeras.datasets.cifar10 import load_batch

    rng = np.random.default_rng(4)
    data = rng.integers(0, 256, (3, 3072), dtype=np.uint8)
    raw = _py2_batch(data, [4, 0, 9])
    path = tmp_path / "data_batch_1"
    path.write_bytes(raw)
    ours, theirs = load_batch(str(path)), keras_load_batch(str(path))
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert list(ours[1]) == list(theirs[1])
    # and the object-array reader agrees with Keras's restricted one on an npz
    x = _ragged(rng, 6)
    np.savez(tmp_path / "o.npz", x=x)
    from keras.src.datasets.npz_utils import load_npz as keras_load_npz

    assert list(_safe_pickle.load_npz(tmp_path / "o.npz")["x"]) == list(
        keras_load_npz(str(tmp_path / "o.npz"))["x"]
    )


def test_get_file_cache_paths_match_keras(keras, tmp_path):
    from keras.src.utils.file_utils import get_file as keras_get_file

    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "plain.npz").write_bytes(b"abc")
    digest = hashlib.sha256(b"abc").hexdigest()
    kwargs = {"origin": "https://example.invalid/plain.npz", "file_hash": digest}
    ours = _download.get_file("plain.npz", cache_dir=str(tmp_path), **kwargs)
    assert ours == keras_get_file("plain.npz", cache_dir=str(tmp_path), **kwargs)

    buffer = io.BytesIO()
    import tarfile

    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("inner/a.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    for fname, archive in (("pack", "pack_archive"), ("pack2.tar.gz", "pack2.tar.gz")):
        (folder / archive).write_bytes(buffer.getvalue())
        theirs = keras_get_file(
            fname, origin="https://example.invalid/p", cache_dir=str(tmp_path), extract=True
        )
        ours = _download.get_file(
            fname, origin="https://example.invalid/p", cache_dir=str(tmp_path), extract=True
        )
        assert ours == theirs


def _py2_batch(data, labels):
    def s(b):
        return b"U" + bytes([len(b)]) + b if len(b) < 256 else b"T" + struct.pack("<i", len(b)) + b

    def i(n):
        return b"J" + struct.pack("<i", n)

    array = b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n" + i(0) + b"\x85" + s(b"b")
    array += b"\x87R(" + i(1) + i(len(data)) + i(3072) + b"\x86cnumpy\ndtype\n" + s(b"u1")
    array += i(0) + i(1) + b"\x87R(" + i(3) + s(b"|") + b"NNN" + i(-1) + i(-1) + i(0) + b"tb"
    array += b"\x89" + s(data.tobytes()) + b"tb"
    out = b"\x80\x02}(" + s(b"data") + array + s(b"labels") + b"]("
    return out + b"".join(i(v) for v in labels) + b"eu."
