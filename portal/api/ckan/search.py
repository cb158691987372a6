"""`package_search`: Solr's common query forms over the in-memory catalog.

Understood: free-text `q` (every word must match; Persian spelling, digits and ZWNJ are
normalised), `field:value`, `field:"two words"` and `field:(a OR b)` in `q` and `fq`,
a leading `-` to exclude, `*:*` for everything, `sort` on a few fields, and facets.
Anything else is refused with a 409 rather than silently ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from portal.api.ckan.index import CatalogIndex, Entry
from portal.api.ckan.params import Params
from portal.errors import BadParameter
from portal.persian import normalize
from portal.tables.search import found, query_words, unsearchable

FIELDS = (
    "id", "name", "organization", "owner_org", "tags", "res_format", "license_id",
    "province", "sector", "status",
)  # fmt: skip
FACETS = ("organization", "tags", "res_format", "license_id", "province", "sector", "status")
# Longest `q`/`fq` read (CKAN's own forms are far shorter); more is a 409, not CPU time.
MAX_QUERY = 2000
MAX_FQ_LIST = 20
# How each `sort` field orders the entries (with the entry's relevance score).
_SORTS: dict[str, Callable[[Entry, int], Any]] = {
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
    unsearchable: bool = False  # free text typed with no word in it (`q=...`): no hit


def _name_end(text: str, i: int) -> int:
    """Past the `[a-z_]+` run starting at `i`."""
    while i < len(text) and ("a" <= text[i] <= "z" or text[i] == "_"):
        i += 1
    return i


def _token_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _value(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """The value after `field:` at `i` (quoted, a parenthesised OR group, or bare) and its end.

    One forward scan: each character is looked at a bounded number of times, so a long
    query costs linear time (the old regex backtracked quadratically).
    """
    if i < len(text) and text[i] == '"':
        close = text.find('"', i + 1)
        close = len(text) if close < 0 else close
        return (text[i + 1 : close],), close + 1
    if i < len(text) and text[i] == "(":
        close = text.find(")", i + 1)
        close = len(text) if close < 0 else close
        group = " ".join(text[i + 1 : close].split())
        values = tuple(v.strip().strip('"') for v in group.split(" OR ") if v.strip())
        return values, close + 1
    end = _token_end(text, i)
    return (text[i:end],), end


def tokenize(text: str) -> tuple[list[tuple[bool, str, tuple[str, ...]]], list[str]]:
    """`field:value` clauses (negated?, field, values) and the remaining free-text tokens."""
    clauses: list[tuple[bool, str, tuple[str, ...]]] = []
    rest: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text.startswith("*:*", i):
            i += 3
            continue
        sign = text[i] if text[i] in "+-" else ""
        name_start = i + len(sign)
        name_end = _name_end(text, name_start)
        if name_end > name_start and name_end < len(text) and text[name_end] == ":":
            values, i = _value(text, name_end + 1)
            clauses.append((sign == "-", text[name_start:name_end], values))
            continue
        end = _token_end(text, i)
        rest.append(text[i:end])
        i = end
    return clauses, rest


def parse(text: str, source: str, query: Query) -> None:
    """Add the clauses and words of `q` or `fq` to `query`."""
    if len(text) > MAX_QUERY:
        raise BadParameter("api.query_too_long", field=source, limit=MAX_QUERY)
    clauses, rest = tokenize(text)
    for negated, name, values in clauses:
        if name not in FIELDS:
            raise BadParameter("api.unknown_search_field", field=source, name=name)
        query.clauses.append((negated, name, values))
    leftover = " ".join(rest)
    if source == "fq" and leftover.strip():
        raise BadParameter("api.fq_not_understood", field="fq", text=leftover.strip()[:200])
    query.words += query_words(leftover)
    query.unsearchable = query.unsearchable or unsearchable(leftover)


def _held(entry: Entry, query: Query) -> bool:
    for negated, name, values in query.clauses:
        hit = any(v in entry.fields.get(name, ()) for v in values)
        if hit == negated:
            return False
    return True


def _hits(index: CatalogIndex, query: Query) -> list[Entry]:
    """Entries whose fields hold every clause and whose text every word (the one matcher:
    the catalogue page finds the same datasets)."""
    if query.unsearchable:
        return []
    texts = pa.array([e.text for e in index.entries], pa.string())
    words = found(texts, " ".join(query.words))
    return [e for e, hit in zip(index.entries, words, strict=True) if hit and _held(e, query)]


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
    extras = params.names("fq_list") or []
    if len(extras) > MAX_FQ_LIST:
        raise BadParameter("api.query_too_long", field="fq_list", limit=MAX_FQ_LIST)
    for extra in extras:
        parse(extra, "fq", query)
    rows = params.integer("rows", 10, maximum=1000)
    start = params.integer("start", 0)
    default_sort = "score desc, metadata_modified desc" if query.words else "name asc"
    sort = params.text("sort") or default_sort
    hits = _sorted(_hits(index, query), sort, query.words)
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
