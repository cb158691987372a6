"""Page bytes compressed once per publication, not once per reader.

A news spike sends thousands of readers to the same few pages: compressing each answer
again (about a millisecond of brotli per page) would spend the two cores on the same
work. The door keeps each page's brotli and gzip forms beside its plain bytes; the
compression middleware leaves an answer that is already encoded as it is.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable

import brotli

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda body: brotli.compress(body, quality=7),
    "gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
}
KEPT = 8192


# Every encoding a copy of a page or a script may be sent in (the middleware adds zstd).
CODINGS = ("br", "gzip", "zstd")


def accepted(accept_encoding: str) -> frozenset[str]:
    """The codings of CODINGS an Accept-Encoding takes (a weight above zero; `*` is every
    coding not refused by name)."""
    taken: set[str] = set()
    refused: set[str] = set()
    anything = False
    for item in accept_encoding.lower().split(","):
        name, _, params = item.partition(";")
        name, params = name.strip(), params.strip()
        quality = params.removeprefix("q=").strip() if params.startswith("q=") else "1"
        try:
            wanted = float(quality) > 0
        except ValueError:
            continue
        if name == "*":
            anything = wanted
        elif wanted:
            taken.add(name)
        else:
            refused.add(name)
    if anything:
        taken |= set(CODINGS) - refused
    return frozenset(taken & set(CODINGS))


def choose(accept_encoding: str) -> str:
    """The encoding to send: brotli, else gzip, else "" (the plain bytes)."""
    taken = accepted(accept_encoding)
    return next((name for name in ENCODERS if name in taken), "")


class Encoded:
    """Compressed forms by their entity tag (a tag names one publication's page bytes)."""

    def __init__(self) -> None:
        self._forms: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str, encoding: str, body: bytes) -> bytes:
        key = (etag, encoding)
        with self._lock:
            found = self._forms.get(key)
            if found is not None:
                self._forms.move_to_end(key)
                return found
        made = ENCODERS[encoding](body)
        with self._lock:
            self._forms[key] = made
            while len(self._forms) > KEPT:
                self._forms.popitem(last=False)
        return made
