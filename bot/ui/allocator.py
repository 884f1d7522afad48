"""Keep a long-running `bot serve` from holding on to memory it has freed (glibc only; a no-op elsewhere).

The soak (bench/soak.py) saw each serve process's RSS rise in steps of 36-45 MB at load peaks and never come
back, while `bench.memory` measured no growth per request: the memory was freed but stayed with the process.
glibc gives every thread that allocates while another holds the lock an arena of its own (up to 8 per core),
and keeps the freed pages of each. So the server caps the arenas at ARENAS and, every TRIM_EVERY_S seconds,
hands free pages back to the system (malloc_trim). Set MALLOC_ARENA_MAX in the environment to choose
another cap; it wins over ours. The embedder's own arena (ONNX Runtime) is out of glibc's reach: the server
turns it off (`bot.embed.keep_no_arena`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time

ARENAS = 2
TRIM_EVERY_S = 30.0
M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def settle() -> bool:
    """Cap the arenas and start the trimming thread; False where the C library is not glibc."""
    libc = _libc()
    if libc is None:
        return False
    if "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(M_ARENA_MAX, ARENAS)

    def trim() -> None:
        while True:
            time.sleep(TRIM_EVERY_S)
            libc.malloc_trim(0)

    threading.Thread(target=trim, name="malloc-trim", daemon=True).start()
    return True
