"""The AWS source: plan accounts and regions, fan the collectors out, map the facts to an Estate."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from resilience.config import AwsSettings, TagKeys
from resilience.model import DataKind, Estate, Provider, SourceRun
from resilience.model.timeutil import utcnow
from resilience.sources.aws import backup, dlm, dynamodb, ec2, efs, iam, rds, s3
from resilience.sources.aws.accounts import Target, plan_targets
from resilience.sources.aws.common import BACKUP_KINDS, IDENTITY_KINDS, SYSTEM_KINDS, Scope
from resilience.sources.aws.facts import Facts
from resilience.sources.aws.fanout import Result, Unit, run_units
from resilience.sources.aws.mapping import account_domain, backup_copies
from resilience.sources.aws.session import SessionHook, caller_session
from resilience.sources.interface import Progress, Source

PROVIDED = [DataKind.SYSTEMS, DataKind.BACKUPS, DataKind.ACCOUNTS, DataKind.IDENTITY_SETTINGS]

# (service name in gaps, kinds a failure hides, collector) for each region of each account
REGIONAL: list[tuple[str, tuple[DataKind, ...], Callable[[Scope], Result]]] = [
    ("ec2", SYSTEM_KINDS, ec2.collect_compute),
    ("ec2", BACKUP_KINDS, ec2.collect_snapshots),
    ("rds", SYSTEM_KINDS, rds.collect_rds),
    ("dynamodb", SYSTEM_KINDS, dynamodb.collect_dynamodb),
    ("efs", SYSTEM_KINDS, efs.collect_efs),
    ("backup", BACKUP_KINDS, backup.collect_backup),
    ("dlm", BACKUP_KINDS, dlm.collect_dlm),
]
# once per account
GLOBAL: list[tuple[str, tuple[DataKind, ...], Callable[[Scope], Result]]] = [
    ("iam", IDENTITY_KINDS, iam.collect_iam),
    ("s3", SYSTEM_KINDS, s3.collect_s3),
]


def units_for(target: Target, keys: TagKeys, regions_filter: tuple[str, ...]) -> list[Unit]:
    """Every initial unit of one account: its global services, then each region's services."""
    account = target.session.account_id
    out = []
    for service, kinds, fn in GLOBAL:
        scope = Scope(target.session, None, keys, regions_filter)
        out.append(Unit(account, None, service, kinds, (lambda fn=fn, scope=scope: fn(scope))))
    for region in target.regions:
        scope = Scope(target.session, region, keys, regions_filter)
        for service, kinds, fn in REGIONAL:
            out.append(Unit(account, region, service, kinds,
                            (lambda fn=fn, scope=scope: fn(scope))))
    return out


def assemble(facts: Facts, accounts: list[str], collected_at=None) -> Estate:
    """Join the facts into a partial Estate (systems, copies, accounts, trust domains, gaps)."""
    now = collected_at or utcnow()
    systems = {}
    for res in facts.resources:
        systems.setdefault(res.system.id, res.system)
    copies = backup_copies(facts, now)
    people = {}
    for acct in facts.accounts:
        people.setdefault(acct.id, acct)
    domains = {d.id: d for d in facts.trust_domains}
    for account in accounts:
        domains.setdefault(account_domain(account).id, account_domain(account))
    for copy in copies:
        if copy.trust_domain and copy.trust_domain not in domains and copy.account:
            domains[copy.trust_domain] = account_domain(copy.account, "not collected")
    runs = [SourceRun(provider=Provider.AWS, scope=f"aws:{a}", collected_at=now, kinds=PROVIDED)
            for a in accounts]
    return Estate(collected_at=now, sources=runs, systems=list(systems.values()), backups=copies,
                  accounts=list(people.values()), trust_domains=list(domains.values()),
                  gaps=facts.gaps)


# Allocations between young-generation collections during a collection (CPython's default: 700).
YOUNG_THRESHOLD = 100_000


@contextmanager
def _heap_set_aside() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that exist before collection starts.

    Collection allocates heavily (clients, requests, parsed responses), so CPython runs a full
    collection once or twice a run, and each one walks every tracked object in the process
    (about 240,000 once botocore's models are loaded): 300 ms apiece under the GIL, a quarter of
    a collection's CPU (bench/aws_fanout.py). Those objects are frozen for the run and handed
    back afterwards (any of them that became cyclic garbage is reclaimed then; the pipeline
    freezes the finished estate the same way). The young generation is also collected far less
    often (once per 100,000 allocations rather than 700): the ~90 clients' event tables (about
    1,000 objects each) live for the whole run, and the default threshold made CPython walk
    them again some 150 times a run (0.2 s; 0.1 s with this threshold). Cyclic garbage is still
    collected, in bigger and rarer batches.
    """
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:  # else the process keeps a frozen heap on purpose: leave it so
            gc.unfreeze()


class AwsSource(Source):
    """Reads AWS accounts read-only with boto3 (standard credential chain and AWS_* settings)."""

    provider = Provider.AWS

    def __init__(self, settings: AwsSettings, tags: TagKeys, *,
                 session_hook: SessionHook | None = None):
        self.settings = settings
        self.tags = tags
        self.session_hook = session_hook

    def collect(self, progress: Progress) -> Estate:
        with _heap_set_aside():
            return self._collect(progress)

    def _collect(self, progress: Progress) -> Estate:
        caller = caller_session(self.settings, self.session_hook)
        plan = plan_targets(caller, self.settings, self.session_hook)
        regions = sum(len(t.regions) for t in plan.targets)
        progress.note(f"aws: reading {len(plan.targets)} account(s), {regions} account-region(s), "
                      f"{self.settings.concurrency} calls at a time")
        units = [u for t in plan.targets
                 for u in units_for(t, self.tags, tuple(self.settings.regions))]
        # every account's global units first: their follow-ups (one per bucket) are the longest
        # chains, so they should not start behind every regional unit of the other accounts
        units.sort(key=lambda u: u.region is not None)
        facts = run_units(units, self.settings.concurrency, progress)
        facts.gaps[:0] = plan.gaps
        for gap in plan.gaps:
            progress.note(f"aws: {gap.scope}: {gap.reason}")
        return assemble(facts, [t.session.account_id for t in plan.targets])
