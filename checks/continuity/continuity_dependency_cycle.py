"""Services and systems do not depend on each other in a circle."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


def cycles(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """For every node on a cycle, the members of its cycle (Tarjan's strongly connected
    components, iterative so deep estates do not hit the recursion limit)."""
    # Only a node with an edge to a node of the graph can be on a cycle, and most nodes of a
    # large estate depend on nothing: leave the others out, and the edges to them.
    live = [node for node, edges in graph.items() if any(e in graph for e in edges)]
    kept = set(live)
    graph = {node: [e for e in graph[node] if e in kept] for node in live}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: dict[str, list[str]] = {}
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if i < len(edges):
                work.append((node, i + 1))
                nxt = edges[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                members = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    members.append(top)
                    if top == node:
                        break
                if len(members) > 1 or node in graph[node]:
                    for m in members:
                        out[m] = sorted(members)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


class ContinuityDependencyCycle(Check):
    meta = CheckMeta(
        id="continuity_dependency_cycle",
        title="No circular dependencies",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A restore order needs something to start from. If A needs B and B needs A, "
            "nothing in the circle can come back first, as Maersk found when every domain "
            "controller needed another to rebuild. Redcar's prioritised restore and CISA's "
            "critical-asset triage both assume a dependency order exists."
        ),
        remediation=(
            "Break the circle: find which dependency is not needed to start (only to run "
            "fully), record it that way, or add a way to start one member on its own."
        ),
        lessons=["redcar-2020", "maersk-2017", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.a"], nist_csf=["RC.RP-02", "ID.AM-05"],
                                 iso27001=["A.5.30"]),
        needs=[DataKind.SERVICES, DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        services = {s.id: list(s.depends_on) for s in ctx.estate.services}
        on_cycle = cycles(services)
        for service in ctx.estate.services:
            if service.id in on_cycle:
                yield self.failed(ctx, service, "Circular service dependency: "
                                  f"{' <-> '.join(on_cycle[service.id])}.")
            else:
                yield self.passed(ctx, service, "Not on a dependency cycle.")
        systems = {s.id: s.depends_on for s in ctx.estate.systems}
        on_cycle = cycles(systems)
        for system in ctx.estate.systems:
            if not system.depends_on:
                continue
            if system.id in on_cycle:
                yield self.failed(ctx, system, "Circular system dependency: "
                                  f"{' <-> '.join(on_cycle[system.id])}.")
            else:
                yield self.passed(ctx, system, "Not on a dependency cycle.")
