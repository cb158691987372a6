"""Builders of small, real data packages on disk for the tests."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATASETS = REPO / "datasets"
SAMPLE_PROJECTS = DATASETS / "mrud-yazd"


def copy_sample(target: Path, sample: Path = SAMPLE_PROJECTS) -> Path:
    """A copy of a sample package that a test may change."""
    shutil.copytree(sample, target)
    return target


def edit_descriptor(folder: Path, **changes: Any) -> dict[str, Any]:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor.update(changes)
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return descriptor


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(folder: Path, row_index: int, field: str, value: str) -> None:
    """Change one cell of the projects table (row_index 0 = first data row)."""
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    rows[row_index][field] = value
    write_rows(path, rows)


def generic_package(folder: Path, name: str = "table", rows: int = 3, marker: str = "a") -> Path:
    """A minimal non-profiled package: one CSV with its own schema."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id,label"] + [f"{i},{marker}{i}" for i in range(1, rows + 1)]
    (folder / "table.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    descriptor = {
        "name": name,
        "resources": [
            {
                "name": "table",
                "path": "table.csv",
                "schema": {
                    "fields": [
                        {"name": "id", "type": "integer"},
                        {"name": "label", "type": "string"},
                    ]
                },
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return archive
