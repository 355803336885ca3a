"""Files built to hurt the loader: each is refused with the documented error, quickly and cheaply.

Each family is first a fixed file (the one a probe found), then a Hypothesis strategy
that varies it, so the fix holds for the whole family and not only for one file:

- a `.keras` zip whose header lies about a member's size (a "zip bomb" in disguise);
- a YAML config whose aliases expand to hundreds of millions of entries, or contain themselves;
- a dataset pickle of object arrays nested hundreds deep;
- a teachkeras `.h5` with one flipped bit in a stored weight.
"""

from __future__ import annotations

import io
import pickle
import struct
import time
import warnings
import zipfile
import zlib

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import teachkeras as keras
from teachkeras.datasets import _safe_pickle, cifar10
from teachkeras.datasets._download import DamagedFileError
from teachkeras.saving import ModelFileError, json_yaml, keras_zip

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- a zip whose header lies about a member's size -------------------------------------------
def lying_zip(path, inflated: int, claimed: int, name: str = "config.json", others=None) -> None:
    """A zip whose member inflates to `inflated` zero bytes but whose headers say `claimed`.

    `others` (name -> bytes) are written after it, honestly.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w") as member:
            block = bytes(1 << 20)
            for start in range(0, inflated, len(block)):
                member.write(block[: inflated - start])
        for other, data in (others or {}).items():
            archive.writestr(other, data)
    data = bytearray(path.read_bytes())
    # the lying member comes first: the first local header and the first directory entry
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, claimed)  # uncompressed size, local header
    struct.pack_into("<I", data, central + 24, claimed)  # and in the central directory
    path.write_bytes(bytes(data))


@pytest.fixture
def inflation(monkeypatch):
    """Records every piece zlib inflates while a zip member is read: how big, how much in all."""
    pieces: list[int] = []
    real = zlib.decompressobj

    class Spy:
        def __init__(self, *args):
            self._inner = real(*args)

        def decompress(self, data, max_length=0):
            out = self._inner.decompress(data, max_length)
            pieces.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self._inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Spy)
    return pieces


def test_a_zip_lying_about_a_member_size_is_refused_after_one_bounded_read(tmp_path, inflation):
    path = tmp_path / "liar.keras"
    lying_zip(path, inflated=16 << 20, claimed=100)  # 16 MiB of zeros in a 16 KB file
    with pytest.raises(ModelFileError, match=r"liar.keras.*CRC"):
        keras.saving.load_model(path)
    # zipfile.ZipFile.read inflated all 16 MiB in one call; now no read exceeds one chunk
    assert max(inflation) <= keras_zip._CHUNK_BYTES
    assert sum(inflation) <= keras_zip._CHUNK_BYTES


def test_a_member_claiming_a_bomb_is_refused_before_any_inflating(tmp_path, inflation, monkeypatch):
    monkeypatch.setattr(keras_zip, "_BOMB_FLOOR_BYTES", 1 << 20)  # a small limit, so a small file
    path = tmp_path / "honest_bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", bytes(8 << 20))  # 8 MiB from 8 KB: 1000 times
    with pytest.raises(ModelFileError, match=r"config.json claims 8388608 bytes.*zip bomb"):
        keras.saving.load_model(path)
    assert sum(inflation) == 0


def test_a_member_compressed_in_a_way_keras_never_writes_is_refused(tmp_path):
    path = tmp_path / "bzip2.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("config.json", b"{}")  # bz2 inflates without any bound per call
    with pytest.raises(ModelFileError, match="compressed with method 12"):
        keras.saving.load_model(path)


@FUZZ
@given(
    inflated=st.integers(1, 6 << 20),
    claimed=st.integers(0, 1 << 20),
    name=st.sampled_from(["config.json", "model.weights.h5"]),
)
def test_fuzzed_lying_zips_never_inflate_more_than_a_chunk_at_a_time(
    inflated, claimed, name, tmp_path_factory, inflation
):
    path = tmp_path_factory.mktemp("liars") / "m.keras"
    config = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).to_json().encode()
    others = {"config.json": config} if name == "model.weights.h5" else {}
    lying_zip(path, inflated, min(claimed, inflated - 1), name, others)
    inflation.clear()
    with pytest.raises(ModelFileError):
        keras.saving.load_model(path)
    assert max(inflation, default=0) <= keras_zip._CHUNK_BYTES


# --- YAML aliases: a "billion laughs" ------------------------------------------------------
def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`levels` lists, each naming the previous one `width` times: width**levels entries."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    lines.append(f"class_name: Sequential\nconfig: {{name: bomb, layers: *a{levels - 1}}}")
    return "\n".join(lines) + "\n"


def model_from_yaml(text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", keras.legacy.KerasLegacyWarning)
        return keras.saving.model_from_yaml(text)


def test_a_yaml_alias_bomb_is_refused_at_once():
    text = alias_bomb(levels=9, width=9)  # about 500 bytes, 387 million entries expanded
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"aliases .* more than 1,000,000 entries"):
        model_from_yaml(text)
    assert time.perf_counter() - start < 5  # it ran for minutes, walking shared lists again


@pytest.mark.parametrize(
    "text",
    [
        "&a [*a]",
        "class_name: Sequential\nconfig: &c {name: s, layers: [*c]}",
        "class_name: Sequential\nconfig: {name: s, layers: &l [{class_name: Dense, config: *l}]}",
    ],
)
def test_a_yaml_alias_inside_itself_is_refused(text):
    with pytest.raises(ModelFileError, match="contain itself"):
        model_from_yaml(text)


def test_a_yaml_with_small_shared_parts_still_loads():
    text = """
