"""Share independent work with one forked worker process, so a large run uses two cores."""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

# Below this many estate objects a second process costs more than it saves.
MIN_OBJECTS = 20_000


def worth_forking(objects: int) -> bool:
    """Whether to split work across processes: Linux (fork, copy-on-write), more than one
    usable core, a large enough estate, and not turned off with RESILIENCE_WORKERS=1."""
    setting = os.environ.get("RESILIENCE_WORKERS", "").strip()
    if setting == "1" or not hasattr(os, "fork") or sys.platform != "linux":
        return False
    if len(os.sched_getaffinity(0)) < 2:
        return False
    return setting == "2" or objects >= MIN_OBJECTS


def both(here: Callable[[], T], there: Callable[[], U]) -> tuple[T, U]:
    """Run ``there`` in a forked child while ``here`` runs in this process; the child's result
    comes back pickled. If the child fails in any way, ``there`` runs here instead, so the
    answer never depends on the worker. Ctrl-C or SIGTERM stops the child too."""
    from resilience.heap import release_free_memory

    release_free_memory()  # free pages given back now are neither shared nor copied
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        code = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(there(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent redoes the work
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            mine = here()
            payload = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
    if status != 0 or not payload:
        return mine, there()
    return mine, pickle.loads(payload)  # noqa: S301 - our own child, through a private pipe


class Tickets:
    """Hands out 0 .. count-1 across this process and its forked worker, so whichever is free
    takes the next piece of work: the numbers wait in a pipe both processes read from (a read
    of four bytes from a pipe is never split between readers). Create it before forking."""

    def __init__(self, count: int) -> None:
        if count * 4 > 65536:  # what a pipe holds without a reader
            raise ValueError("too many tickets for one pipe")
        self._read, write = os.pipe()
        os.write(write, b"".join(struct.pack("<I", n) for n in range(count)))
        os.close(write)  # once the numbers are gone, reads return nothing

    def take(self) -> int | None:
        """The next number, or None when all are taken."""
        data = os.read(self._read, 4)
        return struct.unpack("<I", data)[0] if len(data) == 4 else None

    def close(self) -> None:
        os.close(self._read)


class Spool:
    """Values the forked worker sends as it goes, for this process to take up between its
    own pieces of work: each one pickled into an unlinked temporary file both processes
    share (through a pipe, the worker would wait whenever this process is busy). Create it
    before forking; only the worker puts, only this process takes."""

    _HEADER = struct.Struct("<Q")

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._taken = 0

    def put(self, value: object) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(self._HEADER.pack(len(payload)) + payload)
        while view:  # the size comes first, and is only whole once all of it is written
            view = view[os.write(self._file.fileno(), view):]

    def take(self) -> Iterator[object]:
        """Every value put, whole, since the last take (Linux grows a file's size only
        after the bytes below it are written)."""
        fd = self._file.fileno()
        size = os.fstat(fd).st_size
        header = self._HEADER.size
        while size - self._taken >= header:
            (length,) = self._HEADER.unpack(os.pread(fd, header, self._taken))
            if size - self._taken - header < length:
                break
            payload = _read_at(fd, self._taken + header, length)
            self._taken += header + length
            yield pickle.loads(payload)  # noqa: S301 - our own child, through a private file

    def close(self) -> None:
        self._file.close()


def _read_at(fd: int, offset: int, length: int) -> bytes:
    chunks = []
    while length:
        chunk = os.pread(fd, min(length, 1 << 30), offset)
        if not chunk:
            raise EOFError("the spool ended early")
        chunks.append(chunk)
        offset += len(chunk)
        length -= len(chunk)
    return b"".join(chunks)
