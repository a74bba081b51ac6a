"""Indented JSON documents whose one long list is encoded in batches instead of held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

BATCH = 2000


def spliced(head: bytes, key: str, depth: int, items: Iterable[Any],
            encode: Callable[[list[Any]], bytes]) -> Iterator[bytes]:
    """Yield ``head`` with ``items`` put into its list ``key``, byte for byte as if the whole
    document had been encoded at once with an indent of 2.

    ``head`` is the document encoded with ``key`` as an empty list at nesting ``depth`` (1 for
    a key of the top-level object); ``encode`` turns a batch of items into an indented JSON list.
    """
    pad = b" " * (2 * depth)
    marker = b"\n" + pad + b'"' + key.encode() + b'": []'
    if head.count(marker) != 1:
        raise ValueError(f"cannot find the empty '{key}' list in the document")
    at = head.index(marker) + len(marker) - 2  # the position of "[]"
    it = iter(items)
    batch = list(islice(it, BATCH))
    if not batch:
        yield head
        return
    yield head[:at] + b"[\n"
    first = True
    while batch:
        body = encode(batch)[2:-2]  # drop the batch's own "[\n" and "\n]"
        yield (b"" if first else b",\n") + pad + body.replace(b"\n", b"\n" + pad)
        first = False
        batch = list(islice(it, BATCH))
    yield b"\n" + pad + head[at + 1:]  # "]" and the rest of the document
