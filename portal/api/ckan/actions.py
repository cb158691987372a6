"""The read-only CKAN actions Glass Wall serves, by name. Each docstring is its `help`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal import __version__
from portal.api.ckan import datastore, search
from portal.api.ckan.index import CatalogIndex
from portal.api.ckan.params import Params
from portal.errors import BadParameter, NotFound
from portal.metadata.ckan_dicts import organization_dict, organization_id
from portal.sql.query import run_query
from portal.store import reading
from portal.store.records import Agency

API_VERSION = "2.11.0"  # the CKAN release whose Action API these answers follow


@dataclass(frozen=True)
class ActionContext:
    home: Path
    base_url: str
    index: CatalogIndex


Action = Callable[[ActionContext, Params], Any]


def status_show(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """The portal's name, address and the CKAN API version it follows."""
    return {
        "site_title": "Glass Wall",
        "site_url": ctx.base_url,
        "ckan_version": API_VERSION,
        "software": "glasswall",
        "software_version": __version__,
        "locale_default": "fa",
        "extensions": ["datastore", "dcat"],
    }


def package_list(ctx: ActionContext, params: Params) -> list[str]:
    """Every published dataset's name (`AGENCY--DATASET`); `limit`, `offset`."""
    names = sorted(e.package["name"] for e in ctx.index.entries)
    offset = params.integer("offset", 0)
    limit = params.integer("limit", len(names))
    return names[offset : offset + limit]


def package_show(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """One dataset by `id` (its UUID, its name, or `AGENCY/DATASET`), latest version."""
    key = params.required_text("id")
    entry = ctx.index.package(key)
    if entry is None:
        raise NotFound("api.package_not_found", what=key)
    return entry.package


def package_search(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """Search: `q`, `fq`, `rows`, `start`, `sort`, `facet.field`, `facet.limit`."""
    return search.package_search(ctx.index, params)


def _agency(ctx: ActionContext, key: str) -> Agency:
    for agency in ctx.index.snapshot.agencies.values():
        if key in (agency.slug, organization_id(agency.slug)):
            return agency
    raise NotFound("api.organization_not_found", what=key)


def _count(ctx: ActionContext, slug: str) -> int:
    return sum(1 for e in ctx.index.entries if e.published.agency.slug == slug)


def organization_list(ctx: ActionContext, params: Params) -> list[Any]:
    """Agencies as organizations: names, or whole dicts with `all_fields`."""
    agencies = sorted(ctx.index.snapshot.agencies.values(), key=lambda a: a.slug)
    wanted = params.names("organizations")
    if wanted is not None:
        agencies = [a for a in agencies if a.slug in wanted]
    sort = params.text("sort") or "name asc"
    if sort not in ("name asc", "name desc", "package_count desc", "package_count asc"):
        raise BadParameter("api.bad_sort", field="sort", sort=sort)
    key, direction = sort.split(" ")
    agencies.sort(
        key=lambda a: a.slug if key == "name" else _count(ctx, a.slug), reverse=direction == "desc"
    )
    offset = params.integer("offset", 0)
    agencies = agencies[offset : offset + params.integer("limit", 1000, maximum=1000)]
    if params.boolean("all_fields", False):
        return [organization_dict(a, _count(ctx, a.slug)) for a in agencies]
    return [a.slug for a in agencies]


def organization_show(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """One agency by `id` (slug or UUID); `include_datasets` adds its packages."""
    agency = _agency(ctx, params.required_text("id"))
    org = organization_dict(agency, _count(ctx, agency.slug))
    if params.boolean("include_datasets", False):
        org["packages"] = [
            e.package for e in ctx.index.entries if e.published.agency.slug == agency.slug
        ]
    org["users"] = []
    return org


def resource_show(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """One resource by `id` (its UUID or `AGENCY/DATASET/RESOURCE`)."""
    key = params.required_text("id")
    found = ctx.index.resources.get(key)
    if found is None:
        raise NotFound("api.resource_not_found", what=key)
    entry, resource = found
    return next(r for r in entry.package["resources"] if r["name"] == resource.name)


def datastore_search(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """Rows of a resource: `resource_id`, `filters`, `q`, `limit`, `offset`, `sort`, `fields`."""
    with reading(ctx.home) as store:
        return datastore.datastore_search(ctx.index, store, params)


def datastore_search_sql(ctx: ActionContext, params: Params) -> dict[str, Any]:
    """Read-only SQL over every published table: `sql`, one SELECT (WITH and UNION allowed);
    tables in double quotes by resource id, "AGENCY/DATASET" (latest main table),
    "AGENCY/DATASET/RESOURCE" or with @VERSION. Limits: 2 s, 32,000 rows, 256 MB."""
    return run_query(ctx.home, ctx.index, params.required_text("sql")).ckan()


def help_show(ctx: ActionContext, params: Params) -> str:
    """What an action does: `name`."""
    name = params.required_text("name")
    if name not in ACTIONS:
        raise NotFound("api.unknown_action", name=name)
    return " ".join((ACTIONS[name].__doc__ or "").split())


ACTIONS: dict[str, Action] = {
    action.__name__: action
    for action in (
        status_show,
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        resource_show,
        datastore_search,
        datastore_search_sql,
        help_show,
    )
}
