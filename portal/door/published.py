"""What the server-rendered pages read: the published snapshot plus its tables, per publication.

Built once per publication (the public log's generation), under one lock, and shared by
every request until the next one: a reader costs a dictionary lookup, not a store read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from portal.metadata.snapshot import SNAPSHOTS, Published, Snapshot, load_resource
from portal.store import Store, public_log, reading
from portal.store.files import StoreFiles
from portal.store.records import Version
from portal.tables.filters import search_text
from portal.trust.published import changed_figures, explained_changes


@dataclass(frozen=True)
class Revised:
    """What a version changed from the one before, as the feeds count it."""

    number: int
    changed_figures: int
    explanations: tuple[dict[str, Any], ...]  # each with `message` and `reason` per language


@dataclass(frozen=True)
class Publication:
    """The published state at one moment, named by the public log's head."""

    stamp: tuple[int, int]
    head: str  # hash of the log's last entry: the publication's name (ETag, cache key)
    modified: str  # time of the log's last entry
    snapshot: Snapshot
    projects: pd.DataFrame  # every project of every latest version, with agency/dataset/version
    observations: pd.DataFrame  # every indicator observation with its indicator's names
    versions: dict[str, tuple[Version, ...]]  # "agency/dataset" -> versions, oldest first
    log: tuple[dict[str, Any], ...]  # entries, newest first
    project_rows: dict[str, int]  # project id -> row of the first project with it
    revisions: dict[str, tuple[Revised, ...]]  # "agency/dataset" -> its latest revisions
    _codes: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def project(self, pid: str) -> pd.Series | None:
        """The first project (of any agency) with this id, as the dashboard opens it."""
        row = self.project_rows.get(pid)
        return None if row is None else self.projects.iloc[row]

    def codes(self, column: str) -> frozenset[str]:
        """The codes a project column holds (a filter offers these and no other)."""
        found = self._codes.get(column)
        if found is None:
            values = self.projects.get(column, ())
            found = self._codes[column] = frozenset(str(v) for v in values if v)
        return found

    @cached_property
    def project_text(self) -> pa.ChunkedArray:
        """Each project's search text, as the dashboard and the API's `q` find it."""
        names = {
            p.agency.slug: f"{p.agency.slug} {p.agency.title_fa} {p.agency.title_en}"
            for p in self.snapshot.datasets
        }
        return search_text(self.projects, names)

    def find(self, ref: str) -> Published | None:
        agency, _, dataset = ref.partition("/")
        return self.snapshot.find(agency, dataset) if dataset else None


def _as_text(table: pa.Table) -> pa.Table:
    """Missing text as "" (as the dashboard's reader holds it), numbers untouched."""
    columns = [
        pc.fill_null(column, "") if pa.types.is_string(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def _resource_frames(store: Store, snapshot: Snapshot, name: str) -> list[pd.DataFrame]:
    frames = []
    for published in snapshot.datasets:
        entry = published.version.resource(name)
        if entry is None:
            continue
        frame = _as_text(load_resource(store, published, entry).table).to_pandas()
        frame["agency"] = published.version.agency
        frame["dataset"] = published.version.dataset
        frame["version"] = published.version.number
        frame["_row"] = range(1, len(frame) + 1)  # the row in the published file, as `_id`
        frames.append(frame)
    return frames


def _observations(store: Store, snapshot: Snapshot) -> pd.DataFrame:
    frames = []
    for published in snapshot.datasets:
        values, names = (published.version.resource(n) for n in ("observations", "indicators"))
        if values is None:
            continue
        frame = load_resource(store, published, values).table.to_pandas()
        if names is not None:
            dictionary = _as_text(load_resource(store, published, names).table).to_pandas()
            frame = frame.merge(dictionary, on="indicator_id", how="left")
        frame["agency"], frame["dataset"] = published.version.agency, published.version.dataset
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


REVISIONS_SHOWN = 5  # the newest versions a page summarises; the dashboard has them all


def _revisions(store: Store, versions: tuple[Version, ...]) -> tuple[Revised, ...]:
    pairs = list(pairwise(versions))[-REVISIONS_SHOWN:]
    return tuple(
        Revised(
            after.number,
            changed_figures(store, before, after),
            tuple(explained_changes(store, after)),
        )
        for before, after in reversed(pairs)
    )


def _load(home: Path, stamp: tuple[int, int]) -> Publication:
    snapshot = SNAPSHOTS.current(home)
    with reading(home) as store:
        lines, _ = store.log.read()
        entries = tuple(line.entry for line in reversed(lines) if line.entry)
        projects = _resource_frames(store, snapshot, "projects")
        versions = {
            p.ref: tuple(store.versions(p.version.agency, p.version.dataset))
            for p in snapshot.datasets
        }
        observations = _observations(store, snapshot)
        revisions = {ref: _revisions(store, found) for ref, found in versions.items()}
    latest = entries[0] if entries else {}
    frame = pd.concat(projects, ignore_index=True) if projects else pd.DataFrame()
    rows: dict[str, int] = {}
    if not frame.empty:
        for position, pid in enumerate(frame["id"].astype(str)):
            rows.setdefault(pid, position)
    return Publication(
        stamp=stamp,
        head=str(latest.get("hash", "0" * 64)),
        modified=str(latest.get("time", "")),
        snapshot=snapshot,
        projects=frame,
        observations=observations,
        versions=versions,
        log=entries,
        project_rows=rows,
        revisions=revisions,
    )


class Publications:
    """The current publication of one store home, rebuilt when its log changes."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._current: Publication | None = None
        self._lock = threading.Lock()

    def current(self) -> Publication:
        stamp = public_log.generation(StoreFiles(self.home).log)
        found = self._current
        if found is not None and found.stamp == stamp:
            return found
        with self._lock:
            if self._current is None or self._current.stamp != stamp:
                self._current = _load(self.home, stamp)
            return self._current
