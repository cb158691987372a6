"""The thin HTML renderer: a `Page` model -> the document bytes, via Jinja2 (autoescaped).

Everything a person or an agency wrote reaches the document through the template's
autoescape and inside `<bdi>`, so it can neither become markup nor reorder the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from portal.door.models import Page
from portal.door.shell import streamlit_shell
from portal.i18n import LANGUAGES, bilingual, text
from portal.web.feed_discovery import head_links

IMAGE_SIZE = (1200, 630)
NAV = (
    ("web.home", "/"),
    ("web.projects", "/projects"),
    ("web.cat.nav", "/dataset"),
    ("web.indicators", "/indicators"),
    ("web.agencies", "/agencies"),
    ("web.about", "/about"),
)


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("portal.door", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
    )


@cache
def css() -> str:
    return environment().loader.get_source(environment(), "door.css")[0]  # type: ignore[union-attr]


def in_language(address: str, lang: str) -> str:
    """`address` as the page in `lang` (Persian, the default, carries no `lang`)."""
    if lang == "fa":
        return address
    return f"{address}{'&' if '?' in address else '?'}lang={lang}"


def _words(lang: str) -> dict[str, str]:
    return {
        "skip": text("web.st.skip", lang),
        "nav": text("door.nav", lang),
        "sample": text("web.sample_notice", lang),
        "version": text("web.version", lang),
        "footer": text("web.footer.text", lang),
        "log": text("web.footer.log", lang),
    }


def head(page: Page, base: str) -> str:
    travel = page.travel
    path, _, query = travel.address.partition("?")
    return (
        environment()
        .get_template("head.html")
        .render(
            travel=travel,
            canonical=base + in_language(travel.address, page.lang),
            alternates=[
                ("fa", base + travel.address),
                ("en", base + in_language(travel.address, "en")),
                ("x-default", base + travel.address),
            ],
            site=text("door.site", page.lang),
            locale="fa_IR" if page.lang == "fa" else "en_US",
            image=base + travel.image,
            image_size=IMAGE_SIZE,
            feeds=head_links(path, query).decode("utf-8"),
            css=css(),
        )
    )


def body(page: Page) -> str:
    other = "en" if page.lang == "fa" else "fa"
    return (
        environment()
        .get_template("body.html")
        .render(
            page=page,
            direction="rtl" if page.lang == "fa" else "ltr",
            words=_words(page.lang),
            nav=[(text(key, page.lang), in_language(href, page.lang)) for key, href in NAV],
            other_language=(
                "English" if other == "en" else "فارسی",
                in_language(page.travel.address, other),
                other,
            ),
        )
    )


def document(page: Page, base: str) -> bytes:
    """The page in Streamlit's document: readable at once, the dashboard on top when it runs."""
    return streamlit_shell().document(page.lang, head(page, base), body(page)).encode("utf-8")


def error_document(message: Mapping[str, str], title_key: str = "door.not_found.title") -> bytes:
    """One bilingual page for every error a reader meets: the door's 404, and a 4xx of a
    route a browser opens (a citation link), with that error's own message."""
    words = {
        lang: {
            "title": text(title_key, lang),
            "text": message[lang],
            "home": text("door.not_found.home", lang),
        }
        for lang in LANGUAGES
    }
    page = environment().get_template("error.html").render(css=css(), **words)
    return page.encode("utf-8")


def not_found_document() -> bytes:
    """The page for every address that names nothing (served with 404)."""
    return error_document(bilingual("door.not_found.text"))
