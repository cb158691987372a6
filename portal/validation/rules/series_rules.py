"""Indicator series rules, run once the observations and the dictionary have been read.

Observations arrive batch by batch; only the five profile columns and row numbers are
kept (a few bytes a row), then checked with pandas group-bys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from portal.validation.report import Finding
from portal.validation.rules.packs import Rule

NATIONAL = "IR"
if TYPE_CHECKING:  # frames come from the runner: a projects table never imports pandas
    import pandas as pd

    SeriesRule = Callable[[Rule, pd.DataFrame, pd.DataFrame, str], list[Finding]]
SERIES_KEYS = ["indicator_id", "province", "county"]


def _period_index(period: str) -> int | None:
    """1402 -> 1402*12, 1402-07 -> 1402*12 + 6: consecutive periods differ by one step."""
    try:
        if "-" in period:
            year, month = period.split("-")
            return int(year) * 12 + int(month) - 1
        return int(period) * 12
    except ValueError:
        return None


def prepare(observations: pd.DataFrame) -> pd.DataFrame:
    frame = observations.copy()
    frame["county"] = frame["county"].fillna("")
    frame["step"] = frame["period"].map(lambda p: _period_index(str(p)) if p else None)
    frame["yearly"] = ~frame["period"].astype(str).str.contains("-")
    return frame


def _finding(rule: Rule, resource: str, row: Any, field: str, cell: Any, **params: Any) -> Finding:
    return Finding.make(
        rule.code,
        rule.severity,
        resource=resource,
        row=int(row) if row is not None else None,
        field=field,
        cell=None if cell is None else str(cell),
        **params,
    )


def percent_range(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    units = {str(u) for u in rule.params["units"]}
    percent_ids = set(dictionary.loc[dictionary["unit"].astype(str).isin(units), "indicator_id"])
    low, high = rule.params["minimum"], rule.params["maximum"]
    bad = obs[
        obs["indicator_id"].isin(percent_ids) & ((obs["value"] < low) | (obs["value"] > high))
    ]
    return [_finding(rule, resource, r.row, "value", r.value) for r in bad.itertuples()]


def _mismatch(total: float, parts: float, p: dict[str, Any]) -> bool:
    gap = abs(total - parts)
    absolute, relative = float(p["absolute_tolerance"]), float(p["relative_tolerance"])
    return gap > absolute and gap > relative * max(abs(parts), 1e-12)


def sum_of_parts(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    summed = set(dictionary.loc[dictionary["aggregation"] == "sum", "indicator_id"])
    frame = obs[obs["indicator_id"].isin(summed)]
    found: list[Finding] = []
    provincial = frame[(frame["province"] != NATIONAL)]
    keys = ["indicator_id", "period", "province"]
    totals = provincial[provincial["county"] == ""].set_index(keys)
    parts = provincial[provincial["county"] != ""].groupby(keys)["value"].sum()
    for key, total in totals.iterrows():
        if key in parts.index and _mismatch(total["value"], parts[key], rule.params):
            found.append(
                _finding(
                    rule,
                    resource,
                    total["row"],
                    "value",
                    total["value"],
                    parts=round(float(parts[key]), 4),
                    scope=key[2],
                )
            )
    national = frame[(frame["province"] == NATIONAL) & (frame["county"] == "")]
    province_totals = (
        provincial[provincial["county"] == ""].groupby(["indicator_id", "period"])["value"].sum()
    )
    for r in national.itertuples():
        key = (r.indicator_id, r.period)
        if key in province_totals.index and _mismatch(r.value, province_totals[key], rule.params):
            found.append(
                _finding(
                    rule,
                    resource,
                    r.row,
                    "value",
                    r.value,
                    parts=round(float(province_totals[key]), 4),
                    scope=NATIONAL,
                )
            )
    return found


def _robust_z(values: np.ndarray) -> np.ndarray:
    median = np.median(values)
    mad = np.median(np.abs(values - median)) * 1.4826
    if mad == 0:
        return np.zeros_like(values)
    z: np.ndarray = np.abs(values - median) / mad
    return z


def robust_outlier(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    found: list[Finding] = []
    for _, series in obs.groupby(SERIES_KEYS, sort=False):
        if len(series) < rule.params["min_points"]:
            continue
        z = _robust_z(series["value"].to_numpy(dtype=float))
        for r, score in zip(series.itertuples(), z, strict=True):
            if score > rule.params["threshold"]:
                found.append(
                    _finding(rule, resource, r.row, "value", r.value, score=round(float(score), 1))
                )
    return found


def sudden_jump(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    found: list[Finding] = []
    for _, series in obs.dropna(subset=["step"]).groupby(SERIES_KEYS, sort=False):
        series = series.sort_values("step")
        if len(series) < rule.params["min_points"]:
            continue
        values = series["value"].to_numpy(dtype=float)
        changes = np.diff(values)
        z = _robust_z(changes)
        previous = values[:-1]
        relative = np.abs(changes) / np.maximum(np.abs(previous), 1e-12)
        rows = series["row"].to_numpy()[1:]
        for row, value, score, rel in zip(rows, values[1:], z, relative, strict=True):
            if score > rule.params["threshold"] and rel > rule.params["min_relative_change"]:
                found.append(
                    _finding(rule, resource, row, "value", value, score=round(float(score), 1))
                )
    return found


def unit_consistency(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    if "unit" not in obs.columns:
        return []
    units = dictionary.set_index("indicator_id")["unit"]
    expected = obs["indicator_id"].map(units)
    bad = obs[obs["unit"].notna() & expected.notna() & (obs["unit"] != expected)]
    return [
        _finding(rule, resource, r.row, "unit", r.unit, expected=units[r.indicator_id])
        for r in bad.itertuples()
    ]


def no_missing_periods(
    rule: Rule, obs: pd.DataFrame, dictionary: pd.DataFrame, resource: str
) -> list[Finding]:
    found: list[Finding] = []
    for key, series in obs.dropna(subset=["step"]).groupby(SERIES_KEYS, sort=True):
        step = 12 if series["yearly"].all() else 1
        present = set(series["step"].astype(int))
        first, last = min(present), max(present)
        gaps = [s for s in range(first, last + 1, step) if s not in present]
        if gaps:
            names = [f"{g // 12}" if step == 12 else f"{g // 12}-{g % 12 + 1:02d}" for g in gaps]
            found.append(
                _finding(
                    rule,
                    resource,
                    None,
                    "period",
                    ", ".join(names[:12]),
                    series="/".join(str(k) for k in key if k),
                )
            )
    return found


SERIES_RULES: dict[str, SeriesRule] = {
    "percent_range": percent_range,
    "sum_of_parts": sum_of_parts,
    "robust_outlier": robust_outlier,
    "sudden_jump": sudden_jump,
    "unit_consistency": unit_consistency,
    "no_missing_periods": no_missing_periods,
}
