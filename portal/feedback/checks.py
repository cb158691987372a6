"""What a citizen's item must be before it is stored: each refusal names what and where.

The figure an item points at must exist: the dataset, the version, the resource, the row
(numbered like `_id` in the API: 1 = first data row) and the field.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from portal.errors import FeedbackRefused, NotFound
from portal.public_text import clean, clean_optional
from portal.store import Store
from portal.store.feedback_records import KINDS, MAX_CONTACT, MAX_MESSAGE, MAX_NAME, NewFeedback

# Characters that reorder what follows them (U+202A-U+202E embeddings and overrides,
# U+2066-U+2069 isolates) or end a string early (NUL): a flag could otherwise show a
# figure reversed. Refused, not silently removed, so the citizen knows.
HIDDEN = frozenset("\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Texts that point at a figure are short: a dataset, a resource, a field, a value, a project.
MAX_POINTER = 200
MAX_NUMBER = 10**9


def hidden_character(text: str) -> str | None:
    """The first direction-control or NUL character in `text`, as a code point (U+202E)."""
    found = next((c for c in text if c in HIDDEN), None)
    return None if found is None else f"U+{ord(found):04X}"


def _check_text(name: str, value: str) -> None:
    character = hidden_character(value)
    if character is not None:
        raise FeedbackRefused("feedback.hidden_character", field=name, character=character)
    if name not in ("message", "name", "contact") and len(value) > MAX_POINTER:
        raise FeedbackRefused("feedback.too_long", field=name, limit=MAX_POINTER, length=len(value))


def new_feedback(data: dict[str, Any]) -> NewFeedback:
    """A NewFeedback from a JSON body, with a 409 naming each field of the wrong type."""
    fields: dict[str, Any] = {}
    for name in (
        "dataset",
        "message",
        "kind",
        "resource",
        "field",
        "value",
        "project",
        "name",
        "contact",
    ):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise FeedbackRefused("feedback.expected_text", field=name)
        if value is not None:
            _check_text(name, value)
        fields[name] = value
    for name in ("version", "row"):
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise FeedbackRefused("feedback.expected_integer", field=name)
        if value is not None and not 1 <= value <= MAX_NUMBER:
            raise FeedbackRefused("feedback.out_of_range", field=name, limit=MAX_NUMBER)
        fields[name] = value
    if not fields["dataset"]:
        raise FeedbackRefused("feedback.missing", field="dataset")
    for name in ("row", "field", "value"):
        if fields[name] is not None and not fields["resource"]:
            raise FeedbackRefused("feedback.needs_resource", field=name)
    return NewFeedback(
        dataset=fields["dataset"],
        message=fields["message"] or "",
        kind=fields["kind"] or "question",
        version=fields["version"],
        resource=fields["resource"],
        row=fields["row"],
        field=fields["field"],
        value=fields["value"],
        project=fields["project"],
        name=fields["name"],
        contact=fields["contact"],
    )


def checked(store: Store, item: NewFeedback) -> NewFeedback:
    """The item cleaned and checked against the catalog; raises on the first problem."""
    if not item.message.strip():
        raise FeedbackRefused("feedback.missing", field="message")
    # The one cleaner of public text: a control character or nothing visible is refused.
    message = clean(item.message, "message", multiline=True, error=FeedbackRefused)
    name = clean_optional(item.name, "name", error=FeedbackRefused)
    contact = clean_optional(item.contact, "contact", error=FeedbackRefused)
    value = clean_optional(item.value, "value", error=FeedbackRefused)
    project = clean_optional(item.project, "project", error=FeedbackRefused)
    if len(message) > MAX_MESSAGE:
        raise FeedbackRefused(
            "feedback.too_long", field="message", limit=MAX_MESSAGE, length=len(message)
        )
    if name and len(name) > MAX_NAME:
        raise FeedbackRefused("feedback.too_long", field="name", limit=MAX_NAME, length=len(name))
    if contact and len(contact) > MAX_CONTACT:
        raise FeedbackRefused(
            "feedback.too_long", field="contact", limit=MAX_CONTACT, length=len(contact)
        )
    if item.kind not in KINDS:
        raise FeedbackRefused("feedback.bad_kind", field="kind")
    _check_target(store, item)
    return replace(item, message=message, name=name, contact=contact, value=value, project=project)


def _check_target(store: Store, item: NewFeedback) -> None:
    agency, _, dataset = item.dataset.partition("/")
    version = store.version(agency, dataset, item.version)
    if version is None:
        what = item.dataset if item.version is None else f"{item.dataset}@{item.version}"
        raise NotFound("feedback.no_dataset", dataset=what)
    if item.resource is None:
        return
    entry = version.resource(item.resource)
    if entry is None:
        raise NotFound("feedback.no_resource", resource=item.resource, dataset=item.dataset)
    if item.row is not None and not 1 <= item.row <= (entry.rows or 0):
        raise FeedbackRefused("feedback.no_row", field="row", row=item.row, rows=entry.rows or 0)
    if item.field is not None:
        spec = store.resource_spec(version, item.resource)
        names = [f.get("name") for f in (spec.get("schema") or {}).get("fields", [])]
        if item.field not in names:
            raise FeedbackRefused("feedback.no_field", field="field", name=item.field)
