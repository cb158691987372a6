"""Records that cross the store's boundary (web, api and CLI read these)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    slug: str
    title_fa: str
    title_en: str
    created_at: str


@dataclass(frozen=True)
class ResourceEntry:
    name: str
    path: str
    sha256: str
    bytes: int
    rows: int | None
    mediatype: str


@dataclass(frozen=True)
class Version:
    agency: str
    dataset: str
    number: int
    manifest_sha256: str
    descriptor_sha256: str
    report_sha256: str
    created_at: str
    log_seq: int
    title: str
    resources: tuple[ResourceEntry, ...]

    def resource(self, name: str) -> ResourceEntry | None:
        return next((r for r in self.resources if r.name == name), None)


@dataclass(frozen=True)
class PublishedResource:
    """One resource of a dataset's latest version."""

    agency: str
    dataset: str
    number: int
    entry: ResourceEntry


@dataclass(frozen=True)
class DatasetSummary:
    agency: str
    dataset: str
    title: str
    latest: int
    updated_at: str
    created_at: str
