"""Outputs are written atomically: an interrupted write leaves the old file or nothing."""

from __future__ import annotations

import os

import pytest

from resilience import atomic
from resilience.atomic import write_text_atomic
from resilience.errors import OutputError


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "out.json"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert os.listdir(target.parent) == ["out.json"]


def test_interrupted_write_leaves_old_content_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as err:
        write_text_atomic(blocker / "out.json", "x")
    assert "cannot write" in str(err.value)


@pytest.mark.parametrize("kernel", ["copies", "refuses half-way", "absent"])
def test_parts_are_appended_whole_however_the_kernel_copies(tmp_path, monkeypatch, kernel):
    import errno
    import tempfile

    real = getattr(os, "copy_file_range", None)
    if kernel == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif kernel == "refuses half-way":
        if real is None:
            pytest.skip("no copy_file_range here")
        calls = []

        def half_then_refuse(src, dst, count):
            calls.append(count)
            if len(calls) == 1:
                return real(src, dst, 1000)
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", half_then_refuse)
    head, tail = b"head\n" * 5000, bytes(range(256)) * 3000
    with open(tmp_path / "whole", "w+b") as whole, tempfile.TemporaryFile(dir=tmp_path) as part:
        whole.write(head)
        part.write(tail)
        atomic.append_file(whole, part)
        whole.write(b"end")
    assert (tmp_path / "whole").read_bytes() == head + tail + b"end"


def test_writeback_sends_what_was_written_and_never_loses_it(tmp_path):
    with open(tmp_path / "out", "wb") as fh:
        kick = atomic.Writeback(fh)
        for _ in range(3):
            fh.write(b"x" * (atomic.Writeback.STEP // 2 + 1))
            kick()
        kick.send()
        fh.write(b"y")
    assert (tmp_path / "out").read_bytes() == b"x" * (3 * (atomic.Writeback.STEP // 2 + 1)) + b"y"
