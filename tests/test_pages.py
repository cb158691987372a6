"""One table of pages: the dashboard's navigation, the door's routes and the sitemap agree."""

from __future__ import annotations

from portal.door import front, sitemap
from portal.i18n import LANGUAGES, catalog
from portal.pages import PAGES, by_key, path_of
from portal.web.site import RENDERERS


def test_every_page_has_a_renderer_and_nothing_else_does() -> None:
    assert set(RENDERERS) == {page.key for page in PAGES}


def test_the_door_draws_exactly_the_pages_marked_for_it() -> None:
    drawn = {page.path for page in PAGES if page.door}
    assert drawn | {"/home"} == set(front.PAGES)
    assert set(front.BUILDERS) == {page.key for page in PAGES if page.door}
    passed_on = {page.path for page in PAGES if not page.door}
    assert passed_on <= front.DASHBOARD_PATHS
    assert not drawn & front.DASHBOARD_PATHS


def test_the_sitemap_lists_the_public_pages_the_door_draws() -> None:
    assert set(sitemap.PAGES) == {page.path for page in PAGES if page.sitemap}
    assert all(by_key(page.key).door for page in PAGES if page.sitemap)


def test_titles_are_in_both_catalogs_and_paths_are_addresses() -> None:
    for lang in LANGUAGES:
        messages = catalog(lang)
        for page in PAGES:
            assert messages.get(page.title), (lang, page.title)
    assert path_of("home") == "/" and by_key("sql").path == "/sql"
    assert len({page.path for page in PAGES}) == len(PAGES)
