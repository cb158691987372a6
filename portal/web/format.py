"""How values read on the glass wall: Jalali dates and Persian digits in Persian."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import jdatetime

from portal.persian import to_persian_digits
from portal.publishing.release_time import tehran_day

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """Uploaded text shown through Markdown must stay text: no links, no HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_ADDRESS = re.compile(r"(?<![\w/])(?:https?://|/)[A-Za-z0-9][\w./?=&%-]*[\w/]")


def isolate_addresses(text: str) -> str:
    """`text` as HTML (escaped, Markdown-safe) with each address (`/feeds/x.atom`, a URL) one
    left-to-right unit: in a Persian line «/feeds/releases.ics» otherwise shows its slash at
    the wrong end. Shown with `unsafe_allow_html`; the page's CSS styles `.gw-url`."""
    parts, at = [], 0
    for found in _ADDRESS.finditer(text):
        parts += [
            escape_markdown(html.escape(text[at : found.start()])),
            f'<span class="gw-url" dir="ltr">{escape_markdown(html.escape(found.group()))}</span>',
        ]
        at = found.end()
    return "".join(parts) + escape_markdown(html.escape(text[at:]))


_QUOTED = re.compile(r'"[^"\s]+"')


def isolate_quoted(text: str) -> str:
    """Each `"agency/dataset"` of `text` one unit (FSI…PDI), quotes included: two quoted
    Latin names joined by «، » in a Persian line otherwise run together left to right and
    show their quotes and commas at the wrong ends."""
    return _QUOTED.sub(lambda found: f"\u2068{found.group()}\u2069", text)


def number(value: float | int, lang: str) -> str:
    """Grouped digits; Persian digits with `٬` and the decimal mark `٫` in Persian."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    grouped = f"{value:,}"
    if lang != "fa":
        return grouped
    return to_persian_digits(grouped.replace(",", "٬").replace(".", "٫"))


def day(value: str | date | datetime, lang: str) -> str:
    """Jalali in Persian; Gregorian with the Jalali date beside it in English. A moment (with
    its offset) reads as Tehran's day: a publication at 22:00 UTC came out the next day there."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    plain = tehran_day(value) if isinstance(value, datetime) else value
    jalali = jdatetime.date.fromgregorian(date=plain).strftime("%Y/%m/%d")
    if lang == "fa":
        return to_persian_digits(jalali)
    return f"{plain.isoformat()} ({jalali})"
