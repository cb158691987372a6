"""The report a clerk can act on: verdict first, errors before warnings, grouped by cause.

Each group is one line ("start_date: 3 × Jalali dates, rows 3-5") that opens onto its
cells, each with the address the clerk's own spreadsheet shows (`طرح‌ها!F12`), and the
fix in plain words. Cells the portal can correct are grouped by the correction, so a
Jalali date is one line, not a type error and a Jalali finding.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from portal.i18n import LANGUAGES, bilingual, catalog, text
from portal.intake.sheets.build import Built
from portal.intake.sheets.columns import columns
from portal.intake.sheets.normalise import Correction
from portal.persian import to_persian_digits
from portal.validation.report import Finding, Report

KIND_ORDER = {"error": 0, "warning": 1, "fix": 2}
FSI, PDI = "\u2068", "\u2069"  # isolate a cell address or value inside a Persian sentence
# Consequences of a value the portal can correct, not causes of their own.
CONSEQUENCES = {"recommended-field-sparse"}
PROFILED = ("projects", "indicators", "observations")


@dataclass
class Item:
    address: str
    message: dict[str, str]
    suggestion: str | None = None


@dataclass
class Group:
    kind: str  # error | warning | fix
    code: str
    field: str | None
    headline: dict[str, str]
    advice: dict[str, str]
    items: list[Item] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "field": self.field,
            "headline": self.headline,
            "advice": self.advice,
            "cells": [
                {"address": i.address, "message": i.message, "suggestion": i.suggestion}
                for i in self.items
            ],
        }


@dataclass
class ClerkReport:
    verdict: dict[str, str]
    notes: list[dict[str, str]]
    valid: bool
    corrections: list[Correction]
    applied: bool
    groups: list[Group]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "notes": self.notes,
            "valid": self.valid,
            "corrections": len(self.corrections),
            "applied": self.applied,
            "changes": [c.to_dict() for c in self.corrections if c.applied],
            "suggested": [c.to_dict() for c in self.corrections if not c.applied],
            "groups": [g.to_dict() for g in self.groups],
        }


def _known(key: str) -> bool:
    return key in catalog("en")


def _cause(code: str) -> dict[str, str]:
    key = f"clerk.cause.{code}"
    return bilingual(key) if _known(key) else {lang: code for lang in LANGUAGES}


def _advice(code: str, finding: Finding | None) -> dict[str, str]:
    key = f"clerk.fix.{code}"
    if _known(key):
        return bilingual(key)
    if finding is not None and finding.row is None and finding.resource is None:
        return bilingual("clerk.fix.metadata")
    return bilingual("clerk.fix.default")


def row_span(numbers: list[int]) -> str:
    """2, 3, 4, 9 -> "2-4, 9" (at most six pieces, then "…")."""
    ordered = sorted(set(numbers))
    pieces: list[str] = []
    start = previous = ordered[0] if ordered else 0
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        pieces.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(pieces[:6]) + (", …" if len(pieces) > 6 else "")


def _sheet_row(address: str) -> int | None:
    digits = re.search(r"(\d+)$", address)
    return int(digits.group(1)) if digits else None


def _cell_line(change: Correction) -> dict[str, str]:
    return bilingual(
        "clerk.cell_fix",
        address=FSI + change.address + PDI,
        cell=FSI + change.old + PDI,
        suggestion=FSI + change.new + PDI,
    )


def field_names(resource: str | None, name: str | None) -> dict[str, str]:
    """A column as each language calls it: its Persian label, its machine name in English."""
    known = {c.name: c for c in columns(resource)} if resource in PROFILED else {}
    if name in known:
        return {"fa": known[name].label("fa"), "en": str(name)}
    return {lang: name or "-" for lang in LANGUAGES}


def property_names(keys: list[str]) -> dict[str, str]:
    """Package properties named in each language (`publisher` is «ناشر» in Persian)."""
    return {
        lang: "، ".join(text(f"prop.{k}", lang) if _known(f"prop.{k}") else k for k in keys)
        if lang == "fa"
        else ", ".join(keys)
        for lang in LANGUAGES
    }


def filled_note(filled: list[str]) -> dict[str, str]:
    """ "Filled from the agency profile: …", the properties named in each language."""
    names = property_names(filled)
    return {lang: text("clerk.filled", lang, keys=names[lang]) for lang in LANGUAGES}


def _headline(
    key: str, names: dict[str, str], cause: dict[str, str], items: list[Item]
) -> dict[str, str]:
    rows = [r for r in (_sheet_row(i.address) for i in items) if r is not None]
    span = row_span(rows)
    result = {}
    for lang in LANGUAGES:
        where = catalog(lang)["clerk.rows"].format(rows=span) if rows else ""
        if lang == "fa":
            where = to_persian_digits(where)
        count = to_persian_digits(str(len(items))) if lang == "fa" else str(len(items))
        if lang == "fa":  # "3-5" reads backwards in a right-to-left line: "۳ تا ۵"
            where = where.replace(", ", "، ").replace("-", " تا ")
        line = catalog(lang)[key].format(
            field=names[lang], count=count, cause=cause[lang], where=where
        )
        result[lang] = line.rstrip("، ,")
    return result


def _address(built: Built | None, finding: Finding) -> str:
    if built is None or finding.resource is None or finding.row is None:
        return str(dict(finding.params).get("address") or finding.field or "-")
    key = (finding.resource, finding.row, finding.field or "")
    return built.addresses.get(key, f"{finding.resource}:{finding.row}")


def clerk_report(
    report: Report, built: Built | None, filled: list[str], *, version: int | None = None
) -> ClerkReport:
    corrections = built.corrections if built else []
    pending = {(c.resource, c.row, c.field): c for c in corrections if not c.applied}
    applied = not pending
    by_finding: dict[tuple[str, str, str | None, str | None], list[tuple[Finding, Item]]] = (
        defaultdict(list)
    )
    by_fix: dict[tuple[str, str, str], list[tuple[Correction, list[Finding]]]] = defaultdict(list)
    attached: dict[tuple[str, int, str], list[Finding]] = defaultdict(list)
    pending_fields = {(c.resource, c.field) for c in pending.values()}
    for finding in report.findings:
        key = (finding.resource or "", finding.row or 0, finding.field or "")
        if finding.code in CONSEQUENCES and (finding.resource, finding.field) in pending_fields:
            continue
        if key in pending:
            attached[key].append(finding)
            continue
        item = Item(_address(built, finding), finding.message, finding.suggestion)
        where = (finding.severity, finding.code, finding.field, finding.resource)
        by_finding[where].append((finding, item))
    for spot, change in pending.items():
        group_key = (change.resource, change.field, change.rules[-1])
        by_fix[group_key].append((change, attached.get(spot, [])))
    groups: list[Group] = []
    for (severity, code, name, resource), pairs in by_finding.items():
        items = [item for _, item in pairs]
        first = pairs[0][0]
        if len(pairs) == 1 and first.row is None:
            headline = first.message
        else:
            headline = _headline("clerk.group", field_names(resource, name), _cause(code), items)
        groups.append(Group(severity, code, name, headline, _advice(code, first), items))
    for (resource, name, rule), fixes in by_fix.items():
        kinds = {f.severity for _, found in fixes for f in found}
        kind = "error" if "error" in kinds else "warning" if kinds else "fix"
        items = [Item(c.address, _cell_line(c), c.new) for c, _ in fixes]
        headline = _headline("clerk.group", field_names(resource, name), _cause(rule), items)
        groups.append(Group(kind, rule, name, headline, bilingual("clerk.fixable"), items))
    done: dict[tuple[str, str, str], list[Correction]] = defaultdict(list)
    for change in corrections:
        if change.applied:
            done[(change.resource, change.field, change.rules[-1])].append(change)
    if done:
        for (resource, name, rule), changes in done.items():
            items = [Item(c.address, _cell_line(c), c.new) for c in changes]
            names = field_names(resource, name)
            headline = _headline("clerk.group", names, _cause(rule), items)
            groups.append(Group("fix", rule, name, headline, bilingual("clerk.fixed"), items))
    groups.sort(key=lambda g: (KIND_ORDER[g.kind], -len(g.items)))
    errors = sum(len(g.items) for g in groups if g.kind == "error")
    warnings = sum(len(g.items) for g in groups if g.kind == "warning")
    if version is not None:
        verdict = bilingual("clerk.verdict.published", version=version)
    elif report.valid:
        verdict = bilingual("clerk.verdict.ready", warnings=warnings)
    else:
        verdict = bilingual("clerk.verdict.blocked", errors=errors, warnings=warnings)
    notes = []
    written = sum(1 for c in corrections if c.applied)
    if written:
        notes.append(bilingual("clerk.applied", count=written))
    if pending:
        notes.append(bilingual("clerk.offer", count=len(pending)))
    if filled:
        notes.append(filled_note(filled))
    if built and built.from_data:
        names = property_names(built.from_data)
        notes.append({lang: text("clerk.from_data", lang, keys=names[lang]) for lang in LANGUAGES})
    return ClerkReport(verdict, notes, report.valid, corrections, applied, groups)
