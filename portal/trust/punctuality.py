"""Punctuality per agency, as SDDS reports it: releases on time, late (by how much), moved,
cancelled; counted from the release calendar (the public log), for the ranking."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from portal.store import Store
from portal.trust.calendar import releases


@dataclass(frozen=True)
class Punctuality:
    on_time: int = 0
    late: int = 0
    median_late_minutes: float | None = None
    moved: int = 0  # releases announced and then moved (released or not)
    cancelled: int = 0

    @property
    def announced(self) -> int:
        return self.on_time + self.late + self.cancelled


def punctuality(store: Store) -> dict[str, Punctuality]:
    lates: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for release in releases(store):
        tally = counts.setdefault(release.agency, [0, 0, 0, 0])
        tally[0] += release.status == "released"
        tally[1] += release.status == "late"
        tally[2] += any(reason["kind"] == "move" for reason in release.reasons)
        tally[3] += release.status == "cancelled"
        if release.status == "late":
            lates.setdefault(release.agency, []).append((release.late_seconds or 0) / 60)
    return {
        agency: Punctuality(
            on_time, late, median(lates[agency]) if agency in lates else None, moved, cancelled
        )
        for agency, (on_time, late, moved, cancelled) in counts.items()
    }
