"""Run history: every ``check`` run recorded in an embedded SQLite database, for trends and diffs.

Safe when several runs write at once: WAL journal, a generous busy timeout, and one
``BEGIN IMMEDIATE`` transaction per run, so a run is recorded whole or not at all. Only the
summary and each problem's key and status are stored (check id, asset id, domain, severity,
status for ``fail``, ``error`` and ``waived``); never messages, names, tags or anything read
from a credential. Passes are counted in the summary, not stored one by one. A run's problems
are stored a row per check and status, their asset ids in a JSON list (a 100,000-system estate
has about 460,000 problems: a row each took seconds to write and 32 MB a run); the
``findings`` view still shows a row per problem. WAL needs a local file system (not a network
share).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from resilience.baseline import StatusDiff, compare_statuses, worst_status
from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.errors import InputError, OutputError, UsageError
from resilience.model import Status
from resilience.model.timeutil import to_utc, utcnow

SCHEMA_VERSION = 2
_NOTHING_YET = "no history recorded yet (run `resilience check` first, or pass --history FILE)"
FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT_MS = 30_000
STORED = (Status.FAIL, Status.ERROR, Status.WAIVED)

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
"""
_PROBLEMS = """
CREATE TABLE IF NOT EXISTS problems (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    status TEXT NOT NULL,
    domain TEXT NOT NULL,
    severity TEXT NOT NULL,
    assets TEXT NOT NULL,
    PRIMARY KEY (run_id, check_id, status)
) WITHOUT ROWID;
"""
_VIEW = """
CREATE VIEW IF NOT EXISTS findings (run_id, check_id, asset_id, domain, severity, status) AS
    SELECT p.run_id, p.check_id, a.value, p.domain, p.severity, p.status
    FROM problems AS p, json_each(p.assets) AS a
"""
_INSERT_PROBLEMS = ("INSERT INTO problems (run_id, check_id, status, domain, severity, assets) "
                    "VALUES (?, ?, ?, ?, ?, ?)")


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


