"""One setting of the C allocator, made before the window opens: large blocks go back to the system when freed.

A film decodes into frames of about 1.4 MB (720p), made and freed 25 times a second on Qt's multimedia
threads. glibc's allocator hands blocks that large straight from the system (mmap) and returns them on free,
until the first one is freed: then it raises its threshold to that size, and from there on every frame comes
from its heaps, which keep what was freed. While a film played the app held some 7 MiB more than it used, and
kept it after the film stopped. Fixing the threshold at glibc's own starting value (128 KiB) keeps the first
behaviour for good.

Only glibc (Linux) has `mallopt`; elsewhere nothing is changed.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
LARGE_BLOCK_BYTES = 128 * 1024


def return_large_blocks_to_system() -> bool:
    """Serve blocks of 128 KiB and more from the system, returned when freed; False where it cannot be set."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: on other systems, and for commands with no window, it is not needed

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library other than glibc's (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    if mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES) != 1:
        log.info("the C allocator refused a fixed threshold for large blocks; memory use is unchanged")
        return False
    return True
