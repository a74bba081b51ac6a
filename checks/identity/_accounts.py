"""Shared logic for identity checks: account state, MFA as far as it is known, provider steps.

Modules starting with an underscore are not checks; the registry skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from resilience.durations import format_duration
from resilience.engine.interface import Check, CheckContext, Finding
from resilience.model import Account


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


def evaluate_mfa(check: Check, ctx: CheckContext, scope: str, what: str,
                 in_scope: Callable[[Account], bool | None]) -> Iterator[Finding]:
    """MFA for every account that may sign in and is (or may be) in ``scope``.

    ``in_scope`` returns True, False, or None when the account's data cannot tell; an account
    that might be in scope and is not known to use MFA is an error, never a pass.
    """
    if not mfa_required(ctx, scope):
        return
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
            yield check.errored(ctx, account, f"Cannot tell whether this is {what}, and {how}.")
        elif mfa is None:
            yield check.errored(ctx, account, f"This is {what}, but {how}.")
        else:
            yield check.failed(ctx, account, f"This is {what} and {how}.")


def age_text(age: timedelta) -> str:
    """A person-friendly age such as '412d'."""
    return format_duration(timedelta(days=max(0, age.days))) if age.days >= 1 else "less than 1d"
