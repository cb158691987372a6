"""A report's findings rendered many at a time: messages and JSON lines.

A report can hold 145k findings; shown one by one (a catalog look-up, a dict and a
format per message and language, then a JSON encoder per finding) they took 3.7 s, more
than validating the file. Here findings are grouped by message key, each parameter
is localised column by column, and a finding's JSON line is put together from its
encoded values: the same text, several times faster. Where a message's parameters are
plain slots (no format spec, conversion or attribute), the line and both languages'
messages are one template: JSON escaping works character by character, so escaping the
message's literal text and each parameter apart gives what escaping the whole message
gives, with one `%` format a finding instead of three `format`s and no message made twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from json import JSONEncoder
from json.encoder import encode_basestring
from operator import attrgetter
from string import Formatter
from typing import TYPE_CHECKING, Any

from portal.i18n import LANGUAGES, localized_column, message_template, render_many, shown_params

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
Languages = tuple[str, ...]


@cache
def _line(langs: Languages) -> str:
    """A finding's JSON as `json.dumps(finding.to_dict(), ensure_ascii=False)` writes it,
    its message in `langs`."""
    return (
        '{{"code": {}, "severity": {}, "resource": {}, "row": {}, "field": {}, "cell": {}, '
        '"suggestion": {}, "message": {{' + ", ".join(f'"{lang}": {{}}' for lang in langs) + "}}}}"
    )


def _by_key(findings: list[Finding]) -> Iterator[tuple[str, list[int], list[Finding]]]:
    """Per message key: the positions of its findings, and the findings."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, finding in enumerate(findings):
        groups[finding.message_key].append(index)
    for key, places in groups.items():
        yield key, places, [findings[index] for index in places]


def _parameters(key: str, members: list[Finding]) -> list[list[Any]]:
    """The values of the parameters `key` shows, one list per parameter."""
    columns = []
    for name in shown_params(key):
        if name in WHERE:
            empty = WHERE[name]
            columns.append([value or empty for value in map(attrgetter(name), members)])
        else:
            columns.append([dict(f.params)[name] for f in members])
    return columns


def _groups(
    findings: list[Finding],
) -> Iterator[tuple[list[int], list[Finding], list[list[str]]]]:
    """Per message key: the positions of its findings, the findings, their messages per
    language."""
    for key, places, members in _by_key(findings):
        columns = _parameters(key, members)
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


def _escaped(text: str) -> str:
    return encode_basestring(text)[1:-1]


@cache
def _line_template(key: str, langs: Languages) -> tuple[str, tuple[int, ...]] | None:
    """A finding's whole JSON line for message `key` as one %-template, and which value
    fills each of its slots: values 0-6 are the encoded fields, then each language's
    parameters (escaped text) in `shown_params` order. `%` formatting, not `format`:
    half the cost a line. None when a parameter is not a plain slot."""
    shown = shown_params(key)
    order = list(range(len(_FIELDS)))
    messages = []
    for number, lang in enumerate(langs):
        first = len(_FIELDS) + number * len(shown)
        parts = []
        for literal, name, spec, conversion in Formatter().parse(message_template(key, lang)):
            parts.append(_escaped(literal).replace("%", "%%"))
            if name is None:
                continue
            if spec or conversion or name not in shown:
                return None
            parts.append("%s")
            order.append(first + shown.index(name))
        messages.append(f'"{lang}": "' + "".join(parts) + '"')
    fields = ", ".join(f'"{name}": %s' for name in _FIELDS)
    return "{" + fields + ', "message": {' + ", ".join(messages) + "}}", tuple(order)


def _text_column(shown: list[Any], source: list[Any]) -> list[str]:
    """A localised parameter as `str.format` writes it in a plain slot, JSON-escaped.

    Whole numbers localise to digits and group marks, which need no escaping; a column
    of few distinct values (resource, field, note) is escaped once per value."""
    if set(map(type, source)) == {int}:
        return shown
    texts = [v if type(v) is str else format(v, "") for v in shown]
    distinct = dict.fromkeys(texts)
    if 2 * len(distinct) <= len(texts):
        escaped = {text: _escaped(text) for text in distinct}
        return [escaped[text] for text in texts]
    return [_escaped(text) for text in texts]


def _fused_lines(
    key: str, members: list[Finding], fields: list[list[str]], langs: Languages
) -> list[str] | None:
    compiled = _line_template(key, langs)
    if compiled is None:
        return None
    template, order = compiled
    columns = _parameters(key, members)
    slots: list[list[str]] = []
    same: dict[int, list[str]] = {}  # text shown as it is in every language: escaped once
    for lang in langs:
        for number, column in enumerate(columns):
            shown = localized_column(column, lang)
            if shown is not column:
                slots.append(_text_column(shown, column))
                continue
            if number not in same:
                same[number] = _text_column(shown, column)
            slots.append(same[number])
    values = [*fields, *slots]
    return [template % line for line in zip(*(values[index] for index in order), strict=True)]


def findings_json(findings: list[Finding], langs: Languages = LANGUAGES) -> list[str]:
    """Every finding as one line of compact JSON, in order: exactly what the JSON encoder
    writes for `finding.to_dict()` (which writes any value of another type), its message
    in `langs` (the CLI's `--lang`: a report in one language is rendered once, not twice)."""
    lines = [""] * len(findings)
    for key, places, members in _by_key(findings):
        encoded = [_encoded(list(map(attrgetter(name), members))) for name in _FIELDS]
        fields = [column for column in encoded if column is not None]
        fused = _fused_lines(key, members, fields, langs) if len(fields) == len(encoded) else None
        if fused is not None:
            for index, line in zip(places, fused, strict=True):
                lines[index] = line
            continue
        texts = [render_many(key, lang, _parameters(key, members), len(members)) for lang in langs]
        encoded += [_encoded(messages) for messages in texts]
        columns = [column for column in encoded if column is not None]
        if len(columns) < len(encoded):
            for index, finding, *message in zip(places, members, *texts, strict=True):
                data = finding.to_dict(dict(zip(langs, message, strict=True)))
                lines[index] = _ENCODER.encode(data)
            continue
        for index, values in zip(places, zip(*columns, strict=True), strict=True):
            lines[index] = _line(langs).format(*values)
    return lines
