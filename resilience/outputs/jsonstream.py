"""JSON documents indented but for their long lists, which hold an item per line (encoded in batches)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

BATCH = 2000

Part = Callable[[], Iterator[bytes]]


def spliced(head: bytes, key: str, depth: int, items: Sequence[Any],
            encode: Callable[[Sequence[Any]], bytes] | None = None,
            cuts: Sequence[float] = (), *,
            line: Callable[[Any], str] | None = None) -> list[Part]:
    """``head`` with ``items`` put into its list ``key``, each item compact on a line of its
    own (a large report stays small, greppable and diffable line by line), as pieces that can
    be rendered separately, even in two processes, and joined in order: cut where each of
    ``cuts`` (fractions of the items, 0.5 for half) falls, except where a piece would hold
    less than a batch.

    ``head`` is the document encoded with an indent of 2 and ``key`` as an empty list at
    nesting ``depth`` (1 for a key of the top-level object); ``encode`` turns a slice of items
    (JSON objects) into a compact JSON list, or ``line`` turns one item into compact JSON.
    """
    if (encode is None) == (line is None):
        raise TypeError("give either encode or line")
    pad = b" " * (2 * depth)
    at = _empty_list(head, key, depth)
    if not items:
        return [lambda: iter((head,))]
    bounds = [0]
    for cut in sorted(round(len(items) * c) for c in cuts):
        if cut - bounds[-1] >= BATCH and len(items) - cut >= BATCH:
            bounds.append(cut)
    bounds.append(len(items))
    parts = len(bounds) - 1
    inner = pad + b"  "
    between = ",\n" + inner.decode()

    def part(number: int) -> Iterator[bytes]:
        start, stop = bounds[number], bounds[number + 1]
        if number == 0:
            yield head[:at] + b"[\n"
        for low in range(start, stop, BATCH):
            batch = items[low:min(low + BATCH, stop)]
            body = (between.join(map(line, batch)).encode() if line is not None
                    else one_per_line(batch, encode, b",\n" + inner))
            yield (b"" if low == 0 else b",\n") + inner + body
        if number == parts - 1:
            yield b"\n" + pad + head[at + 1:]  # "]" and the rest of the document

    return [lambda n=n: part(n) for n in range(parts)]


def one_per_line(batch: Sequence[Any], encode: Callable[[Sequence[Any]], bytes],
                 between: bytes) -> bytes:
    """The items of ``batch`` encoded compactly and joined by ``between``.

    The batch is encoded in one call (several times cheaper than an item at a time) and cut
    where one object ends and the next begins with the same first key: ``},{"key":`` cannot
    occur inside a JSON string, where every quote is escaped. When the cuts do not number one
    less than the items (objects with different first keys), each item is encoded alone.
    """
    body = encode(batch)[1:-1]  # without the list's brackets
    if not body:
        return body
    first = body[:body.find(b'":') + 2]  # '{"key":'
    cut = b"}," + first
    if first.startswith(b'{"') and body.count(cut) == len(batch) - 1:
        return body.replace(cut, b"}" + between + first)
    return between.join(encode([item])[1:-1] for item in batch)


def filled(head: bytes, depth: int, lists: dict[str, Sequence[bytes]]) -> Iterator[bytes]:
    """``head`` with each of its empty lists named in ``lists`` filled with the given encoded
    items (compact JSON values), one per line; as ``spliced``, for documents written whole."""
    pad = b" " * (2 * depth)
    inner = b",\n" + pad + b"  "
    done = 0
    for at, items in sorted((_empty_list(head, key, depth), items) for key, items in lists.items()):
        yield head[done:at]
        if items:
            yield b"[\n" + pad + b"  " + inner.join(items) + b"\n" + pad + b"]"
        else:
            yield b"[]"
        done = at + 2
    yield head[done:]


def _empty_list(head: bytes, key: str, depth: int) -> int:
    """Where the empty list of ``key`` (at nesting ``depth``) starts in ``head``."""
    marker = b"\n" + b" " * (2 * depth) + b'"' + key.encode() + b'": []'
    if head.count(marker) != 1:
        raise ValueError(f"cannot find the empty '{key}' list in the document")
    return head.index(marker) + len(marker) - 2  # the position of "[]"
