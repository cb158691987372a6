"""What the pages read from the store, cached until the next publication.

The cache key is the public log's size and mtime: every publication appends to it, so
a new version shows up on the next page run without a restart. Objects are immutable
and cached by their sha256.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from portal.store import feedback, public_log, reading, resource_spec
from portal.store.files import StoreFiles
from portal.store.records import Version
from portal.tables.filters import search_text
from portal.tables.reader import TABLES, cache_dir
from portal.web import context
from portal.web.ui import once_per_run

F = TypeVar("F", bound=Callable[..., Any])


def per_publication(func: F) -> F:
    """Cache what a page computes or draws from the published data, shared by every
    session: key it by the publication stamp (and the language or day it depends on), so
    one computation serves every page run until the next publication.

    A function that draws (charts, tables, text; no widgets) is drawn once: Streamlit
    keeps the elements a cached function drew and replays them on later runs, so no figure
    is serialised and no table converted again. Callers never mutate a returned value
    (shared, not copied)."""
    return st.cache_resource(show_spinner=False, max_entries=32)(func)  # type: ignore[return-value]


def per_item(func: F) -> F:
    """`per_publication` for what is kept per dataset, project, choice or feedback thread:
    many keys, each small (bounded: a drawn chart is tens of kilobytes)."""
    return st.cache_resource(show_spinner=False, max_entries=512)(func)  # type: ignore[return-value]


def generation() -> tuple[int, int]:
    """Changes whenever something is published. Cached readers take it as `stamp`: a
    hashed argument (Streamlit leaves `_`-prefixed ones out of the cache key). Read once
    per page run, so one run never mixes two publications."""
    return once_per_run("generation", _log_stamp)


def _log_stamp() -> tuple[int, int]:
    return public_log.generation(StoreFiles(context.settings().home).log)


@st.cache_resource(show_spinner=False, max_entries=256)
def object_json(sha256: str) -> Any:
    """A stored JSON object (descriptor, report), shared: callers never mutate it."""
    with reading(context.settings().home) as store:
        return store.json_object(sha256)


@st.cache_resource(show_spinner=False, max_entries=256)
def arrow_table(sha256: str) -> pa.Table:
    """A published table as the one reader types it (`portal.tables.reader`, memory-mapped
    from the columnar cache): numbers as numbers, dates as ISO text, missing text as "".
    Text is held as pandas holds it (`large_string`), so a frame of it is not a copy; kept
    per object, so a publication prepares only its own tables."""
    home = context.settings().home
    with reading(home) as store:
        found = store.publishing_resource(sha256)
        path = store.objects.path(sha256)
    resource: dict[str, Any] = {}
    if found is not None:
        resource = resource_spec(object_json(found[0]), found[1])
    table = TABLES.get(sha256, path, resource, cache_dir(home)).table
    columns = [
        pc.fill_null(column, "").cast(pa.large_string())
        if pa.types.is_string(column.type)
        else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


@st.cache_resource(show_spinner=False, max_entries=64)
def object_table(sha256: str) -> pd.DataFrame:
    """`arrow_table` as a pandas frame (shared: callers never mutate it)."""
    return arrow_table(sha256).to_pandas()


@st.cache_resource(show_spinner=False, max_entries=4)
def datasets(stamp: tuple[int, int]) -> pd.DataFrame:
    """One row per dataset (latest version): titles, agency, score, findings counts.
    Shared, not copied (pages never mutate it)."""
    rows = []
    with reading(context.settings().home) as store:
        agencies = {a.slug: a for a in store.agencies()}
        for version in store.latest_versions():
            descriptor = store.descriptor(version)
            report = store.report(version)
            agency = agencies[version.agency]
            rows.append(
                {
                    "agency": version.agency,
                    "agency_fa": agency.title_fa,
                    "agency_en": agency.title_en,
                    "dataset": version.dataset,
                    "title_en": descriptor.get("title", version.dataset),
                    "title_fa": descriptor.get("title_fa", ""),
                    "version": version.number,
                    "published_at": version.created_at,
                    "score": (report.get("score") or {}).get("total"),
                    "completeness": _completeness(report),
                    "errors": report.get("errors", 0),
                    "warnings": report.get("warnings", 0),
                    "sample": bool(descriptor.get("sample")),
                    "resources": [r.name for r in version.resources],
                    "frequency": descriptor.get("update_frequency"),
                }
            )
    return pd.DataFrame(rows)


@st.cache_resource(show_spinner=False, max_entries=4)
def agency_slugs(stamp: tuple[int, int]) -> frozenset[str]:
    """Every registered agency, published or not (an unknown one is not found)."""
    with reading(context.settings().home) as store:
        return frozenset(a.slug for a in store.agencies())


def _completeness(report: dict[str, Any]) -> float:
    """Mean share of filled cells over every field of every resource (0-1)."""
    shares = [v for fields in (report.get("completeness") or {}).values() for v in fields.values()]
    return sum(shares) / len(shares) if shares else 0.0


def _latest_resources(name: str) -> list[tuple[str, str, int, str]]:
    with reading(context.settings().home) as store:
        found = store.latest_resources(name)
    return [(r.agency, r.dataset, r.number, r.entry.sha256) for r in found]


# Large frames are cached as shared resources (no copy per page run); pages never mutate them.
@st.cache_resource(show_spinner=False, max_entries=4)
def projects(stamp: tuple[int, int]) -> pd.DataFrame:
    """Every project of every agency's latest version, with where it comes from."""
    tables = []
    for agency, dataset, number, sha in _latest_resources("projects"):
        table = arrow_table(sha)
        rows = table.num_rows
        table = table.append_column("agency", pa.repeat(pa.scalar(agency), rows))
        table = table.append_column("dataset", pa.repeat(pa.scalar(dataset), rows))
        table = table.append_column("version", pa.repeat(pa.scalar(number, pa.int64()), rows))
        # the row in the published file, as `_id`
        table = table.append_column("_row", pa.array(np.arange(1, rows + 1, dtype=np.int64)))
        tables.append(table)
    if not tables:
        return pd.DataFrame()
    # Joined as Arrow (no copy) and converted once: at 1M projects this is the first page
    # run after a publication.
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()


