"""Projects as cards for a phone: the whole title, the status as a word, budget and
spending in units with the page's digits, a progress bar and an overdue marker; a card is
a link that opens the project (the address keeps the filters, so the list comes back).

On a wide screen the table is shown instead; CSS picks one by the screen's width, so the
page needs no knowledge of the device.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from portal.web.ui import code_label, current_language, money, num, t, when

CARDS = 30  # cards drawn on a phone: search or filter to reach others
UNDER_WAY = frozenset({"identification", "preparation", "implementation"})
# The cards on narrow screens, the table on wide ones (Streamlit gives a keyed container
# the class `st-key-<key>`).
CSS = """
<style>
.gw-pcard { display: block; border: 1px solid #c8c8c8; border-radius: 0.5rem;
  padding: 0.6rem 0.8rem; margin-bottom: 0.6rem; color: inherit !important;
  text-decoration: none !important; min-height: 44px; }
.gw-pcard:focus, .gw-pcard:hover { border-color: #1f5fa8; outline: 2px solid #1f5fa8; }
.gw-pcard b { display: block; font-size: 1rem; line-height: 1.5; }
.gw-pcard .gw-facts { font-size: 0.9rem; color: #333; }
.gw-pcard .gw-bar { height: 8px; background: #e3e3e3; border-radius: 4px; margin: 0.35rem 0; }
.gw-pcard .gw-bar span { display: block; height: 8px; background: #1f5fa8; border-radius: 4px; }
.gw-pcard .gw-late { color: #a1001a; font-size: 0.9rem; }
@media (max-width: 640px) { .st-key-p_table_wide, [class*="st-key-gw_wide_"] {
  display: none !important; } }
@media (min-width: 641px) { .st-key-p_cards_narrow, [class*="st-key-gw_narrow_"] {
  display: none !important; } }
</style>
"""


def overdue(row: Any, today: str) -> bool:
    """Past its planned end and still under way (not completed, not cancelled)."""
    planned = str(row.get("planned_end_date") or "")[:10]
    return bool(planned) and planned < today and str(row.get("status")) in UNDER_WAY


def _progress(value: Any) -> float:
    try:
        share = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if share != share else max(0.0, min(100.0, share))


def card_html(row: Any, title: str, place: str, today: str, address: str) -> str:
    """One project's card as a link; every published text is escaped."""
    status = code_label("web.status.", row.get("status"))
    progress = _progress(row.get("physical_progress_pct"))
    facts = t(
        "h-citizen.card.facts",
        status=status,
        place=place,
        budget=money(row.get("budget_irr")),
        spent=money(row.get("spent_irr")),
    )
    late = ""
    if overdue(row, today):
        late = t("h-citizen.card.overdue", date=when(row.get("planned_end_date")), status=status)
        late = f'<div class="gw-late">{html.escape(late)}</div>'
    said = t("h-citizen.card.progress", value=num(round(progress, 1)))
    return (
        f'<a class="gw-pcard" href="{html.escape(address)}" target="_self">'
        f"<b>{html.escape(title)}</b>"
        f'<div class="gw-facts">{html.escape(facts)}</div>'
        f'<div class="gw-bar" role="img" aria-label="{html.escape(said)}">'
        f'<span style="width:{progress:.1f}%"></span></div>'
        f'<div class="gw-facts">{html.escape(said)}</div>{late}</a>'
    )


def cards(rows: pd.DataFrame, titles: pd.Series, places: pd.Series) -> None:
    """The first CARDS projects as cards, each opening its project with the filters kept."""
    today = date.today().isoformat()
    kept = {k: v for k, v in st.query_params.to_dict().items() if k != "project"}
    kept["lang"] = current_language()
    shown = []
    for (_, row), title, place in zip(
        rows.head(CARDS).iterrows(), titles.head(CARDS), places.head(CARDS), strict=True
    ):
        query = urlencode({**kept, "project": str(row["id"])})
        address = f"/projects?{query}#card"  # the card's heading: no scrolling past the list
        shown.append(card_html(row, str(title), str(place), today, address))
    st.html(CSS + "".join(shown))
    if len(rows) > CARDS:
        st.caption(t("h-citizen.card.more", shown=num(CARDS), total=num(len(rows))))


def plain_cards(items: list[tuple[str, list[str]]]) -> None:
    """Rows of a table (a history, a revision) as cards for a narrow screen: a heading and
    its lines, every text escaped. Shown instead of a grid by the same CSS."""
    shown = [
        '<div class="gw-pcard"><b>'
        + html.escape(head)
        + "</b>"
        + "".join(f'<div class="gw-facts">{html.escape(line)}</div>' for line in lines)
        + "</div>"
        for head, lines in items
    ]
    st.html(CSS + "".join(shown))


# On a phone the card comes after the list: an address that names a project shows its card,
# once per page load (a later rerun, such as a filter change, leaves the reader where it is).
SCROLL = """
<script>
(() => {
  if (window.__gwCardShown === location.search || window.innerWidth > 640) return;
  const card = () => document.getElementById("card");
  let tries = 0;
  const go = () => {
    const found = card();
    if (found) { found.scrollIntoView({block: "start"}); window.__gwCardShown = location.search; }
    else if (tries++ < 40) setTimeout(go, 100);
  };
  go();
})();
</script>
"""


def scroll_to_card() -> None:
    """Bring the opened project's card into view on a narrow screen."""
    st.html(SCROLL, unsafe_allow_javascript=True)
