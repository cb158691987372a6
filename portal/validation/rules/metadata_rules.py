"""Package metadata rules: present, meaningful and consistent with the data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import jdatetime

from portal.public_text import normalised, problem
from portal.validation.report import Finding
from portal.validation.rules.batch import RuleContext
from portal.validation.rules.packs import Rule
from portal.validation.rules.summary import DataSummary

MetadataRule = Callable[[Rule, dict[str, Any], DataSummary, RuleContext], list[Finding]]


def _finding(rule: Rule, field: str, cell: Any = None, **params: Any) -> Finding:
    text = None if cell is None else str(cell)
    return Finding.make(rule.code, rule.severity, field=field, cell=text, **params)


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def metadata_present(
    rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext
) -> list[Finding]:
    key = rule.params["key"]
    return [] if _filled(d.get(key)) else [_finding(rule, key)]


def license_open(rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext) -> list[Finding]:
    names = [
        str(item.get("name", "")) for item in d.get("licenses") or [] if isinstance(item, dict)
    ]
    if not names or any(name in rule.params["open"] for name in names):
        return []
    return [_finding(rule, "licenses", ", ".join(names))]


def publisher_matches_agency(
    rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext
) -> list[Finding]:
    claimed = d.get("agency")
    if c.agency is None or claimed in (None, c.agency):
        return []
    return [_finding(rule, "agency", claimed, agency=c.agency)]


def text_min_length(rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext) -> list[Finding]:
    found = []
    for key in rule.params["keys"]:
        text = str(d.get(key) or "").strip()
        if len(text) < rule.params["min_length"]:
            found.append(_finding(rule, key, text[:40], length=len(text)))
    return found


def public_text(rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext) -> list[Finding]:
    """Titles and descriptions through the one cleaner of public text: a control character,
    nothing visible, or an unclosed direction control is an error naming the property."""
    found = []
    for key in rule.params["keys"]:
        value = d.get(key)
        if not isinstance(value, str) or not value.strip():
            continue  # missing text has its own rules
        wrong = problem(normalised(value, multiline=True), multiline=True)
        if wrong is not None:
            reason, params = wrong
            name = reason.removeprefix("text.")
            key_of = None if name == "control" else f"finding.{rule.code}.{name}"
            found.append(_finding(rule, key, message_key=key_of, **params))
    return found


def frequency_known(rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext) -> list[Finding]:
    value = d.get("update_frequency")
    return [] if value in rule.params["values"] else [_finding(rule, "update_frequency", value)]


def _declared_period(d: dict[str, Any]) -> tuple[date, date] | None:
    temporal = d.get("temporal")
    if not isinstance(temporal, dict):
        return None
    try:
        return date.fromisoformat(str(temporal["start"])), date.fromisoformat(str(temporal["end"]))
    except (KeyError, ValueError):
        return None


def _step_date(step: int) -> date:
    gregorian: date = jdatetime.date(step // 12, step % 12 + 1, 1).togregorian()
    return gregorian


def temporal_consistent(
    rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext
) -> list[Finding]:
    declared = _declared_period(d)
    if declared is None:
        return []
    start, end = declared
    first = _step_date(s.first_step) if s.first_step is not None else s.first_date
    last = _step_date(s.last_step) if s.last_step is not None else None
    outside = (first is not None and first < start) or (last is not None and last > end)
    if not outside:
        return []
    span = f"{first} … {last or s.last_date}"
    return [_finding(rule, "temporal", span, start=start.isoformat(), end=end.isoformat())]


def _declared_provinces(d: dict[str, Any]) -> set[str]:
    spatial = d.get("spatial")
    if isinstance(spatial, dict):
        return {str(p) for p in spatial.get("provinces") or []}
    return set()


def spatial_consistent(
    rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext
) -> list[Finding]:
    declared = _declared_provinces(d)
    extra = sorted(s.provinces - declared - {"IR"})
    return [_finding(rule, "spatial", ", ".join(extra))] if declared and extra else []


def provinces_have_rows(
    rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext
) -> list[Finding]:
    missing = sorted(_declared_provinces(d) - s.provinces)
    return [_finding(rule, "spatial", code) for code in missing] if s.has_province else []


def freshness(rule: Rule, d: dict[str, Any], s: DataSummary, c: RuleContext) -> list[Finding]:
    allowance = rule.params["allowance_days"].get(d.get("update_frequency"))
    if allowance is None:
        return []
    newest = None
    if s.last_step is not None:  # a period counts from its last day
        following = s.last_step + 1
        newest = _step_date(following) - timedelta(days=1)
    elif s.last_updated is not None:
        newest = s.last_updated
    if newest is None or (c.today - newest).days <= allowance:
        return []
    days = (c.today - newest).days
    return [_finding(rule, "update_frequency", newest.isoformat(), newest=newest, days=days)]


METADATA_RULES: dict[str, MetadataRule] = {
    "metadata_present": metadata_present,
    "license_open": license_open,
    "publisher_matches_agency": publisher_matches_agency,
    "text_min_length": text_min_length,
    "public_text": public_text,
    "frequency_known": frequency_known,
    "temporal_consistent": temporal_consistent,
    "spatial_consistent": spatial_consistent,
    "provinces_have_rows": provinces_have_rows,
    "freshness": freshness,
}
