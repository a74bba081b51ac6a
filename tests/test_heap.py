"""Freed memory goes back to the system after a large load (glibc), and nothing breaks elsewhere."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from resilience import heap

ROOT = Path(__file__).resolve().parents[1]

# Many medium blocks (above pymalloc's 512 bytes, below malloc's mmap threshold) in glibc's
# heap, most of them freed: the process holds on to that memory until it is trimmed.
SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from resilience.heap import release_free_memory

    def rss():
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))

    blocks = [bytearray(2048) for _ in range(100_000)]
    kept = blocks[::50]  # pins the top of the heap, so it cannot simply shrink
    del blocks
    before = rss()
    release_free_memory()
    print(before, rss(), len(kept))
""")


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's malloc_trim")
def test_memory_freed_by_a_load_goes_back_to_the_system(tmp_path):
    script = tmp_path / "trim.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout
    before, after, _ = map(int, out.split())
    assert before > 150_000  # KiB: the freed blocks are still held
    assert after < before - 100_000, (before, after)


def test_without_malloc_trim_nothing_happens(monkeypatch):
    import ctypes

    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # a C library without it
    heap.release_free_memory()
    monkeypatch.setattr(sys, "platform", "darwin")
    heap.release_free_memory()
