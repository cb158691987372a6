"""The collector runs less often while a report is built, and as before afterwards."""

from __future__ import annotations

import gc

import pytest

from portal.validation.memory import ALLOCATIONS_PER_COLLECTION, fewer_collections


def test_the_threshold_is_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        inside = gc.get_threshold()
    assert inside[0] >= ALLOCATIONS_PER_COLLECTION
    assert inside[1:] == before[1:]
    assert gc.get_threshold() == before


def test_the_threshold_is_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a failed validation")
    assert gc.get_threshold() == before
