"""The profile's columns as a clerk sees them: labels in both languages, aliases, examples.

Headers match by machine name, Persian or English label or a known alias, after
folding (ی/ي, ک/ك, ZWNJ, spacing, punctuation, case), in any order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from portal.i18n import text
from portal.persian import fold_label
from portal.profiles import PROFILES_DIR, codelist

PROFILE_RESOURCES = {"projects": ("projects",), "indicators": ("indicators", "observations")}


@dataclass(frozen=True)
class Column:
    resource: str
    name: str
    type: str
    required: bool
    codelist: str | None
    example: str
    aliases: tuple[str, ...]

    def label(self, lang: str) -> str:
        return text(f"column.{self.resource}.{self.name}", lang)

    def guide(self, lang: str) -> str:
        return text(f"guide.{self.resource}.{self.name}", lang)


@cache
def _extras() -> dict[str, Any]:
    source = resources.files("portal.intake.sheets").joinpath("columns.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(source)
    return data


@cache
def columns(resource: str) -> tuple[Column, ...]:
    """The resource's columns in the profile's order."""
    with (PROFILES_DIR / f"{resource}.schema.json").open(encoding="utf-8") as handle:
        schema = json.load(handle)
    extras = _extras()[resource]
    return tuple(
        Column(
            resource,
            field["name"],
            field.get("type", "string"),
            bool(field.get("constraints", {}).get("required")),
            field.get("codelist"),
            str(extras[field["name"]]["example"]),
            tuple(extras[field["name"]]["aliases"]),
        )
        for field in schema["fields"]
    )


def column(resource: str, name: str) -> Column:
    return next(c for c in columns(resource) if c.name == name)


@cache
def _index(resource: str) -> dict[str, str]:
    """Folded header -> field name; machine names and labels win over aliases."""
    index: dict[str, str] = {}
    for col in columns(resource):
        for alias in col.aliases:
            index.setdefault(fold_label(alias), col.name)
    for col in columns(resource):
        for header in (col.name, col.label("fa"), col.label("en")):
            index[fold_label(header)] = col.name
    return index


def field_for(resource: str, header: Any) -> str | None:
    if header is None:
        return None
    folded = fold_label(str(header))
    return _index(resource).get(folded) if folded else None


@dataclass
class HeaderMatch:
    """Which column of a header row holds which field; what is left over."""

    resource: str
    fields: dict[int, str]
    unexpected: list[tuple[int, str]]
    duplicates: list[tuple[str, list[int]]]

    @property
    def missing(self) -> list[Column]:
        present = set(self.fields.values())
        return [c for c in columns(self.resource) if c.name not in present]


def match_header(cells: list[Any], resource: str) -> HeaderMatch:
    fields: dict[int, str] = {}
    seen: dict[str, list[int]] = {}
    unexpected: list[tuple[int, str]] = []
    for position, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        name = field_for(resource, cell)
        if name is None:
            unexpected.append((position, str(cell).strip()))
            continue
        seen.setdefault(name, []).append(position)
        if len(seen[name]) == 1:
            fields[position] = name
    duplicates = [(name, spots) for name, spots in seen.items() if len(spots) > 1]
    return HeaderMatch(resource, fields, unexpected, duplicates)


@cache
def codelist_index(name: str) -> dict[str, str]:
    """Folded code, Persian or English name -> the code (`استان یزد` and `Yazd Province` too)."""
    index: dict[str, str] = {}
    for entry in codelist(name):
        names = [entry.code, entry.name_fa, entry.name_en]
        if name.startswith("provinces"):
            names += [f"استان {entry.name_fa}", f"{entry.name_en} Province"]
        for label in names:
            index[fold_label(label)] = entry.code
    return index
