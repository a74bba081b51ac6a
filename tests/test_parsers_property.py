"""Property tests: whatever a user feeds the estate parser, the AD CSV parser or the policy
loader, the answer is a valid model or one clean InputError, never another exception."""

from __future__ import annotations

import csv
import io
from importlib import resources

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resilience.config import AdExport
from resilience.errors import InputError
from resilience.model import Estate
from resilience.policy import Policy, default_policy_text
from resilience.snapshot import dump_snapshot
from resilience.sources.ad import parse_export
from resilience.sources.merge import merge
from resilience.sources.onprem import EstateFile, parse_estate_document
from resilience.sources.references import check_references
from resilience.yamlfile import parse_yaml, validate_document

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Keys that exist somewhere in the estate format, so generated documents get past the first
# "unknown key" often enough to reach the deeper validation and the reference checks.
ESTATE_KEYS = sorted({
    *EstateFile.model_fields,
    "id", "name", "kind", "hosting", "tier", "systems", "services", "backups", "depends_on",
    "system", "frequency", "retention", "immutable", "offsite", "trust_domain", "last_success",
    "last_restore_test", "restore_test_duration", "identity_domain", "supplier", "suppliers",
    "covers", "provides", "manual_fallback", "description", "rto", "rpo", "end_of_support",
    "password_policy", "min_length", "max_age", "source", "privileged", "mfa", "enabled",
    "last_used", "tags", "site", "zones", "access_keys", "version", "organisation",
})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["4h", "35d", "1w 2d", "0m", "2026-11-01", "2026-13-45", "onprem", "saas",
                     "server", "a", "b", "x y", "9999-12-31T23:59:59-05:00", "1e400",
                     "99999999999999999999y", "backup", "ad-domain", "human"]),
    st.dates(), st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(ESTATE_KEYS), st.text(max_size=8)),
                        children, max_size=6),
    ),
    max_leaves=30,
)
DOCUMENTS = st.dictionaries(st.sampled_from(ESTATE_KEYS), VALUES, max_size=6)


def _estate_from_text(text: str) -> Estate | None:
    try:
        estate = merge([parse_estate_document(parse_yaml(text, "estate.yaml"))])
        check_references(estate)
    except InputError as exc:
        assert exc.path == "estate.yaml"
        assert exc.line is None or exc.line >= 1
        return None
    dump_snapshot(estate)  # what `inventory --output` writes must serialise too
    return estate


def _dump(doc) -> str | None:
    try:
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return None


@SETTINGS
@given(st.text(max_size=400))
def test_estate_parser_on_arbitrary_text(text):
    _estate_from_text(text)


@SETTINGS
@given(DOCUMENTS)
def test_estate_parser_on_generated_documents(doc):
    text = _dump(doc)
    if text is not None:
        _estate_from_text(text)


def _demo_estate_text() -> str:
    return (resources.files("resilience.data").joinpath("demo", "estate.yaml")
            .read_text(encoding="utf-8"))


@settings(SETTINGS, max_examples=100)  # each example parses the whole demo estate
@given(st.data())
def test_estate_parser_on_mutated_demo(data):
    text = _demo_estate_text()
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "edit", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " + lines[i]
        else:
            line = lines[i]
            pos = data.draw(st.integers(min_value=0, max_value=len(line)))
            lines[i] = line[:pos] + data.draw(st.text(max_size=3)) + line[pos:]
        if not lines:
            break
    _estate_from_text("".join(lines))


# ----------------------------------------------------------------------------------------------
# The AD CSV parser

