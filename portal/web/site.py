"""The pages of the glass wall, by name: the entry script and the page tests use the same map."""

from __future__ import annotations

from collections.abc import Callable

from portal.web.views import (
    about,
    agencies,
    dataset,
    home,
    indicators,
    projects,
    publish,
    releases,
    sql,
)

RENDERERS: dict[str, Callable[[], None]] = {
    "home": home.render,
    "projects": projects.render,
    "indicators": indicators.render,
    "agencies": agencies.render,
    "dataset": dataset.render,
    "releases": releases.render,
    "sql": sql.render,
    "publish": publish.render,
    "about": about.render,
}