@dataclass(frozen=True)
class Pruned:
    """What a prune did: runs deleted, and runs left (of the organisations it looked at)."""

    deleted: int
    kept: int


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
            raise InputError(_NOTHING_YET, path=str(self.path))
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
            try:
                self._check_schema(conn, write=write)
            except sqlite3.OperationalError as exc:
                if write or "readonly" not in str(exc):
                    raise
                conn = self._upgraded_in_memory(conn)
            yield conn
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise InputError(f"not a resilience history database ({exc})",
                                 path=str(self.path)) from None
            raise OutputError(f"{self.path}: history database error: {exc}") from None
        finally:
            conn.close()

    def _upgraded_in_memory(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """An older database that cannot be written here (a read-only file or folder),
        copied into memory and brought up to date there, to be read; ``conn`` is closed."""
        try:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(memory)
        finally:
            conn.close()
        memory.row_factory = sqlite3.Row
        self._check_schema(memory, write=True)
        return memory

    def _check_schema(self, conn: sqlite3.Connection, *, write: bool) -> None:
        """Create the tables in a new database, or bring an older one up to date (in one
        transaction, so two runs upgrading at once cannot both do it)."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(f"history database version {version} was written by a newer "
                             f"resilience (this one reads {SCHEMA_VERSION})", path=str(self.path))
        if version == SCHEMA_VERSION:
            return
        if version == 0 and not write:
            if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                # Created by a first run that was interrupted before it made its tables.
                raise InputError(_NOTHING_YET, path=str(self.path))
            raise InputError("not a resilience history database", path=str(self.path))
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                # Statement by statement: executescript() would commit our transaction.
                for statement in (_SCHEMA + _PROBLEMS + _VIEW).split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
            elif version == 1:
                _upgrade_from_1(conn)
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
        rows = _problems(report.findings)
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
                conn.executemany(_INSERT_PROBLEMS, [(run_id, *row) for row in rows])
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

    def prune(self, *, keep: int | None = None, older_than: timedelta | None = None,
              organisation: str | None = None, now: datetime | None = None) -> Pruned:
        """Delete the runs of each organisation (or only of ``organisation``) beyond its newest
        ``keep``, and those recorded more than ``older_than`` before ``now``, in one
        transaction. The newest run of each organisation is always kept, so a trend and a
        diff still have a starting point. Freed pages are reused by later runs; ``compact``
        gives them back to the file system."""
        if keep is None and older_than is None:
            raise UsageError("say what to prune: --keep N and/or --older-than AGE")
        if keep is not None and keep < 1:
            raise UsageError("--keep: at least the newest run is kept (1 or more)")
        cutoff = None if older_than is None else (now or utcnow()) - older_than
        if not self.path.exists():  # nothing to prune: do not create an empty database
            raise InputError(_NOTHING_YET, path=str(self.path))
        with self._connect(write=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                sql = "SELECT id, organisation, recorded_at FROM runs"
                args: tuple = ()
                if organisation is not None:
                    sql += " WHERE organisation = ?"
                    args = (organisation,)
                newer: dict[str, int] = {}  # runs seen so far of each organisation, newest first
                doomed: list[tuple[int]] = []
                kept = 0
                for run_id, org, recorded_at in conn.execute(sql + " ORDER BY id DESC", args):
                    rank = newer[org] = newer.get(org, 0) + 1
                    if rank > 1 and ((keep is not None and rank > keep) or (
                            cutoff is not None and to_utc(recorded_at) < cutoff)):
                        doomed.append((run_id,))
                    else:
                        kept += 1
                conn.executemany("DELETE FROM problems WHERE run_id = ?", doomed)
                conn.executemany("DELETE FROM runs WHERE id = ?", doomed)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        return Pruned(deleted=len(doomed), kept=kept)

    def compact(self) -> None:
        """Give the space of deleted runs back to the file system (SQLite's VACUUM: it
        rewrites the database, and waits for other writers)."""
        with self._connect(write=True) as conn:
            conn.execute("VACUUM")

    def statuses(self, run_id: int) -> dict[tuple[str, str], Status]:
        """The stored problems (fail, error, waived) of one run, by key."""
        with self._connect(write=False) as conn:
            rows = conn.execute("SELECT check_id, status, assets FROM problems "
                                "WHERE run_id = ?", (run_id,)).fetchall()
        out: dict[tuple[str, str], Status] = {}
        for check_id, status, assets in rows:
            out.update(dict.fromkeys(((check_id, a) for a in json.loads(assets)), Status(status)))
        return out

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


def _problems(findings: Iterable[Finding]) -> list[tuple[str, str, str, str, str]]:
    """A row for each check and stored status: check id, status, domain, severity and the
    JSON list of asset ids. An asset a check reports twice counts once, under its most
    alarming status (as in a baseline). Passes are left out: the summary counts them."""
    about: dict[str, Finding] = {}  # a finding of each check, for its domain and severity

    def stored() -> Iterator[tuple[tuple[str, str], Status]]:
        for f in findings:
            if f.status in STORED:
                if f.check_id not in about:
                    about[f.check_id] = f
                yield (f.check_id, f.asset_id), f.status

    assets: dict[tuple[str, Status], list[str]] = {}
    for (check_id, asset_id), status in worst_status(stored()).items():
        assets.setdefault((check_id, status), []).append(asset_id)
    return [(check_id, status.value, about[check_id].domain.value,
             about[check_id].severity.value, json.dumps(ids))
            for (check_id, status), ids in assets.items()]


def _upgrade_from_1(conn: sqlite3.Connection) -> None:
    """Version 1 stored a row per problem in a ``findings`` table: regroup them by run, check
    and status, and leave a view of the same name and columns in its place."""
    conn.execute(_PROBLEMS)
    grouped: dict[tuple[int, str, str], tuple[str, str, list[str]]] = {}
    for run_id, check_id, status, domain, severity, asset_id in conn.execute(
            "SELECT run_id, check_id, status, domain, severity, asset_id FROM findings"):
        grouped.setdefault((run_id, check_id, status), (domain, severity, []))[2].append(asset_id)
    conn.executemany(_INSERT_PROBLEMS, [(*key, domain, severity, json.dumps(ids))
                                        for key, (domain, severity, ids) in grouped.items()])
    conn.execute("DROP TABLE findings")
    conn.execute(_VIEW)
