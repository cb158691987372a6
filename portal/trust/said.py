"""One way to say a change, for every page, feed and language.

A revised figure reads the same on the revision view, the project history, the
explanations, the feeds and the server-rendered pages: the field by its label in the
page's language, amounts in units with the page's digits, dates in Jalali on Persian
pages, and old and new joined by words in Persian (an arrow in a right-to-left line
points at the old value). Only figures are counted: a row's bookkeeping date is not one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal.i18n import catalog, text
from portal.tables.revisions import NOT_FIGURES, is_figure
from portal.web.format import day, number

FSI, PDI = "\u2068", "\u2069"  # a Latin id inside a Persian sentence keeps its own run
COUNTS = frozenset({"beneficiaries", "jobs_created", "value"})  # plain numbers, grouped
__all__ = [
    "COUNTS", "FSI", "NOT_FIGURES", "PDI", "between", "change", "explanation", "is_figure",
    "label", "money", "value",
]  # fmt: skip


def label(field: str, lang: str) -> str:
    """A column by its name in `lang` (the raw name only for a column nobody named)."""
    for prefix in ("h-citizen.field.", "web.trust.figure."):
        if f"{prefix}{field}" in catalog(lang):
            return text(f"{prefix}{field}", lang)
    return field


def money(rials: Any, lang: str) -> str:
    """Rials in billions (the unit budgets are reported in), millions below a billion."""
    if rials is None or rials == "" or rials != rials:
        return "-"
    amount = float(rials)
    if amount and abs(amount) < 1e9:
        return text("h-citizen.million_rials", lang, amount=number(round(amount / 1e6), lang))
    return text("web.billion_rials", lang, amount=number(round(amount / 1e9), lang))


def value(field: str, raw: Any, lang: str) -> str:
    """One cell as people read it: amounts in units, codes by name, Jalali dates."""
    shown = "" if raw is None or raw != raw else str(raw)
    if shown == "":
        return "-"
    try:
        if field.endswith("_irr"):
            return money(float(shown), lang)
        if field.endswith("_pct"):
            return text("web.percent", lang, value=number(float(shown), lang))
        if field in COUNTS:
            return number(float(shown), lang)
        if field.endswith("_date") or field == "updated":
            return day(shown if "T" in shown else shown[:10], lang)
    except ValueError:
        return shown  # not a number or date after all: as written
    if field == "status" and f"web.status.{shown}" in catalog(lang):
        return text(f"web.status.{shown}", lang)
    return shown


def change(field: str, old: Any, new: Any, lang: str) -> str:
    """`budget: 796 billion rials → 850 billion rials`; in Persian with words, not arrows."""
    return text(
        "h-citizen.change",
        lang,
        field=label(field, lang),
        old=value(field, old, lang),
        new=value(field, new, lang),
    )


def explanation(found: Mapping[str, Any], lang: str) -> str:
    """What an explained change changed: the project and the change said as above; a
    change without old and new values (a removed project) by its published message."""
    field = str(found.get("field") or "")
    old, new = str(found.get("old") or ""), str(found.get("new") or "")
    if field and field != "id" and (old or new):
        said = change(field, old, new, lang)
        key = str(found.get("project") or found.get("key") or "")
        if not key:
            return said
        return text("h-citizen.change_of", lang, key=f"{FSI}{key}{PDI}", change=said)
    message = found.get("message") or {}
    if not isinstance(message, Mapping):
        return str(message)
    other = "en" if lang == "fa" else "fa"
    return str(message.get(lang) or message.get(other) or "")


def between(versions: Iterable[Any], old: int, new: int) -> list[Any]:
    """The versions a comparison of `old` and `new` spans: after the older, up to and
    including the newer (each carries the explanations of its own step)."""
    low, high = min(old, new), max(old, new)
    return [v for v in versions if low < v.number <= high]
