"""Reading Keras's pickled dataset files as data, never as code.

Most Keras dataset files are plain arrays of numbers, and `np.load(path,
allow_pickle=False)` reads them. Three are not:

- `imdb.npz` and `reuters.npz` hold *ragged* sequences (reviews of different lengths),
  stored as `dtype=object` arrays of Python lists. NumPy can only save such an array
  as a pickle stream, so `np.load(..., allow_pickle=False)` refuses it:
  "Object arrays cannot be loaded when allow_pickle=False".
- CIFAR-10's `data_batch_*` files are Python 2 pickles of a dict of arrays.

A pickle is a small program: its opcodes build lists and ints, but also *call*
whatever functions the file names (`os.system`, say). That is why plain
`pickle.load` / `allow_pickle=True` on a file from the internet can run code.

The way out (the one the Python docs call "restricting globals", and the one
Keras 3 uses too): let Python's fast unpickler do the parsing, but answer every
"give me function X" (`find_class`) ourselves. A NumPy array pickle asks for only
three names — `_reconstruct`, `ndarray`, `dtype` — and for those we hand back our own
small *recipe* classes, which merely write down the shape, dtype and bytes they are
given. Any other name is refused. After parsing, the recipes are turned into real
arrays with `np.frombuffer` / `np.empty`. So the file can describe arrays, lists,
numbers, strings and dicts, and nothing else: nothing named in the file is ever run.

Parsing a pickle is a loop, not a recursion, so a file can nest object arrays a
thousand deep; turning recipes into arrays is a recursion, so it stops at
`MAX_NESTING` levels with the damaged-file error rather than Python's `RecursionError`.
"""

from __future__ import annotations

import io
import math
import pickle
import zipfile

import numpy as np

from ._download import DamagedFileError

# How deep arrays and dicts may nest in a dataset file. Keras's nest at most two deep
# (CIFAR: a dict of arrays; IMDB: an object array of lists); a crafted file, hundreds.
MAX_NESTING = 32


class UnsafeFileError(DamagedFileError):
    """The file asked to run something other than building arrays; it was not loaded."""


_DELETE_HINT = "delete it and download it again."


class _NdarrayName:
    """Stands in for `numpy.ndarray` when a pickle names it (only ever passed along)."""


class _DtypeRecipe:
    """What a pickled `numpy.dtype(descr, align, copy)` call becomes: a note of `descr`."""

    def __init__(self, descr, align=False, copy=False):
        self.descr = descr.decode("ascii") if isinstance(descr, bytes) else str(descr)
        self.byteorder = "|"

    def __setstate__(self, state):
        # numpy's dtype state: (version, byteorder, subarray, names, fields, elsize, align, flags)
        if isinstance(state, tuple) and len(state) > 1:
            order = state[1]
            self.byteorder = order.decode("ascii") if isinstance(order, bytes) else str(order)

    def to_dtype(self) -> np.dtype:
        if self.descr.startswith("O"):  # 'O8' or 'O4': Python objects (here: lists)
            return np.dtype(object)
        dtype = np.dtype(self.descr)
        if dtype.kind not in "biuf":  # numbers and booleans only
            raise UnsafeFileError(f"it holds an array of type {self.descr!r}, not numbers")
        if self.byteorder in ("<", ">"):
            dtype = dtype.newbyteorder(self.byteorder)
        return dtype


class _ArrayRecipe:
    """What a pickled array becomes: shape, dtype and contents, turned into an array later."""

    def __init__(self, shape=(0,), dtype=None, data=None, fortran=False):
        self.shape, self.dtype, self.data, self.fortran = shape, dtype, data, fortran

    def __setstate__(self, state):
        # ndarray state: (version, shape, dtype, is_fortran, data); old files omit version
        if len(state) == 5:
            state = state[1:]
        self.shape, self.dtype, self.fortran, self.data = state

    def to_array(self, depth: int = 0) -> np.ndarray:
        """The array; an object array's items (at `depth + 1`) are turned into arrays too."""
        if not isinstance(self.dtype, _DtypeRecipe):
            raise DamagedFileError("an array in it has no readable dtype")
        dtype = self.dtype.to_dtype()
        shape = tuple(int(n) for n in self.shape)
        order = "F" if self.fortran else "C"
        if dtype.kind == "O":  # the contents are a list of Python objects (lists of ints)
            items = self.data if isinstance(self.data, list) else list(self.data)
            if len(items) != math.prod(shape):
                raise DamagedFileError("an object array in it has the wrong length")
            items = [_materialise(item, depth + 1) for item in items]
            # fromiter keeps each list as ONE element (np.array would make a 2-D array
            # whenever the lists happen to have equal lengths)
            flat = np.fromiter(items, dtype=object, count=len(items))
            return flat.reshape(shape, order=order)
        data = self.data.encode("latin-1") if isinstance(self.data, str) else bytes(self.data)
        if len(data) != math.prod(shape) * dtype.itemsize:
            raise DamagedFileError("an array in it has fewer bytes than its shape needs")
        return np.frombuffer(data, dtype=dtype).reshape(shape, order=order).copy()


