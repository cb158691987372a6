"""One journalist's query, start to finish: check it, find its tables, run it, say where
every row came from. The Action API and the SQL page both ask here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.api.ckan.index import CatalogIndex
from portal.i18n import bilingual, text
from portal.sql.engine import DEFAULT_LIMITS, Answer, Limits
from portal.sql.pool import pool
from portal.sql.sources import Source, resolve
from portal.sql.statement import check
from portal.store import reading

NOTE = "sql.jalali_date"


@dataclass(frozen=True)
class Result:
    sql: str
    answer: Answer
    sources: tuple[Source, ...]
    limits: Limits

    def ckan(self) -> dict[str, Any]:
        """CKAN's `datastore_search_sql` result, with the tables read and the limits."""
        result: dict[str, Any] = {
            "sql": self.sql,
            "records": self.answer.records,
            "fields": self.answer.fields,
            "tables": {s.name: s.provenance() for s in self.sources},
            "limits": {
                "seconds": self.limits.seconds,
                "rows": self.limits.rows,
                "memory_mb": self.limits.memory_mb,
            },
        }
        if self.answer.truncated:
            result["records_truncated"] = True
        if self.answer.notes:  # CKAN's answer allows extra keys
            result["notes"] = [
                {
                    "code": NOTE,
                    "message": bilingual(NOTE, **n.message_params()),
                    "where": n.params(),
                }
                for n in self.answer.notes
            ]
        return result

    def notes(self, lang: str) -> list[str]:
        """The answer's notes in one language (pages show them beside the table)."""
        return [text(NOTE, lang, **n.message_params()) for n in self.answer.notes]


def run_query(home: Path, index: CatalogIndex, sql: str, limits: Limits = DEFAULT_LIMITS) -> Result:
    """The query's answer over the published tables it names (a 409 when refused)."""
    checked = check(sql)
    with reading(home) as store:
        sources = tuple(resolve(store, index, name) for name in checked.tables)
    answer = pool(limits).run(checked.sql, sources)
    return Result(checked.sql, answer, sources, limits)
