"""Row rule types: each looks at one batch and returns findings for the rows that break it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.report import Finding
from portal.validation.rules.batch import BatchView, RuleContext
from portal.validation.rules.conditions import evaluate
from portal.validation.rules.packs import Rule
from portal.validation.rules.place_rules import PLACE_RULES

RowRule = Callable[[Rule, BatchView, RuleContext], list[Finding]]


def indices(mask: object) -> np.ndarray:
    return np.asarray(pc.indices_nonzero(mask), dtype=np.int64)


def findings_at(
    rule: Rule,
    view: BatchView,
    at: np.ndarray,
    field: str,
    per_row: dict[str, list[Any]] | None = None,
    **params: Any,
) -> list[Finding]:
    """One finding per row index in `at`; `per_row` gives message values row by row."""
    cells = view.cells(field, at)
    extra = per_row or {}
    return [
        Finding.make(
            rule.code,
            rule.severity,
            resource=view.resource,
            row=int(view.rows[i]),
            field=field,
            cell=cell,
            **params,
            **{name: values[n] for name, values in extra.items()},
        )
        for n, (i, cell) in enumerate(zip(at, cells, strict=True))
    ]


def ratio_band(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    top = view.parsed.get(p["numerator"])
    bottom = view.parsed.get(p["denominator"])
    if top is None or bottom is None:
        return []
    positive = pc.fill_null(pc.greater(bottom, 0), False)
    ratio = pc.divide(
        pc.cast(top, pa.float64()), pc.cast(pc.if_else(positive, bottom, 1), pa.float64())
    )
    mask = pc.and_(positive, pc.fill_null(pc.greater(ratio, float(p["above"])), False))
    if p.get("up_to") is not None:
        mask = pc.and_(mask, pc.fill_null(pc.less_equal(ratio, float(p["up_to"])), False))
    at = indices(mask)
    ratios = pc.take(ratio, pa.array(at)).to_pylist()
    percents = [round(100 * r, 1) for r in ratios]
    return findings_at(rule, view, at, p["numerator"], {"percent": percents})


def implies(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    when = evaluate(p["when"], view.parsed, view.length)
    then = evaluate(p["then"], view.parsed, view.length)
    return findings_at(rule, view, indices(pc.and_(when, pc.invert(then))), p["field"])


def date_order(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    earlier, later = view.parsed.get(p["earlier"]), view.parsed.get(p["later"])
    if earlier is None or later is None:
        return []
    at = indices(pc.fill_null(pc.greater(earlier, later), False))
    before = view.cells(p["earlier"], at)
    return findings_at(rule, view, at, p["later"], {"other": before}, other_field=p["earlier"])


def not_future(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    exempt = evaluate(p["unless"], view.parsed, view.length) if p.get("unless") else None
    found: list[Finding] = []
    today = pa.scalar(context.today, pa.date32())
    for name in p["fields"]:
        column = view.parsed.get(name)
        if column is None:
            continue
        mask = pc.fill_null(pc.greater(column, today), False)
        if exempt is not None:
            mask = pc.and_(mask, pc.invert(exempt))
        found += findings_at(rule, view, indices(mask), name, today=context.today.isoformat())
    return found


def _outside(lat: object, lon: object, box: tuple[float, float, float, float]) -> object:
    south, north, west, east = box
    return pc.or_(
        pc.or_(pc.less(lat, south), pc.greater(lat, north)),
        pc.or_(pc.less(lon, west), pc.greater(lon, east)),
    )


def in_box(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    lat, lon = view.parsed.get(p["latitude"]), view.parsed.get(p["longitude"])
    if lat is None or lon is None:
        return []
    b = p["box"]
    mask = pc.fill_null(_outside(lat, lon, (b["south"], b["north"], b["west"], b["east"])), False)
    at = indices(mask)
    longitudes = view.cells(p["longitude"], at)
    return findings_at(rule, view, at, p["latitude"], {"other": longitudes})


def in_province_box(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    p = rule.params
    lat, lon = view.parsed.get(p["latitude"]), view.parsed.get(p["longitude"])
    provinces = view.parsed.get(p["province"])
    if lat is None or lon is None or provinces is None:
        return []
    margin = float(p.get("margin", 0.0))
    found: list[Finding] = []
    for code in pc.unique(provinces).to_pylist():
        box = context.rules.province_boxes().get(code) if code else None
        if box is None:
            continue
        south, north, west, east = box
        wide = (south - margin, north + margin, west - margin, east + margin)
        mask = pc.and_(
            pc.fill_null(pc.equal(provinces, code), False),
            pc.fill_null(_outside(lat, lon, wide), False),
        )
        found += findings_at(rule, view, indices(mask), p["latitude"], province=code)
    return found


def structural(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    """Documented here, enforced by the profile schema in the structural layer."""
    return []


ROW_RULES: dict[str, RowRule] = {
    "ratio_band": ratio_band,
    "implies": implies,
    "date_order": date_order,
    "not_future": not_future,
    "in_box": in_box,
    "in_province_box": in_province_box,
    "structural": structural,
    **PLACE_RULES,
}
