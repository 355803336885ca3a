"""How `Hashing` (and a lookup's extra OOV buckets) turn strings into bucket numbers.

Keras 3 hashes with TensorFlow's string ops (it needs TensorFlow for it, on every backend):

    no salt      tf.strings.to_hash_bucket_fast:    FarmHash Fingerprint64(bytes) mod n
    salt (k0, k1) tf.strings.to_hash_bucket_strong: SipHash-2-4 with key (k0, k1), mod n

Both are written here in NumPy, on all the strings at once: the UTF-8 bytes of a batch of
strings become one zero-padded byte matrix, each 8-byte word a column gather, and the hash
arithmetic runs on uint64 columns (overflow wraps, as in C). Strings of different lengths
take FarmHash's different branches as masks; the loop over 64-byte chunks (long strings)
and SipHash's loop over 8-byte words run once per chunk, for all strings together.

Integers are hashed as their decimal text (`tf.strings.as_string`): 42 -> b"42".
"""

from __future__ import annotations

import numpy as np

_K0 = np.uint64(0xC3A5C85C97CB3127)
_K1 = np.uint64(0xB492B66FBE98F273)
_K2 = np.uint64(0x9AE16A3B2F90404F)
_U = np.uint64


# --- bytes ------------------------------------------------------------------------------------
def utf8_bytes(strings) -> tuple[np.ndarray, np.ndarray]:
    """A `(n, width)` uint8 matrix of the strings' UTF-8 bytes (zero-padded, with 72 spare
    columns so every fetch stays inside) and each string's byte length.

    (A string that ends in NUL characters is counted without them: NumPy's bytes arrays
    cannot tell them from padding.)
    """
    flat = np.asarray(strings).ravel()
    if flat.dtype.kind == "U":
        flat = np.char.encode(flat, "utf-8")
    elif flat.dtype == object:
        flat = np.array([s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in flat])
    flat = flat.astype(f"S{max(flat.dtype.itemsize, 1)}")
    lengths = np.char.str_len(flat).astype(np.int64) if flat.size else np.zeros(0, np.int64)
    width = flat.dtype.itemsize
    matrix = np.zeros((flat.size, width + 72), dtype=np.uint8)
    matrix[:, :width] = flat.view(np.uint8).reshape(flat.size, width)
    return matrix, lengths


def _fetch(matrix: np.ndarray, offset: np.ndarray, nbytes: int = 8) -> np.ndarray:
    """The little-endian word of `nbytes` bytes at `offset` in each row, as uint64."""
    rows = np.arange(len(matrix))[:, None]
    window = np.ascontiguousarray(matrix[rows, offset[:, None] + np.arange(nbytes)])
    return window.view("<u8" if nbytes == 8 else "<u4")[:, 0].astype(np.uint64)


def _rotate(value: np.ndarray, shift: int) -> np.ndarray:
    """Rotate right by `shift` bits (FarmHash's Rotate)."""
    return (value >> _U(shift)) | (value << _U(64 - shift))


def _rotl(value: np.ndarray, shift: int) -> np.ndarray:
    """Rotate left by `shift` bits (SipHash's ROTL)."""
    return (value << _U(shift)) | (value >> _U(64 - shift))


# --- FarmHash Fingerprint64 (farmhashna::Hash64) ------------------------------------------------
def _shift_mix(v):
    return v ^ (v >> _U(47))


def _hash_len16(u, v, mul):
    a = (u ^ v) * mul
    a ^= a >> _U(47)
    b = (v ^ a) * mul
    b ^= b >> _U(47)
    return b * mul


