"""Findings and reports as plain data that the CLI, the API and the store share.

A finding keeps its message key and parameters; the Persian and English sentences are
made when shown, so a report of a million findings costs tuples, not strings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from portal.i18n import LANGUAGES, render
from portal.validation.rendering import WHERE, rendered_messages

Severity = Literal["error", "warning"]
CELL_ECHO = 200  # a report shows at most the offending cell, cut to this length


def echoed(cell: str | None) -> str | None:
    """The offending cell as a report shows it: cut to CELL_ECHO characters."""
    if cell is not None and len(cell) > CELL_ECHO:
        return cell[:CELL_ECHO] + "…"
    return cell


@dataclass(frozen=True)
class Finding:
    """One problem: a stable code, a severity, where it is, and what to say about it."""

    code: str
    severity: Severity
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    cell: str | None = None
    suggestion: str | None = None
    field_number: int | None = None
    message_key: str = ""
    params: tuple[tuple[str, Any], ...] = ()

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
        suggestion: str | None = None,
        field_number: int | None = None,
        message_key: str | None = None,
        **params: Any,
    ) -> Finding:
        """A finding whose message comes from the catalogs (`finding.<code>` by default)."""
        cell = echoed(cell)
        return cls(
            code,
            severity,
            resource,
            row,
            field,
            cell,
            suggestion,
            field_number,
            message_key or f"finding.{code}",
            tuple(sorted(params.items())),
        )

    @classmethod
    def of(
        cls,
        code: str,
        severity: Severity,
        resource: str | None,
        row: int | None,
        field: str | None,
        cell: str | None,
        field_number: int | None,
        message_key: str,
        params: tuple[tuple[str, Any], ...],
    ) -> Finding:
        """A finding from values in their final form (no suggestion), made the fast way:
        a frozen dataclass's __init__ sets each field through object.__setattr__, 2 us a
        finding, a third of a second for the 145k of a file in error."""
        finding = object.__new__(cls)
        vars(finding).update(
            code=code,
            severity=severity,
            resource=resource,
            row=row,
            field=field,
            cell=cell,
            suggestion=None,
            field_number=field_number,
            message_key=message_key,
            params=params,
        )
        return finding

    @property
    def message(self) -> dict[str, str]:
        values = {name: self.shown(name) for name in WHERE}
        values.update(self.params)
        return {lang: render(self.message_key, lang, values) for lang in LANGUAGES}

    def shown(self, name: str) -> Any:
        """A parameter of the message as shown: where the finding is, or its own params."""
        if name in WHERE:
            return getattr(self, name) or WHERE[name]
        return dict(self.params)[name]

    def to_dict(self, message: dict[str, str] | None = None) -> dict[str, Any]:
        """The finding as data; `message` when already rendered (see `messages`)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "cell": self.cell,
            "suggestion": self.suggestion,
            "message": self.message if message is None else message,
        }


@dataclass
class ResourceSummary:
    name: str
    path: str
    profile: str | None
    rows: int | None = None


@dataclass
class Report:
    """What validation found about one package, with completeness and the quality score."""

    package: str | None
    findings: list[Finding] = field(default_factory=list)
    resources: list[ResourceSummary] = field(default_factory=list)
    completeness: dict[str, dict[str, float]] = field(default_factory=dict)
    score: dict[str, Any] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)  # stops at the first

    def rows_of(self, resource: str) -> int | None:
        for summary in self.resources:
            if summary.name == resource:
                return summary.rows
        return None

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.code for f in self.findings))

    def to_dict(self, *, with_findings: bool = True) -> dict[str, Any]:
        """The report as data; `with_findings=False` leaves out the findings, for a caller
        that writes them itself (`portal.validation.rendering.findings_json`)."""
        by_severity = Counter(f.severity for f in self.findings)  # one pass, not three
        data = {
            "valid": by_severity["error"] == 0,
            "package": self.package,
            "errors": by_severity["error"],
            "warnings": by_severity["warning"],
            "counts": self.counts(),
            "resources": [asdict(r) for r in self.resources],
            "completeness": self.completeness,
            "score": self.score,
        }
        if with_findings:
            messages = rendered_messages(self.findings)
            data["findings"] = [
                f.to_dict(message) for f, message in zip(self.findings, messages, strict=True)
            ]
        return data
