"""One test per rule: a package with exactly that problem gets exactly that finding."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jdatetime
import pytest

from portal.config import Settings
from portal.intake.staging import staged
from portal.persian import to_persian_digits
from portal.validation.engine import validate_package
from portal.validation.report import Report
from portal.validation.rules.packs import SHIPPED
from tests.packages import DATASETS, read_rows, write_rows

TODAY = date(2026, 11, 22)
PROJECTS = DATASETS / "mrud-khuzestan"
INDICATORS = DATASETS / "mcls-yazd"


def run(folder: Path, settings: Settings, agency: str | None = None) -> Report:
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED, agency=agency, today=TODAY)
    return report


def edit_projects(folder: Path, index: int, **cells: str) -> None:
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    rows[index].update(cells)
    write_rows(path, rows)


def edit_descriptor(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def first(folder: Path, **conditions: str) -> int:
    rows = read_rows(folder / "data" / "projects.csv")
    return next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in conditions.items()))


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(PROJECTS, tmp_path / "projects"))


@pytest.fixture
def indicators(tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(INDICATORS, tmp_path / "indicators"))


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def test_clean_packages_have_no_findings(
    projects: Path, indicators: Path, settings: Settings
) -> None:
    for folder, agency in ((projects, "mrud-khuzestan"), (indicators, "mcls-yazd")):
        report = run(folder, settings, agency)
        assert report.findings == [], [f.message["en"] for f in report.findings]
        assert report.score["total"] >= 95


def _implementation(folder: Path) -> int:
    return first(folder, status="implementation")


PROJECT_CASES: list[tuple[str, Callable[[Path], None], set[str], str | None]] = [
    (
        "spent-over-budget",
        lambda f: edit_projects(
            f, _implementation(f), budget_irr="1000000000", spent_irr="1100000000"
        ),
        {"spent-over-budget"},
        "spent_irr",
    ),
    (
        "spent-far-over-budget",
        lambda f: edit_projects(
            f, _implementation(f), budget_irr="1000000000", spent_irr="13000000000"
        ),
        {"spent-far-over-budget"},
        "spent_irr",
    ),
    (
        "progress-complete-but-open",
        lambda f: edit_projects(f, _implementation(f), physical_progress_pct="100"),
        {"progress-complete-but-open"},
        "physical_progress_pct",
    ),
    (
        "completed-but-progress-below-100",
        lambda f: edit_projects(f, first(f, status="completion"), physical_progress_pct="80"),
        {"completed-but-progress-below-100"},
        "physical_progress_pct",
    ),
    (
        "start-after-planned-end",
        lambda f: edit_projects(
            f, _implementation(f), start_date="2025-01-01", planned_end_date="2024-01-01"
        ),
        {"start-after-planned-end"},
        "planned_end_date",
    ),
    (
        "start-after-actual-end",
        lambda f: edit_projects(
            f,
            first(f, status="maintenance"),
            start_date="2026-10-01",
            actual_end_date="2026-09-01",
            inauguration_date="2026-10-10",
            planned_end_date="2027-01-01",
        ),
        {"start-after-actual-end"},
        "actual_end_date",
    ),
    (
        "inauguration-before-end",
        lambda f: edit_projects(
            f,
            first(f, status="maintenance"),
            start_date="2024-01-01",
            planned_end_date="2025-12-01",
            actual_end_date="2025-06-19",
            inauguration_date="2025-06-01",
        ),
        {"inauguration-before-end"},
        "inauguration_date",
    ),
    (
        "actual-date-in-future",
        lambda f: edit_projects(
            f, _implementation(f), start_date="2026-12-20", planned_end_date="2028-01-01"
        ),
        {"actual-date-in-future"},
        "start_date",
    ),
    (
        "inauguration-not-completed",
        lambda f: edit_projects(f, _implementation(f), inauguration_date="2026-12-01"),
        {"inauguration-not-completed"},
        "inauguration_date",
    ),
    (
        "coordinates-outside-iran",
        lambda f: edit_projects(f, _implementation(f), latitude="48.67", longitude="31.32"),
        {"coordinates-outside-iran", "coordinates-outside-province"},
        "latitude",
    ),
    (
        "coordinates-outside-province",
        lambda f: edit_projects(f, _implementation(f), latitude="31.90", longitude="54.37"),
        {"coordinates-outside-province"},
        "latitude",
    ),
    (
        "codelist-value (structural enum)",
        lambda f: edit_projects(f, _implementation(f), status="done"),
        {"constraint-error"},
        "status",
    ),
    (
        "recommended-field-sparse",
        lambda f: [edit_projects(f, i, latitude="") for i in range(30)],
        {"recommended-field-sparse"},
        "latitude",
    ),
    (
        "persian-digits",
        lambda f: edit_projects(f, _implementation(f), jobs_created="۱۲۰"),
        {"persian-digits"},
        "jobs_created",
    ),
    (
        "arabic-letters",
        lambda f: edit_projects(
            f,
            _implementation(f),
            status="implementation",
            sector="transport.road",
            county="مسجدسليمان",
        ),
        {"county-spelling"},  # a free-text county: the county list gives the spelling
        "county",
    ),
    (
        "jalali-date (slashes)",
        lambda f: edit_projects(f, _implementation(f), start_date="1402/05/17"),
        {"type-error", "jalali-date"},
        "start_date",
    ),
    (
        "jalali-date (ISO form)",
        lambda f: edit_projects(
            f, _implementation(f), start_date="1402-05-17", planned_end_date="2027-01-01"
        ),
        {"jalali-date", "temporal-inconsistent"},
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "expected", "field"), PROJECT_CASES, ids=[c[0] for c in PROJECT_CASES]
)
def test_project_rule(
    name: str,
    mutate: Callable[[Path], None],
    expected: set[str],
    field: str | None,
    projects: Path,
    settings: Settings,
) -> None:
    mutate(projects)
    report = run(projects, settings, "mrud-khuzestan")
    assert codes(report) == expected, [f.message["en"] for f in report.findings]
    if field:
        assert all(
            f.field == field
            for f in report.findings
            if f.code in expected - {"coordinates-outside-province"}
        )
    for finding in report.findings:
        assert finding.message["fa"] and finding.message["en"]


def test_arabic_letters_in_a_codelist_value(projects: Path, settings: Settings) -> None:
    """The province codelist is ISO codes, so the check runs on a Persian enum we add."""

    def add_enum(descriptor: dict) -> None:
        from portal.profiles import profile_schema

        schema = profile_schema("projects")
        for field in schema["fields"]:
            if field["name"] == "county":
                field["constraints"] = {
                    "enum": [
                        "مسجدسلیمان",
                        "اهواز",
                        "آبادان",
                        "خرمشهر",
                        "دزفول",
                        "اندیمشک",
                        "شوشتر",
                        "بهبهان",
                        "بندرماهشهر",
                        "ایذه",
                        "رامهرمز",
                        "شوش",
                    ]
                }
        descriptor["resources"][0]["schema"] = schema

    edit_descriptor(projects, add_enum)
    edit_projects(projects, _implementation(projects), county="مسجدسليمان")
    report = run(projects, settings, "mrud-khuzestan")
    found = {f.code: f for f in report.findings}
    assert set(found) == {"arabic-letters", "constraint-error"}
    assert found["arabic-letters"].suggestion == "مسجدسلیمان"


def edit_observations(folder: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    path = folder / "data" / "observations.csv"
    rows = read_rows(path)
    change(rows)
    write_rows(path, rows)


def _set_value(
    rows: list[dict[str, str]], indicator: str, period: str, county: str, value: str
) -> None:
    for row in rows:
        if (row["indicator_id"], row["period"], row["county"]) == (indicator, period, county):
            row["value"] = value


INDICATOR_CASES: list[tuple[str, Callable[[Path], None], set[str]]] = [
    (
        "percent-out-of-range",
        lambda f: edit_observations(
            f, lambda rows: _set_value(rows, "coop_jobs_share", "1404-01", "میبد", "340")
        ),
        {"percent-out-of-range", "outlier", "sudden-jump"},
    ),
    (
        "total-mismatch",
        lambda f: edit_observations(
            f, lambda rows: _set_value(rows, "coops_registered", "1404-01", "", "99999")
        ),
        {"total-mismatch", "outlier", "sudden-jump"},
    ),
    (
        "outlier and sudden-jump",
        lambda f: edit_observations(
            f,
            lambda rows: [
                _set_value(rows, "welfare_beneficiaries", "1404-03", "میبد", "900000"),
                _set_value(
                    rows,
                    "welfare_beneficiaries",
                    "1404-03",
                    "",
                    str(
                        sum(
                            float(r["value"])
                            for r in rows
                            if r["indicator_id"] == "welfare_beneficiaries"
                            and r["period"] == "1404-03"
                            and r["county"]
                        )
                    ),
                ),
            ],
        ),
        {"outlier", "sudden-jump"},
    ),
    (
        "missing-period",
        lambda f: edit_observations(
            f,
            lambda rows: rows.__setitem__(
                slice(None),
                [
                    r
                    for r in rows
                    if not (r["indicator_id"] == "ui_claimants" and r["period"] == "1404-05")
                ],
            ),
        ),
        {"missing-period"},
    ),
    (
        "unknown-indicator (structural foreign key)",
        lambda f: edit_observations(
            f,
            lambda rows: rows.append(
                {
                    "indicator_id": "jobs_crated",
                    "period": "1404-01",
                    "province": "IR-21",
                    "county": "",
                    "value": "5",
                }
            ),
        ),
        {"foreign-key"},
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "expected"), INDICATOR_CASES, ids=[c[0] for c in INDICATOR_CASES]
)
def test_indicator_rule(
    name: str,
    mutate: Callable[[Path], None],
    expected: set[str],
    indicators: Path,
    settings: Settings,
) -> None:
    mutate(indicators)
    report = run(indicators, settings, "mcls-yazd")
    assert codes(report) == expected, [f.message["en"] for f in report.findings]


def test_unit_mismatch(indicators: Path, settings: Settings) -> None:
    def with_unit_field(descriptor: dict) -> None:
        from portal.profiles import profile_schema

        schema = profile_schema("observations")
        schema["fields"].append({"name": "unit", "type": "string"})
        descriptor["resources"][1]["schema"] = schema

    edit_descriptor(indicators, with_unit_field)

    def add_unit(rows: list[dict[str, str]]) -> None:
        for row in rows:
            units = {"coops_registered": "count", "coop_jobs_share": "percent"}
            row["unit"] = units.get(row["indicator_id"], "persons")
        rows[5]["unit"] = "thousand persons"

    edit_observations(indicators, add_unit)
    report = run(indicators, settings, "mcls-yazd")
    assert codes(report) == {"unit-mismatch"}


METADATA_CASES: list[tuple[str, Callable[[dict], None], set[str]]] = [
    ("license-missing", lambda d: d.update(licenses=[]), {"license-missing"}),
    (
        "license-not-open",
        lambda d: d.update(licenses=[{"name": "all-rights-reserved"}]),
        {"license-not-open"},
    ),
    ("publisher-missing", lambda d: d.pop("publisher"), {"publisher-missing"}),
    ("publisher-not-agency", lambda d: d.update(agency="mcls-yazd"), {"publisher-not-agency"}),
    ("contact-missing", lambda d: d.pop("contact"), {"contact-missing"}),
    (
        "description-too-short",
        lambda d: d.update(description="Projects."),
        {"description-too-short"},
    ),
    ("title control", lambda d: d.update(title="Projects\x1b[2J"), {"text-not-clean"}),
    ("title_fa invisible", lambda d: d.update(title_fa="\u200b\u200c\u0640"), {"text-not-clean"}),
    (
        "description open U+202E",
        lambda d: d.update(description_fa=d["description_fa"] + " \u202e۰۰۱"),
        {"text-not-clean"},
    ),
    ("temporal-missing", lambda d: d.pop("temporal"), {"temporal-missing"}),
    ("spatial-missing", lambda d: d.pop("spatial"), {"spatial-missing"}),
    ("frequency-missing", lambda d: d.update(update_frequency="sometimes"), {"frequency-missing"}),
    ("sources-missing", lambda d: d.pop("sources"), {"sources-missing"}),
    (
        "temporal-inconsistent",
        lambda d: d.update(temporal={"start": "2024-01-01", "end": "2026-10-22"}),
        {"temporal-inconsistent"},
    ),
    (
        "spatial-inconsistent and province-not-covered",
        lambda d: d.update(spatial={"provinces": ["IR-21"]}),
        {"spatial-inconsistent", "province-not-covered"},
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "expected"), METADATA_CASES, ids=[c[0] for c in METADATA_CASES]
)
def test_metadata_rule(
    name: str,
    change: Callable[[dict], None],
    expected: set[str],
    projects: Path,
    settings: Settings,
) -> None:
    edit_descriptor(projects, change)
    report = run(projects, settings, "mrud-khuzestan")
    found = codes(report)
    if name == "contact-missing":
        found -= set()  # the score drops too, but no other finding appears
    assert found == expected, [f.message["en"] for f in report.findings]


def test_stale_data(indicators: Path, settings: Settings) -> None:
    with staged(indicators, settings) as package:
        report, _ = validate_package(package, SHIPPED, agency="mcls-yazd", today=date(2027, 6, 1))
    assert codes(report) == {"stale"}
    (stale,) = report.findings
    newest = date.fromisoformat(stale.cell or "")
    jalali = jdatetime.date.fromgregorian(date=newest).strftime("%Y/%m/%d")
    # the dataset page and the clerk read it in Persian: a Jalali date in Persian digits
    assert to_persian_digits(jalali) in stale.message["fa"], stale.message["fa"]
    assert newest.isoformat() not in stale.message["fa"]
    assert newest.isoformat() in stale.message["en"]


def test_encoding_windows_1256(projects: Path, settings: Settings) -> None:
    path = projects / "data" / "projects.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("windows-1256", errors="replace"))
    report = run(projects, settings, "mrud-khuzestan")
    found = {f.code: f for f in report.findings}
    assert "encoding-error" in found and found["encoding-not-utf8"].suggestion == "windows-1256"


def test_encoding_utf16(projects: Path, settings: Settings) -> None:
    path = projects / "data" / "projects.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    report = run(projects, settings, "mrud-khuzestan")
    found = {f.code: f for f in report.findings}
    assert found["encoding-not-utf8"].suggestion == "utf-16"
