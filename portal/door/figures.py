"""The home page's headline figures, computed once for both renderers.

The Streamlit dashboard and the server-rendered page show the same cells: both ask this
module, so a figure is never computed in two places that could disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portal.i18n import text
from portal.web.format import number


@dataclass(frozen=True)
class Headline:
    """The portal's key figures: counts, rials in billions, the completed share (0-1)."""

    agencies: int
    datasets: int
    projects: int
    budget_billion: int
    spent_billion: int
    share_completed: float
    ready: int


def ready_and_completed(projects: pd.DataFrame, today: str) -> tuple[int, float]:
    """Projects completed and awaiting inauguration from `today`; the share completed."""
    if projects.empty:
        return 0, 0.0
    status = projects["status"]
    ready = int(((status == "completion") & (projects["inauguration_date"] >= today)).sum())
    return ready, float(status.isin(["completion", "maintenance"]).mean())


def headline(projects: pd.DataFrame, agencies: int, datasets: int, today: str) -> Headline:
    ready, completed = ready_and_completed(projects, today)
    has = not projects.empty
    return Headline(
        agencies=agencies,
        datasets=datasets,
        projects=len(projects),
        budget_billion=round(projects["budget_irr"].sum() / 1e9) if has else 0,
        spent_billion=round(projects["spent_irr"].sum() / 1e9) if has else 0,
        share_completed=completed,
        ready=ready,
    )


def headline_cells(figures: Headline, lang: str) -> list[tuple[str, str]]:
    """(label, value) in `lang`, Persian digits in Persian."""
    share = text("web.percent", lang, value=number(round(100 * figures.share_completed), lang))
    return [
        (text("web.agencies", lang), number(figures.agencies, lang)),
        (text("web.datasets", lang), number(figures.datasets, lang)),
        (text("web.projects", lang), number(figures.projects, lang)),
        (text("web.total_budget", lang), number(figures.budget_billion, lang)),
        (text("web.total_spent", lang), number(figures.spent_billion, lang)),
        (text("web.share_completed", lang), share),
        (text("web.ready_for_inauguration", lang), number(figures.ready, lang)),
    ]
