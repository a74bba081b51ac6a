"""Shared logic for identity checks: account state, MFA as far as it is known, provider steps.

Modules starting with an underscore are not checks; the registry skips them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

from resilience.engine.interface import Check, CheckContext, Finding, make_finding
from resilience.model import Account, Provider, Status


class IdentityCheck(Check):
    """A check over accounts or trust domains (findings carry the provider's remediation step)."""


def may_sign_in(account: Account) -> bool:
    """False only when the account is known to be disabled (unknown counts as enabled)."""
    return account.enabled is not False


def mfa_state(ctx: CheckContext, account: Account) -> tuple[bool | None, str]:
    """Whether the account signs in with MFA, and how we know.

    The account's own flag wins; otherwise a trust domain that enforces MFA for everyone
    (e.g. an Entra ID conditional-access policy) counts as MFA.
    """
    if account.mfa is not None:
        return account.mfa, "MFA is registered" if account.mfa else "no MFA is registered"
    domain = ctx.estate.trust_domain_by_id.get(account.trust_domain or "")
    if domain is not None and domain.mfa_enforced:
        return True, f"MFA is enforced for all of trust domain '{domain.id}'"
    return None, "its MFA status is not known"


def mfa_required(ctx: CheckContext, scope: str) -> bool:
    """Whether the policy's ``identity.mfa_required_for`` covers ``scope``."""
    wanted = ctx.policy.identity.mfa_required_for
    return "all" in wanted or scope in wanted


# From this many accounts of one trust domain with the same unknown, one finding speaks for
# them all: an AD export cannot say who has console or backup rights, and 300 identical
# "cannot judge" lines hide the findings that matter.
GROUP_FROM = 3
# How many of a group's accounts a finding names.
_EXAMPLES = 3


class UnknownScope:
    """Accounts a check cannot judge only because nothing says whether they are in its scope.

    Add them as they come (with the message each would get on its own); ``findings()`` then
    yields one ``error`` per trust domain that has at least ``GROUP_FROM`` of them, naming the
    count and a few examples, and the usual per-account errors for smaller groups. The finding
    is about the trust domain when it is declared, otherwise about the group's first account.
    Nothing here ever passes: an unknown stays an error, just a single one.
    """

    def __init__(self, check: Check, ctx: CheckContext, question: str,
                 noun: str = "accounts") -> None:
        self.check, self.ctx = check, ctx
        self.question, self.noun = question, noun  # "Cannot tell whether {n} {noun} {question}"
        self._groups: dict[str | None, list[tuple[Account, str, str | None]]] = {}

    def add(self, account: Account, message: str, note: str | None = None) -> None:
        """Hold back ``account``; ``note`` sorts it within the group (e.g. 'have no MFA')."""
        self._groups.setdefault(account.trust_domain, []).append((account, message, note))

    def findings(self) -> Iterator[Finding]:
        for domain_id, members in self._groups.items():
            if len(members) < GROUP_FROM:
                for account, message, _note in members:
                    yield self.check.errored(self.ctx, account, message)
                continue
            members.sort(key=lambda m: (m[0].privileged is not True, m[0].id))
            domain = self.ctx.estate.trust_domain_by_id.get(domain_id or "")
            asset = domain if domain is not None else members[0][0]
            yield make_finding(self.check.meta, self.ctx, asset, Status.ERROR,
                               self._message(domain_id, [m[0] for m in members],
                                             [m[2] for m in members]))

    def _message(self, domain_id: str | None, accounts: list[Account],
                 notes: list[str | None]) -> str:
        where = (f"of trust domain '{domain_id}'" if domain_id
                 else "whose trust domain is not recorded")
        why = (" An AD export cannot tell."
               if all(a.source == Provider.AD for a in accounts) else "")
        counted = [f"{k} {n}" for n, k in Counter(n for n in notes if n).most_common()]
        detail = ""
        if len(counted) == 1 and all(notes):
            detail = f"; all {notes[0]}"
        elif counted:
            detail = "; " + (f"{', '.join(counted[:-1])} and {counted[-1]}"
                             if len(counted) > 1 else counted[0])
        named = [f"'{_short_name(a, domain_id)}'" for a in accounts[:_EXAMPLES]]
        more = len(accounts) - len(named)
        examples = ", ".join(named) + (f" and {more} more" if more else "")
        return (f"Cannot tell whether {len(accounts)} {self.noun} {where} {self.question}"
                f"{detail}: {examples}.{why}")


def _short_name(account: Account, domain_id: str | None) -> str:
    """The account as people know it: 'jsmith' rather than 'corp.local/jsmith'."""
    prefix = f"{domain_id}/" if domain_id else ""
    if prefix and account.id.startswith(prefix):
        return account.id[len(prefix):]
    return account.name if len(account.id) > 40 else account.id


def evaluate_mfa(check: Check, ctx: CheckContext, scope: str, what: str,
                 in_scope: Callable[[Account], bool | None], *,
                 question: str) -> Iterator[Finding]:
    """MFA for every account that may sign in and is (or may be) in ``scope``.

    ``in_scope`` returns True, False, or None when the account's data cannot tell; an account
    that might be in scope and is not known to use MFA is an error, never a pass. Those whose
    scope alone is unknown are reported together per trust domain (see ``UnknownScope``), with
    ``question`` saying what is unknown, e.g. 'can log on remotely'.
    """
    if not mfa_required(ctx, scope):
        return
    unknown = UnknownScope(check, ctx, question)
    for account in ctx.estate.accounts:
        if not may_sign_in(account):
            continue
        scoped = in_scope(account)
        if scoped is False:
            continue
        mfa, how = mfa_state(ctx, account)
        if mfa:
            yield check.passed(ctx, account, f"{what.capitalize()}: {how}.")
        elif scoped is None:
            unknown.add(account, f"Cannot tell whether this is {what}, and {how}.",
                        "without MFA" if mfa is False else "with an unknown MFA status")
        elif mfa is None:
            yield check.errored(ctx, account, f"This is {what}, but {how}.")
        else:
            yield check.failed(ctx, account, f"This is {what} and {how}.")
    yield from unknown.findings()


def age_text(age: timedelta) -> str:
    """A person-friendly age: '1 day', '412 days', '7 years' (whole years from two years on)."""
    days = age.days
    if days < 1:
        return "less than a day"
    if days < 2 * 365:
        return "1 day" if days == 1 else f"{days} days"
    return f"{int(days // 365.25)} years"
