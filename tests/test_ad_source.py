"""The Active Directory source: real-world Get-ADUser CSV variants in, accounts out; bad
exports give one InputError naming the file and the line."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from resilience.config import AdExport
from resilience.errors import InputError
from resilience.model import AccountKind, DataKind, Provider
from resilience.snapshot import dump_snapshot
from resilience.sources.ad import AdSource, account_id, parse_export, parse_member_of
from resilience.sources.interface import NullProgress
from tests.cli_helpers import assert_clean_error, run_cli

DOMAIN = "corp.example.gov.uk"
DA = "CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=gov,DC=uk"
VPN = "CN=VPN Users,OU=Groups,DC=corp,DC=example,DC=gov,DC=uk"
STAFF = "CN=All Staff,OU=Groups,DC=corp,DC=example,DC=gov,DC=uk"


def export(**kw) -> AdExport:
    return AdExport(file="users.csv", domain=DOMAIN, **kw)


def parse(text: str | bytes, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_export(export(**kw), data, "users.csv")


def accounts(text: str | bytes, **kw):
    return {a.name if a.name else a.id: a for a in parse(text, **kw).accounts}


def by_sam(text: str | bytes, **kw):
    return {a.id.split("/", 1)[1]: a for a in parse(text, **kw).accounts}


def error(text: str | bytes, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, **kw)
    assert info.value.path == "users.csv"
    return info.value


# A Windows PowerShell 5.1 export: #TYPE line, every value quoted, UK dates, FILETIME.
PS51_UK = (
    '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\r\n'
    '"SamAccountName","UserPrincipalName","Name","Enabled","LastLogonDate","lastLogonTimestamp",'
    '"PasswordLastSet","PasswordNeverExpires","MemberOf","whenCreated","Description","adminCount",'
    '"unicodePwd","ms-Mcs-AdmPwd"\r\n'
    f'"jsmith","jsmith@corp","John Smith","True","14/10/2020 09:12:33","132471439530000000",'
    f'"01/02/2020 10:00:00","False","{DA};{VPN}","03/04/2015 08:00:00","","1",'
    '"HASH-0123456789abcdef","LapsPassw0rd!"\r\n'
    '"svc_sql","svc_sql@corp","SQL service","True","27/11/2026 06:01:09","0","22/08/2016 10:00:00",'
    '"True","","22/08/2016 10:00:00","SQL Server engine","",'
    '"","password=hunter2"\r\n'
    '"ajones","ajones@corp","Anne Jones","False","","","","False",'
    f'"{STAFF}","13/01/2020 09:00:00","Left 31/01/2025","",'
    '"",""\r\n'
)


def test_powershell_51_export_with_bom_and_uk_dates():
    data = codecs.BOM_UTF8 + PS51_UK.encode("utf-8")
    estate = parse(data)
    got = {a.id: a for a in estate.accounts}
    js = got[f"{DOMAIN}/jsmith"]
    assert js.name == "John Smith" and js.source == Provider.AD and js.trust_domain == DOMAIN
    assert js.enabled is True and js.kind == AccountKind.HUMAN
    assert js.privileged is True and js.remote_access is True
    assert js.groups == ["Domain Admins", "VPN Users"]
    # LastLogonDate 09:12:33 and lastLogonTimestamp (10:12:33 UTC): the later one wins.
    assert js.last_used == datetime(2020, 10, 14, 10, 12, 33, tzinfo=UTC)
    assert js.password_last_set == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)  # 1 February: UK
    assert js.created == datetime(2015, 4, 3, 8, 0, tzinfo=UTC)
    assert js.password_never_expires is False and js.mfa is None
    assert js.declared_at.file == "users.csv" and js.declared_at.line == 3
    sql = got[f"{DOMAIN}/svc_sql"]
    assert sql.kind == AccountKind.SERVICE and sql.privileged is False
    assert sql.password_never_expires is True
    assert got[f"{DOMAIN}/ajones"].enabled is False and got[f"{DOMAIN}/ajones"].last_used is None
    (domain,) = estate.trust_domains
    assert domain.id == DOMAIN and domain.kind == "ad-domain" and domain.provider == Provider.AD
    (run,) = estate.sources
    assert run.provider == Provider.AD and run.kinds == [DataKind.ACCOUNTS]


def test_secret_columns_never_reach_the_estate():
    text = dump_snapshot(parse(PS51_UK))
    for secret in ("HASH-0123456789abcdef", "LapsPassw0rd", "hunter2", "unicodePwd"):
        assert secret not in text


def test_reordered_lowercase_columns_us_dates_and_ampm():
    text = (
        "description,memberof,lastlogondate,enabled,samaccountname,passwordlastset,whencreated\n"
        f'Payroll,"{STAFF}",10/14/2020 9:12:33 PM,TRUE,kpatel,2/1/2020 10:00:00 AM,'
        "3/4/2015 8:00:00 AM\n"
    )
    acct = by_sam(text)["kpatel"]
    assert acct.last_used == datetime(2020, 10, 14, 21, 12, 33, tzinfo=UTC)
    assert acct.password_last_set == datetime(2020, 2, 1, 10, 0, tzinfo=UTC)  # 1 Feb: US
    assert acct.created == datetime(2015, 3, 4, 8, 0, tzinfo=UTC)
    assert acct.name == "kpatel"  # no Name column: the SamAccountName


def test_iso_dates_semicolons_and_crlf():
    text = ("SamAccountName;Enabled;LastLogonDate;whenCreated;MemberOf\r\n"
            "bob;True;2026-10-31T08:00:00Z;2020-01-02 03:04:05;Domain Admins|VPN-Staff\r\n")
    acct = by_sam(text)["bob"]
    assert acct.last_used == datetime(2026, 10, 31, 8, 0, tzinfo=UTC)
    assert acct.groups == ["Domain Admins", "VPN-Staff"] and acct.privileged is True


def test_powershell_round_trip_date_format():
    text = "SamAccountName,Enabled,LastLogonDate\nbob,True,2026-10-31T08:00:00.0000000+01:00\n"
    assert by_sam(text)["bob"].last_used == datetime(2026, 10, 31, 7, 0, tzinfo=UTC)


def test_utf16_export():
    text = "SamAccountName,Name,Enabled,LastLogonDate\nzoe,Zoë Ellis,True,2026-11-01\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert by_sam(data)["zoe"].name == "Zoë Ellis"


def test_windows_ansi_export():
    data = "SamAccountName,Name,Enabled,LastLogonDate\nzoe,Zoë Ellis,True,2026-11-01\n"
    assert by_sam(data.encode("cp1252"))["zoe"].name == "Zoë Ellis"


def test_user_account_control_and_pwdlastset_filetimes():
    text = ("SamAccountName,userAccountControl,lastLogonTimestamp,pwdLastSet\n"
            "old,66050,132471439530000000,0\n"        # disabled, password never expires
            "new,512,9223372036854775807,132471439530000000\n")
    got = by_sam(text)
    assert got["old"].enabled is False and got["old"].password_never_expires is True
    assert got["old"].password_last_set is None  # 0: must change at next logon
    assert got["new"].enabled is True and got["new"].password_never_expires is False
    assert got["new"].last_used is None  # "never"
    assert got["new"].password_last_set.year == 2020


def test_multiline_memberof_keeps_line_numbers():
    text = ('SamAccountName,Enabled,LastLogonDate,MemberOf\n'
            f'a,True,2026-11-01,"{DA}\n{VPN}"\n'
            'b,True,2026-11-01,\n'
            'c,True,not a date,\n')
    err = error(text)
    assert err.line == 5 and "not a date" in str(err)
    text = text.replace("not a date", "2026-11-02")
    got = by_sam(text)
    assert got["a"].groups == ["Domain Admins", "VPN Users"]
    assert got["b"].declared_at.line == 4 and got["c"].declared_at.line == 5


@pytest.mark.parametrize("cell,groups", [
    (f"{DA};{VPN}", ["Domain Admins", "VPN Users"]),
    (f"{DA}|{VPN}", ["Domain Admins", "VPN Users"]),
    (f"{DA},{VPN}", ["Domain Admins", "VPN Users"]),        # -join ','
    (f"{{{DA}, {VPN}}}", ["Domain Admins", "VPN Users"]),     # {a, b}
    (r"CN=Smith\, Jones Admins,OU=G,DC=x;" + DA, ["Smith, Jones Admins", "Domain Admins"]),
    ("CN=A,CN=Users;CN=B,CN=Users", ["A", "B"]),             # DNs without DC parts
    ("Domain Admins; VPN Users", ["Domain Admins", "VPN Users"]),
    ("Domain Admins,VPN Users", ["Domain Admins", "VPN Users"]),
    (f"{DA};{DA.lower()}", ["Domain Admins"]),
    ("", []),
])
def test_member_of_encodings(cell, groups):
    assert parse_member_of(cell) == groups


def test_placeholder_memberof_needs_group_members(tmp_path):
    text = ("SamAccountName,Enabled,LastLogonDate,MemberOf\n"
            "a,True,2026-11-01,Microsoft.ADPropertyValueCollection\n"
            "b,True,2026-11-01,Microsoft.ADPropertyValueCollection\n")
    err = error(text)
    assert err.line == 2 and "-join" in str(err)
    members = ("#TYPE Selected.Microsoft.ActiveDirectory.Management.ADPrincipal\n"
               "Group,SamAccountName,objectClass\n"
               "Domain Admins,a,user\n"
               "Domain Admins,SRV01$,computer\n")
    estate = parse_export(export(group_members="members.csv"), text.encode(), "users.csv",
                          members.encode(), "members.csv")
    got = {a.id: a for a in estate.accounts}
    assert got[f"{DOMAIN}/a"].privileged is True and got[f"{DOMAIN}/a"].groups == ["Domain Admins"]
    assert got[f"{DOMAIN}/b"].privileged is False


def test_nested_privilege_from_group_members_file(tmp_path):
    (tmp_path / "users.csv").write_text(
        f'SamAccountName,Enabled,LastLogonDate,MemberOf\nnested,True,2026-11-01,"{STAFF}"\n')
    (tmp_path / "priv.csv").write_text(
        "GroupName,SamAccountName\n"
        "CN=Backup Operators,CN=Builtin,DC=corp,DC=example,DC=gov,DC=uk,nested\n"
        .replace("CN=Backup Operators,CN=Builtin,DC=corp,DC=example,DC=gov,DC=uk",
                 '"CN=Backup Operators,CN=Builtin,DC=corp,DC=example,DC=gov,DC=uk"'))
    source = AdSource([(export(group_members="priv.csv"), tmp_path / "users.csv")])
    (acct,) = source.collect(NullProgress()).accounts
    assert acct.privileged is True and acct.backup_admin is True
    assert acct.groups == ["All Staff", "Backup Operators"]


def test_group_members_file_needs_its_columns(tmp_path):
    (tmp_path / "users.csv").write_text("SamAccountName,Enabled,LastLogonDate\na,True,\n")
    (tmp_path / "priv.csv").write_text("name,objectClass\na,user\n")
    source = AdSource([(export(group_members=str(tmp_path / "priv.csv")),
                        tmp_path / "users.csv")])
    with pytest.raises(InputError) as info:
        source.collect(NullProgress())
    assert info.value.path == str(tmp_path / "priv.csv") and info.value.line == 1
    assert "Group" in str(info.value) and "SamAccountName" in str(info.value)


def test_privilege_unknown_without_memberships():
    got = by_sam("SamAccountName,Enabled,LastLogonDate,adminCount\na,True,,\nb,True,,1\n")
    assert got["a"].privileged is None and got["b"].privileged is True
    got = by_sam("SamAccountName,Enabled,LastLogonDate\na,True,\n")
    assert got["a"].privileged is None and got["a"].remote_access is None


def test_custom_privileged_groups():
    text = 'SamAccountName,Enabled,LastLogonDate,MemberOf\na,True,,"CN=Veeam Admins,OU=G,DC=x"\n'
    assert by_sam(text)["a"].privileged is False
    assert by_sam(text, privileged_groups=["veeam admins"])["a"].privileged is True
    assert by_sam(text)["a"].backup_admin is True


@pytest.mark.parametrize("sam,extra,kind", [
    ("svc_backup", {}, AccountKind.SERVICE),
    ("svcVeeam", {}, AccountKind.SERVICE),
    ("sa-print", {}, AccountKind.SERVICE),
    ("sql-svc", {}, AccountKind.SERVICE),
    ("MSOL_1a2b3c", {}, AccountKind.SERVICE),
    ("reports", {"ServicePrincipalNames": "MSSQLSvc/sql01:1433"}, AccountKind.SERVICE),
    ("reports", {"DistinguishedName": "CN=reports,OU=Service Accounts,DC=x"},
     AccountKind.SERVICE),
    ("reports", {"Description": "Service account for the SSRS reports"}, AccountKind.SERVICE),
    ("bg-admin1", {"Description": "Break glass - sealed envelope in the safe"},
     AccountKind.BREAK_GLASS),
    ("breakglass01", {}, AccountKind.BREAK_GLASS),
    ("emergency", {"Description": "Emergency access account"}, AccountKind.BREAK_GLASS),
    ("ext_civica", {}, AccountKind.SUPPLIER),
    ("acme.support", {"Description": "Supplier: Acme remote support"}, AccountKind.SUPPLIER),
    ("acme", {"DistinguishedName": "CN=acme,OU=Third Party,DC=x"}, AccountKind.SUPPLIER),
    ("Administrator", {}, AccountKind.ROOT),
    ("renamed-admin", {"Description": "Built-in account for administering the computer/domain"},
     AccountKind.ROOT),
    ("j.service", {"Description": "Service desk analyst"}, AccountKind.HUMAN),
    ("sarah.jones", {}, AccountKind.HUMAN),
    ("svc_looks_like_service", {"Kind": "human"}, AccountKind.HUMAN),
    ("alice", {"Kind": "Break-Glass"}, AccountKind.BREAK_GLASS),
])
def test_kind_rules(sam, extra, kind):
    columns = ["SamAccountName", "Enabled", "LastLogonDate", *extra]
    values = [sam, "True", "", *extra.values()]
    text = ",".join(columns) + "\n" + ",".join(f'"{v}"' for v in values) + "\n"
    assert by_sam(text)[sam].kind == kind


def test_mfa_column():
    got = by_sam("SamAccountName,Enabled,LastLogonDate,MFA\na,True,,Yes\nb,True,,false\nc,True,,\n")
    assert (got["a"].mfa, got["b"].mfa, got["c"].mfa) == (True, False, None)


def test_manager_becomes_owner():
    text = ('SamAccountName,Enabled,LastLogonDate,Manager\n'
            'a,True,,"CN=Okafor\\, Daniel,OU=Staff,DC=x"\n')
    assert by_sam(text)["a"].owner == "Okafor, Daniel"


def test_ambiguous_dates_need_date_order():
    text = "SamAccountName,Enabled,LastLogonDate\na,True,03/04/2020 10:00\n"
    err = error(text)
    assert err.line == 2 and "date_order" in str(err)
    assert by_sam(text, date_order="dmy")["a"].last_used.month == 4
    assert by_sam(text, date_order="mdy")["a"].last_used.month == 3
    # One unambiguous date settles the whole file.
    settled = text + "b,True,25/12/2020 10:00\n"
    assert by_sam(settled)["a"].last_used.month == 4


def test_same_day_and_month_is_not_ambiguous():
    text = "SamAccountName,Enabled,LastLogonDate\na,True,05/05/2020 10:00\n"
    assert by_sam(text)["a"].last_used == datetime(2020, 5, 5, 10, 0, tzinfo=UTC)


def test_dotted_dates_are_day_first():
    text = "SamAccountName,Enabled,LastLogonDate\na,True,03.04.2020 10:00:00\n"
    assert by_sam(text)["a"].last_used.month == 4


def test_account_id_escapes_whitespace():
    assert account_id("corp", "first last") == "corp/first%20last"
    assert by_sam("SamAccountName,Enabled,LastLogonDate\nfirst last,True,\n")


@pytest.mark.parametrize("text,line,needles", [
    ("", None, ["empty"]),
    ("#TYPE Microsoft.ActiveDirectory.Management.ADUser\n", None, ["empty"]),
    ("Name,Enabled\nJohn,True\n", 1,
     ["SamAccountName", "LastLogonDate", "found enabled, name"]),
    ("SamAccountName,LastLogonDate\nj,\n", 1, ["Enabled (or userAccountControl)"]),
    ("SamAccountName,Enabled\nj,True\n", 1, ["LastLogonDate (or lastLogonTimestamp)"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,yesterday\n", 2, ["LastLogonDate",
                                                                     "yesterday"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,31/31/2020\n", 2, ["31/31/2020"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,10/14/2020\nk,True,14/10/2020\n", 3,
     ["day-first", "month-first"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,13:00 PM 1/1/2020\n", 2, ["13:00"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,1/2/2020 13:00 PM\n", 2, ["1/2/2020"]),
    ("SamAccountName,Enabled,lastLogonTimestamp\nj,True,999999999999999999999\n", 2,
     ["lastLogonTimestamp"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,maybe,\n", 2, ["Enabled", "maybe"]),
    ("SamAccountName,Enabled,LastLogonDate,adminCount\nj,True,,one\n", 2, ["adminCount"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True\n", 2, ["2 values", "3 columns"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,,extra\n", 2, ["4 values"]),
    ("SamAccountName,Enabled,LastLogonDate\nj,True,\nJ,False,\n", 3,
     ["appears twice", "line 2"]),
    ("SamAccountName,Enabled,LastLogonDate\n,True,\n", 2, ["empty SamAccountName"]),
    ("SamAccountName,Enabled,LastLogonDate,Kind\nj,True,,robot\n", 2, ["robot"]),
    ("SamAccountName,Enabled,Enabled,LastLogonDate\nj,True,True,\n", 1, ["twice"]),
    ('SamAccountName,Enabled,LastLogonDate\nj,True,"unclosed\n', 2, ["CSV"]),
    ("SamAccountName,Enabled,LastLogonDate\nj\x00,True,\n", None, ["NUL"]),
    (f"SamAccountName,Enabled,LastLogonDate\n{'x' * 600},True,\n", 2, ["cannot be read"]),
])
def test_bad_exports_name_file_and_line(text, line, needles):
    err = error(text)
    assert err.line == line, str(err)
    for needle in needles:
        assert needle in str(err), str(err)


def test_undecodable_bytes():
    data = b"SamAccountName,Enabled,LastLogonDate\nj\x81\x8d,True,\n"
    assert "UTF8" in str(error(data))


def test_bad_domain_id():
    with pytest.raises(InputError) as info:
        parse_export(AdExport(file="u.csv", domain="not a domain"), b"", "u.csv")
    assert "not a valid id" in str(info.value)


def test_missing_file(tmp_path):
    source = AdSource([(export(), tmp_path / "gone.csv")])
    with pytest.raises(InputError) as info:
        source.collect(NullProgress())
    assert info.value.path == str(tmp_path / "gone.csv") and "not found" in str(info.value)


def test_two_exports_of_one_domain_share_the_trust_domain(tmp_path):
    (tmp_path / "a.csv").write_text("SamAccountName,Enabled,LastLogonDate\na,True,\n")
    (tmp_path / "b.csv").write_text("SamAccountName,Enabled,LastLogonDate\nb,True,\n")
    estate = AdSource([(export(), tmp_path / "a.csv"),
                       (export(), tmp_path / "b.csv")]).collect(NullProgress())
    assert len(estate.accounts) == 2 and len(estate.trust_domains) == 1
    assert len(estate.sources) == 2


def test_demo_export_reads():
    from resilience.data import __file__ as data_init

    path = Path(data_init).parent / "demo" / "ad-users.csv"
    estate = AdSource([(export(), path)]).collect(NullProgress())
    kinds = {a.kind for a in estate.accounts}
    assert {AccountKind.HUMAN, AccountKind.SERVICE, AccountKind.SUPPLIER,
            AccountKind.BREAK_GLASS, AccountKind.ROOT} <= kinds
    assert len(estate.accounts) >= 60


@pytest.mark.slow
def test_cli_bad_ad_export(tmp_path):
    (tmp_path / "resilience.yaml").write_text(
        "sources:\n  ad:\n    - {file: users.csv, domain: corp.local}\n")
    (tmp_path / "users.csv").write_text(
        "SamAccountName,Enabled,LastLogonDate\nj,True,2026-11-01\nk,True,someday\n")
    assert_clean_error(run_cli("check", cwd=tmp_path), "users.csv:3", "someday")
    (tmp_path / "users.csv").write_text("Name,Mail\nJohn,j@example.org\n")
    assert_clean_error(run_cli("check", cwd=tmp_path), "users.csv:1", "SamAccountName")


def test_config_paths_for_group_members_are_relative_to_the_config(tmp_path):
    from resilience.pipeline import EstateRequest, load_estate

    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "users.csv").write_text("SamAccountName,Enabled,LastLogonDate\nops,True,\n")
    (exports / "priv.csv").write_text("Group,SamAccountName\nDomain Admins,ops\n")
    (tmp_path / "resilience.yaml").write_text(
        "sources:\n  ad:\n    - file: exports/users.csv\n      domain: corp.local\n"
        "      group_members: exports/priv.csv\n")
    estate = load_estate(EstateRequest(config=tmp_path / "resilience.yaml")).estate
    (acct,) = estate.accounts
    assert acct.id == "corp.local/ops" and acct.privileged is True
