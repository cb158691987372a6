"""Python's cyclic collector held back while a report of many findings is built.

A file with 10 % of its 1M rows in error makes 145k findings: over a million small
objects (findings, their tuples, the table's errors, the JSON lines) that all live until
the report is written. The collector, run every 700 allocations by default, walked them
again and again: 0.35-0.4 s of a 4.7-5.1 s `glasswall validate --json` (measured with
the collector off and with this threshold, on a machine left to it). Nothing made here
forms cycles that must be freed early; collections still run, 70 times less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

ALLOCATIONS_PER_COLLECTION = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every 50,000 allocations for the block's length."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], ALLOCATIONS_PER_COLLECTION), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
