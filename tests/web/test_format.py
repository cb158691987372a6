"""Addresses inside a Persian line are left-to-right units; nothing else becomes markup."""

from __future__ import annotations

from portal.web.format import day, isolate_addresses


def test_each_address_is_one_left_to_right_unit() -> None:
    said = isolate_addresses(
        "اشتراک: /feeds/releases.ics (تقویم) یا https://x.org/a?b=1؛ ۱/۲ و 1/2"
    )
    assert said.count('<span class="gw-url" dir="ltr">') == 2
    assert '<span class="gw-url" dir="ltr">/feeds/releases\\.ics</span>' in said
    assert '<span class="gw-url" dir="ltr">https://x\\.org/a?b=1</span>' in said
    assert "1/2" in said  # a fraction is not an address


def test_text_around_stays_text() -> None:
    said = isolate_addresses("<img src=x onerror=alert(1)> [link](/x) /feeds/a.atom")
    assert "<img" not in said and "&lt;img" in said
    assert "\\[link\\]" in said  # no Markdown link either


def test_a_moment_reads_as_the_day_it_was_in_tehran() -> None:
    """A publication at 21:30 UTC happened on the next day in Iran (UTC+03:30); a calendar
    date from the data (no time) is that day as written."""
    assert day("2026-12-04T21:30:00+00:00", "en") == "2026-12-05 (1405/09/14)"
    assert day("2026-12-04T21:30:00+00:00", "fa") == "۱۴۰۵/۰۹/۱۴"
    assert day("2026-12-04T06:00:00+00:00", "en") == "2026-12-04 (1405/09/13)"
    assert day("2026-12-04", "fa") == "۱۴۰۵/۰۹/۱۳"
