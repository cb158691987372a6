"""Project locations fall on the province map where they are: inside their own outline."""

from __future__ import annotations

import csv
import re
from functools import cache

import numpy as np
from svgelements import Path as SvgPath

from portal.config import Settings
from portal.publishing.demo import DATASETS_DIR
from portal.web.map_points import points, to_view
from portal.web.province_map import outlines
from tests.web.test_pages import run


@cache
def polygons(code: str) -> tuple[np.ndarray, ...]:
    """The province's outline flattened to polygons (one per closed part)."""
    found = []
    for part in SvgPath(outlines()["provinces"][code]).as_subpaths():
        piece = SvgPath(part)
        steps = max(50, int(piece.length(error=1e-2) / 2))
        found.append(
            np.array([(p.x, p.y) for p in (piece.point(i / steps) for i in range(steps + 1))])
        )
    return tuple(found)


def inside(x: float, y: float, code: str) -> bool:
    """Even-odd ray casting over the province's polygons."""
    crossings = 0
    for poly in polygons(code):
        xs, ys = poly[:, 0], poly[:, 1]
        xs2, ys2 = np.roll(xs, -1), np.roll(ys, -1)
        spans = (ys > y) != (ys2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = xs + (y - ys) * (xs2 - xs) / (ys2 - ys)
        crossings += int(np.sum(spans & (x < at)))
    return crossings % 2 == 1


def provinces_at(x: float, y: float) -> list[str]:
    return [code for code in outlines()["provinces"] if inside(x, y, code)]


def test_known_places_fall_in_their_province() -> None:
    # Capitals as Natural Earth and every atlas place them (not sample data).
    for code, latitude, longitude in (
        ("IR-23", 35.69, 51.39),  # Tehran
        ("IR-09", 36.30, 59.60),  # Mashhad
        ("IR-03", 38.08, 46.29),  # Tabriz
        ("IR-11", 29.50, 60.86),  # Zahedan
        ("IR-21", 31.90, 54.37),  # Yazd
        ("IR-06", 31.32, 48.67),  # Ahvaz
    ):
        assert provinces_at(*to_view(latitude, longitude)) == [code], code


def test_every_sample_project_falls_inside_its_province() -> None:
    rows = []
    for path in DATASETS_DIR.glob("*/data/projects.csv"):
        rows += list(csv.DictReader(path.open(encoding="utf-8-sig")))
    located = [r for r in rows if r["latitude"] and r["longitude"]]
    assert len(located) >= 50
    for row in located:
        x, y = to_view(float(row["latitude"]), float(row["longitude"]))
        assert provinces_at(x, y) == [row["province"]], (row["id"], row["county"])


def test_missing_or_foreign_locations_are_left_out() -> None:
    found = points([(31.9, 54.37, "a"), (None, 54.0, "b"), ("", "", "c"), (48.0, 2.3, "Paris")])
    assert [p.label for p in found] == ["a"]


def test_the_home_map_draws_each_located_project(published: Settings) -> None:
    for lang, said in (("fa", "جای طرح‌ها"), ("en", "project locations")):
        app = run("home", lang)
        drawn = next(m.value for m in app.markdown if 'class="gw-map"' in m.value)
        dots = re.findall(
            r'<circle cx="([0-9.]+)" cy="([0-9.]+)" r="5"><title>([^<]+)</title>', drawn
        )
        assert len(dots) == 80  # every sample project has a location
        assert said in drawn.split('class="gw-map-key"')[1]
        # the dots are drawn where the projects are: in Khuzestan and Yazd, nowhere else
        assert {code for x, y, _ in dots for code in provinces_at(float(x), float(y))} == {
            "IR-06",
            "IR-21",
        }
