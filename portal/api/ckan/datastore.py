"""`datastore_search` over a published resource, in CKAN DataStore's result shape.

Rows are numbered from 1 in the published file (`_id`), so a row cited by `_id` is the
same row in the downloaded CSV. Filters compare typed values; `q` (the whole row, or one
field each) finds by the one search matcher, `portal.tables.search`.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.api.ckan.index import CatalogIndex
from portal.api.ckan.params import Params
from portal.errors import BadParameter, NotFound
from portal.metadata.ckan_dicts import resource_id
from portal.metadata.snapshot import load_resource
from portal.persian import jalali_to_iso, normalize
from portal.store import Store
from portal.tables.reader import LoadedTable
from portal.tables.search import row_mask, searchable_column

MAX_LIMIT = 32000


def _day(value: Any, name: str) -> str:
    """A date filter as the published text of that day (`2020-05-22`); a Jalali date or any
    other text is refused by name, where it silently matched no row."""
    gregorian = jalali_to_iso(str(value))  # years 1300-1499: Jalali (ISO would read 1399 AD)
    if gregorian:
        raise BadParameter(
            "journo.api.filter_jalali",
            field="filters",
            name=name,
            value=str(value)[:40],
            gregorian=gregorian,
        )
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadParameter(
            "journo.api.filter_date", field="filters", name=name, value=str(value)[:40]
        ) from None


def _typed(value: Any, column: pa.ChunkedArray, name: str, kind: str = "") -> Any:
    if kind == "date" and value is not None and not isinstance(value, dict | list):
        return _day(value, name)
    try:
        if pa.types.is_integer(column.type):
            number = int(value)
            if not -(2**63) <= number < 2**63:
                raise ValueError(name)  # no int64 cell can equal it
            return number
        if pa.types.is_floating(column.type):
            real = float(value)
            if not math.isfinite(real):
                raise ValueError(name)
            return real
        if pa.types.is_boolean(column.type):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    except (TypeError, ValueError, OverflowError):
        raise BadParameter("api.filter_type", field="filters", name=name) from None
    if isinstance(value, dict | list):
        raise BadParameter("api.filter_type", field="filters", name=name)
    return str(value)


def _spellings(column: pa.ChunkedArray, wanted: pa.Array) -> pa.Array:
    """The column's own values that read as one of `wanted` (`normalize`: Arabic ي/ك, digits,
    ZWNJ, case), as the download filter and `q` read them: a whole value, never a part."""
    forms = {normalize(str(w)) for w in wanted.to_pylist() if w is not None}
    held = [v for v in pc.unique(column).to_pylist() if v is not None and normalize(v) in forms]
    return pa.array(held, type=column.type)


def _mask(loaded: LoadedTable, params: Params, agency: str = "") -> pa.Array | None:
    table, mask = loaded.table, None

    def both(more: Any) -> None:
        nonlocal mask
        mask = more if mask is None else pc.and_(mask, more)

    filters = params.structured("filters") or {}
    if not isinstance(filters, dict):
        raise BadParameter("api.expected_json", field="filters")
    for name, wanted in filters.items():
        if name not in table.column_names:
            raise BadParameter("api.unknown_field", field="filters", name=name)
        values = wanted if isinstance(wanted, list) else [wanted]
        column = table[name]
        kind = loaded.types.get(name, "")
        typed = pa.array([_typed(v, column, name, kind=kind) for v in values], type=column.type)
        if kind == "text":
            typed = _spellings(column, typed)
        both(pc.fill_null(pc.is_in(column, value_set=typed), False))
    q = (
        params.structured("q")
        if str(params.data.get("q", "")).startswith("{")
        else params.data.get("q")
    )
    if isinstance(q, dict):
        for name, text in q.items():
            if name not in table.column_names:
                raise BadParameter("api.unknown_field", field="q", name=name)
            found = row_mask(searchable_column(table[name]), str(text))  # the one matcher
            if found is not None:
                both(found)
    elif q:  # the one matcher (portal/tables/search.py): the projects page finds the same
        found = row_mask(loaded.search_text(), str(q), everywhere=agency)
        if found is not None:
            both(found)
    return mask


def _order(loaded: LoadedTable, ids: pa.Array, sort: str | None) -> pa.Array:
    if not sort:
        return ids
    keys = []
    columns: dict[str, Any] = {"_id": ids}
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        name, _, direction = part.partition(" ")
        direction = (direction.strip() or "asc").lower()
        if direction not in ("asc", "desc") or (name != "_id" and name not in loaded.types):
            raise BadParameter("api.bad_sort", field="sort", sort=part)
        if name != "_id":
            columns[name] = loaded.table[name].take(ids)
        keys.append((name, "ascending" if direction == "asc" else "descending"))
    order = pc.sort_indices(pa.table(columns), sort_keys=keys)
    return ids.take(order)


def _distinct(loaded: LoadedTable, ids: pa.Array, names: list[str]) -> pa.Array:
    """The first row (in the answer's order) of each combination of `names`: CKAN's
    `distinct`, over the fields asked for (`_id` left out, or every row would differ)."""
    if not names or len(ids) == 0:
        return ids
    columns = {n: loaded.table[n].take(ids) for n in names}
    at = pa.array(np.arange(len(ids), dtype=np.int64))
    firsts = (
        pa.table({**columns, "__at": at})
        .group_by(names, use_threads=False)
        .aggregate([("__at", "min")])["__at_min"]
    )
    return ids.take(firsts.take(pc.sort_indices(firsts)))


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _query_value(value: Any) -> str:
    """How a GET query carries a value: lists and dicts as JSON, like CKAN clients send them."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _links(rid: str, params: Params, offset: int, limit: int) -> dict[str, str]:
    base = {k: v for k, v in params.data.items() if k not in ("offset", "resource_id")}
    start = {"resource_id": rid, **{k: _query_value(v) for k, v in base.items()}}
    return {
        "start": "/api/3/action/datastore_search?" + urlencode(start),
        "next": "/api/3/action/datastore_search?" + urlencode({**start, "offset": offset + limit}),
    }


def datastore_search(index: CatalogIndex, store: Store, params: Params) -> dict[str, Any]:
    rid = params.required_text("resource_id")
    found = index.resources.get(rid)
    if found is None:
        raise NotFound("api.resource_not_found", what=rid)
    entry, resource = found
    loaded = load_resource(store, entry.published, resource)
    limit = params.integer("limit", 100, maximum=MAX_LIMIT)
    offset = params.integer("offset", 0)
    names = params.names("fields") or loaded.table.column_names
    unknown = [n for n in names if n != "_id" and n not in loaded.types]
    if unknown:
        raise BadParameter("api.unknown_field", field="fields", name=unknown[0])
    records_format = params.text("records_format") or "objects"
    if records_format not in ("objects", "lists"):
        raise BadParameter("api.bad_records_format", field="records_format")
    owner = entry.published.agency
    mask = _mask(loaded, params, f"{owner.slug} {owner.title_fa} {owner.title_en}")
    ids = pa.array(np.arange(loaded.table.num_rows, dtype=np.int64))
    if mask is not None:
        ids = pc.indices_nonzero(mask).cast(pa.int64())
    ids = _order(loaded, ids, params.text("sort"))
    data_names = [n for n in names if n != "_id"]
    if params.boolean("distinct", False):
        ids = _distinct(loaded, ids, data_names)
    page = ids[offset : offset + limit]
    columns = {n: loaded.table[n].take(page).to_pylist() for n in data_names}
    row_ids = [i + 1 for i in page.to_pylist()]
    shown = names if params.names("fields") else ["_id", *data_names]
    values = {"_id": row_ids, **columns}
    rows = [[_clean(values[n][i]) for n in shown] for i in range(len(row_ids))]
    spec = {
        f.get("name"): f
        for f in entry.published.resource_descriptor(resource.name)
        .get("schema", {})
        .get("fields", [])
    }
    fields = [
        {"id": n, "type": "int"}
        if n == "_id"
        else {
            "id": n,
            "type": loaded.types[n],
            "info": {
                "label": str(spec.get(n, {}).get("title", "")),
                "notes": str(spec.get(n, {}).get("description", "")),
            },
        }
        for n in shown
    ]
    v = entry.published.version
    result: dict[str, Any] = {
        "include_total": True,
        "resource_id": resource_id(v.agency, v.dataset, resource.name),
        "fields": fields,
        "records_format": records_format,
        "records": rows
        if records_format == "lists"
        else [dict(zip(shown, r, strict=True)) for r in rows],
        "limit": limit,
        "offset": offset,
        "total": len(ids),
        "total_was_estimated": False,
        "_links": _links(rid, params, offset, limit),
        "version": v.number,
    }
    if resource.name == "projects":  # each project's history across versions (a URI template)
        result["_links"]["project_history"] = f"/api/projects/{v.agency}/{{id}}/history"
    for echoed in ("filters", "q", "sort"):
        if echoed in params.data:
            result[echoed] = (
                params.structured(echoed) if echoed == "filters" else params.data[echoed]
            )
    return result
