"""Explanations of cross-version findings: read, matched to findings, stored with the version.

An explanations file (`--explain FILE.yaml`, or `explanations.yaml` inside the package)
is a list of entries, or a mapping with the list under `explanations`:

    - code: budget-changed          # a code of validators/revisions.yaml (required)
      project: mrud-yazd-0003       # optional: narrows the entry; without it, it explains
      fa: متمم اعتبار ۱۴۰۳           #   every finding of the code (a group)
      en: Supplementary budget 1403

Narrowing names: project, indicator, period, province, county, key. The most specific
matching entry wins. A reason in Persian, English or both is required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portal.errors import IntakeRefused
from portal.public_text import clean
from portal.store.records import Version
from portal.validation.report import Finding
from portal.validation.rules.packs import RulePacks

FILE_NAME = "explanations.yaml"
MATCH_NAMES = ("project", "indicator", "period", "province", "county", "key")
MAX_REASON = 2000


@dataclass(frozen=True)
class Explanation:
    code: str
    reason: dict[str, str]
    match: dict[str, str] = field(default_factory=dict)

    def fits(self, finding: Finding) -> bool:
        params = dict(finding.params)
        return finding.code == self.code and all(
            str(params.get(name, "")) == value for name, value in self.match.items()
        )


def _entry(item: Any, number: int, source: str, codes: set[str]) -> Explanation:
    where = {"file": source, "entry": number}
    if not isinstance(item, dict):
        raise IntakeRefused("explain.not_mapping", **where)
    code = str(item.get("code") or "")
    if code not in codes:
        raise IntakeRefused("explain.unknown_code", code=code, **where)
    given = {lang: str(item[lang]) for lang in ("fa", "en") if item.get(lang) is not None}
    if not any(text.strip() for text in given.values()):
        raise IntakeRefused("explain.no_reason", code=code, **where)
    reason = {
        lang: reason_text(text, lang, **where) for lang, text in given.items() if text.strip()
    }
    if any(len(text) > MAX_REASON for text in reason.values()):
        raise IntakeRefused("explain.too_long", limit=MAX_REASON, **where)
    unknown = sorted(set(item) - {"code", "fa", "en", *MATCH_NAMES})
    if unknown:
        raise IntakeRefused("explain.unknown_name", name=str(unknown[0]), **where)
    match = {name: str(item[name]) for name in MATCH_NAMES if item.get(name) is not None}
    return Explanation(code, reason, match)


def reason_text(text: str, lang: str, **where: Any) -> str:
    """A reason as it is published: through the one cleaner of public text (a reason of
    U+200B alone, a control character or an open U+202E is refused, naming where)."""
    return clean(text, lang, multiline=True, persian=lang == "fa", **where)


def parse(data: Any, source: str, rules: RulePacks) -> list[Explanation]:
    """Entries of an explanations document (already parsed YAML or JSON)."""
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get("explanations", [])
    if not isinstance(data, list):
        raise IntakeRefused("explain.unreadable", file=source)
    codes = {rule.code for rule in rules.pack("revisions").rules}
    return [_entry(item, number, source, codes) for number, item in enumerate(data, start=1)]


def parse_text(text: str, source: str, rules: RulePacks) -> list[Explanation]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise IntakeRefused("explain.unreadable", file=source) from None
    return parse(data, source, rules)


def load(path: Path, rules: RulePacks) -> list[Explanation]:
    if not path.is_file():
        raise IntakeRefused("intake.source_missing", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise IntakeRefused("explain.unreadable", file=path.name) from None
    return parse_text(text, path.name, rules)


def in_package(root: Path, rules: RulePacks) -> list[Explanation]:
    """`explanations.yaml` beside `datapackage.json`, if the package carries one."""
    path = root / FILE_NAME
    return load(path, rules) if path.is_file() else []


def match(
    findings: list[Finding], given: list[Explanation]
) -> tuple[list[tuple[Finding, Explanation]], list[Finding]]:
    """Findings with their most specific explanation, and those nobody explained."""
    ranked = sorted(given, key=lambda e: -len(e.match))
    explained, unexplained = [], []
    for finding in findings:
        chosen = next((e for e in ranked if e.fits(finding)), None)
        if chosen is None:
            unexplained.append(finding)
        else:
            explained.append((finding, chosen))
    return explained, unexplained


def document(previous: Version, explained: list[tuple[Finding, Explanation]]) -> dict[str, Any]:
    """The `explanations` attachment: every change found, with its reason, as published."""
    changes = []
    for finding, explanation in explained:
        params = dict(finding.params)
        where = {"resource": finding.resource, "row": finding.row}
        reason = {
            lang: reason_text(text, lang, **where) for lang, text in explanation.reason.items()
        }
        changes.append(
            {
                "code": finding.code,
                "resource": finding.resource,
                "row": finding.row,
                "field": finding.field,
                **{name: str(params.get(name, "")) for name in ("key", "old", "new")},
                **{name: str(params[name]) for name in MATCH_NAMES if params.get(name)},
                "message": finding.message,
                "reason": reason,
                "scope": "finding" if {"key", "project"} & set(explanation.match) else "group",
            }
        )
    return {"previous_version": previous.number, "changes": changes}
