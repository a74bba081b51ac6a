"""Run history: every ``check`` run recorded in an embedded SQLite database, for trends and diffs.

Safe when several runs write at once: WAL journal, a generous busy timeout, and one
``BEGIN IMMEDIATE`` transaction per run, so a run is recorded whole or not at all. Only the
summary and each problem's key and status are stored (check id, asset id, domain, severity,
status for ``fail``, ``error`` and ``waived``); never messages, names, tags or anything read
from a credential. Passes are counted in the summary, not stored one by one, so the database
stays small on very large estates. WAL needs a local file system (not a network share).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from resilience.baseline import StatusDiff, compare_statuses, worst_status
from resilience.engine.report import Report
from resilience.errors import InputError, OutputError, UsageError
from resilience.model import Status
from resilience.model.timeutil import to_utc, utcnow

SCHEMA_VERSION = 1
FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT_MS = 30_000
STORED = (Status.FAIL.value, Status.ERROR.value, Status.WAIVED.value)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    organisation TEXT NOT NULL,
    source TEXT,
    tool_version TEXT NOT NULL,
    score INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    total INTEGER NOT NULL,
    gaps INTEGER NOT NULL,
    summary TEXT NOT NULL,
    checks TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_organisation ON runs (organisation, id);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (run_id, check_id, asset_id)
) WITHOUT ROWID;
"""


def default_history_path() -> Path:
    """The history database in the user's data folder (``platformdirs``)."""
    import platformdirs

    return platformdirs.user_data_path("resilience", appauthor=False) / FILE_NAME


def resolve_history_path(explicit: Path | None, loaded_config=None) -> Path:
    """``--history`` first, then ``history:`` in resilience.yaml, then the user data folder."""
    if explicit is not None:
        return explicit
    if loaded_config is not None and loaded_config.config.history:
        return loaded_config.resolve(loaded_config.config.history)
    return default_history_path()


@dataclass(frozen=True)
class RunRecord:
    """One recorded run: its summary, without findings."""

    id: int
    recorded_at: datetime
    generated_at: datetime
    as_of: datetime
    organisation: str
    source: str | None
    tool_version: str
    score: int
    complete: bool
    total: int
    gaps: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_domain: dict[str, dict[str, int]] = field(default_factory=dict)
    failed_by_severity: dict[str, int] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "recorded_at": self.recorded_at.isoformat(),
            "generated_at": self.generated_at.isoformat(), "as_of": self.as_of.isoformat(),
            "organisation": self.organisation, "source": self.source,
            "tool_version": self.tool_version, "score": self.score, "complete": self.complete,
            "total": self.total, "gaps": self.gaps, "by_status": self.by_status,
            "by_domain": self.by_domain, "failed_by_severity": self.failed_by_severity,
        }


def _record(row: sqlite3.Row) -> RunRecord:
    summary = json.loads(row["summary"])
    return RunRecord(
        id=row["id"], recorded_at=to_utc(row["recorded_at"]),
        generated_at=to_utc(row["generated_at"]), as_of=to_utc(row["as_of"]),
        organisation=row["organisation"], source=row["source"], tool_version=row["tool_version"],
        score=row["score"], complete=bool(row["complete"]), total=row["total"], gaps=row["gaps"],
        by_status=summary.get("by_status", {}), by_domain=summary.get("by_domain", {}),
        failed_by_severity=summary.get("failed_by_severity", {}),
        checks=json.loads(row["checks"]),
    )


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if any. An interrupt can land just after COMMIT (the run is
    then recorded whole) or before BEGIN; a rollback error must not hide the interrupt."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


class History:
    """The history database at ``path`` (created on first write)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            raise InputError("no history recorded yet (run `resilience check` first, or pass "
                             "--history FILE)", path=str(self.path))
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{self.path}: cannot open the history database: {exc}") from None
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if write:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._check_schema(conn, write=write)
            yield conn
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise InputError(f"not a resilience history database ({exc})",
                                 path=str(self.path)) from None
            raise OutputError(f"{self.path}: history database error: {exc}") from None
        finally:
            conn.close()

    def _check_schema(self, conn: sqlite3.Connection, *, write: bool) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(f"history database version {version} was written by a newer "
                             f"resilience (this one reads {SCHEMA_VERSION})", path=str(self.path))
        if version == SCHEMA_VERSION or not write:
            if version == 0 and not write:
                raise InputError("not a resilience history database", path=str(self.path))
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                # Statement by statement: executescript() would commit our transaction.
                for statement in _SCHEMA.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    def record(self, report: Report, *, source: str | None = None) -> int:
        """Record one run in a single transaction; returns its id."""
        s = report.summary
        summary = {
            "by_status": {k.value: v for k, v in s.by_status.items()},
            "by_domain": {d.value: {k.value: v for k, v in c.items()}
                          for d, c in s.by_domain.items()},
            "failed_by_severity": {k.value: v for k, v in s.failed_by_severity.items()},
        }
        meta = {f.key: f for f in report.findings}
        rows = [(key, meta[key].domain.value, meta[key].severity.value, status.value)
                for key, status in worst_status(report.findings).items()
                if status.value in STORED]
        with self._connect(write=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO runs (recorded_at, generated_at, as_of, organisation, source, "
                    "tool_version, score, complete, total, gaps, summary, checks) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (utcnow().isoformat(), report.generated_at.isoformat(),
                     report.as_of.isoformat(), report.organisation.name, source,
                     report.tool_version, s.score, int(s.complete), s.total, len(report.gaps),
                     json.dumps(summary), json.dumps([m.id for m in report.checks])),
                )
                run_id = cur.lastrowid
                conn.executemany(
                    "INSERT INTO findings (run_id, check_id, asset_id, domain, severity, status) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(run_id, c, a, d, sev, st) for (c, a), d, sev, st in rows],
                )
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        return run_id

    def runs(self, organisation: str | None = None, limit: int | None = None) -> list[RunRecord]:
        """The last ``limit`` runs (all when None), oldest first."""
        sql = "SELECT * FROM runs"
        args: list = []
        if organisation is not None:
            sql += " WHERE organisation = ?"
            args.append(organisation)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._connect(write=False) as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_record(r) for r in reversed(rows)]

    def run(self, run_id: int) -> RunRecord:
        with self._connect(write=False) as conn:
            row = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id} in {self.path}; `resilience history` lists them")
        return _record(row)

    def statuses(self, run_id: int) -> dict[tuple[str, str], Status]:
        """The stored problems (fail, error, waived) of one run, by key."""
        with self._connect(write=False) as conn:
            rows = conn.execute("SELECT check_id, asset_id, status FROM findings "
                                "WHERE run_id = ?", (run_id,)).fetchall()
        return {(r["check_id"], r["asset_id"]): Status(r["status"]) for r in rows}

    def diff(self, run_a: int | None = None, run_b: int | None = None,
             organisation: str | None = None) -> tuple[RunRecord, RunRecord, StatusDiff]:
        """Compare two runs (default: the last two, of ``organisation`` when given)."""
        if run_a is None or run_b is None:
            last = self.runs(organisation=organisation, limit=2)
            if run_a is None and run_b is None:
                if len(last) < 2:
                    raise UsageError(f"{self.path} holds fewer than two runs to compare")
                run_a, run_b = last[0].id, last[1].id
            elif run_b is None:
                run_b = last[-1].id
        a, b = self.run(run_a), self.run(run_b)
        return a, b, compare_statuses(self.statuses(a.id), self.statuses(b.id), b.checks)