AD_COLUMNS = ["SamAccountName", "Enabled", "LastLogonDate", "lastLogonTimestamp", "lastLogon",
              "Name", "DisplayName", "PasswordLastSet", "pwdLastSet", "PasswordNeverExpires",
              "MemberOf", "whenCreated", "Description", "adminCount", "MFA", "Kind", "Manager",
              "userAccountControl", "ServicePrincipalNames", "DistinguishedName", "unicodePwd"]
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["True", "False", "", "1", "0", "yes", "human", "service", "break-glass",
                     "14/10/2020 09:12:33", "10/14/2020 9:12:33 PM", "03/04/2020",
                     "2020-10-14T09:12:33Z", "2020-10-14T09:12:33.0000000+01:00", "31/31/2020",
                     "132471439530000000", "9223372036854775807", "99999999999999999999",
                     "Microsoft.ADPropertyValueCollection",
                     "CN=Domain Admins,CN=Users,DC=x;CN=VPN,DC=x", "CN=A\\, B,OU=x"]),
    st.integers(min_value=-(2**64), max_value=2**64).map(str),
)


def _ad(data: bytes, **kw) -> None:
    export = AdExport(file="users.csv", domain="corp.local", **kw)
    try:
        estate = parse_export(export, data, "users.csv")
    except InputError as exc:
        assert exc.path == "users.csv"
        assert exc.line is None or exc.line >= 1
        return
    for account in estate.accounts:
        assert account.trust_domain == "corp.local"
    dump_snapshot(estate)


@SETTINGS
@given(st.binary(max_size=400))
def test_ad_parser_on_arbitrary_bytes(data):
    _ad(data)


@SETTINGS
@given(st.lists(st.sampled_from(AD_COLUMNS), min_size=1, max_size=10, unique=True),
       st.data(), st.sampled_from([",", ";", "\t"]), st.booleans(),
       st.sampled_from([None, "dmy", "mdy"]))
def test_ad_parser_on_generated_exports(columns, data, delimiter, type_line, order):
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)),
                              max_size=6))
    out = io.StringIO()
    if type_line:
        out.write("#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\r\n")
    writer = csv.writer(out, delimiter=delimiter, quoting=data.draw(
        st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL])))
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    try:
        raw = out.getvalue().encode(encoding)
    except UnicodeEncodeError:  # lone surrogates cannot be written by any exporter
        return
    _ad(raw, date_order=order)


def test_secret_column_values_never_appear():
    """Whatever else is in the row, a password-like column's value is not kept."""
    text = ("SamAccountName,Enabled,LastLogonDate,unicodePwd,Description\n"
            "a,True,2026-11-01,S3cr3t-value-xyz,password is S3cr3t-value-xyz\n")
    estate = parse_export(AdExport(file="u.csv", domain="corp.local"), text.encode(), "u.csv")
    assert "S3cr3t-value-xyz" not in dump_snapshot(estate)


# ----------------------------------------------------------------------------------------------
# The policy loader

POLICY_KEYS = sorted({*Policy.model_fields, "name", "rpo", "rto", "immutable_copy", "tiers",
                      "min_retention", "dormant_after", "mfa_required_for", "break_glass_min",
                      "plan_review_max_age", "backup_max_age_factor", "1", "2"})


def _policy(text: str) -> Policy | None:
    try:
        return validate_document(Policy, parse_yaml(text, "policy.yaml"), what="a policy")
    except InputError as exc:
        assert exc.path == "policy.yaml"
        return None


@SETTINGS
@given(st.text(max_size=300))
def test_policy_loader_on_arbitrary_text(text):
    _policy(text)


@SETTINGS
@given(st.dictionaries(st.sampled_from(POLICY_KEYS), st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(POLICY_KEYS), st.integers(0, 12)), children,
                        max_size=5)),
    max_leaves=25), max_size=5))
def test_policy_loader_on_generated_documents(doc):
    text = _dump(doc)
    if text is not None:
        policy = _policy(text)
        if policy is not None:
            assert policy.tiers
            policy.tier(None)
            policy.tier(99)


@SETTINGS
@given(st.data())
def test_policy_loader_on_mutated_defaults(data):
    lines = default_policy_text().splitlines(keepends=True)
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    line = lines[i]
    pos = data.draw(st.integers(min_value=0, max_value=len(line)))
    lines[i] = line[:pos] + data.draw(st.text(max_size=4)) + line[pos + 1:]
    _policy("".join(lines))