def _len_0_to_16(s, n):
    out = np.full(len(n), _K2, dtype=np.uint64)  # the empty string
    n64 = n.astype(np.uint64)
    mul = _K2 + n64 * _U(2)
    long = n >= 8
    if long.any():
        m, k, mu = s[long], n[long], mul[long]
        a = _fetch(m, np.zeros_like(k)) + _K2
        b = _fetch(m, k - 8)
        c = _rotate(b, 37) * mu + a
        d = (_rotate(a, 25) + b) * mu
        out[long] = _hash_len16(c, d, mu)
    middle = (n >= 4) & (n < 8)
    if middle.any():
        m, k, mu = s[middle], n[middle], mul[middle]
        a = _fetch(m, np.zeros_like(k), 4)
        out[middle] = _hash_len16(k.astype(np.uint64) + (a << _U(3)), _fetch(m, k - 4, 4), mu)
    short = (n > 0) & (n < 4)
    if short.any():
        m, k = s[short], n[short]
        rows = np.arange(len(m))
        a, b, c = (m[rows, i].astype(np.uint64) for i in (0 * k, k >> 1, k - 1))
        y = a + (b << _U(8))
        z = k.astype(np.uint64) + (c << _U(2))
        out[short] = _shift_mix(y * _K2 ^ z * _K0) * _K2
    return out


def _len_17_to_32(s, n):
    mul = _K2 + n.astype(np.uint64) * _U(2)
    zero = np.zeros_like(n)
    a = _fetch(s, zero) * _K1
    b = _fetch(s, zero + 8)
    c = _fetch(s, n - 8) * mul
    d = _fetch(s, n - 16) * _K2
    return _hash_len16(_rotate(a + b, 43) + _rotate(c, 30) + d, a + _rotate(b + _K2, 18) + c, mul)


def _len_33_to_64(s, n):
    mul = _K2 + n.astype(np.uint64) * _U(2)
    zero = np.zeros_like(n)
    a = _fetch(s, zero) * _K2
    b = _fetch(s, zero + 8)
    c = _fetch(s, n - 8) * mul
    d = _fetch(s, n - 16) * _K2
    y = _rotate(a + b, 43) + _rotate(c, 30) + d
    z = _hash_len16(y, a + _rotate(b + _K2, 18) + c, mul)
    e = _fetch(s, zero + 16) * mul
    f = _fetch(s, zero + 24)
    g = (y + _fetch(s, n - 32)) * mul
    h = (z + _fetch(s, n - 24)) * mul
    return _hash_len16(_rotate(e + f, 43) + _rotate(g, 30) + h, e + _rotate(f + a, 18) + g, mul)


def _weak_hash_32(s, offset, a, b):
    """WeakHashLen32WithSeeds on the 32 bytes at `offset`: a pair of words."""
    w, x, y, z = (_fetch(s, offset + 8 * i) for i in range(4))
    a = a + w
    b = _rotate(b + a + z, 21)
    c = a
    a = a + x + y
    b = b + _rotate(a, 44)
    return a + z, b + c


def _longer_than_64(s, n):
    """Strings over 64 bytes: a state of seven words mixed with each 64-byte chunk, then with
    the last 64 bytes."""
    seed = _U(81)
    x = np.full(len(n), seed, np.uint64)
    y = x * _K1 + _U(113)
    z = _shift_mix(y * _K2 + _U(113)) * _K2
    v1 = v2 = w1 = w2 = np.zeros(len(n), np.uint64)
    x = x * _K2 + _fetch(s, np.zeros_like(n))
    chunks = (n - 1) // 64  # the chunks before the last 1..64 bytes
    for i in range(int(chunks.max())):  # a loop over chunks, for all strings at once
        on = i < chunks
        p = np.full_like(n, 64 * i)
        nx = _rotate(x + y + v1 + _fetch(s, p + 8), 37) * _K1
        ny = _rotate(y + v2 + _fetch(s, p + 48), 42) * _K1
        nx ^= w2
        ny += v1 + _fetch(s, p + 40)
        nz = _rotate(z + w1, 33) * _K1
        nv1, nv2 = _weak_hash_32(s, p, v2 * _K1, nx + w1)
        nw1, nw2 = _weak_hash_32(s, p + 32, nz + w2, ny + _fetch(s, p + 16))
        nx, nz = nz, nx  # std::swap(z, x)
        x, y, z = np.where(on, nx, x), np.where(on, ny, y), np.where(on, nz, z)
        v1, v2 = np.where(on, nv1, v1), np.where(on, nv2, v2)
        w1, w2 = np.where(on, nw1, w1), np.where(on, nw2, w2)
    mul = _K1 + ((z & _U(0xFF)) << _U(1))
    p = n - 64  # the last 64 bytes
    w1 = w1 + ((n - 1) & 63).astype(np.uint64)
    v1 = v1 + w1
    w1 = w1 + v1
    x = _rotate(x + y + v1 + _fetch(s, p + 8), 37) * mul
    y = _rotate(y + v2 + _fetch(s, p + 48), 42) * mul
    x ^= w2 * _U(9)
    y += v1 * _U(9) + _fetch(s, p + 40)
    z = _rotate(z + w1, 33) * mul
    v1, v2 = _weak_hash_32(s, p, v2 * mul, x + w1)
    w1, w2 = _weak_hash_32(s, p + 32, z + w2, y + _fetch(s, p + 16))
    x, z = z, x
    return _hash_len16(
        _hash_len16(v1, w1, mul) + _shift_mix(y) * _K0 + z, _hash_len16(v2, w2, mul) + x, mul
    )


