"""Distortion signals: patterns worth a look in a published projects table, never verdicts.

Each signal type is one small function `(rule, projects) -> findings` registered in
`SIGNAL_RULES` under the `type` named in `validators/signals.yaml`; methods, thresholds
and references are in `validators/signals.md`. They are computed on publish and stored
with the version as the `signals` attachment; they never block publishing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from portal.validation.report import Finding
from portal.validation.rules.packs import Rule, RulePacks

SignalRule = Callable[[Rule, pd.DataFrame], list[Finding]]
PACK = "signals"
RESOURCE = "projects"
BENFORD = np.log10(1 + 1 / np.arange(1, 10))  # expected share of first digits 1..9


def _numbers(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(dtype=float)
    return pd.to_numeric(frame[name], errors="coerce").dropna()


def significant_digits(values: pd.Series) -> pd.Series:
    """Significant digits of each whole number (99 for fractions): 45,000 -> 2."""
    numbers = values.to_numpy(dtype=float)
    whole = np.isfinite(numbers) & (numbers % 1 == 0)
    positive = np.where(whole & (numbers != 0), np.abs(numbers), 1.0)
    digits = np.floor(np.log10(positive)) + 1
    rest = np.where(whole, np.abs(numbers), 0).astype(np.int64)
    zeros = np.zeros(len(rest), dtype=np.int64)
    for _ in range(19):  # trailing zeros of an int64, at most 18
        trailing = (rest % 10 == 0) & (rest > 0)
        if not trailing.any():
            break
        zeros += trailing
        rest = np.where(trailing, rest // 10, rest)
    return pd.Series(np.where(whole, digits - zeros, 99).astype(int), index=values.index)


def _signal(
    rule: Rule, field: str | None = None, row: int | None = None, **figures: Any
) -> Finding:
    return Finding.make(
        rule.code, rule.severity, resource=RESOURCE, field=field, row=row, **figures
    )


def heaping(rule: Rule, projects: pd.DataFrame) -> list[Finding]:
    p = rule.params
    found = []
    for name in p["fields"]:
        values = _numbers(projects, name)
        if name.endswith("_pct"):
            values = values[(values > 0) & (values < 100)]
            round_ = (values % p["percent_round"]) == 0
            expected = float(p["expected_percent"])
        else:
            values = values[values > 0]
            round_ = significant_digits(values) <= p["max_significant"]
            expected = float(p["expected_amount"])
        if len(values) < p["min_values"]:
            continue
        share = float(round_.mean())
        if share >= p["factor"] * expected and share >= expected + p["min_excess"]:
            found.append(
                _signal(
                    rule,
                    name,
                    share=round(100 * share, 1),
                    expected=round(100 * expected, 1),
                    count=int(round_.sum()),
                    total=len(values),
                )
            )
    return found


def first_digits(values: pd.Series) -> np.ndarray:
    positive = values[values > 0].to_numpy(dtype=float)
    leading: np.ndarray = (positive / 10 ** np.floor(np.log10(positive))).astype(int)
    return leading.clip(1, 9)


def benford_fit(values: pd.Series) -> tuple[int, float, float]:
    """Count, chi-square (8 degrees of freedom) and mean absolute deviation of first digits."""
    digits = first_digits(values)
    n = len(digits)
    if n == 0:
        return 0, 0.0, 0.0
    observed = np.bincount(digits, minlength=10)[1:] / n
    chi_square = float(n * np.sum((observed - BENFORD) ** 2 / BENFORD))
    mad = float(np.mean(np.abs(observed - BENFORD)))
    return n, chi_square, mad


def benford(rule: Rule, projects: pd.DataFrame) -> list[Finding]:
    p = rule.params
    found = []
    for name in p["fields"]:
        n, chi_square, mad = benford_fit(_numbers(projects, name))
        if n < p["min_values"]:
            continue
        if chi_square > p["chi_square_critical"] and mad > p["mad_nonconformity"]:
            found.append(
                _signal(rule, name, count=n, chi_square=round(chi_square, 1), mad=round(mad, 4))
            )
    return found


def repeated_amounts(rule: Rule, projects: pd.DataFrame) -> list[Finding]:
    p = rule.params
    found: list[Finding] = []
    if "id" not in projects:
        return found
    for name in p["fields"]:
        if name not in projects:
            continue
        values = pd.to_numeric(projects[name], errors="coerce")
        frame = pd.DataFrame({"id": projects["id"], "amount": values}).dropna()
        frame = frame[frame["amount"] >= p["min_amount"]]
        frame = frame[significant_digits(frame["amount"]) > 2]
        groups = frame.groupby("amount")["id"].nunique()
        for amount, projects_count in groups[groups >= p["min_projects"]].items():
            ids = sorted(frame.loc[frame["amount"] == amount, "id"].astype(str))
            found.append(
                _signal(
                    rule,
                    name,
                    amount=int(amount),
                    count=int(projects_count),
                    projects="، ".join(ids[:5]) + (" …" if len(ids) > 5 else ""),
                )
            )
    return found


def spend_progress(rule: Rule, projects: pd.DataFrame) -> list[Finding]:
    p = rule.params
    needed = {"id", "budget_irr", "spent_irr", "physical_progress_pct"}
    if not needed <= set(projects.columns):
        return []
    budget = pd.to_numeric(projects["budget_irr"], errors="coerce")
    spent = pd.to_numeric(projects["spent_irr"], errors="coerce")
    progress = pd.to_numeric(projects["physical_progress_pct"], errors="coerce")
    share = spent / budget.where(budget > 0)
    ahead = (share >= p["min_spent_share"]) & (progress <= p["max_progress"])
    ahead |= (100 * share - progress) >= p["min_gap"]
    found = []
    for position in np.flatnonzero(ahead.fillna(False).to_numpy()):
        found.append(
            _signal(
                rule,
                "spent_irr",
                row=int(position) + 2,
                project=str(projects["id"].iloc[position]),
                spent_share=round(100 * float(share.iloc[position]), 1),
                progress=round(float(progress.iloc[position]), 1),
            )
        )
    return found


def concentration(rule: Rule, projects: pd.DataFrame) -> list[Finding]:
    p = rule.params
    budgets = _numbers(projects, "budget_irr")
    budgets = budgets[budgets > 0].sort_values(ascending=False)
    if len(budgets) < p["min_projects"] or budgets.sum() <= 0:
        return []
    top = max(1, math.ceil(p["top_share"] * len(budgets)))
    share = float(budgets.head(top).sum() / budgets.sum())
    if share <= p["max_budget_share"]:
        return []
    return [_signal(rule, "budget_irr", top=top, total=len(budgets), share=round(100 * share, 1))]


SIGNAL_RULES: dict[str, SignalRule] = {
    rule.__name__: rule
    for rule in (heaping, benford, repeated_amounts, spend_progress, concentration)
}


def compute(projects: pd.DataFrame | None, rules: RulePacks) -> list[Finding]:
    if projects is None or projects.empty:
        return []
    found: list[Finding] = []
    for rule in rules.pack(PACK).rules:
        found += SIGNAL_RULES[rule.type](rule, projects)
    return found


def document(found: list[Finding], rules: RulePacks) -> dict[str, Any]:
    """The `signals` attachment: what was looked for and what is worth a look."""
    return {
        "checked": [rule.code for rule in rules.pack(PACK).rules],
        "signals": [
            {
                "code": f.code,
                "resource": f.resource,
                "row": f.row,
                "field": f.field,
                "figures": {k: v for k, v in f.params},
                "message": f.message,
            }
            for f in found
        ],
    }
