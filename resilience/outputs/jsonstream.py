"""JSON documents whose one long list is encoded in batches, an item per line, instead of held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

BATCH = 2000

Part = Callable[[], Iterator[bytes]]


def spliced(head: bytes, key: str, depth: int, items: Sequence[Any],
            encode: Callable[[Sequence[Any]], bytes], parts: int = 1) -> list[Part]:
    """``head`` with ``items`` put into its list ``key``, each item compact on a line of its
    own (a large report stays small, greppable and diffable line by line), as ``parts``
    pieces (fewer if there are few items) that can be rendered separately, even in two
    processes, and joined in order.

    ``head`` is the document encoded with an indent of 2 and ``key`` as an empty list at
    nesting ``depth`` (1 for a key of the top-level object); ``encode`` turns a slice of items
    (JSON objects) into a compact JSON list.
    """
    pad = b" " * (2 * depth)
    marker = b"\n" + pad + b'"' + key.encode() + b'": []'
    if head.count(marker) != 1:
        raise ValueError(f"cannot find the empty '{key}' list in the document")
    at = head.index(marker) + len(marker) - 2  # the position of "[]"
    if not items:
        return [lambda: iter((head,))]
    parts = max(1, min(parts, len(items) // BATCH + 1))
    bounds = [len(items) * i // parts for i in range(parts + 1)]
    inner = pad + b"  "

    def part(number: int) -> Iterator[bytes]:
        start, stop = bounds[number], bounds[number + 1]
        if number == 0:
            yield head[:at] + b"[\n"
        for low in range(start, stop, BATCH):
            body = one_per_line(items[low:min(low + BATCH, stop)], encode, b",\n" + inner)
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
