"""Which backup copies survive a scenario, and why; and which surviving copy to restore from."""

from __future__ import annotations

from operator import itemgetter

from resilience.model import BackupCopy, System
from resilience.model.construct import construct, maker
from resilience.scenarios.interface import (
    BackupFlag,
    BackupRule,
    CopyOutcome,
    Scenario,
    Unknown,
)
from resilience.scenarios.matching import Bound, bind, evaluate

_make_copy_outcome = maker(CopyOutcome)
_LABEL = {"trust_domain": "trust domain", "tool": "backup tool", "kind": "copy kind",
          "system": "system", "id": "copy"}
_FLAG_WORDS = {
    BackupFlag.IMMUTABLE: "immutable: it cannot be deleted or changed before its retention ends",
    BackupFlag.OFFLINE: "offline: nothing on the network can reach it",
    BackupFlag.AIR_GAPPED: "logically air-gapped: held outside your own credentials",
    BackupFlag.DELETION_APPROVAL: "deleting it needs a second person's approval",
}


def copy_field(copy: BackupCopy, system: System | None, name: str) -> str | None:
    """A copy's value for a rule field. Where it lives defaults to where its system lives, except
    that an offsite copy with no recorded site is somewhere unknown."""
    value = getattr(copy, name)
    if value is None and system is not None:
        if name == "site" and copy.offsite is not True:
            value = system.site
        elif name in ("region", "account"):
            value = getattr(system, name)
    return None if value is None else getattr(value, "value", value)


def _flag(copy: BackupCopy, flag: BackupFlag) -> bool:
    return {
        BackupFlag.IMMUTABLE: copy.immutable,
        BackupFlag.OFFLINE: copy.offline,
        BackupFlag.AIR_GAPPED: copy.logically_air_gapped,
        BackupFlag.DELETION_APPROVAL: copy.deletion_approval,
    }[flag] is True


def where_is(copy: BackupCopy, system: System | None) -> str:
    """Plain words for where a copy lives."""
    parts = []
    for name, label in (("site", "site"), ("region", "region"), ("account", "account")):
        value = copy_field(copy, system, name)
        if value:
            parts.append(f"{label} {value}")
    if copy.offline:
        parts.append("offline")
    return ", ".join(parts) or "location not recorded"


def judge_copy(copy: BackupCopy, system: System | None, scenario: Scenario,
               params: dict[str, str], rules: list[tuple[BackupRule, Bound]] | None = None
               ) -> CopyOutcome:
    """Whether one copy survives, and the reason in plain words with a machine code."""
    if rules is None:
        rules = [(rule, bind(rule.when, params)) for rule in scenario.backups]
    def out(survives: bool, reason: str, code: str, assumed: bool = False) -> CopyOutcome:
        # Built from validated estate data: skip re-validation (it dominates on large estates).
        return construct(CopyOutcome,
            id=copy.id, system=copy.system, survives=survives, reason=reason, code=code,
            assumed=assumed, where=where_is(copy, system), tool=copy.tool,
            trust_domain=copy.trust_domain, last_success=copy.last_success,
            restore_test_duration=copy.restore_test_duration,
            restore_test_passed=copy.restore_test_passed,
        )

    first_miss = None
    for rule, bound in rules:
        result = evaluate(bound, lambda n: copy_field(copy, system, n))
        if not result.matched:
            first_miss = first_miss or result
            continue
        if result.unknown and rule.if_unknown is Unknown.SPARED:
            continue
        spared = [f for f in rule.unless if _flag(copy, f)]
        if spared:
            return out(True, f"survives: {_FLAG_WORDS[spared[0]]}", spared[0].value)
        field = (result.matched_fields or result.unknown)[0]
        reason = f"lost: {rule.because}"
        if result.unknown:
            missing = ", ".join(_LABEL.get(u, u) for u in result.unknown)
            reason += f" (its {missing} is not recorded: assumed reachable)"
        unset = [f.value for f in rule.unless if getattr(copy, _attr(f)) is None]
        if unset:
            reason += (f"; {' and '.join(unset)} {'is' if len(unset) == 1 else 'are'} not "
                       "recorded, so cannot be counted on")
        code = _lost_code(field)
        return out(False, reason, code, assumed=bool(result.unknown))
    if first_miss is not None and first_miss.mismatch:
        label = _LABEL.get(first_miss.mismatch, first_miss.mismatch)
        return out(True, f"survives: in {label} {first_miss.mismatch_value}, out of the "
                         "scenario's reach", f"other-{first_miss.mismatch.replace('_', '-')}")
    return out(True, "survives: this scenario does not reach backup copies", "not-targeted")


def _attr(flag: BackupFlag) -> str:
    return "logically_air_gapped" if flag is BackupFlag.AIR_GAPPED else flag.value


def _lost_code(field: str) -> str:
    return {"trust_domain": "same-trust-domain", "site": "same-site", "region": "same-region",
            "account": "same-account", "system": "same-system"}.get(field, "not-isolated")


class CopyJudge:
    """Judges copies for one scenario run, each distinct situation once.

    A copy's verdict and where it lives depend only on a few of its fields and on where its
    system lives, and an estate repeats the same few combinations across thousands of copies:
    each combination goes through ``judge_copy`` once, and every other copy in it only gets its
    own outcome built."""

    def __init__(self, scenario: Scenario, params: dict[str, str]) -> None:
        self._scenario = scenario
        self._params = params
        self._rules = [(rule, bind(rule.when, params)) for rule in scenario.backups]
        # Everything judge_copy reads of a copy: where it lives (site, region, account, offsite,
        # offline), the other fields the rules name, and the flags that can spare it.
        read = ["site", "region", "account", "offsite", "offline"]
        read += sorted({name for _, bound in self._rules for name, _ in bound} - set(read))
        read += sorted({_attr(flag) for rule, _ in self._rules for flag in rule.unless}
                       - set(read))
        self._own = itemgetter(*read)
        self._verdicts: dict[tuple, tuple[bool, str, str, bool, str]] = {}

    def judge(self, copies: list[BackupCopy], system: System | None) -> list[CopyOutcome]:
        """The outcomes of ``copies``, all of them copies of ``system``."""
        place = None if system is None else (system.site, system.region, system.account)
        own, verdicts, out = self._own, self._verdicts, []
        for copy in copies:
            fields = copy.__dict__  # the validated values; read directly, as it is faster
            key = (own(fields), place)
            verdict = verdicts.get(key)
            if verdict is None:
                judged = judge_copy(copy, system, self._scenario, self._params, self._rules)
                verdict = verdicts[key] = (judged.survives, judged.reason, judged.code,
                                           judged.assumed, judged.where)
            out.append(_make_copy_outcome(
                id=fields["id"], system=fields["system"], survives=verdict[0],
                reason=verdict[1], code=verdict[2], assumed=verdict[3], where=verdict[4],
                tool=fields["tool"], trust_domain=fields["trust_domain"],
                last_success=fields["last_success"],
                restore_test_duration=fields["restore_test_duration"],
                restore_test_passed=fields["restore_test_passed"],
            ))
        return out


def best_copy(copies: list[CopyOutcome]) -> CopyOutcome | None:
    """The surviving copy to restore from: a passed restore test first, then the newest."""
    alive = [c for c in copies if c.survives]
    if not alive:
        return None

    def key(c: CopyOutcome):
        tested = c.restore_test_passed is True
        stamp = -c.last_success.timestamp() if c.last_success else float("inf")
        return (not tested, c.restore_test_passed is False, stamp, c.id)

    return sorted(alive, key=key)[0]