def fingerprint64(strings) -> np.ndarray:
    """FarmHash's Fingerprint64 of each string's UTF-8 bytes (TensorFlow's `Fingerprint64`),
    as uint64, in the shape of `strings`."""
    shape = np.shape(strings)
    s, n = utf8_bytes(strings)
    out = np.zeros(len(n), np.uint64)
    with np.errstate(over="ignore"):
        for branch, rows in (
            (_len_0_to_16, n <= 16),
            (_len_17_to_32, (n > 16) & (n <= 32)),
            (_len_33_to_64, (n > 32) & (n <= 64)),
            (_longer_than_64, n > 64),
        ):
            if rows.any():
                out[rows] = branch(s[rows], n[rows])
    return out.reshape(shape)


# --- SipHash-2-4 ------------------------------------------------------------------------------
def _sip_round(v0, v1, v2, v3):
    v0 = v0 + v1
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = v2 + v3
    v3 = _rotl(v3, 16) ^ v2
    v0 = v0 + v3
    v3 = _rotl(v3, 21) ^ v0
    v2 = v2 + v1
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash64(strings, key) -> np.ndarray:
    """SipHash-2-4 of each string's UTF-8 bytes with the 128-bit key (k0, k1), as uint64."""
    shape = np.shape(strings)
    s, n = utf8_bytes(strings)
    k0, k1 = (_U(int(k) % 2**64) for k in key)
    with np.errstate(over="ignore"):
        v0 = np.full(len(n), k0 ^ _U(0x736F6D6570736575), np.uint64)
        v1 = np.full(len(n), k1 ^ _U(0x646F72616E646F6D), np.uint64)
        v2 = np.full(len(n), k0 ^ _U(0x6C7967656E657261), np.uint64)
        v3 = np.full(len(n), k1 ^ _U(0x7465646279746573), np.uint64)
        words = n // 8
        for i in range(int(words.max()) if len(n) else 0):  # one 8-byte word at a time
            on = i < words
            m = _fetch(s, np.full_like(n, 8 * i))
            u0, u1, u2, u3 = _sip_round(*_sip_round(v0, v1, v2, v3 ^ m))
            v0, v1, v2, v3 = (
                np.where(on, new, old) for new, old in ((u0 ^ m, v0), (u1, v1), (u2, v2), (u3, v3))
            )
        last = _fetch(s, 8 * words) | (n.astype(np.uint64) << _U(56))  # tail bytes, length
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3 ^ last))
        v0 ^= last
        v2 ^= _U(0xFF)
        for _ in range(4):
            v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return (v0 ^ v1 ^ v2 ^ v3).reshape(shape)


def as_hash_text(values) -> np.ndarray:
    """Values as the strings TensorFlow hashes: text as it is, integers (and floats, first
    truncated to integers) as decimal text."""
    values = np.asarray(values)
    if values.dtype.kind in "USO":
        return values
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    return values.astype(str)


def hash_to_buckets(values, num_buckets: int, salt=None) -> np.ndarray:
    """Each value's bucket in [0, num_buckets): fingerprint (or keyed SipHash) mod n, int64."""
    text = as_hash_text(values)
    hashed = fingerprint64(text) if salt is None else siphash64(text, salt)
    return (hashed % _U(num_buckets)).astype(np.int64)
