"""Feedback items as they cross module boundaries. No record here carries a contact address."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("question", "flag")
STATES = ("waiting", "public", "hidden")
OUTCOMES = ("corrected", "explained", "rejected")
MAX_MESSAGE = 500
MAX_NAME = 80
MAX_CONTACT = 200
MAX_ANSWER = 2000


@dataclass(frozen=True)
class NewFeedback:
    """What a citizen sends; `dataset` is `AGENCY/DATASET`."""

    dataset: str
    message: str
    kind: str = "question"
    version: int | None = None
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    value: str | None = None
    project: str | None = None
    name: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    agency: str
    dataset: str
    kind: str
    message: str
    name: str | None
    created_at: str
    state: str
    version: int | None
    resource: str | None
    row: int | None
    field: str | None
    value: str | None
    project: str | None
    answer: str | None
    outcome: str | None
    outcome_version: int | None
    answered_at: str | None
    hidden_reason: str | None

    def public(self) -> dict[str, object]:
        """What anyone may see of an approved item (never the contact, never a hidden reason)."""
        return {
            "id": self.id,
            "dataset": f"{self.agency}/{self.dataset}",
            "kind": self.kind,
            "message": self.message,
            "name": self.name,
            "created_at": self.created_at,
            "version": self.version,
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "project": self.project,
            "answer": self.answer,
            "outcome": self.outcome,
            "outcome_version": self.outcome_version,
            "answered_at": self.answered_at,
        }
