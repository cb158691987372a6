#!/usr/bin/env python3
"""Write portal/profiles/counties/ from the published wheel of `django-iranian-cities`.

    pip download --no-deps django-iranian-cities==2.0.0 -d /tmp/wheels
    python scripts/import_counties.py /tmp/wheels/django_iranian_cities-2.0.0-py3-none-any.whl

The county list is taken as published (never typed by hand): its Persian names, its
province (the package's province codes are the ISO 3166-2:IR numbers) and its county code
(province number, then the county's number, as the package gives it), written as
`code,name_fa,province` with the wheel's licence beside it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "portal" / "profiles" / "counties"
DATA = "iranian_cities/data/"
LICENCE = "django_iranian_cities-2.0.0.dist-info/LICENSE"


def _rows(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(wheel.read(DATA + name).decode("utf-8"))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path)
    path = parser.parse_args().wheel
    print("sha256", hashlib.sha256(path.read_bytes()).hexdigest())
    with zipfile.ZipFile(path) as wheel:
        provinces = {row["id"]: int(row["code"]) for row in _rows(wheel, "province.csv")}
        counties = _rows(wheel, "county.csv")
        (OUT / "counties.LICENSE").write_bytes(wheel.read(LICENCE))
    rows = sorted(
        (f"{int(row['code']):04d}", row["name"].strip(), f"IR-{provinces[row['province']]:02d}")
        for row in counties
    )
    with (OUT / "counties.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "name_fa", "province"))
        writer.writerows(rows)
    print(len(rows), "counties written to", OUT)


if __name__ == "__main__":
    main()
