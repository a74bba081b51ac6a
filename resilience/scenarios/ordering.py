"""Restore order: dependencies first, identity and network before applications, then tier.

Dependency cycles are found as strongly connected components and reported; the members of a
cycle are restored together, in priority order, instead of waiting on each other forever.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable

from resilience.model import SystemKind

# Identity first (nothing authenticates without it), then the network, then everything else.
KIND_RANK = {SystemKind.DIRECTORY: 0, SystemKind.NETWORK: 1}


def strongly_connected(nodes: Iterable[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (deep estates must not hit the recursion limit).

    A node that needs nothing is its own component, found the moment it is reached; most of
    an estate is such nodes, so they skip the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    needs = edges.get
    for root in nodes:
        if root in index:
            continue
        first = needs(root)
        index[root] = low[root] = counter
        counter += 1
        if not first:
            out.append([root])
            continue
        work = [(root, iter(first))]
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    grandchildren = needs(child)
                    if not grandchildren:
                        out.append([child])
                        continue
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(grandchildren)))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
    return out


def cycles(nodes: Iterable[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Every dependency cycle (a component of two or more, or a node that needs itself)."""
    found = []
    # Every member of a cycle needs something that itself needs something, so the walk can
    # start from those nodes only (the others, most of an estate, are reached if they matter).
    starts = []
    for n in nodes:
        for dep in edges.get(n, ()):
            if edges.get(dep):
                starts.append(n)
                break
    for comp in strongly_connected(starts, edges):
        if len(comp) > 1 or comp[0] in edges.get(comp[0], []):
            found.append(sorted(comp))
    return sorted(found)


def restore_order(nodes: list[str], depends_on: dict[str, list[str]],
                  priority: Callable[[str], Hashable]) -> tuple[list[str], set[str]]:
    """Nodes in an order where every node comes after what it depends on (within ``nodes``),
    choosing by ``priority`` whenever several are ready. Returns the order and the nodes that sit
    in a cycle."""
    wanted = set(nodes)
    edges = {n: [d for d in depends_on.get(n, []) if d in wanted] for n in nodes}
    components = strongly_connected(sorted(nodes), edges)
    comp_of = {n: i for i, comp in enumerate(components) for n in comp}
    in_cycle = {n for comp in components for n in comp
                if len(comp) > 1 or n in edges.get(n, [])}
    waiting_on: dict[int, set[int]] = {i: set() for i in range(len(components))}
    needed_by: dict[int, set[int]] = {i: set() for i in range(len(components))}
    for n, deps in edges.items():
        for d in deps:
            a, b = comp_of[n], comp_of[d]
            if a != b:
                waiting_on[a].add(b)
                needed_by[b].add(a)

    def comp_key(i: int):
        return min(priority(n) for n in components[i])

    ready = [(comp_key(i), i) for i, deps in waiting_on.items() if not deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.extend(sorted(components[i], key=priority))
        for j in sorted(needed_by[i]):
            waiting_on[j].discard(i)
            if not waiting_on[j]:
                heapq.heappush(ready, (comp_key(j), j))
    return order, in_cycle
