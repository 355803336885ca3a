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

This is done when training starts, the first time `fit` or `train_on_batch` runs
(`keep_freed_memory_for_training`), not at `import teachkeras`: importing a library
should change nothing in the process that imports it, and training is where the
pattern above begins.

Only glibc has `mallopt`; on macOS, Windows or musl nothing is done. A user who
set glibc's own `MALLOC_TOP_PAD_` variable keeps their value.
"""

from __future__ import annotations

import os

TOP_PAD = 64 * 2**20  # bytes: more than one step of a teaching-sized model frees
MMAP_THRESHOLD = 32 * 2**20  # bytes: glibc's largest on 64-bit; bigger arrays are mapped apart
_M_TOP_PAD, _M_MMAP_THRESHOLD = -2, -3  # the options' numbers in glibc's <malloc.h>


_already_asked = False


def keep_freed_memory_for_training() -> None:
    """`keep_freed_memory()`, once per process: called when training starts."""
    global _already_asked
    if not _already_asked:
        _already_asked = True
        keep_freed_memory()


def keep_freed_memory(top_pad: int = TOP_PAD) -> bool:
    """Ask glibc's malloc to keep `top_pad` freed bytes for reuse; True if it agreed."""
    if "MALLOC_TOP_PAD_" in os.environ or not _is_glibc():
        return False
    import ctypes  # here, not at the top: most platforms never need it

    libc = ctypes.CDLL(None)  # the C library the interpreter itself runs on
    # Setting any option freezes malloc's own tuning of the threshold above which a block
    # gets pages of its own (mmap, handed back at free), at 128 KiB unless a large free
    # had already raised it: then every megabyte-sized array would fault in anyway. So set
    # it too, and such arrays come from the heap that TOP_PAD keeps.
    threshold_set = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    return bool(libc.mallopt(_M_TOP_PAD, int(top_pad))) and bool(threshold_set)


def _is_glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (AttributeError, ValueError, OSError):  # no confstr, or not this name (non-glibc)
        return False
