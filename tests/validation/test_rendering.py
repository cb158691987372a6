"""A report's findings rendered many at a time say what they said one by one (issue 25).

The reference is the simple form the report had before: each finding's message made by
`text()` per language from its location and parameters, each finding encoded by the JSON
encoder, written by `print_json`.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from portal.cli.output import print_json
from portal.config import Settings
from portal.i18n import LANGUAGES, text
from portal.intake.staging import staged
from portal.validation.engine import validate_package
from portal.validation.rendering import findings_json, rendered_messages
from portal.validation.report import Finding, Report
from portal.validation.rules.packs import SHIPPED
from tests.cli_runs import run
from tests.packages import copy_sample, read_rows, write_rows


def _message(finding: Finding) -> dict[str, str]:
    where = {
        "resource": finding.resource or "-",
        "row": finding.row or "-",
        "field": finding.field or "-",
        "field_number": finding.field_number or "-",
    }
    params = {
        "cell": finding.cell or "",
        "suggestion": finding.suggestion or "",
        **where,
        **dict(finding.params),
    }
    return {lang: text(finding.message_key, lang, **params) for lang in LANGUAGES}


def _reference(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "resource": finding.resource,
        "row": finding.row,
        "field": finding.field,
        "cell": finding.cell,
        "suggestion": finding.suggestion,
        "message": _message(finding),
    }


def _many_errors(folder: Path) -> Path:
    """The sample projects repeated to 1,200 rows (row numbers grouped in thousands),
    every fifth row with one error of a kind: type, constraint, codelist, required,
    Jalali date, repeated id, an id with a zero-width space, Persian digits, a blank row."""
    path = folder / "data" / "projects.csv"
    sample = read_rows(path)
    rows = []
    for number in range(1200):
        row = dict(sample[number % len(sample)])
        row["id"] = f"{row['id']}-{number:04d}"
        kind = number % 40
        if kind == 0:
            row["budget_irr"] = "n/a"
        elif kind == 5:
            row["physical_progress_pct"] = "150"
        elif kind == 10:
            row["status"] = "done"
        elif kind == 15:
            row["title_fa"] = ""
        elif kind == 20:
            row["start_date"] = "1402/05/17"
        elif kind == 25:
            row["id"] = rows[-1]["id"]
        elif kind == 30:
            row["id"] = rows[-1]["id"] + "\u200b"
        elif kind == 35:
            row["beneficiaries"] = "۱۲۵۰"
        elif kind == 38:
            row = dict.fromkeys(row, "")
        rows.append(row)
    write_rows(path, rows)
    return folder


@pytest.fixture
def report(tmp_path: Path, settings: Settings) -> Report:
    folder = _many_errors(copy_sample(tmp_path / "pkg"))
    with staged(folder, settings) as package:
        found, _ = validate_package(package, SHIPPED, agency="mrud-yazd")
    return found


def test_the_report_has_many_findings_of_many_kinds(report: Report) -> None:
    assert len(report.findings) > 150
    assert max(f.row or 0 for f in report.findings) > 1000
    assert len({f.message_key for f in report.findings}) >= 6
    assert any(f.suggestion for f in report.findings)
    assert any(f.row is None or f.field is None for f in report.findings)


def test_messages_rendered_together_are_those_rendered_one_by_one(report: Report) -> None:
    reference = [_message(f) for f in report.findings]
    assert rendered_messages(report.findings) == reference
    assert [f.message for f in report.findings] == reference
    assert report.to_dict()["findings"] == [_reference(f) for f in report.findings]


def test_json_lines_are_what_the_encoder_writes(report: Report) -> None:
    encoder = json.JSONEncoder(ensure_ascii=False)
    lines = findings_json(report.findings)
    assert lines == [encoder.encode(_reference(f)) for f in report.findings]
    # a value of another type (here a float cell) is still written as the encoder would
    odd = Finding(
        "type-error", "error", "t", 3, "f", 1.5, None, 1, "finding.type-error", (("note", "x"),)
    )  # type: ignore[arg-type]
    assert findings_json([odd]) == [encoder.encode(odd.to_dict())]


@pytest.mark.parametrize("langs", [("en",), ("fa",)])
def test_json_lines_in_one_language_are_the_encoders_with_that_message_alone(
    report: Report, langs: tuple[str, ...]
) -> None:
    encoder = json.JSONEncoder(ensure_ascii=False)
    expected = []
    for finding in report.findings:
        data = _reference(finding)
        data["message"] = {lang: data["message"][lang] for lang in langs}
        expected.append(encoder.encode(data))
    assert findings_json(report.findings, langs) == expected
    findings = [  # the fused template too, hostile text included
        Finding.make("type-error", "error", resource="t", row=9, field=c, cell=c, note=c)
        for c in HOSTILE
    ]
    assert findings_json(findings, langs) == [
        encoder.encode({**_reference(f), "message": {lang: f.message[lang] for lang in langs}})
        for f in findings
    ]


def test_the_cli_json_speaks_the_language_asked(tmp_path: Path, settings: Settings) -> None:
    folder = _many_errors(copy_sample(tmp_path / "pkg"))
    home = ("--home", str(settings.home))
    for asked, said in (("en", {"en"}), ("fa", {"fa"}), ("both", {"fa", "en"})):
        code, out = run(*home, "--lang", asked, "validate", str(folder), "--json")
        assert code == 1
        findings = json.loads(out[out.index("{") :])["findings"]
        assert findings and all(set(f["message"]) == said for f in findings)


def test_the_cli_json_report_is_the_one_written_before(tmp_path: Path, settings: Settings) -> None:
    folder = _many_errors(copy_sample(tmp_path / "pkg"))
    code, out = run("--home", str(settings.home), "validate", str(folder), "--json")
    assert code == 1
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED)
    data = report.to_dict(with_findings=False)
    data["findings"] = [_reference(f) for f in report.findings]
    written = io.StringIO()
    with redirect_stdout(written):
        print_json(data)
    assert out.endswith(written.getvalue())
    assert json.loads(out[out.index("{") :]) == data


HOSTILE = ['say "hi"', "back\\slash", "two\nlines\ttab", "bell\x01", "{0} and }{", "متن «فارسی»"]


def test_one_template_a_line_escapes_as_the_encoder_does() -> None:
    # The line and both messages as one template: cells and parameters with quotes,
    # backslashes, control characters and braces come out as the encoder writes them.
    encoder = json.JSONEncoder(ensure_ascii=False)
    findings = [
        Finding.make(
            "type-error",
            "error",
            resource="t",
            row=1000 + number,
            field=cell,
            cell=cell,
            field_number=number,
            note=cell,
            type="integer",
        )
        for number, cell in enumerate(HOSTILE, start=1)
    ]
    assert findings_json(findings) == [encoder.encode(_reference(f)) for f in findings]


def test_a_message_with_a_format_spec_is_still_rendered_exactly(monkeypatch) -> None:
    from portal import i18n
    from portal.validation import rendering

    changed = {
        "en": dict(i18n.catalog("en"), **{"finding.type-error": "row {row:>8}: {cell!r}"}),
        "fa": dict(i18n.catalog("fa"), **{"finding.type-error": "سطر {row}: «{cell}»"}),
    }
    caches = (i18n._compiled, i18n._positional, rendering._line_template)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(i18n, "catalog", changed.__getitem__)
    try:
        finding = Finding.make("type-error", "error", resource="t", row=7, cell='a"b')
        assert rendering._line_template("finding.type-error", ("fa", "en")) is None  # not slots
        encoder = json.JSONEncoder(ensure_ascii=False)
        assert findings_json([finding]) == [encoder.encode(_reference(finding))]
        assert '"en": "row        7: \'a\\"b\'"' in findings_json([finding])[0]
    finally:
        monkeypatch.undo()
        for cached in caches:
            cached.cache_clear()
