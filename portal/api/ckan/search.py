"""`package_search`: Solr's common query forms over the in-memory catalog.

Understood: free-text `q` (every word must match; Persian spelling, digits and ZWNJ are
normalised), `field:value`, `field:"two words"` and `field:(a OR b)` in `q` and `fq`,
a leading `-` to exclude, `*:*` for everything, `sort` on a few fields, and facets.
Anything else is refused with a 409 rather than silently ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from portal.api.ckan.index import CatalogIndex, Entry
from portal.api.ckan.params import Params
from portal.errors import BadParameter
from portal.persian import normalize

FIELDS = (
    "id", "name", "organization", "owner_org", "tags", "res_format", "license_id",
    "province", "sector", "status",
)  # fmt: skip
FACETS = ("organization", "tags", "res_format", "license_id", "province", "sector", "status")
_CLAUSE = re.compile(r'([+-]?)([a-z_]+):(?:"([^"]*)"|\(([^)]*)\)|(\S+))')
_SORTS = {
    "score": lambda e, s: s,
    "metadata_modified": lambda e, s: e.package["metadata_modified"],
    "metadata_created": lambda e, s: e.package["metadata_created"],
    "name": lambda e, s: e.package["name"],
    "title_string": lambda e, s: normalize(e.package["title"]),
    "num_resources": lambda e, s: e.package["num_resources"],
    "quality_score": lambda e, s: e.published.report.get("score", {}).get("total") or 0,
}


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    clauses: list[tuple[bool, str, tuple[str, ...]]] = field(default_factory=list)


def parse(text: str, source: str, query: Query) -> None:
    """Add the clauses and words of `q` or `fq` to `query`."""
    rest = text.replace("*:*", " ")
    for match in _CLAUSE.finditer(rest):
        sign, name, quoted, group, bare = match.groups()
        if name not in FIELDS:
            raise BadParameter("api.unknown_search_field", field=source, name=name)
        if group is not None:
            values = tuple(v.strip().strip('"') for v in re.split(r"\s+OR\s+", group) if v.strip())
        else:
            values = (quoted if quoted is not None else bare,)
        query.clauses.append((sign == "-", name, values))
    rest = _CLAUSE.sub(" ", rest)
    if source == "fq" and rest.strip():
        raise BadParameter("api.fq_not_understood", field="fq", text=rest.strip())
    query.words += [w for w in normalize(rest.replace('"', " ")).split() if w not in ("and", "+")]


def _matches(entry: Entry, query: Query) -> bool:
    for negated, name, values in query.clauses:
        hit = any(v in entry.fields.get(name, ()) for v in values)
        if hit == negated:
            return False
    return all(word in entry.text for word in query.words)


def _score(entry: Entry, words: list[str]) -> int:
    return sum(entry.text.count(w) + 2 * entry.title_text.count(w) for w in words)


def _sorted(hits: list[Entry], spec: str, words: list[str]) -> list[Entry]:
    keys = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        name, _, direction = part.partition(" ")
        direction = direction.strip() or "asc"
        if name not in _SORTS or direction not in ("asc", "desc"):
            raise BadParameter("api.bad_sort", field="sort", sort=part)
        keys.append((name, direction))
    ordered = sorted(hits, key=lambda e: e.package["name"])
    for name, direction in reversed(keys):
        ordered.sort(key=lambda e: _SORTS[name](e, _score(e, words)), reverse=direction == "desc")
    return ordered


def _facets(hits: list[Entry], names: list[str], limit: int, mincount: int) -> dict[str, Any]:
    facets, search_facets = {}, {}
    for name in names:
        if name not in FACETS:
            raise BadParameter("api.unknown_facet", field="facet.field", name=name)
        counts = Counter(v for e in hits for v in e.fields.get(name, ()))
        items = [(v, c) for v, c in counts.most_common() if c >= mincount]
        items = items if limit < 0 else items[:limit]
        facets[name] = dict(items)
        search_facets[name] = {
            "title": name,
            "items": [{"name": v, "display_name": v, "count": c} for v, c in items],
        }
    return {"facets": facets, "search_facets": search_facets}


def package_search(index: CatalogIndex, params: Params) -> dict[str, Any]:
    query = Query()
    parse(params.text("q") or "", "q", query)
    parse(params.text("fq") or "", "fq", query)
    for extra in params.names("fq_list") or []:
        parse(extra, "fq", query)
    rows = params.integer("rows", 10, maximum=1000)
    start = params.integer("start", 0)
    default_sort = "score desc, metadata_modified desc" if query.words else "name asc"
    sort = params.text("sort") or default_sort
    hits = _sorted([e for e in index.entries if _matches(e, query)], sort, query.words)
    facet_names = params.names("facet.field") or []
    facets = _facets(
        hits,
        facet_names,
        params.integer("facet.limit", 50, minimum=-1),
        params.integer("facet.mincount", 1),
    )
    return {
        "count": len(hits),
        "sort": sort,
        "results": [e.package for e in hits[start : start + rows]],
        **facets,
    }
