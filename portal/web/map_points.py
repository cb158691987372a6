"""Where a latitude and longitude fall on the province map's drawing.

The outlines (portal/web/maps/SOURCE.md) came without a projection. Fitted to the provinces'
geographic bounding boxes (validators/province_boxes.csv) against each outline's bounding
box in the 1080 x 1080 view box (`scripts/fit_map_projection.py`), the drawing is an
equirectangular projection: 51.76 units per degree of longitude and 60.91 per degree of
latitude (their ratio, 1.177, is 1/cos 32°: a plate carrée true at 32° N, the middle of
Iran), with a residual of about 5 units (0.5 % of the view box). Every sample project's
location then falls inside its own province's outline (tests/web/test_map_points.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# x = X_PER_DEGREE * longitude + X_AT_ZERO; y = Y_AT_ZERO - Y_PER_DEGREE * latitude
X_PER_DEGREE = 51.761
X_AT_ZERO = -2264.242
Y_PER_DEGREE = 60.910
Y_AT_ZERO = 2515.461
VIEW = 1080.0  # the view box's side
MOST_POINTS = 2000  # drawn on a phone at once; the table and downloads have them all


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


def to_view(latitude: float, longitude: float) -> tuple[float, float]:
    """The point of the view box a location falls on."""
    return X_PER_DEGREE * longitude + X_AT_ZERO, Y_AT_ZERO - Y_PER_DEGREE * latitude


def points(located: Iterable[tuple[object, object, str]]) -> tuple[Point, ...]:
    """(latitude, longitude, label) -> the points inside the drawing, at most MOST_POINTS;
    a missing or unreadable location is left out (the card says so in words)."""
    found = []
    for latitude, longitude, label in located:
        try:
            lat, lon = float(latitude), float(longitude)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if lat != lat or lon != lon:
            continue
        x, y = to_view(lat, lon)
        if 0 <= x <= VIEW and 0 <= y <= VIEW:
            found.append(Point(round(x, 1), round(y, 1), label))
        if len(found) >= MOST_POINTS:
            break
    return tuple(found)
