"""Settings registered for the pages belong to one test: the next one starts clean.

The two tests run in this order (pytest keeps a module's order); before the fix the
second found the first one's settings, pointing at a store already deleted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from portal.config import Settings
from portal.web import context


def test_a_page_test_registers_its_own_settings(published: Settings) -> None:
    assert context.settings() == published


def test_a_later_test_does_not_inherit_them() -> None:
    with pytest.raises(RuntimeError):
        context.settings()


def test_registered_puts_back_what_was_there(tmp_path: Path) -> None:
    outer, inner = Settings(home=tmp_path / "a"), Settings(home=tmp_path / "b")
    with context.registered(outer):
        with context.registered(replace(inner)):
            assert context.settings() == inner
        assert context.settings() == outer
    assert context.registrations() == ()


def test_a_leaking_registration_is_taken_back_after_the_test(tmp_path: Path) -> None:
    context.register(Settings(home=tmp_path / "left-behind"))  # as create_app does


def test_so_the_next_test_finds_none() -> None:
    assert context.registrations() == ()
