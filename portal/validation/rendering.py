"""A report's findings rendered many at a time: messages and JSON lines.

A report can hold 145k findings; shown one by one (a catalog look-up, a dict and a
format per message and language, then a JSON encoder per finding) they took 3.7 s, more
than validating the file. Here findings are grouped by message key, each parameter
is localised column by column, and a finding's JSON line is put together from its
encoded values: the same text, several times faster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from json import JSONEncoder
from json.encoder import encode_basestring
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from portal.i18n import LANGUAGES, render_many, shown_params

if TYPE_CHECKING:
    from portal.validation.report import Finding

# What a message shows for where a finding is, and in place of what it lacks.
WHERE = {
    "cell": "",
    "suggestion": "",
    "resource": "-",
    "row": "-",
    "field": "-",
    "field_number": "-",
}
_ENCODER = JSONEncoder(ensure_ascii=False)
_FIELDS = ("code", "severity", "resource", "row", "field", "cell", "suggestion")
# A finding's JSON as `json.dumps(finding.to_dict(), ensure_ascii=False)` writes it.
_LINE = (
    '{{"code": {}, "severity": {}, "resource": {}, "row": {}, "field": {}, "cell": {}, '
    '"suggestion": {}, "message": {{' + ", ".join(f'"{lang}": {{}}' for lang in LANGUAGES) + "}}}}"
)


def _groups(
    findings: list[Finding],
) -> Iterator[tuple[list[int], list[Finding], list[list[str]]]]:
    """Per message key: the positions of its findings, the findings, their messages per
    language."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, finding in enumerate(findings):
        groups[finding.message_key].append(index)
    for key, places in groups.items():
        members = [findings[index] for index in places]
        columns = []
        for name in shown_params(key):
            if name in WHERE:
                empty = WHERE[name]
                columns.append([value or empty for value in map(attrgetter(name), members)])
            else:
                columns.append([dict(f.params)[name] for f in members])
        texts = [render_many(key, lang, columns, len(members)) for lang in LANGUAGES]
        yield places, members, texts


def rendered_messages(findings: list[Finding]) -> list[dict[str, str]]:
    """Every finding's `message`, in order."""
    rendered: list[dict[str, str]] = [{}] * len(findings)
    for places, _, texts in _groups(findings):
        for index, message in zip(places, zip(*texts, strict=True), strict=True):
            rendered[index] = dict(zip(LANGUAGES, message, strict=True))
    return rendered


def _encoded(values: list[Any]) -> list[str] | None:
    """A column of values as JSON (None when one is not a str, an int or None)."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(encode_basestring, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if not kinds <= {str, int, type(None)}:
        return None
    known = {value: _ENCODER.encode(value) for value in set(values)}
    return [known[value] for value in values]


def findings_json(findings: list[Finding]) -> list[str]:
    """Every finding as one line of compact JSON, in order: exactly what the JSON encoder
    writes for `finding.to_dict()` (which writes any value of another type)."""
    lines = [""] * len(findings)
    for places, members, texts in _groups(findings):
        encoded = [_encoded(list(map(attrgetter(name), members))) for name in _FIELDS]
        encoded += [_encoded(messages) for messages in texts]
        columns = [column for column in encoded if column is not None]
        if len(columns) < len(encoded):
            for index, finding, *message in zip(places, members, *texts, strict=True):
                data = finding.to_dict(dict(zip(LANGUAGES, message, strict=True)))
                lines[index] = _ENCODER.encode(data)
            continue
        for index, values in zip(places, zip(*columns, strict=True), strict=True):
            lines[index] = _LINE.format(*values)
    return lines
