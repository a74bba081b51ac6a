"""Run history: recording, trend, diff, clear errors, no secrets, and concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from resilience.errors import InputError, UsageError
from resilience.history import History, resolve_history_path
from resilience.model import Status
from tests.report_fixtures import ARN, IMG, real_report, synthetic_report

ROOT = Path(__file__).resolve().parents[1]


def _with(report, **statuses):
    findings = [f.model_copy(update={"status": statuses[f.asset_id]})
                if f.asset_id in statuses else f for f in report.findings]
    from resilience.engine.report import summarise

    return report.model_copy(update={"findings": findings,
                                     "summary": summarise(findings, report.gaps)})


def test_record_and_read_back(tmp_path):
    store = History(tmp_path / "h" / "history.sqlite3")
    report = synthetic_report()
    run_id = store.record(report, source="resilience.yaml")
    [run] = store.runs()
    assert run.id == run_id and run.score == report.summary.score
    assert run.by_status["fail"] == 3 and run.by_domain["identity"]["fail"] == 1
    assert run.gaps == 1 and not run.complete and run.source == "resilience.yaml"
    statuses = store.statuses(run_id)
    assert statuses[("backup_system_has_copy", "db1")] == Status.FAIL
    assert ("backup_system_has_copy", "app1") not in statuses  # passes are counted, not stored
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_trend_filters_and_limits(tmp_path):
    store = History(tmp_path / "history.sqlite3")
    for _ in range(3):
        store.record(synthetic_report())
    other = synthetic_report()
    store.record(other.model_copy(update={"organisation": other.organisation.model_copy(
        update={"name": "Other"})}))
    assert len(store.runs()) == 4
    assert [r.id for r in store.runs(organisation="Golden Council", limit=2)] == [2, 3]


def _renamed(report, name: str):
    return report.model_copy(update={"organisation": report.organisation.model_copy(
        update={"name": name})})


def test_prune_keeps_the_newest_runs_of_each_organisation(tmp_path):
    from datetime import timedelta

    from resilience.model.timeutil import utcnow

    store = History(tmp_path / "history.sqlite3")
    for _ in range(4):
        store.record(synthetic_report())  # Golden Council: runs 1-4
    store.record(_renamed(synthetic_report(), "Other"))  # run 5
    problems_per_run = len(store.statuses(1))
    pruned = store.prune(keep=2)
    assert (pruned.deleted, pruned.kept) == (2, 3)
    assert [r.id for r in store.runs()] == [3, 4, 5]
    with sqlite3.connect(store.path) as conn:
        assert {r for (r,) in conn.execute("SELECT DISTINCT run_id FROM problems")} == {3, 4, 5}
        assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 3 * problems_per_run
    # Only the organisation named; by age; the newest run of each is never pruned.
    assert store.prune(keep=1, organisation="Other").deleted == 0
    later = utcnow() + timedelta(days=30)
    assert store.prune(older_than=timedelta(days=7), organisation="Golden Council",
                       now=later).deleted == 1
    assert store.prune(older_than=timedelta(days=7), now=later).deleted == 0
    assert store.prune(older_than=timedelta(days=7)).deleted == 0  # all recorded just now
    assert [r.id for r in store.runs()] == [4, 5]
    with pytest.raises(UsageError, match="say what to prune"):
        store.prune()
    with pytest.raises(UsageError, match="at least the newest"):
        store.prune(keep=0)


def test_prune_gives_space_back_only_when_compacted(tmp_path):
    store = History(tmp_path / "history.sqlite3")
    big, _ = real_report()
    for _ in range(12):
        store.record(big)
    store.prune(keep=1)
    size = store.path.stat().st_size
    store.compact()
    assert store.path.stat().st_size < size
    assert [r.id for r in store.runs()] == [12]
    missing = History(tmp_path / "none.sqlite3")
    with pytest.raises(InputError, match="no history recorded yet"):
        missing.prune(keep=1)
    assert not missing.path.exists()


def test_diff_new_fixed_changed(tmp_path):
    store = History(tmp_path / "history.sqlite3")
    before = synthetic_report()
    store.record(before)
    store.record(_with(before, db1=Status.PASS, app1=Status.FAIL, **{ARN: Status.ERROR}))
    a, b, diff = store.diff()
    assert (a.id, b.id) == (1, 2)
    assert [k[1] for k, _, _ in diff.new] == ["app1"]
    assert [k[1] for k, _, _ in diff.fixed] == ["db1"]
    assert [(k[1], t, n) for k, t, n in diff.changed] == [(ARN, Status.FAIL, Status.ERROR)]
    assert store.diff(2, 1)[2].new[0][0][1] == "db1"


def test_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no history recorded yet"):
        History(tmp_path / "none.sqlite3").runs()
    sqlite3.connect(tmp_path / "empty.sqlite3").close()  # a first run stopped before its tables
    (tmp_path / "empty.sqlite3").touch()
    with pytest.raises(InputError, match="no history recorded yet"):
        History(tmp_path / "empty.sqlite3").runs()
    History(tmp_path / "empty.sqlite3").record(synthetic_report())  # and the next run works
    store = History(tmp_path / "one.sqlite3")
    store.record(synthetic_report())
    with pytest.raises(UsageError, match="fewer than two runs"):
        store.diff()
    with pytest.raises(UsageError, match="no run 7"):
        store.diff(1, 7)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a resilience history database"):
        History(junk).record(synthetic_report())
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(InputError, match="newer"):
        store.runs()


def test_only_keys_and_statuses_are_stored(tmp_path):
    store = History(tmp_path / "history.sqlite3")
    report, _ = real_report()
    store.record(report)
    dump = "\n".join(sqlite3.connect(store.path).iterdump())
    assert IMG not in dump  # a system name, a tag, an owner and a gap reason: none stored
    for f in report.findings:
        assert f.message not in dump and f.remediation not in dump


def test_problems_stored_once_per_key_under_the_worst_status(tmp_path):
    report = synthetic_report()
    db1 = next(f for f in report.findings if f.asset_id == "db1")
    twice = [*report.findings, db1.model_copy(update={"status": Status.ERROR}),
             db1.model_copy(update={"asset_id": "app1", "status": Status.WAIVED})]
    store = History(tmp_path / "history.sqlite3")
    run_id = store.record(report.model_copy(update={"findings": twice}))
    statuses = store.statuses(run_id)
    assert statuses[("backup_system_has_copy", "db1")] == Status.FAIL  # fail outranks error
    assert statuses[("backup_system_has_copy", "app1")] == Status.WAIVED  # outranks its pass
    with sqlite3.connect(store.path) as conn:  # the view: a row per problem, as version 1 had
        rows = conn.execute("SELECT check_id, asset_id, status, domain, severity FROM findings "
                            "WHERE run_id = ?", (run_id,)).fetchall()
    assert sorted((c, a, Status(s)) for c, a, s, _, _ in rows) == sorted(
        (*k, v) for k, v in statuses.items())
    assert ("backup_system_has_copy", "db1", "fail", "backup", "critical") in rows


# The schema of version 1 (a row per problem), as databases written before version 2 hold it.
VERSION_1 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,
    generated_at TEXT NOT NULL, as_of TEXT NOT NULL, organisation TEXT NOT NULL, source TEXT,
    tool_version TEXT NOT NULL, score INTEGER NOT NULL, complete INTEGER NOT NULL,
    total INTEGER NOT NULL, gaps INTEGER NOT NULL, summary TEXT NOT NULL, checks TEXT NOT NULL);
CREATE INDEX runs_by_organisation ON runs (organisation, id);
CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL, asset_id TEXT NOT NULL, domain TEXT NOT NULL,
    severity TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (run_id, check_id, asset_id)
) WITHOUT ROWID;
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_upgraded_with_its_runs(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(VERSION_1)
        for run_id in (1, 2):
            conn.execute("INSERT INTO runs VALUES (?, '2026-10-01T00:00:00+00:00', "
                         "'2026-10-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00', "
                         "'Golden Council', NULL, '0.1.0', 70, 1, 10, 0, '{}', "
                         "'[\"backup_system_has_copy\"]')", (run_id,))
        conn.executemany("INSERT INTO findings VALUES (?, ?, ?, 'backup', 'high', ?)", [
            (1, "backup_system_has_copy", "db1", "fail"),
            (1, "backup_system_has_copy", "db2", "error"),
            (1, "backup_system_has_copy", "db3", "fail"),
            (2, "backup_system_has_copy", "db1", "fail"),
        ])
    store = History(path)
    assert [r.id for r in store.runs()] == [1, 2]  # reading upgrades it
    assert store.statuses(1) == {("backup_system_has_copy", "db1"): Status.FAIL,
                                 ("backup_system_has_copy", "db2"): Status.ERROR,
                                 ("backup_system_has_copy", "db3"): Status.FAIL}
    assert [k for k, _, _ in store.diff(1, 2)[2].fixed] == [
        ("backup_system_has_copy", "db2"), ("backup_system_has_copy", "db3")]
    run_id = store.record(synthetic_report())
    assert run_id == 3 and store.statuses(3)[("backup_system_has_copy", "db1")] == Status.FAIL
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)
        assert conn.execute("SELECT COUNT(*) FROM findings WHERE run_id = 1").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_version_1_database_that_cannot_be_written_is_read_upgraded_in_memory(
        tmp_path, monkeypatch):
    """A read-only file (a copy on a read-only share, say) cannot be upgraded in place: it is
    read through an upgraded copy in memory, and left as it was."""
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(VERSION_1)
        conn.execute("INSERT INTO runs VALUES (1, '2026-10-01T00:00:00+00:00', "
                     "'2026-10-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00', "
                     "'Golden Council', NULL, '0.1.0', 70, 1, 10, 0, '{}', "
                     "'[\"backup_system_has_copy\"]')")
        conn.execute("INSERT INTO findings VALUES (1, 'backup_system_has_copy', 'db1', "
                     "'backup', 'high', 'fail')")
    before = path.read_bytes()
    real_connect = sqlite3.connect

    def read_only(database, *args, **kwargs):  # as root, file modes do not stop writes
        if Path(database) == path:
            return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    store = History(path)
    assert [r.id for r in store.runs()] == [1]
    assert store.statuses(1) == {("backup_system_has_copy", "db1"): Status.FAIL}
    assert path.read_bytes() == before
    with pytest.raises(Exception, match="readonly"):
        store.record(synthetic_report())  # writing still says why it cannot


def test_history_path_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_history_path(None) == tmp_path / "xdg" / "resilience" / "history.sqlite3"
    assert resolve_history_path(tmp_path / "x.db") == tmp_path / "x.db"


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from resilience.history import History
    from tests.report_fixtures import synthetic_report
    store, report = History(sys.argv[1]), synthetic_report()
    for _ in range(int(sys.argv[2])):
        store.record(report, source=sys.argv[3])
""")


