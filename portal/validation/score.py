"""The public quality score (0-100), computed from the report and the metadata.

Its components follow the EU data.europa.eu Metadata Quality Assessment dimensions
(findability, accessibility, interoperability, reusability, contextuality) and
data.gouv.fr's metadata score, plus two about the data itself (accuracy and
completeness). validators/README.md explains each point; the glass wall shows them.
"""

from __future__ import annotations

from typing import Any

from portal.validation.report import Report
from portal.validation.rules.packs import RulePacks


def _has(descriptor: dict[str, Any], key: str) -> bool:
    value = descriptor.get(key)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _long(descriptor: dict[str, Any], key: str) -> bool:
    return len(str(descriptor.get(key) or "").strip()) > 100


def _codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def _recommended_share(report: Report, rules: RulePacks) -> float:
    """Mean fill share of the profile's recommended fields (of every field elsewhere)."""
    shares: list[float] = []
    for summary in report.resources:
        filled = report.completeness.get(summary.name, {})
        wanted: list[str] = list(filled)
        if summary.profile:
            for rule in rules.pack(summary.profile).of_type("fill_share"):
                wanted = [f for f in rule.params["fields"] if f in filled] or wanted
        shares += [filled[name] for name in wanted]
    return sum(shares) / len(shares) if shares else 0.0


def _affected_share(report: Report) -> float:
    rows = sum(summary.rows or 0 for summary in report.resources)
    if not rows:
        return 1.0 if report.error_count else 0.0
    errors = {(f.resource, f.row) for f in report.findings if f.severity == "error" and f.row}
    warnings = {(f.resource, f.row) for f in report.findings if f.severity == "warning" and f.row}
    return min(1.0, (len(errors) + 0.5 * len(warnings - errors)) / rows)


def quality_score(report: Report, descriptor: dict[str, Any], rules: RulePacks) -> dict[str, Any]:
    codes = _codes(report)
    licenses = [
        str(item.get("name")) for item in descriptor.get("licenses") or [] if isinstance(item, dict)
    ]
    profiled = any(summary.profile for summary in report.resources)
    components = {
        "findability": (
            15,
            3 * _has(descriptor, "title")
            + 3 * _has(descriptor, "title_fa")
            + 2 * _long(descriptor, "description")
            + 2 * _long(descriptor, "description_fa")
            + 2 * _has(descriptor, "keywords")
            + 1.5 * _has(descriptor, "spatial")
            + 1.5 * _has(descriptor, "temporal"),
        ),
        "accessibility": (10, 0 if codes & {"format-unsupported", "encoding-error"} else 10),
        "interoperability": (
            15,
            5 * profiled
            + 5 * (not codes & {"profile-field-missing", "profile-field-type"})
            + 5
            * (
                not any(
                    f.code == "constraint-error" and "enum" in str(dict(f.params).get("note"))
                    for f in report.findings
                )
            ),
        ),
        "reusability": (
            15,
            6 * any(name in rules.open_licenses() for name in licenses)
            + 3 * _has(descriptor, "publisher")
            + 3 * _has(descriptor, "contact")
            + 3 * _has(descriptor, "sources"),
        ),
        "contextuality": (
            10,
            4
            * (descriptor.get("update_frequency") is not None and "frequency-missing" not in codes)
            + 4 * ("stale" not in codes)
            + 2 * (not codes & {"temporal-inconsistent", "spatial-inconsistent"}),
        ),
        "accuracy": (20, 20 * (1 - _affected_share(report)) if report.resources else 0),
        "completeness": (
            15,
            12 * _recommended_share(report, rules)
            + 3 * (not codes & {"missing-period", "province-not-covered"}),
        ),
    }
    points = {
        name: {"points": round(float(value), 1), "max": top}
        for name, (top, value) in components.items()
    }
    return {"total": round(sum(p["points"] for p in points.values())), "components": points}