class_name: Sequential
config:
  name: shared
  layers:
  - class_name: Dense
    config: {name: d1, units: 3, batch_input_shape: &shape [null, 4]}
  - class_name: Dense
    config: {name: d2, units: 2, kernel_initializer: &init {class_name: Zeros, config: {}}}
  - class_name: Dense
    config: {name: d3, units: 1, kernel_initializer: *init}
"""
    model = model_from_yaml(text)
    assert [layer.name for layer in model.layers] == ["d1", "d2", "d3"]


def test_the_safety_check_visits_a_shared_part_once():
    class CountingDict(dict):
        visits = 0

        def get(self, *args):
            CountingDict.visits += 1
            return super().get(*args)

    shared = [CountingDict(class_name="Dense", config={"units": 1})]
    for _ in range(20):  # 2**20 paths to the one Dense
        shared = [shared, shared]
    json_yaml.check_safe({"class_name": "Sequential", "layers": shared}, True, "<test>")
    assert CountingDict.visits <= 2


@FUZZ
@given(levels=st.integers(1, 12), width=st.integers(1, 12))
def test_fuzzed_alias_bombs_are_refused_or_fail_quickly(levels, width):
    start = time.perf_counter()
    with pytest.raises(ModelFileError) as info:
        model_from_yaml(alias_bomb(levels, width))
    if width**levels > json_yaml.MAX_YAML_ENTRIES:
        assert "aliases" in str(info.value)
    assert time.perf_counter() - start < 5


# --- object arrays nested hundreds deep, in a dataset pickle -----------------------------------
_SENTINEL = 123456789


def _pickle_body(obj) -> bytes:
    """A protocol-2 pickle without PROTO and STOP, and without memo: it can be nested."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=2)
    pickler.fast = True  # no PUT/GET: copies of these bytes never refer to each other
    pickler.dump(obj)
    return buffer.getvalue()[2:-1]


def nested_pickle(wrapper, depth: int, core) -> bytes:
    """A pickle of `wrapper` around `wrapper` ... `depth` times, around `core`.

    `wrapper` holds `_SENTINEL` where the next level goes. `pickle.dumps` itself
    recurses once per level and fails some hundred levels down, so the bytes are
    put together by hand: the pickle of one wrapper, split at the sentinel.
    """
    before, after = _pickle_body(wrapper).split(pickle.BININT + _SENTINEL.to_bytes(4, "little"))
    return b"\x80\x02" + before * depth + _pickle_body(core) + after * depth + b"."


def deep_object_array_pickle(depth: int) -> bytes:
    """An object array holding an object array ... `depth` times, around `arange(3)`."""
    holder = np.empty(1, dtype=object)
    holder[0] = _SENTINEL
    return nested_pickle(holder, depth, np.arange(3))


