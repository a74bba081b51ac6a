"""Give the memory a large load has freed back to the operating system (glibc's malloc_trim)."""

from __future__ import annotations

import sys


def release_free_memory() -> None:
    """Return the C allocator's free pages to the system.

    Loading a large estate frees more than it keeps: the file's bytes, the parser's buffers
    and the validator's temporary objects (about 300 MB for a 100,000-system snapshot). glibc
    keeps memory freed in the middle of its heap, so the process would go on holding it; a
    forked worker would share it, and copy each page that either process reuses. On Linux
    with glibc, ``malloc_trim`` gives whole free pages back (tens of milliseconds); elsewhere
    nothing happens.
    """
    if sys.platform != "linux":
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):  # another C library (musl has no malloc_trim)
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
