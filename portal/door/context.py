"""One page request's words and formats: the language, the day and the portal's address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from portal.door.models import Travel
from portal.door.published import Publication
from portal.i18n import catalog, text
from portal.profiles import codelist_names
from portal.tables.filters import NOTHING_CHOSEN, Chosen
from portal.trust import said
from portal.web.format import day, number


@dataclass(frozen=True)
class Ask:
    """What a page builder needs besides the publication: language, today, base URL."""

    publication: Publication
    lang: str
    today: str
    base: str
    chosen: Chosen = NOTHING_CHOSEN  # the filters and words the address names (projects)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.lang, **params)

    def num(self, value: Any) -> str:
        if value is None or value != value or value == "":  # NaN or missing
            return "-"
        return number(value, self.lang)

    def when(self, value: Any) -> str:
        if value is None or value != value or value == "":
            return "-"
        raw = str(value)
        return day(raw if "T" in raw else raw[:10], self.lang)

    def pick(self, fa: Any, en: Any) -> str:
        """The value in the page language, falling back to the other one."""
        first, second = (fa, en) if self.lang == "fa" else (en, fa)
        filled = first not in (None, "") and first == first
        return str(first) if filled else str(second if second == second and second else "")

    def maybe(self, key: str, fallback: str) -> str:
        """The message `key` when the catalogs have it (codes agencies chose), else `fallback`."""
        return self.t(key) if key in catalog(self.lang) else fallback

    def named(self, code: Any, listname: str) -> str:
        """A codelist code (province, sector) by its name in the page language."""
        entry = codelist_names(listname).get(str(code))
        return self.pick(entry.name_fa, entry.name_en) if entry else str(code or "-")

    def money(self, rials: Any) -> str:
        return said.money(rials, self.lang)

    def href(self, path: str, **params: str) -> str:
        """A page address in this language (Persian is the default: no `lang`)."""
        query = urlencode(params, safe="/")
        if self.lang != "fa":
            query = f"{query}&lang={self.lang}" if query else f"lang={self.lang}"
        return f"{path}?{query}" if query else path

    def travel(self, title: str, description: str, address: str, **extra: str) -> Travel:
        """The page's shared-link card: the picture is the page's own figure card."""
        image = "/og.png?" + urlencode({"page": address, "lang": self.lang}, safe="/")
        return Travel(
            title=title,
            description=description,
            address=address,
            image=image,
            image_alt=title,
            modified=self.publication.modified,
            **extra,
        )