def _reconstruct(cls, shape, typecode):
    """Stands in for `numpy.core.multiarray._reconstruct`: starts an empty recipe."""
    if cls is not _NdarrayName:
        raise UnsafeFileError("it tries to build something other than an ndarray")
    return _ArrayRecipe()


def _frombuffer(buffer, dtype, shape, order):
    """Stands in for `numpy.core.numeric._frombuffer` (protocol-5 pickles of arrays)."""
    return _ArrayRecipe(shape, dtype, buffer, order == "F")


def _encode_latin1(text, encoding="latin1"):
    """Stands in for `_codecs.encode`: how Python 3 writes bytes in a protocol-2 pickle."""
    if encoding not in ("latin1", "latin-1"):
        raise UnsafeFileError(f"it encodes text as {encoding!r}, which no dataset file does")
    return text.encode("latin-1")


# The only names a dataset pickle may ask for, each answered by our own inert builder.
_ALLOWED_NAMES = {
    ("numpy", "ndarray"): _NdarrayName,
    ("numpy", "dtype"): _DtypeRecipe,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,  # files from NumPy 1
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # files from NumPy 2
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("_codecs", "encode"): _encode_latin1,
}


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """An unpickler whose only known names are our inert recipe builders."""

    def find_class(self, module, name):
        try:
            return _ALLOWED_NAMES[(module, name)]
        except KeyError:
            raise UnsafeFileError(
                f"it asks to run `{module}.{name}`, and a dataset file should only describe arrays"
            ) from None


def _materialise(obj, depth: int = 0):
    """Replace recipes (at the top level, as values of a dict, as items of an object
    array) by real arrays, refusing to go deeper than `MAX_NESTING`."""
    if depth > MAX_NESTING:
        raise DamagedFileError(
            f"its arrays or dicts are nested more than {MAX_NESTING} deep (a Keras dataset "
            "nests them at most 2 deep)"
        )
    if isinstance(obj, _ArrayRecipe):
        return obj.to_array(depth)
    if isinstance(obj, dict):
        return {key: _materialise(value, depth + 1) for key, value in obj.items()}
    return obj


def load_pickled_data(stream, what: str):
    """Read one pickle stream of arrays/lists/dicts from `stream`, refusing any code.

    `what` names the file in error messages. Byte strings of Python 2 files stay
    `bytes` (`encoding="bytes"`), as CIFAR's loader expects.
    """
    try:
        return _materialise(_ArraysOnlyUnpickler(stream, encoding="bytes").load())
    except UnsafeFileError as err:
        raise UnsafeFileError(
            f"Refusing to load {what}: {err}. It may be damaged or tampered with; {_DELETE_HINT}"
        ) from err
    except DamagedFileError as err:
        raise DamagedFileError(f"{what} is damaged: {err}. {_DELETE_HINT.capitalize()}") from err
    except Exception as err:  # truncated, garbled, too deep: any complaint means a bad file
        raise DamagedFileError(
            f"{what} could not be read ({type(err).__name__}: {err}). The file is damaged or "
            f"incomplete: {_DELETE_HINT}"
        ) from err


def _read_npy(raw: bytes, what: str) -> np.ndarray:
    """One `.npy` member: numbers with `allow_pickle=False`, object arrays via the recipes."""
    stream = io.BytesIO(raw)
    major, _ = np.lib.format.read_magic(stream)
    if major == 1:
        _, _, dtype = np.lib.format.read_array_header_1_0(stream)
    else:  # versions 2 and 3 share the header layout we need to skip
        _, _, dtype = np.lib.format.read_array_header_2_0(stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    array = load_pickled_data(stream, what)  # the header is skipped: the pickle starts here
    if not isinstance(array, np.ndarray):
        raise DamagedFileError(f"{what} does not hold an array: {_DELETE_HINT}")
    return array


_CHUNK_BYTES = 1 << 20


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, inflated 1 MiB per read.

    `archive.read(name)` inflates a whole member in one zlib call, and a header can lie:
    a member claiming 100 bytes can inflate to 2 GB before its CRC is checked. Read in
    pieces, zipfile stops at the claimed size and the CRC check then reports the lie.
    """
    with archive.open(name) as member:
        return b"".join(iter(lambda: member.read(_CHUNK_BYTES), b""))


def load_npz(path: str) -> dict[str, np.ndarray]:
    """Every array of an `.npz` file, object arrays included, without running any code.

    A drop-in for `dict(np.load(path, allow_pickle=True))` on Keras's dataset files.
    """
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith(".npy"):
                    name = member[: -len(".npy")]
                    arrays[name] = _read_npy(_read_member(archive, member), f"{path}[{name}]")
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        if isinstance(err, DamagedFileError):
            raise
        raise DamagedFileError(
            f"{path} is not a readable .npz file ({err}). Delete it and download it again."
        ) from err
    return arrays
