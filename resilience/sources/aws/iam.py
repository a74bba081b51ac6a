"""IAM: the credential report, admin and backup-admin rights, the password policy; no secrets."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterable
from datetime import timedelta
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from resilience.model import AccessKey, Account, AccountKind, DataKind, PasswordPolicy, Provider
from resilience.model.timeutil import to_utc
from resilience.sources.aws.common import Scope, error_code, pages
from resilience.sources.aws.facts import Facts
from resilience.sources.aws.failures import gap_for
from resilience.sources.aws.fanout import Result
from resilience.sources.aws.mapping import account_domain, tag_dict, trust_domain_id

ADMIN_POLICIES = {"AdministratorAccess", "IAMFullAccess", "PowerUserAccess",
                  "AWSOrganizationsFullAccess"}
BACKUP_ADMIN_POLICIES = {"AdministratorAccess", "PowerUserAccess", "AWSBackupFullAccess"}
# Concrete actions that let a principal give itself any right: holding one is being an admin.
_ADMIN_ACTIONS = ("iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachRolePolicy",
                  "iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy",
                  "iam:AddUserToGroup")
_BACKUP_DELETE = ("backup:DeleteRecoveryPoint", "backup:DeleteBackupVault",
                  "backup:UpdateRecoveryPointLifecycle",
                  "backup:DeleteBackupVaultLockConfiguration", "backup:DeleteBackupPlan")
_UNKNOWN = {"", "N/A", "no_information", "not_supported"}
REPORT_WAIT_SECONDS = 60


def _when(value: str | None):
    return None if value is None or value in _UNKNOWN else to_utc(value)


def _flag(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get((value or "").lower())


def _doc(doc: Any) -> dict[str, Any]:
    if isinstance(doc, str):
        try:
            return json.loads(unquote(doc))
        except ValueError:
            return {}
    return doc or {}


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _grants(docs: Iterable[Any], wanted: tuple[str, ...]) -> bool:
    """Whether any Allow statement on resource ``*`` grants an action covering one of ``wanted``."""
    for doc in docs:
        for st in _listify(_doc(doc).get("Statement") or []):
            if not isinstance(st, dict) or st.get("Effect") != "Allow":
                continue
            if "*" not in _listify(st.get("Resource", [])):
                continue
            if "Action" in st:
                patterns = [str(a).lower() for a in _listify(st["Action"])]
                if any(fnmatchcase(w.lower(), p) for w in wanted for p in patterns):
                    return True
            elif "NotAction" in st:
                excluded = [str(a).lower() for a in _listify(st["NotAction"])]
                if any(not any(fnmatchcase(w.lower(), p) for p in excluded) for w in wanted):
                    return True
    return False


class _Rights:
    """Who is an admin or a backup admin, from GetAccountAuthorizationDetails."""

    def __init__(self, iam: Any):
        self.users: dict[str, dict[str, Any]] = {}
        groups: dict[str, dict[str, Any]] = {}
        self.local: dict[str, Any] = {}
        for page in iam.get_paginator("get_account_authorization_details").paginate(
                Filter=["User", "Group", "LocalManagedPolicy"]):
            for u in page.get("UserDetailList", []):
                self.users[u["UserName"]] = u
            for g in page.get("GroupDetailList", []):
                groups[g["GroupName"]] = g
            for p in page.get("Policies", []):
                default = next((v for v in p.get("PolicyVersionList", [])
                                if v.get("IsDefaultVersion")), None)
                self.local[p["Arn"]] = default.get("Document") if default else None
        self.groups = groups

    def _attached_and_inline(self, user: dict[str, Any]) -> tuple[list[dict], list[Any]]:
        attached = list(user.get("AttachedManagedPolicies") or [])
        inline = [p.get("PolicyDocument") for p in user.get("UserPolicyList") or []]
        for name in user.get("GroupList") or []:
            g = self.groups.get(name) or {}
            attached += g.get("AttachedManagedPolicies") or []
            inline += [p.get("PolicyDocument") for p in g.get("GroupPolicyList") or []]
        return attached, inline

    def owner(self, name: str, tag_key: str) -> str | None:
        user = self.users.get(name) or {}
        return (tag_dict(user.get("Tags")).get(tag_key) or "").strip() or None

    def of(self, name: str) -> tuple[bool | None, bool | None, list[str]]:
        user = self.users.get(name)
        if user is None:
            return None, None, []
        attached, inline = self._attached_and_inline(user)
        names = {p.get("PolicyName") for p in attached}
        docs = inline + [self.local.get(p.get("PolicyArn")) for p in attached
                         if p.get("PolicyArn") in self.local]
        privileged = bool(names & ADMIN_POLICIES) or _grants(docs, _ADMIN_ACTIONS)
        backup_admin = bool(names & BACKUP_ADMIN_POLICIES) or _grants(docs, _BACKUP_DELETE)
        return privileged, backup_admin, list(user.get("GroupList") or [])


def _credential_report(iam: Any) -> list[dict[str, str]]:
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    delay = 0.5
    while iam.generate_credential_report().get("State") != "COMPLETE":
        if time.monotonic() > deadline:
            raise TimeoutError("the IAM credential report was not ready within "
                               f"{REPORT_WAIT_SECONDS} s")
        time.sleep(delay)
        delay = min(delay * 2, 4)
    content = iam.get_credential_report()["Content"]
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return list(csv.DictReader(io.StringIO(text)))


def _keys(row: dict[str, str], owner: str) -> list[AccessKey]:
    keys = []
    for n in (1, 2):
        rotated = row.get(f"access_key_{n}_last_rotated")
        active = _flag(row.get(f"access_key_{n}_active"))
        if active is None or (rotated in _UNKNOWN and not active):
            continue
        # Only the key slot is kept: never the key id or secret.
        keys.append(AccessKey(id=f"{owner}:access-key-{n}", active=active, created=_when(rotated),
                              last_used=_when(row.get(f"access_key_{n}_last_used_date"))))
    return keys


def _account(row: dict[str, str], scope: Scope, rights: _Rights | None) -> Account:
    name = row.get("user", "")
    root = name == "<root_account>"
    keys = _keys(row, "root" if root else name)
    password = _flag(row.get("password_enabled"))
    used = [t for t in [_when(row.get("password_last_used")), *(k.last_used for k in keys)] if t]
    common: dict[str, Any] = dict(
        source=Provider.AWS, trust_domain=trust_domain_id(scope.account),
        mfa=_flag(row.get("mfa_active")), last_used=max(used) if used else None,
        created=_when(row.get("user_creation_time")),
        password_last_set=_when(row.get("password_last_changed")), access_keys=keys,
    )
    if root:
        console = password is not False
        return Account(id=row.get("arn") or f"arn:{scope.partition}:iam::{scope.account}:root",
                       name=f"root ({scope.account})", kind=AccountKind.ROOT, privileged=True,
                       backup_admin=True, console_access=console, remote_access=console,
                       enabled=True, **common)
    privileged, backup_admin, groups = rights.of(name) if rights else (None, None, [])
    any_key = any(k.active for k in keys)
    kind = AccountKind.HUMAN if password or not any_key else AccountKind.SERVICE
    never = None
    if password:
        never = row.get("password_next_rotation") in _UNKNOWN
    # The console is reachable from anywhere: a console password is remote interactive access.
    return Account(id=row.get("arn") or f"arn:{scope.partition}:iam::{scope.account}:user/{name}",
                   name=name, kind=kind, privileged=privileged, backup_admin=backup_admin,
                   console_access=password, remote_access=password,
                   enabled=bool(password or any_key), password_never_expires=never,
                   owner=rights.owner(name, scope.keys.owner) if rights else None,
                   groups=groups, **common)


def _password_policy(iam: Any) -> PasswordPolicy:
    try:
        p = iam.get_account_password_policy()["PasswordPolicy"]
    except ClientError as exc:
        if error_code(exc) != "NoSuchEntity":
            raise
        # No custom policy: AWS's default applies (8 characters, three of four character types).
        return PasswordPolicy(min_length=8, complexity=True)
    complexity = all(p.get(k) for k in ("RequireSymbols", "RequireNumbers",
                                       "RequireUppercaseCharacters", "RequireLowercaseCharacters"))
    expires = p.get("ExpirePasswords", bool(p.get("MaxPasswordAge")))
    max_age = p.get("MaxPasswordAge") if expires else None
    return PasswordPolicy(min_length=p.get("MinimumPasswordLength"),
                          max_age=timedelta(days=max_age) if max_age else None,
                          reuse_prevention=p.get("PasswordReusePrevention"), complexity=complexity)


def _root_from_summary(iam: Any, scope: Scope) -> Account:
    """When the report has no root row: MFA and key presence from the account summary."""
    summary = iam.get_account_summary().get("SummaryMap") or {}
    keys = []
    if summary.get("AccountAccessKeysPresent"):
        keys.append(AccessKey(id="root:access-key", active=True))
    return Account(id=f"arn:{scope.partition}:iam::{scope.account}:root",
                   name=f"root ({scope.account})", source=Provider.AWS,
                   trust_domain=trust_domain_id(scope.account), kind=AccountKind.ROOT,
                   privileged=True, backup_admin=True, console_access=True, remote_access=True,
                   enabled=True, mfa=bool(summary.get("AccountMFAEnabled")), access_keys=keys)


def collect_iam(scope: Scope) -> Result:
    """Each part on its own: a denied part is a narrower gap, and the rest is still read."""
    iam = scope.client("iam")
    facts = Facts()

    def attempt(fn, kinds: tuple[DataKind, ...] | None, what: str):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - becomes a gap for just this part
            if kinds:
                facts.gaps.append(gap_for(exc, account=scope.account, region=None,
                                          service="iam", kinds=kinds, detail=what))
            return None

    # the alias only names the account: without it nothing is missing that a check needs
    aliases = attempt(lambda: list(pages(iam, "list_account_aliases", "AccountAliases")),
                      None, "account alias") or []
    policy = attempt(lambda: _password_policy(iam), (DataKind.IDENTITY_SETTINGS,),
                     "password policy")
    facts.trust_domains.append(account_domain(scope.account, aliases[0] if aliases else None,
                                              password_policy=policy))
    rights = attempt(lambda: _Rights(iam), (DataKind.ACCOUNTS,),
                     "admin and backup-admin rights (GetAccountAuthorizationDetails)")
    rows = attempt(lambda: _credential_report(iam), (DataKind.ACCOUNTS,), "credential report")
    if rows is None:
        return Result(facts)
    facts.accounts = [_account(row, scope, rights) for row in rows]
    if not any(a.kind == AccountKind.ROOT for a in facts.accounts):
        root = attempt(lambda: _root_from_summary(iam, scope), (DataKind.ACCOUNTS,),
                       "root account summary")
        if root is not None:
            facts.accounts.append(root)
    return Result(facts)
