"""A choropleth of the 31 provinces, drawn offline from published outlines (see
portal/web/maps/SOURCE.md): each province shaded by its value, with a legend and a
no-data key; every province named in the page's language for screen readers and on hover.
The tile grid stays beside it as the alternative that shows every name and value as text.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from typing import Any

from portal.profiles import codelist_names
from portal.web.map_points import Point
from portal.web.ui import current_language, num, t

SEQUENTIAL = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]  # as the charts
NO_DATA = "#f2f2f2"


@cache
def outlines() -> dict[str, Any]:
    """The view box and each province code's SVG path (21 KB, read once)."""
    path = files("portal.web") / "maps" / "iran_provinces.json"
    shapes: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return shapes


def _shade(value: float, low: float, high: float) -> str:
    share = 0.0 if high <= low else (value - low) / (high - low)
    return SEQUENTIAL[min(int(share * len(SEQUENTIAL)), len(SEQUENTIAL) - 1)]


def _name(code: str) -> str:
    entry = codelist_names("provinces").get(code)
    if entry is None:
        return code
    return entry.name_fa if current_language() == "fa" else entry.name_en


def svg(values: dict[str, float], title: str, unit: str, located: tuple[Point, ...] = ()) -> str:
    """The map as inline SVG plus its legend, in the page's language and digits; `located`
    are project locations (`portal.web.map_points`), drawn as dots over the provinces."""
    shown = [v for v in values.values() if v == v]
    low, high = (min(shown), max(shown)) if shown else (0.0, 0.0)
    paths = []
    for code, d in outlines()["provinces"].items():
        value = values.get(code)
        has = value is not None and value == value
        said = (
            t("h-citizen.map.value", name=_name(code), value=num(round(value)), unit=unit)
            if has and value is not None
            else t("h-citizen.map.no_data", name=_name(code))
        )
        fill = _shade(value, low, high) if has and value is not None else NO_DATA
        paths.append(
            f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="1.5" '
            f'data-code="{code}" role="img" aria-label="{html.escape(said)}">'
            f"<title>{html.escape(said)}</title></path>"
        )
    box = outlines()["viewBox"]
    drawing = (
        f'<svg class="gw-map" viewBox="{box}" role="group" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(paths)
        + _dots(located)
        + "</svg>"
    )
    return (
        f'{CSS}<figure class="gw-map-figure"><figcaption>{html.escape(title)}</figcaption>'
        f"{drawing}{_legend(low, high, unit, len(located))}"
        f'<p class="gw-map-source">{_source()}</p></figure>'
    )


SOURCE = "react-iran-map 0.1.3 (MIT)"  # a package's name and licence: not translated


def _source() -> str:
    """Where the outlines come from; the package's name marked as English text."""
    marker = "\u0000"
    said = html.escape(t("h-citizen.map.source", source=marker))
    return said.replace(marker, f'<span lang="en" dir="ltr">{html.escape(SOURCE)}</span>')


DOT = "#d55e00"  # Okabe-Ito vermilion: apart from every blue of the scale


def _dots(located: tuple[Point, ...]) -> str:
    """Each location a dot named by its project (hover, screen readers), in one group."""
    if not located:
        return ""
    dots = "".join(
        f'<circle cx="{p.x}" cy="{p.y}" r="5"><title>{html.escape(p.label)}</title></circle>'
        for p in located
    )
    said = html.escape(t("citizen.map.points", count=num(len(located))))
    return (
        f'<g class="gw-map-points" fill="{DOT}" stroke="#ffffff" stroke-width="1.5" '
        f'role="group" aria-label="{said}">{dots}</g>'
    )


def _legend(low: float, high: float, unit: str, dots: int = 0) -> str:
    steps = len(SEQUENTIAL)
    width = (high - low) / steps if high > low else 0.0
    keys = []
    for index, colour in enumerate(SEQUENTIAL):
        start, end = low + index * width, low + (index + 1) * width
        said = t("h-citizen.map.range", start=num(round(start)), end=num(round(end)))
        keys.append(f'<li><span style="background:{colour}"></span>{html.escape(said)}</li>')
    keys.append(
        f'<li><span style="background:{NO_DATA}; border:1px solid #8c8c8c"></span>'
        f"{html.escape(t('web.chart.no_data'))}</li>"
    )
    if dots:
        said = html.escape(t("citizen.map.points", count=num(dots)))
        keys.append(f'<li><span class="gw-dot" style="background:{DOT}"></span>{said}</li>')
    return f'<ul class="gw-map-key" aria-label="{html.escape(unit)}">{"".join(keys)}</ul>'


CSS = """
<style>
.gw-map-figure { margin: 0 0 1rem 0; }
.gw-map-figure figcaption { font-weight: 600; margin-bottom: 0.25rem; }
.gw-map { width: 100%; max-width: 560px; height: auto; display: block; }
.gw-map path:hover, .gw-map path:focus { stroke: #000; stroke-width: 3; }
.gw-map-key { list-style: none; padding: 0; margin: 0.5rem 0; display: flex;
  flex-wrap: wrap; gap: 0.25rem 0.9rem; font-size: 0.9rem; }
.gw-map-key li { display: flex; align-items: center; gap: 0.3rem; }
.gw-map-key span { display: inline-block; width: 14px; height: 14px; }
.gw-map-key span.gw-dot { border-radius: 50%; width: 10px; height: 10px; }
.gw-map-source { font-size: 0.8rem; color: #555; }
</style>
"""
