"""The public quality score: each component moves for the reason the methodology gives."""

from __future__ import annotations

import json
from pathlib import Path

from portal.config import Settings
from portal.publishing.publish import validate_source
from portal.validation.report import Finding, Report
from portal.validation.rules.packs import SHIPPED
from portal.validation.score import quality_score
from tests.packages import SAMPLE_PROJECTS, copy_sample, set_cell


def _descriptor() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (SAMPLE_PROJECTS / "datapackage.json").read_text(encoding="utf-8")
    )
    return data


def test_the_sample_scores_full_marks_and_components_add_up(settings: Settings) -> None:
    report = validate_source(SAMPLE_PROJECTS, settings).report
    score = quality_score(report, _descriptor(), SHIPPED)
    components = score["components"]
    assert sum(c["max"] for c in components.values()) == 100
    assert score["total"] == round(sum(c["points"] for c in components.values()))
    assert score["total"] == 100


def test_missing_metadata_costs_its_points() -> None:
    descriptor = _descriptor()
    for key in ("publisher", "contact", "sources", "title_fa"):
        descriptor.pop(key, None)
    descriptor["licenses"] = [{"name": "proprietary"}]
    score = quality_score(Report(package="p"), descriptor, SHIPPED)["components"]
    assert score["reusability"]["points"] == 0
    assert score["findability"]["points"] == 12
    assert score["accuracy"]["points"] == 0  # nothing was checked, nothing is vouched for


def test_errors_in_cells_lower_accuracy(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "spent_irr", "999999999999999")
    report = validate_source(folder, settings).report
    assert any(isinstance(f, Finding) and f.field == "spent_irr" for f in report.findings)
    score = quality_score(report, _descriptor(), SHIPPED)
    assert score["components"]["accuracy"]["points"] < 20
