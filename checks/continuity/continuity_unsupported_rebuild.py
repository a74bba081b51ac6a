"""Unsupported systems have a documented way to rebuild them."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityUnsupportedRebuild(Check):
    meta = CheckMeta(
        id="continuity_unsupported_rebuild",
        title="Unsupported systems can be rebuilt",
        domain=Domain.CONTINUITY,
        severity=Severity.CRITICAL,
        rationale=(
            "Data from a backup is useless without something to restore it into. Some of the "
            "British Library's legacy systems could not be restored because the vendor no longer "
            "supported them or they would not run on the new infrastructure; Hackney's "
            "Universal Housing was replaced, years later, instead of restored."
        ),
        remediation=(
            "For each system past its end of support, document and test a rebuild (installation "
            "media, licences, images, configuration) or bring its replacement forward."
        ),
        lessons=["british-library-2023", "hackney-2020"],
        frameworks=FrameworkRefs(caf=["B5.a", "A3.a"], nist_csf=["ID.AM-08", "RC.RP-02"],
                                 cis=["2.2", "11.1"], iso27001=["A.5.30", "A.8.8"]),
        needs=[DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            eos = system.end_of_support
            if eos is None or eos > ctx.now:
                continue
            since = f"Out of support since {eos.date()}"
            if system.rebuild_documented is True:
                yield self.passed(ctx, system, f"{since}; a rebuild path is documented.")
            elif system.rebuild_documented is False:
                yield self.failed(ctx, system, f"{since}, and no way to rebuild it is documented.")
            else:
                yield self.errored(ctx, system, f"{since}; whether it can be rebuilt is not "
                                   "known.")