@st.cache_resource(show_spinner=False, max_entries=4)
def project_search(stamp: tuple[int, int]) -> pa.ChunkedArray:
    """Each project's search text, row for row with `projects`: its published cells and
    its agency's names, by the one matcher of the API's `q` (portal/tables/search.py)."""
    names = {
        row.agency: f"{row.agency} {row.agency_fa} {row.agency_en}"
        for row in datasets(stamp).itertuples()
    }
    return search_text(projects(stamp), names)


@st.cache_resource(show_spinner=False, max_entries=4)
def observations(stamp: tuple[int, int]) -> pd.DataFrame:
    """Every indicator observation with its indicator's names, unit and aggregation."""
    frames = []
    dictionaries = {(a, d): sha for a, d, _, sha in _latest_resources("indicators")}
    for agency, dataset, number, sha in _latest_resources("observations"):
        frame = object_table(sha).copy()
        if (agency, dataset) in dictionaries:
            names = object_table(dictionaries[(agency, dataset)])
            frame = frame.merge(names, on="indicator_id", how="left")
        frame["agency"], frame["dataset"], frame["version"] = agency, dataset, number
        frame["_row"] = range(1, len(frame) + 1)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@st.cache_resource(show_spinner=False, max_entries=4)
def publications(stamp: tuple[int, int], limit: int = 10) -> list[dict[str, Any]]:
    """The newest publications of the public log (agency entries are not publications)."""
    with reading(context.settings().home) as store:
        lines, _ = store.log.read()
    entries = [line.entry for line in lines if line.entry and line.entry.get("type") == "publish"]
    return entries[::-1][:limit]


def versions(agency: str, dataset: str) -> list[Version]:
    """A dataset's versions, oldest first (read once per publication)."""
    return _versions(generation(), agency, dataset)


@per_item
def _versions(stamp: tuple[int, int], agency: str, dataset: str) -> list[Version]:
    with reading(context.settings().home) as store:
        return store.versions(agency, dataset)


def feedback_generation() -> tuple[int, int]:
    """Changes whenever an item is received or moderated (the catalog's WAL grows)."""
    return once_per_run("feedback", _catalog_stamp)


def _catalog_stamp() -> tuple[int, int]:
    files = StoreFiles(context.settings().home)
    stamps = []
    for path in (files.catalog, files.catalog_wal):
        try:
            info = path.stat()
            stamps.append(info.st_size + info.st_mtime_ns)
        except FileNotFoundError:
            stamps.append(0)
    return (stamps[0], stamps[1])


@st.cache_data(show_spinner=False, ttl=60)
def responsiveness(
    stamp: tuple[int, int],
) -> dict[str, tuple[int, float | None, float | None]]:
    """Per agency: items received, share answered, median days to answer."""
    with reading(context.settings().home) as store:
        return store.run(feedback.responsiveness)


@st.cache_resource(show_spinner=False, max_entries=64)
def distinct(stamp: tuple[int, int], column: str) -> list[str]:
    """The sorted distinct values of a projects column (the filters' options)."""
    frame = projects(stamp)
    return sorted(frame[column].dropna().unique()) if column in frame else []


@st.cache_resource(show_spinner=False, max_entries=8)
def largest_budget(stamp: tuple[int, int]) -> float:
    """The largest project budget in rials (the budget filter's upper end)."""
    frame = projects(stamp)
    return float(frame["budget_irr"].max() or 0) if "budget_irr" in frame else 0.0
