"""Rule packs travel as objects: each validation uses the packs of its own settings."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from portal.config import Settings
from portal.publishing.publish import validate_source
from portal.validation.rules.packs import SHIPPED, RulePacks, rule_packs
from tests.packages import REPO, SAMPLE_PROJECTS

FAR_AWAY = "IR-21,25.0,25.5,61.0,61.5"  # Yazd's box moved to the Sistan border


def _moved_yazd(folder: Path) -> Path:
    shutil.copytree(REPO / "validators", folder)
    boxes = folder / "province_boxes.csv"
    lines = [
        FAR_AWAY if line.startswith("IR-21,") else line
        for line in boxes.read_text(encoding="utf-8").splitlines()
    ]
    boxes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _outside(settings: Settings) -> int:
    report = validate_source(SAMPLE_PROJECTS, settings).report
    return sum(f.code == "coordinates-outside-province" for f in report.findings)


def test_each_validation_uses_the_packs_of_its_settings(tmp_path: Path, settings: Settings) -> None:
    operators = replace(settings, validators=_moved_yazd(tmp_path / "rules"))
    assert _outside(settings) == 0
    assert _outside(operators) > 0  # no switch to flip first: the setting is enough
    assert _outside(settings) == 0  # and nothing of it stays behind for the next one


def test_a_folder_is_read_once_per_process(tmp_path: Path) -> None:
    folder = _moved_yazd(tmp_path / "rules")
    assert rule_packs(None) is SHIPPED
    assert rule_packs(folder) is rule_packs(folder)
    assert rule_packs(folder).province_boxes()["IR-21"] == (25.0, 25.5, 61.0, 61.5)
    assert SHIPPED.province_boxes()["IR-21"] != (25.0, 25.5, 61.0, 61.5)


def test_open_licences_come_from_the_packs_in_use(tmp_path: Path) -> None:
    folder = _moved_yazd(tmp_path / "rules")
    metadata = folder / "metadata.yaml"
    text = metadata.read_text(encoding="utf-8").replace("CC-BY-4.0, ", "")
    metadata.write_text(text, encoding="utf-8")
    assert "CC-BY-4.0" in SHIPPED.open_licenses()
    assert "CC-BY-4.0" not in RulePacks(folder).open_licenses()
