"""A version's manifest as the store may trust it: the checks a replica runs before applying
a writer's version, and `verify` runs on every stored one.

A replica takes its manifests from another portal's log. Their hashes prove only that the
writer said so, not that what it said is safe: a resource path `../../x` would become a
member of the replica's `package.zip`, an agency slug `../<script>` a URL and a page
title. So a manifest is held to what intake and the writer enforce before it is applied:
names as `portal.names` allows, agency slugs as `portal.store.agencies` creates them, paths
as `portal.intake.descriptor_safety` allows in a descriptor, every key present and typed, and
byte counts that bound each download (`portal.replication.replicate`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
)

from portal.errors import GlassWallError
from portal.intake.descriptor_safety import check_reference
from portal.names import is_valid_name
from portal.store.agencies import AGENCY_SLUG

SHA256 = r"^[0-9a-f]{64}$"
# JSON documents of a version (manifest, descriptor, report, attachments) list no size of
# their own: a replica reads at most this much of each.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def _name(value: str) -> str:
    if not is_valid_name(value):
        raise ValueError("name")
    return value


def _agency(value: str) -> str:
    if not AGENCY_SLUG.match(value):
        raise ValueError("agency")
    return value


def _path(value: str) -> str:
    """Relative, inside the package, as a descriptor's `path` must be."""
    try:
        check_reference(value, "path", "manifest")
    except GlassWallError:
        raise ValueError("path") from None
    if not value.strip() or "\\" in value:
        raise ValueError("path")
    return value


Name = Annotated[StrictStr, AfterValidator(_name)]
Agency = Annotated[StrictStr, AfterValidator(_agency)]
SafePath = Annotated[StrictStr, AfterValidator(_path)]
Sha256 = Annotated[StrictStr, Field(pattern=SHA256)]
Count = Annotated[StrictInt, Field(ge=0)]


class ManifestResource(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: Name
    path: SafePath
    sha256: Sha256
    bytes: Count
    rows: Count | None
    mediatype: Annotated[StrictStr, Field(max_length=255)]


class Manifest(BaseModel):
    """What `portal.store.writer` writes; extra keys are kept for later releases."""

    model_config = ConfigDict(extra="allow")

    agency: Agency
    dataset: Name
    version: Annotated[StrictInt, Field(ge=1)]
    title: StrictStr | None = None  # manifests written before titles were listed lack it
    created_at: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    descriptor: Sha256
    report: Sha256
    resources: list[ManifestResource]
    attachments: dict[Name, Sha256] | None = None


class PublishEntry(BaseModel):
    """A `publish` line of the public log, as far as a replica acts on it."""

    model_config = ConfigDict(extra="allow")

    seq: Annotated[StrictInt, Field(ge=1)]
    type: StrictStr
    agency: Agency
    dataset: Name
    version: Annotated[StrictInt, Field(ge=1)]
    manifest: Sha256


Title = Annotated[StrictStr, Field(min_length=1, max_length=500, pattern=r"\S")]


class AgencyEntry(BaseModel):
    """An `agency` line of the public log: the agency's public titles (`store.agency_log`)."""

    model_config = ConfigDict(extra="allow")

    seq: Annotated[StrictInt, Field(ge=1)]
    type: StrictStr
    agency: Agency
    title_fa: Title
    title_en: Title


class ManifestRefused(Exception):
    """The first field of a manifest (or log entry) that breaks a rule: its dotted place."""

    def __init__(self, field: str, value: str, missing: bool) -> None:
        self.field = field
        self.value = value
        self.missing = missing
        super().__init__(field)


def _place(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _refused(error: ValidationError, prefix: str) -> ManifestRefused:
    first = error.errors()[0]
    loc = tuple(p for p in first["loc"] if p != "[key]")
    place = _place(loc)
    value = repr(first.get("input"))
    shown = value if len(value) <= 80 else value[:79] + "…"
    field = f"{prefix}.{place}" if place else prefix
    return ManifestRefused(field, shown, first["type"] == "missing")


def check_entry(entry: Any) -> PublishEntry:
    """A log entry a replica may act on; `ManifestRefused` naming the field otherwise."""
    try:
        return PublishEntry.model_validate(entry)
    except ValidationError as error:
        raise _refused(error, "entry") from None


def check_agency_entry(entry: Any) -> AgencyEntry:
    """An agency entry a replica may apply; `ManifestRefused` naming the field otherwise."""
    try:
        return AgencyEntry.model_validate(entry)
    except ValidationError as error:
        raise _refused(error, "entry") from None


def check_manifest(manifest: Any) -> Manifest:
    """A manifest every reader may trust; `ManifestRefused` naming the field otherwise."""
    try:
        checked = Manifest.model_validate(manifest)
    except ValidationError as error:
        raise _refused(error, "manifest") from None
    names = [r.name for r in checked.resources]
    paths = [r.path.removeprefix("./") for r in checked.resources]
    for index, resource in enumerate(checked.resources):
        if names.index(resource.name) != index:
            raise ManifestRefused(f"manifest.resources[{index}].name", repr(resource.name), False)
        if paths.index(paths[index]) != index:
            raise ManifestRefused(f"manifest.resources[{index}].path", repr(resource.path), False)
    return checked