def deep_npz(path, depth: int) -> None:
    """An `.npz` with one object array `x` nested `depth` deep (as imdb.npz holds object arrays)."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|O", "fortran_order": False, "shape": (1,)}
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", header.getvalue() + deep_object_array_pickle(depth))


def nesting_depth(array) -> int:
    depth = 0
    while array.dtype == object:
        array, depth = array[0], depth + 1
    return depth


def test_the_deep_pickle_builder_makes_what_it_says():
    assert nesting_depth(pickle.loads(deep_object_array_pickle(5))) == 5
    dicts = pickle.loads(nested_pickle({"in": _SENTINEL}, 2, {"x": 1}))
    assert dicts == {"in": {"in": {"x": 1}}}


def test_object_arrays_nested_600_deep_give_the_damaged_file_error(tmp_path):
    deep_npz(tmp_path / "deep.npz", 600)  # it raised a bare RecursionError
    with pytest.raises(DamagedFileError, match=r"deep.npz\[x\].*nested more than 32 deep"):
        _safe_pickle.load_npz(tmp_path / "deep.npz")

    batch = tmp_path / "cifar-10-batches-py" / "data_batch_1"  # a pre-extracted CIFAR folder
    batch.parent.mkdir()
    batch.write_bytes(deep_object_array_pickle(600))
    with pytest.raises(DamagedFileError, match=r"data_batch_1 is damaged.*download it again"):
        cifar10.load_batch(str(batch))


def test_dicts_nested_deep_give_the_damaged_file_error():

    stream = io.BytesIO(nested_pickle({b"inner": _SENTINEL}, 2000, {b"data": np.arange(3)}))
    with pytest.raises(DamagedFileError, match="nested more than 32 deep"):
        _safe_pickle.load_pickled_data(stream, "batch")


@FUZZ
@given(depth=st.integers(0, 1500))
def test_fuzzed_nesting_loads_or_gives_the_damaged_file_error(depth, tmp_path_factory):

    path = tmp_path_factory.mktemp("deep") / "deep.npz"
    deep_npz(path, depth)
    try:
        arrays = _safe_pickle.load_npz(path)
    except DamagedFileError:
        assert depth > _safe_pickle.MAX_NESTING
        return
    assert nesting_depth(arrays["x"]) == depth


def test_an_npz_lying_about_a_member_size_is_refused_after_one_bounded_read(tmp_path, inflation):
    path = tmp_path / "liar.npz"
    lying_zip(path, inflated=16 << 20, claimed=100, name="x.npy")
    with pytest.raises(DamagedFileError, match=r"liar.npz is not a readable .npz file.*CRC"):
        _safe_pickle.load_npz(path)
    assert max(inflation) <= 1 << 20


# --- one flipped bit in a stored weight --------------------------------------------------------
def small_trained_model():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, name="d1"), keras.layers.Dense(1, name="d2")]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    return model


def stored_arrays(path) -> dict[str, tuple[int, int]]:
    """Every dataset of an HDF5 file: its name -> (offset of its bytes in the file, byte count)."""
    found = {}

    def note(name, obj):
        if isinstance(obj, h5py.Dataset):
            found[f"/{name}"] = (obj.id.get_offset(), obj.id.get_storage_size())

    with h5py.File(path, "r") as f:
        f.visititems(note)
    return found


@pytest.mark.parametrize("filename", ["m.h5", "w.h5", "w.weights.h5"])
def test_a_flipped_bit_in_any_stored_array_is_caught_by_its_checksum(filename, tmp_path):
    model = small_trained_model()
    path = tmp_path / filename
    (model.save if filename == "m.h5" else model.save_weights)(path)
    good = path.read_bytes()
    arrays = stored_arrays(path)
    assert len(arrays) >= 4 and all(size > 0 for _, size in arrays.values())

    flipped = tmp_path / f"flipped_{filename}"
    for name, (offset, size) in arrays.items():
        for at in sorted({offset, offset + size // 2, offset + size - 1}):
            data = bytearray(good)
            data[at] ^= 0x10  # one bit
            flipped.write_bytes(bytes(data))
            fresh = keras.saving.model_from_json(model.to_json())
            before = fresh.get_weights()
            with pytest.raises(ModelFileError, match=f"weight {name} does not match the checksum"):
                if filename == "m.h5":
                    keras.saving.load_model(flipped)
                else:
                    fresh.load_weights(flipped)
            for old, new in zip(before, fresh.get_weights(), strict=True):
                np.testing.assert_array_equal(old, new)  # nothing was assigned


def test_every_array_written_carries_its_checksum_and_it_covers_dtype_and_shape(tmp_path):
    from teachkeras.saving.weights_h5 import CHECKSUM_ATTR, array_checksum

    model = small_trained_model()
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "w.weights.h5")
    for filename in ("m.h5", "w.weights.h5"):
        with h5py.File(tmp_path / filename, "r") as f:
            for name in stored_arrays(tmp_path / filename):
                assert f[name].attrs[CHECKSUM_ATTR] == array_checksum(f[name][()])

    values = np.arange(6, dtype="<i4")
    assert array_checksum(values) == array_checksum(values.astype(">i4"))  # byte order: same
    assert array_checksum(values) != array_checksum(values.view("<f4"))  # same bytes, new type
    assert array_checksum(values) != array_checksum(values.reshape(2, 3))
    assert array_checksum(np.zeros((3, 0))) != array_checksum(np.zeros((0, 3)))  # empty ones too
    assert array_checksum(np.array(True)) != array_checksum(np.array(1, "u1"))


def test_a_damaged_checksum_attribute_is_the_damaged_file_error(tmp_path):
    from teachkeras.saving.weights_h5 import CHECKSUM_ATTR

    model = small_trained_model()
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r+") as f:
        f["model_weights/d1/d1/kernel"].attrs[CHECKSUM_ATTR] = b"not a number"
    with pytest.raises(ModelFileError, match="d1/kernel does not match the checksum"):
        keras.saving.load_model(tmp_path / "m.h5")
