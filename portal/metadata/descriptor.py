"""A published package's descriptor (`datapackage.json`) as the modules that read it see it.

The descriptor is JSON that frictionless and the Data Package spec let grow (any property
may be added), so these are `TypedDict`s with every key optional: they name the keys the
portal reads and the type each one has once validation has passed, so a reader of
`Published.descriptor` (the CKAN mapping, DCAT, the pages, the SQL desk) gets its keys
checked by mypy instead of an `Any`. The validator, not this module, decides what is
required.
"""

from __future__ import annotations

from typing import Any, TypedDict


class SchemaField(TypedDict, total=False):
    name: str
    type: str
    format: str
    title: str
    title_fa: str
    description: str
    constraints: dict[str, Any]


class TableSchema(TypedDict, total=False):
    fields: list[SchemaField]
    primaryKey: list[str] | str
    foreignKeys: list[dict[str, Any]]
    missingValues: list[str]


class ResourceSpec(TypedDict, total=False):
    """One resource of the descriptor: its name, file and Table Schema."""

    name: str
    path: str
    title: str
    title_fa: str
    description: str
    format: str
    mediatype: str
    encoding: str
    hash: str
    bytes: int
    schema: TableSchema


class License(TypedDict, total=False):
    name: str
    title: str
    path: str


class Contact(TypedDict, total=False):
    name: str
    email: str


class Descriptor(TypedDict, total=False):
    """The keys of a published descriptor the portal reads (more may be present)."""

    name: str
    title: str
    title_fa: str
    title_en: str
    description: str
    description_fa: str
    sample: bool
    agency: str
    publisher: dict[str, str]
    contact: Contact
    licenses: list[License]
    keywords: list[str]
    temporal: dict[str, str]
    spatial: dict[str, Any]
    update_frequency: str
    sources: list[dict[str, str]]
    created: str
    version: str  # set only where `latest` is served: the version it resolved to
    resources: list[ResourceSpec]
