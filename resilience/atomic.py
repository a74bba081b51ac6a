"""Write files atomically: a reader, or an interrupted run, never sees half a file."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from resilience.errors import OutputError


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    with atomic_files([Path(path)]) as handles:
        handles[Path(path)].write(data)


def write_chunks_atomic(path: Path | str, chunks: Iterable[bytes]) -> None:
    """Like ``write_bytes_atomic`` for a document produced piece by piece (large reports)."""
    with atomic_files([Path(path)]) as handles:
        handles[Path(path)].writelines(chunks)


@contextlib.contextmanager
def atomic_files(paths: list[Path]) -> Iterator[dict[Path, BinaryIO]]:
    """Open a temporary file beside each target; when the block completes, flush and rename
    them all into place; when it fails (or is interrupted), remove them all, so a run leaves
    either every new file or none of them."""
    temps: dict[Path, str] = {}
    handles: dict[Path, BinaryIO] = {}
    try:
        for target in paths:
            temps[target] = _temporary(target)
            # mkstemp makes the file private (0600); give it the mode a plain open() would
            # have (0666 less the umask) or keep the mode of the file it replaces.
            os.chmod(temps[target], _mode_for(target))
            handles[target] = open(temps[target], "wb")  # noqa: SIM115 - closed below
        yield handles
        for fh in handles.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for target, tmp in temps.items():
            os.replace(tmp, target)
    except BaseException as exc:
        for fh in handles.values():
            with contextlib.suppress(OSError):
                fh.close()
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            where = exc.filename or (paths[0] if paths else "")
            raise OutputError(f"{_target_of(where, temps)}: cannot write: {exc.strerror}") from None
        raise


def _temporary(target: Path) -> str:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror}") from None
    os.close(fd)
    return tmp


def _target_of(name, temps: dict[Path, str]):
    """The target a temporary file stands for, so errors name the file the user asked for."""
    for target, tmp in temps.items():
        if str(name) == tmp:
            return target
    return name


class Writeback:
    """Has the disk start writing a large file while the rest of it is still being produced,
    so that the fsync before the rename finds little left to wait for (PostgreSQL's
    ``pg_flush_data`` does the same). A hint only: where the system has no ``posix_fadvise``
    nothing happens, and nothing is ever dropped that is not already on disk."""

    STEP = 32 << 20

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._sent = fh.tell()

    def __call__(self) -> None:
        """Call after each write; every STEP bytes, the new ones are sent to the disk."""
        at = self._fh.tell()
        if at - self._sent >= self.STEP:
            self.send(at)

    def send(self, at: int | None = None) -> None:
        """Send what was written since the last time."""
        advise = getattr(os, "posix_fadvise", None)
        if advise is None:
            return
        self._fh.flush()
        at = self._fh.tell() if at is None else at
        # On Linux, DONTNEED first starts writeback of the dirty pages in the range (without
        # waiting), then drops only the pages that are clean: none of those just written.
        with contextlib.suppress(OSError):
            advise(self._fh.fileno(), self._sent, at - self._sent, os.POSIX_FADV_DONTNEED)
        self._sent = at


def append_file(whole: BinaryIO, part: BinaryIO) -> None:
    """Append all of ``part`` to ``whole`` (inside the kernel where it can), then start
    writing the appended bytes to disk."""
    whole.flush()
    end = whole.seek(0, os.SEEK_END)
    part.flush()
    part.seek(0)
    kick = Writeback(whole)
    copy = getattr(os, "copy_file_range", None)
    try:
        if copy is None:
            raise OSError("no copy_file_range")
        while copy(part.fileno(), whole.fileno(), 1 << 30):
            pass
    except OSError:  # another system, or a file system that cannot: copy through here
        whole.truncate(end)
        whole.seek(end)
        part.seek(0)
        shutil.copyfileobj(part, whole, 1 << 20)
    whole.seek(0, os.SEEK_END)
    kick.send()
