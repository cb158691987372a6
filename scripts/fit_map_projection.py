#!/usr/bin/env python3
"""Fit the province map's projection (the constants of portal/web/map_points.py).

    pip install svgelements   # a test dependency
    python scripts/fit_map_projection.py

Each province's outline is flattened (svgelements) and its bounding box in the view box is
paired with the province's geographic box (validators/province_boxes.csv): west and east
with the smallest and largest x, north and south with the smallest and largest y. A
straight-line fit of each axis, for latitude as it is (equirectangular) and as Mercator's
y, prints the coefficients and their residuals; the smaller residual names the projection.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
from svgelements import Path as SvgPath

ROOT = Path(__file__).resolve().parents[1]


def outline_box(d: str) -> tuple[float, float, float, float]:
    path = SvgPath(d)
    xs, ys = [], []
    for part in path.as_subpaths():
        piece = SvgPath(part)
        steps = max(50, int(piece.length(error=1e-2) / 2))
        for i in range(steps + 1):
            point = piece.point(i / steps)
            xs.append(point.x)
            ys.append(point.y)
    return min(xs), max(xs), min(ys), max(ys)


def mercator(latitude: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))


def main() -> None:
    drawing = json.loads((ROOT / "portal/web/maps/iran_provinces.json").read_text("utf-8"))
    boxes = list(csv.DictReader((ROOT / "validators/province_boxes.csv").open(encoding="utf-8")))
    views = {code: outline_box(d) for code, d in drawing["provinces"].items()}
    for name, lat in (("equirectangular", lambda v: v), ("mercator", mercator)):
        xs, lons, ys, lats = [], [], [], []
        for box in boxes:
            left, right, top, bottom = views[box["code"]]
            xs += [left, right]
            lons += [float(box["west"]), float(box["east"])]
            ys += [bottom, top]
            lats += [lat(float(box["south"])), lat(float(box["north"]))]
        fx, fy = np.polyfit(lons, xs, 1), np.polyfit(lats, ys, 1)
        rx = np.sqrt(np.mean((np.array(xs) - np.polyval(fx, lons)) ** 2))
        ry = np.sqrt(np.mean((np.array(ys) - np.polyval(fy, lats)) ** 2))
        print(f"{name}: x = {fx[0]:.3f} lon {fx[1]:+.3f}; y = {fy[1]:.3f} - {-fy[0]:.3f} lat")
        print(f"  residual (rms, view-box units): x {rx:.1f}, y {ry:.1f}")


if __name__ == "__main__":
    main()
