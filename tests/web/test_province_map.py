"""A real map (issue 22, item 8): 31 province outlines from a published, licensed source,
drawn offline, shaded with a legend and a no-data key, named in both languages."""

from __future__ import annotations

import re

from portal.config import Settings
from portal.profiles import codelist
from portal.web.province_map import outlines
from tests.web.test_pages import run


def test_every_province_has_an_outline() -> None:
    codes = {entry.code for entry in codelist("provinces")}
    assert set(outlines()["provinces"]) == codes and len(codes) == 31
    for d in outlines()["provinces"].values():
        assert re.fullmatch(r"[MmLlHhVvCcSsZz0-9 .\-]+", d) and d[0] == "M"


def _map(app) -> str:  # type: ignore[no-untyped-def]
    return next(m.value for m in app.markdown if 'class="gw-map"' in m.value)


def test_all_31_provinces_drawn_and_named_in_both_languages(published: Settings) -> None:
    for lang, khuzestan, yazd_none, no_data in (
        ("fa", "خوزستان: ", "کرمان: بی‌داده", "بی‌داده"),
        ("en", "Khuzestan: ", "Kerman: no data", "no data"),
    ):
        drawn = _map(run("home", lang))
        labels = re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*aria-label="([^"]+)"', drawn)
        assert len(labels) == 31
        names = {
            entry.name_fa if lang == "fa" else entry.name_en for entry in codelist("provinces")
        }
        assert {label.split(":")[0] for _, label in labels} == names
        shaded = [label for fill, label in labels if fill != "#f2f2f2"]
        assert len(shaded) == 2 and any(label.startswith(khuzestan) for label in shaded)
        assert any(label == yazd_none for _, label in labels)
        assert no_data in drawn.split('class="gw-map-key"')[1]  # the legend's no-data key
        assert "react-iran-map" in drawn
