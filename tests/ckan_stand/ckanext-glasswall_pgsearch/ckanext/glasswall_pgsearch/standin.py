"""A pysolr.Solr look-alike over one PostgreSQL table of JSON documents.

Understands what CKAN sends: `field:value`, `field:"quoted"`, `field:(a OR b)`, `+`/`-`,
`*:*`, `field:*`, top-level `OR`, free text (every word must occur), `sort`, `rows`,
`start`, `fl` and `facet.field`. Documents are filtered in Python: enough for test
catalogs of a few thousand datasets, not a search engine.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import sqlalchemy as sa

_CLAUSE = re.compile(r'([+-]?)([A-Za-z_][\w.]*):(?:"((?:[^"\\]|\\.)*)"|\(([^)]*)\)|(\S+))')
_TABLE = "glasswall_search_index"


class Results:
    def __init__(self, docs: list[dict[str, Any]], hits: int, facets: dict[str, Any]) -> None:
        self.docs, self.hits, self.facets = docs, hits, {"facet_fields": facets}

    def __len__(self) -> int:
        return len(self.docs)


def _values(doc: dict[str, Any], field: str) -> list[str]:
    value = doc.get(field)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items]


def _clause_matches(doc: dict[str, Any], field: str, wanted: list[str]) -> bool:
    have = _values(doc, field)
    if wanted == ["*"]:
        return bool(have)
    return any(w in have for w in wanted)


def _text(doc: dict[str, Any]) -> str:
    parts = [doc.get("name"), doc.get("title"), doc.get("notes"), doc.get("organization")]
    parts += _values(doc, "tags") + _values(doc, "res_name") + _values(doc, "res_description")
    parts += [str(v) for k, v in doc.items() if k.startswith("extras_")]
    return " ".join(str(p) for p in parts if p).casefold()


def _parse(expression: str) -> tuple[list[tuple[str, str, list[str]]], list[str], bool]:
    """(clauses as (sign, field, values), free words, whether top-level OR joins them)."""
    text = expression.replace("*:*", " ")
    clauses = []
    for sign, field, quoted, group, bare in _CLAUSE.findall(text):
        if group:
            values = [v.strip().strip('"') for v in re.split(r"\s+OR\s+", group) if v.strip()]
        else:
            values = [quoted.replace('\\"', '"') if quoted else bare]
        clauses.append((sign, field, values))
    rest = _CLAUSE.sub(" ", text)
    any_of = bool(re.search(r"\bOR\b", rest))
    words = [w for w in re.split(r"\s+", rest.replace('"', " ")) if w and w not in ("OR", "AND")]
    return clauses, [w.casefold() for w in words], any_of


def _matches(doc: dict[str, Any], expression: str) -> bool:
    clauses, words, any_of = _parse(expression)
    if any_of and clauses:
        return any(_clause_matches(doc, f, v) for _, f, v in clauses)
    for sign, field, values in clauses:
        if _clause_matches(doc, field, values) == (sign == "-"):
            return False
    text = _text(doc) if words else ""
    return all(word in text for word in words)


def _sort(docs: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    for part in reversed([p.strip() for p in sort.split(",") if p.strip()]):
        field, _, direction = part.partition(" ")
        if field == "score":
            continue
        docs.sort(key=lambda d: str(d.get(field) or ""), reverse=direction.strip() == "desc")
    return docs


class PgSolr:
    _engine: sa.engine.Engine | None = None
    _instance: PgSolr | None = None
    _lock = threading.Lock()

    @classmethod
    def configure(cls, url: str) -> None:
        cls._engine = sa.create_engine(url, pool_pre_ping=True)
        with cls._engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"CREATE TABLE IF NOT EXISTS {_TABLE} "
                    "(index_id TEXT PRIMARY KEY, name TEXT, id TEXT, doc TEXT)"
                )
            )

    @classmethod
    def shared(cls) -> PgSolr:
        if cls._instance is None:
            cls._instance = PgSolr()
        return cls._instance

    url = "postgresql://glasswall-pgsearch"
    _cache: dict[str, dict[str, Any]] | None = None

    def _docs(self) -> list[dict[str, Any]]:
        """Every document, parsed once per process and kept current by add and delete
        (CKAN serves from one process; its CLI commands do not search)."""
        assert self._engine is not None
        with self._lock:
            if self._cache is None:
                with self._engine.connect() as conn:
                    rows = conn.execute(sa.text(f"SELECT index_id, doc FROM {_TABLE}")).fetchall()
                self._cache = {index_id: json.loads(doc) for index_id, doc in rows}
            return list(self._cache.values())

    def add(self, docs: list[dict[str, Any]], commit: bool = True, **_: Any) -> None:
        assert self._engine is not None
        with self._lock, self._engine.begin() as conn:
            for doc in docs:
                conn.execute(
                    sa.text(f"DELETE FROM {_TABLE} WHERE index_id = :i"), {"i": doc["index_id"]}
                )
                conn.execute(
                    sa.text(
                        f"INSERT INTO {_TABLE} (index_id, name, id, doc) VALUES (:i, :n, :k, :d)"
                    ),
                    {
                        "i": doc["index_id"],
                        "n": doc.get("name"),
                        "k": doc.get("id"),
                        "d": json.dumps(doc, default=str),
                    },
                )
                if self._cache is not None:
                    self._cache[doc["index_id"]] = json.loads(json.dumps(doc, default=str))

    def delete(self, id: Any = None, q: str | None = None, commit: bool = True, **_: Any) -> None:
        assert self._engine is not None
        with self._lock, self._engine.begin() as conn:
            if q is None:
                conn.execute(sa.text(f"DELETE FROM {_TABLE} WHERE index_id = :i"), {"i": str(id)})
                return
            rows = conn.execute(sa.text(f"SELECT index_id, doc FROM {_TABLE}")).fetchall()
            for index_id, doc in rows:
                if _matches(json.loads(doc), q):
                    conn.execute(
                        sa.text(f"DELETE FROM {_TABLE} WHERE index_id = :i"), {"i": index_id}
                    )

    def commit(self, **_: Any) -> None:
        return None

    def search(self, q: str = "*:*", **params: Any) -> Results:
        fq = params.get("fq") or []
        filters = [fq] if isinstance(fq, str) else list(fq)
        docs = self._docs()
        hits = [d for d in docs if _matches(d, q) and all(_matches(d, f) for f in filters)]
        hits = _sort(hits, str(params.get("sort") or "name asc"))
        facets: dict[str, list[Any]] = {}
        fields = params.get("facet.field") or []
        for field in [fields] if isinstance(fields, str) else fields:
            counts: dict[str, int] = {}
            for doc in hits:
                for value in _values(doc, field):
                    counts[value] = counts.get(value, 0) + 1
            limit = int(params.get("facet.limit") or 50)
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ranked = [kv for kv in ranked if kv[1] >= int(params.get("facet.mincount") or 1)]
            facets[field] = [x for kv in (ranked if limit < 0 else ranked[:limit]) for x in kv]
        start, rows = int(params.get("start") or 0), int(params.get("rows") or 10)
        wanted = str(params.get("fl") or "*").replace(",", " ").split()
        page = hits[start : start + rows]
        if "*" not in wanted:
            page = [{k: v for k, v in d.items() if k in wanted} for d in page]
        return Results(page, len(hits), facets)
