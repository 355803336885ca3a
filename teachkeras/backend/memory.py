"""Why a NumPy training loop can spend half its time in the kernel, and the fix.

A training step allocates and frees the same large arrays again and again:
activations, gradients, temporaries, each from a hundred kilobytes to a few megabytes.
glibc's `malloc` hands the top of its heap back to the operating system once more
than a *trim threshold* of it is free, and the next step's arrays then get fresh
pages, each one a page fault the kernel must serve (4 KiB at a time) before NumPy can
write into it. glibc sets that threshold to twice the largest block freed so far, so
whether a program pays depends on accidents of its history. Measured on the
benchmark's MLP (784-256-256-10, Adam, batch 128), with nothing large freed before:
1,080 page faults and 2 ms of kernel time in every step, which then took 5 ms
instead of 2.

`M_TOP_PAD` tells malloc to keep that much free memory at the top of the heap when it
trims, and to grow the heap by as much extra when it extends: the pages stay mapped
and in the CPU's caches from one step to the next. The cost is at most `TOP_PAD`
bytes the process keeps instead of returning.

Only glibc has `mallopt`; on macOS, Windows or musl nothing is done. A user who
set glibc's own `MALLOC_TOP_PAD_` variable keeps their value.
"""

from __future__ import annotations

import os

TOP_PAD = 64 * 2**20  # bytes: more than one step of a teaching-sized model frees
_M_TOP_PAD = -2  # the option's number in glibc's <malloc.h>


def keep_freed_memory(top_pad: int = TOP_PAD) -> bool:
    """Ask glibc's malloc to keep `top_pad` freed bytes for reuse; True if it agreed."""
    if "MALLOC_TOP_PAD_" in os.environ or not _is_glibc():
        return False
    import ctypes  # here, not at the top: most platforms never need it

    libc = ctypes.CDLL(None)  # the C library the interpreter itself runs on
    return bool(libc.mallopt(_M_TOP_PAD, int(top_pad)))


def _is_glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (AttributeError, ValueError, OSError):  # no confstr, or not this name (non-glibc)
        return False
