"""County names against the published county list (`portal.profiles.county_names`).

Two findings: a spelling variant of exactly one county of the row's province (with the
published spelling as its suggestion, so `--fix` writes it), and a name the list does not
hold (with the nearest names of the province). Each distinct (province, county) pair is
looked up once: a table of a million rows has a few hundred.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.persian import normalize_letters
from portal.profiles import codelist_names
from portal.profiles.county_names import CountyCheck, check
from portal.validation.report import Finding
from portal.validation.rules.batch import BatchView, RuleContext
from portal.validation.rules.packs import Rule


def _pairs(rule: Rule, view: BatchView) -> list[tuple[str, str, np.ndarray, CountyCheck]]:
    """Each distinct (province, county) whose county is not in the list, with its rows."""
    county = view.raw.get(rule.params["county"])
    province = view.raw.get(rule.params["province"])
    if county is None:
        return []
    names, name_at = _encoded(county)
    places, place_at = _encoded(province) if province is not None else ([""], None)
    # each row's pair as one integer: both columns dictionary-encoded (the words of a
    # million rows are a few hundred values, looked up once)
    pairs = name_at * len(places) + (place_at if place_at is not None else 0)
    unknown: dict[int, tuple[str, str, CountyCheck]] = {}
    for pair in np.unique(pairs).tolist():
        name, place = names[pair // len(places)].strip(), places[pair % len(places)]
        said = check(name, place) if name else None
        if said is not None and not said.known:
            unknown[pair] = (place, name, said)
    if not unknown:
        return []
    # one pass over the rows, grouped by pair (a table may hold hundreds of unknown pairs)
    at = np.flatnonzero(np.isin(pairs, list(unknown)))
    return [
        (place, name, at[pairs[at] == pair], said) for pair, (place, name, said) in unknown.items()
    ]


def _encoded(column: Any) -> tuple[list[str], np.ndarray]:
    """A column's distinct texts and, per row, the position of its text among them."""
    encoded = pc.dictionary_encode(pc.fill_null(pc.cast(column, pa.string()), ""))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.dictionary.to_pylist(), np.asarray(encoded.indices, dtype=np.int64)


def _findings(rule: Rule, view: BatchView, fixable: bool) -> list[Finding]:
    findings = []
    field = rule.params["county"]
    for province, name, at, said in _pairs(rule, view):
        if (said.fix is not None) != fixable:
            continue
        if field in view.enums and said.fix == normalize_letters(name):
            continue  # the arabic-letters rule says it, with the same fix
        nearest = "، ".join(said.nearest) if said.nearest else "-"
        named = codelist_names("provinces").get(province)
        for row in view.rows[at]:
            findings.append(
                Finding.make(
                    rule.code,
                    rule.severity,
                    resource=view.resource,
                    row=int(row),
                    field=field,
                    cell=name,
                    suggestion=said.fix,
                    province=(named.name_fa, named.name_en) if named else (province,) * 2,
                    nearest=nearest,
                )
            )
    return findings


def county_spelling(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    """A county written in another spelling of a listed name: the listed one suggested."""
    return _findings(rule, view, fixable=True)


def county_unknown(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    """A county the list does not hold in the row's province: the nearest names offered."""
    return _findings(rule, view, fixable=False)


PLACE_RULES = {"county_spelling": county_spelling, "county_unknown": county_unknown}
