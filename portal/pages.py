"""The public pages, declared once: navigation, the door's routing and the sitemap read this.

A page is one address. The dashboard (portal/web) draws every page; the door
(portal/door) answers the pages it renders on the server before the dashboard loads,
and passes the others (a form, a query, a calendar of the moment) on. Adding a page is
one row here, a renderer in `portal/web/site.py`, and a builder in `portal/door/front.py`
when the door draws it (tests/test_pages.py keeps the three in step).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PAGES", "Page", "by_key", "path_of"]


@dataclass(frozen=True)
class Page:
    key: str  # the dashboard's url_path and the renderer's name
    title: str  # catalog key of the page's title in navigation
    thing: str = ""  # the query parameter naming one thing on the page (a card, a dataset)
    door: bool = True  # the door renders it on the server
    sitemap: bool = True  # crawlers are pointed at it

    @property
    def path(self) -> str:
        return path_of(self.key)


PAGES: tuple[Page, ...] = (
    Page("home", "web.home"),
    Page("projects", "web.projects", thing="project"),
    Page("indicators", "web.indicators"),
    Page("dataset", "web.cat.nav", thing="dataset"),  # without `?dataset=`: the catalogue
    Page("agencies", "web.agencies", thing="agency"),
    Page("releases", "calendar.title", door=False, sitemap=False),
    Page("sql", "web.sql", door=False, sitemap=False),
    Page("publish", "web.publish", door=False, sitemap=False),
    Page("about", "web.about"),
)


def path_of(key: str) -> str:
    return "/" if key == "home" else f"/{key}"


def by_key(key: str) -> Page:
    return next(page for page in PAGES if page.key == key)
