"""Findings and reports as plain data that the CLI, the API and the store share."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from portal.i18n import bilingual

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem: a stable code, a severity, where it is, and what to say about it."""

    code: str
    severity: Severity
    message: dict[str, str]
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    cell: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        severity: Severity,
        *,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
        cell: str | None = None,
        message_key: str | None = None,
        **params: Any,
    ) -> Finding:
        """A finding whose message comes from the catalogs (`finding.<code>` by default)."""
        where = {"resource": resource or "-", "row": row or "-", "field": field or "-"}
        message = bilingual(message_key or f"finding.{code}", cell=cell or "", **where, **params)
        return cls(code, severity, message, resource, row, field, cell)


@dataclass
class ResourceSummary:
    name: str
    path: str
    profile: str | None
    rows: int | None = None


@dataclass
class Report:
    """What validation found about one package."""

    package: str | None
    findings: list[Finding] = field(default_factory=list)
    resources: list[ResourceSummary] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    def rows_of(self, resource: str) -> int | None:
        for summary in self.resources:
            if summary.name == resource:
                return summary.rows
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "package": self.package,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "counts": dict(Counter(f.code for f in self.findings)),
            "resources": [asdict(r) for r in self.resources],
            "findings": [asdict(f) for f in self.findings],
        }
