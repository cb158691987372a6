"""Which projects an address names: `/projects?province=IR-21,IR-06&status=implementation&q=…`.

One meaning for the dashboard and the server-rendered door: both read the same address
parameters, drop codes the data does not hold, keep the rows with the same filter and find
words with the one matcher of the API's `q` (`portal.tables.search`). Two readers of one
address would drift apart; a shared link must open the same rows on both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from portal.tables.search import row_mask, row_text

FILTERS = ("province", "sector", "status", "agency")  # address parameter = column
PAGE_COLUMNS = ("agency", "dataset", "version", "_row")  # added by the readers, not published


@dataclass(frozen=True)
class Chosen:
    """The filters and the search an address (or the dashboard's widgets) chose."""

    filters: tuple[tuple[str, ...], ...] = ((), (), (), ())  # codes per FILTERS
    query: str = ""

    @property
    def named(self) -> dict[str, tuple[str, ...]]:
        return dict(zip(FILTERS, self.filters, strict=True))

    @property
    def empty(self) -> bool:
        return not self.query and not any(self.filters)

    def address(self) -> dict[str, str]:
        """The address parameters that say this choice (none for an empty one)."""
        found = {name: ",".join(codes) for name, codes in self.named.items() if codes}
        return {**found, "q": self.query} if self.query else found


NOTHING_CHOSEN = Chosen()


def from_address(params: Mapping[str, str], options: Callable[[str], Collection[str]]) -> Chosen:
    """The choice an address names; `options(name)` holds the codes the data has (others
    are dropped, as the dashboard's pickers drop them)."""
    filters = []
    for name in FILTERS:
        wanted = [code for code in str(params.get(name, "")).split(",") if code]
        known = options(name) if wanted else ()
        filters.append(tuple(dict.fromkeys(code for code in wanted if code in known)))
    return Chosen(tuple(filters), str(params.get("q", "")).strip())


def search_text(projects: pd.DataFrame, agency_words: Mapping[str, str]) -> pa.ChunkedArray:
    """Each project's search text, row for row: its published cells and its agency's
    names (`agency_words`: slug -> every name of it)."""
    if projects.empty:
        return pa.chunked_array([pa.array([], pa.string())])
    published = pa.Table.from_pandas(
        projects.drop(columns=[c for c in PAGE_COLUMNS if c in projects]), preserve_index=False
    )
    agency = projects["agency"].map(dict(agency_words)).fillna(projects["agency"])
    return row_text(published, [pa.array(agency.astype(str), pa.string())])


def select(
    projects: pd.DataFrame,
    chosen: Chosen,
    text: pa.ChunkedArray | None = None,
    budget: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """The rows `chosen` keeps. `projects` has a plain 0..n-1 index and `text` is its
    search text row for row; `budget` (billion rials, both ends kept) only when narrowed."""
    kept = projects
    for column, values in chosen.named.items():
        if values:
            kept = kept[kept[column].isin(values)]
    if budget is not None:
        low, high = budget
        billions = kept["budget_irr"].fillna(0) / 1e9
        kept = kept[(billions >= low) & (billions <= high)]
    if chosen.query and text is not None:
        found = row_mask(text, chosen.query)
        if found is not None:
            keep = pc.fill_null(found, False).to_pandas().to_numpy(dtype=bool)
            kept = kept[keep[kept.index.to_numpy()]]
    return kept
