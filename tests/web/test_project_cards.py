"""Projects as cards on a phone (issue 22, item 1): the whole title, status as a word,
amounts in units, progress, overdue marker; each card a link that opens the project."""

from __future__ import annotations

import pandas as pd

from portal.config import Settings
from portal.web.project_cards import overdue
from tests.web.test_pages import run


def _cards(app) -> str:  # type: ignore[no-untyped-def]
    return "".join(h.proto.body for h in app.get("html") if "gw-pcard" in h.proto.body)


def test_cards_carry_what_a_phone_reader_needs(published: Settings) -> None:
    app = run("projects", "fa", province="IR-06")
    cards = _cards(app)
    assert cards.count('class="gw-pcard"') == 30
    assert "احداث تقاطع غیرهمسطح در مسجدسلیمان" in cards  # the whole title
    assert "اعتبار ۷۹۶ میلیارد ریال" in cards and "796000000000" not in cards
    link = "/projects?lang=fa&amp;province=IR-06&amp;project=mrud-khuzestan-0001#card"
    assert f'href="{link}"' in cards  # the filters kept, the card's heading
    assert "هنوز در حال اجرا" in cards  # an overdue project is marked
    english = _cards(run("projects", "en"))
    assert "budget 796 billion rials" in english and "Physical progress" in english


def test_overdue_means_past_the_planned_end_and_still_under_way() -> None:
    row = pd.Series({"planned_end_date": "2024-01-04", "status": "implementation"})
    assert overdue(row, "2026-12-04") and not overdue(row, "2023-12-31")
    assert not overdue(
        pd.Series({"planned_end_date": "2024-01-04", "status": "completion"}), "2026-12-04"
    )
    assert not overdue(
        pd.Series({"planned_end_date": "", "status": "implementation"}), "2026-12-04"
    )


def test_the_wide_table_starts_with_the_title_on_the_reading_side(published: Settings) -> None:
    fa = next(f.value for f in run("projects", "fa").dataframe if "عنوان" in f.value.columns)
    assert list(fa.columns)[-1] == "عنوان"  # drawn left to right: the rightmost column
    en = next(f.value for f in run("projects", "en").dataframe if "title" in f.value.columns)
    assert en.columns[0] == "title"


def test_a_sample_projects_card_says_it_is_sample_data(published: Settings) -> None:
    # A shared link scrolls to the card, past the page's own notice at the top.
    app = run("projects", "fa", project="mrud-khuzestan-0001")
    card = [w.value for w in app.warning]
    assert "دادهٔ نمونه: این طرح نمایشی است و آمار رسمی نیست." in card
    english = run("projects", "en", project="mrud-khuzestan-0001")
    assert any("this project is illustrative" in w.value for w in english.warning)
