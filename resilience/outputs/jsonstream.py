"""Indented JSON documents whose one long list is encoded in batches instead of held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

BATCH = 2000

Part = Callable[[], Iterator[bytes]]


def spliced(head: bytes, key: str, depth: int, items: Sequence[Any],
            encode: Callable[[Sequence[Any]], bytes], parts: int = 1) -> list[Part]:
    """``head`` with ``items`` put into its list ``key``, byte for byte as if the whole document
    had been encoded at once with an indent of 2, as ``parts`` pieces (fewer if there are few
    items) that can be rendered separately, even in two processes, and joined in order.

    ``head`` is the document encoded with ``key`` as an empty list at nesting ``depth`` (1 for
    a key of the top-level object); ``encode`` turns a slice of items into an indented JSON list.
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

    def part(number: int) -> Iterator[bytes]:
        start, stop = bounds[number], bounds[number + 1]
        if number == 0:
            yield head[:at] + b"[\n"
        for low in range(start, stop, BATCH):
            body = encode(items[low:min(low + BATCH, stop)])[2:-2]  # without its "[\n", "\n]"
            yield (b"" if low == 0 else b",\n") + pad + body.replace(b"\n", b"\n" + pad)
        if number == parts - 1:
            yield b"\n" + pad + head[at + 1:]  # "]" and the rest of the document

    return [lambda n=n: part(n) for n in range(parts)]
