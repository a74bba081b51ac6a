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
