"""The estate model: durations, timestamps, redaction, snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from resilience.durations import format_duration, parse_duration
from resilience.errors import InputError
from resilience.model import BackupCopy, Estate, System
from resilience.model.redact import REDACTED, redact_text
from resilience.snapshot import dump_snapshot, load_snapshot, save_snapshot


@pytest.mark.parametrize("text,expected", [
    ("4h", timedelta(hours=4)), ("35d", timedelta(days=35)), ("2w", timedelta(weeks=2)),
    ("30m", timedelta(minutes=30)), ("1d 12h", timedelta(hours=36)), ("1y", timedelta(days=365)),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["", "4", "four hours", "4x", "-1d", True, None, 4])
def test_bad_durations_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


@pytest.mark.parametrize("value,text", [
    (timedelta(hours=36), "36h"), (timedelta(days=35), "35d"), (timedelta(weeks=2), "14d"),
    (timedelta(minutes=90), "90m"), (None, "unknown"),
])
def test_format_duration(value, text):
    assert format_duration(value) == text


def test_timestamps_become_utc():
    b = BackupCopy(id="b", system="s", last_success="2024-03-31")
    assert b.last_success.tzinfo is not None and b.last_success.isoformat().startswith("2024-03-31")
    with pytest.raises(ValidationError):
        BackupCopy(id="b", system="s", last_success="31st of March")


def test_secret_like_tags_are_redacted():
    s = System(id="s", name="s", hosting="aws", tags={
        "db-password": "hunter2", "env": "prod", "note": "AKIAABCDEFGHIJKLMNOP",
    })
    assert s.tags == {"db-password": REDACTED, "env": "prod", "note": REDACTED}
    assert "hunter2" not in redact_text("connect with password=hunter2 now")


def test_snapshot_round_trip(tmp_path):
    estate = Estate(systems=[System(id="s", name="S", hosting="onprem")],
                    backups=[BackupCopy(id="b", system="s", frequency="1d", retention="35d")])
    path = tmp_path / "snap.json"
    save_snapshot(estate, path)
    again = load_snapshot(path)
    assert again.backups[0].retention == timedelta(days=35)
    assert dump_snapshot(again) == dump_snapshot(estate)


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    ('{"systems": [{"id": 1}]}', "not a resilience snapshot"),
    ('{"schema_version": 99}', "schema_version 99"),
    ('{"systems": [{"id": "a", "name": "A", "hosting": "aws"}, '
     '{"id": "a", "name": "B", "hosting": "aws"}]}', "system id 'a' appears twice"),
    ('{"trust_domains": [{"id": "d", "name": "D", "kind": "ad-domain"}, '
     '{"id": "d", "name": "D", "kind": "ad-domain"}]}', "trust domain id 'd' appears twice"),
])
def test_bad_snapshots(tmp_path, content, needle):
    path = tmp_path / "snap.json"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        load_snapshot(path)
    assert needle in str(err.value) and str(path) in str(err.value)


def test_instances_share_field_sets_without_sharing_changes():
    from resilience.model import System

    a = System(id="a", name="A", kind="server", hosting="onprem")
    b = System(id="b", name="B", kind="server", hosting="onprem")
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__  # memory: one set for both
    a.failover_site = "dr"
    assert "failover_site" in a.model_fields_set
    assert "failover_site" not in b.model_fields_set
    c = b.model_copy(update={"site": "x"})
    assert "site" in c.model_fields_set and "site" not in b.model_fields_set

