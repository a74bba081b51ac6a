"""Interrupting ``check`` (SIGTERM, Ctrl-C) mid-run leaves no half-written output or history."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synth import NOW, generate, to_snapshot

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")]
SYSTEMS = 3000
AS_OF = NOW.date().isoformat()
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14 and 15)


def _args(snapshot: Path, out: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "resilience", "check", "--snapshot", str(snapshot),
            "--format", "json,sarif", "--output", str(out), "--history", str(db),
            "--as-of", AS_OF]


def _env(workers: str = "") -> dict[str, str]:
    env = {**os.environ, "CI": "true", "NO_COLOR": "1", "RESILIENCE_WORKERS": workers}
    env.pop("RESILIENCE_DEBUG", None)
    return env


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def _snapshot(folder: Path, systems: int) -> Path:
    path = folder / f"estate-{systems}.json"
    if not path.exists():
        path.write_text(to_snapshot(generate(systems)))
    return path


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """One uninterrupted run: its CPU time (to aim the signals) and its history rows."""
    work = tmp_path_factory.mktemp("interrupt")
    snap = _snapshot(work, SYSTEMS)
    db = work / "clean.sqlite3"
    proc = subprocess.Popen(_args(snap, work / "clean-out", db), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) in (0, 1), proc.stderr.read()
    proc.stderr.close()
    with sqlite3.connect(db) as conn:
        (rows,) = conn.execute("SELECT COUNT(*) FROM findings").fetchone()
    assert rows > 0
    return {"work": work, "cpu": usage.ru_utime + usage.ru_stime, "rows": rows}


def _interrupt(clean, sig: int, fraction: float, tmp_path: Path, workers: str = ""):
    """Run on ever bigger estates until the signal lands while the run is still working;
    with a worker, also check that the worker did not outlive the run."""
    systems = SYSTEMS
    target = max(0.8, clean["cpu"] * fraction)  # past interpreter start-up: the run is working
    for _ in range(3):
        snap = _snapshot(clean["work"], systems)
        out, db = tmp_path / f"out-{systems}", tmp_path / f"history-{systems}.sqlite3"
        proc = subprocess.Popen(_args(snap, out, db), env=_env(workers),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while proc.poll() is None and _cpu_seconds(proc.pid) < target:
            time.sleep(0.02)
        if proc.poll() is None:
            children = _children(proc.pid)
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=60)
            time.sleep(0.2)
            assert all(_gone(c) for c in children), "a worker outlived the run"
            if proc.returncode not in (0, 1):  # 0 or 1: it finished as the signal was sent
                # A whole recorded run holds the clean run's rows only on the same estate.
                rows = clean["rows"] if systems == SYSTEMS else None
                return proc.returncode, err, out, db, rows
        else:
            proc.communicate()
        systems *= 2  # finished first: the same moment falls earlier in a bigger estate
    pytest.fail("the run always finished before the signal could land")


def _assert_nothing_half_done(out: Path, db: Path, expected_rows: int | None) -> None:
    leftovers = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert not [n for n in leftovers if n.startswith(".") or n.endswith(".tmp")], leftovers
    assert set(leftovers) <= {"resilience-report.json", "resilience-report.sarif"}
    for name in leftovers:  # whatever was written is whole
        data = json.loads((out / name).read_text())
        assert data.get("schema_version") or data.get("version") == "2.1.0"
    if not db.exists():
        return
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return  # stopped before its tables were made: nothing recorded, nothing broken
        runs = conn.execute("SELECT id FROM runs").fetchall()
        assert len(runs) <= 1
        for (run_id,) in runs:  # a recorded run is recorded whole
            (rows,) = conn.execute("SELECT COUNT(*) FROM findings WHERE run_id = ?",
                                   (run_id,)).fetchone()
            assert rows == expected_rows if expected_rows is not None else rows > 0
        orphans = conn.execute("SELECT COUNT(*) FROM findings WHERE run_id NOT IN "
                               "(SELECT id FROM runs)").fetchone()
        assert orphans == (0,)


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75])
def test_sigterm_mid_run(clean, tmp_path, fraction):
    code, err, out, db, rows = _interrupt(clean, signal.SIGTERM, fraction, tmp_path)
    assert code == 130, err
    assert "Interrupted; nothing was half-written." in err and "Traceback" not in err
    _assert_nothing_half_done(out, db, rows)


def test_ctrl_c_mid_run(clean, tmp_path):
    code, err, out, db, rows = _interrupt(clean, signal.SIGINT, 0.5, tmp_path)
    assert code == 130, err
    assert "Traceback" not in err
    _assert_nothing_half_done(out, db, rows)


def test_sigterm_while_a_worker_shares_the_checks(clean, tmp_path):
    code, err, out, db, rows = _interrupt(clean, signal.SIGTERM, 0.5, tmp_path, workers="2")
    assert code == 130, err
    assert "Interrupted; nothing was half-written." in err and "Traceback" not in err
    _assert_nothing_half_done(out, db, rows)