@pytest.mark.slow
def test_concurrent_writers_from_several_processes(tmp_path):
    db, per_process, processes = tmp_path / "history.sqlite3", 8, 4
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    procs = [subprocess.Popen([sys.executable, str(script), str(db), str(per_process), f"p{i}"],
                              stderr=subprocess.PIPE, text=True) for i in range(processes)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    store = History(db)
    runs = store.runs()
    assert len(runs) == per_process * processes
    assert len({r.id for r in runs}) == len(runs)
    assert {r.source for r in runs} == {f"p{i}" for i in range(processes)}
    stored = len(store.statuses(runs[0].id))
    assert stored == 5 and all(len(store.statuses(r.id)) == stored for r in runs)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_large_diff_lists_its_first_rows_and_says_how_many(tmp_path):
    import io

    from rich.console import Console

    from resilience.baseline import StatusDiff
    from resilience.cli.history_view import diff_renderable
    from resilience.outputs.view import TABLE_ROWS

    store = History(tmp_path / "history.sqlite3")
    for _ in range(2):
        store.record(synthetic_report())
    a, b = store.runs()
    diff = StatusDiff(new=[(("backup_system_has_copy", f"asset-{i:05d}"), None, Status.FAIL)
                           for i in range(TABLE_ROWS + 1)])
    buffer = io.StringIO()
    Console(file=buffer, width=120, no_color=True).print(diff_renderable(a, b, diff))
    text = buffer.getvalue()
    assert f"The first {TABLE_ROWS:,} of {TABLE_ROWS + 1:,}; --format json lists them all." in text
    assert f"asset-{TABLE_ROWS - 1:05d}" in text and f"asset-{TABLE_ROWS:05d}" not in text
