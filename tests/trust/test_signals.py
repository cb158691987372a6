"""Distortion signals: natural-looking data gives none, invented or heaped data gives them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portal.trust import signals
from portal.validation.rules.packs import SHIPPED
from tests.packages import DATASETS


def _projects(budgets: np.ndarray, spent: np.ndarray | None = None) -> pd.DataFrame:
    count = len(budgets)
    return pd.DataFrame(
        {
            "id": [f"p-{i:04d}" for i in range(count)],
            "budget_irr": budgets.astype("int64"),
            "spent_irr": (budgets * 0.4 if spent is None else spent).astype("int64"),
            "physical_progress_pct": np.round(np.linspace(12.3, 87.7, count), 1),
        }
    )


def _codes(frame: pd.DataFrame) -> dict[str, set[str | None]]:
    found: dict[str, set[str | None]] = {}
    for finding in signals.compute(frame, SHIPPED):
        found.setdefault(finding.code, set()).add(finding.field)
    return found


def benford_amounts(count: int, seed: int = 7) -> np.ndarray:
    """Amounts spread evenly over six orders of magnitude: Benford's law by construction."""
    rng = np.random.default_rng(seed)
    return np.floor(10 ** rng.uniform(9, 15, count)) + rng.integers(1, 999, count)


def test_a_table_following_benford_gives_no_signal() -> None:
    budgets = benford_amounts(1000)
    spent = np.floor(budgets * np.random.default_rng(3).uniform(0.2, 0.6, 1000))
    frame = _projects(budgets, spent)
    n, _, mad = signals.benford_fit(frame["budget_irr"])
    assert n == 1000 and mad < 0.012
    assert _codes(frame) == {}


def test_invented_uniform_amounts_give_the_benford_signal() -> None:
    rng = np.random.default_rng(11)
    budgets = rng.uniform(1e12, 9.999e12, 400) + rng.integers(1, 999, 400)
    found = [
        f for f in signals.compute(_projects(budgets), SHIPPED) if f.code == "benford-first-digit"
    ]
    assert {f.field for f in found} == {"budget_irr", "spent_irr"}
    figures = dict(found[0].params)
    assert figures["count"] == 400 and figures["chi_square"] > 15.507 and figures["mad"] > 0.015
    assert "Worth a look" in found[0].message["en"] and "ارزش نگاه‌کردن" in found[0].message["fa"]


def test_benford_needs_300_amounts() -> None:
    rng = np.random.default_rng(11)
    budgets = rng.uniform(1e12, 9.999e12, 299) + rng.integers(1, 999, 299)
    assert "benford-first-digit" not in _codes(_projects(budgets))


def test_round_number_heaping() -> None:
    natural = benford_amounts(100, seed=5)
    assert "round-number-heaping" not in _codes(_projects(natural))
    heaped = natural.copy()
    heaped[:60] = [float(f"{v:.2g}") for v in natural[:60]]  # two significant digits
    frame = _projects(heaped, spent=benford_amounts(100, seed=6))
    found = [f for f in signals.compute(frame, SHIPPED) if f.code == "round-number-heaping"]
    assert [f.field for f in found] == ["budget_irr"]
    assert dict(found[0].params)["share"] == 60.0 and dict(found[0].params)["count"] == 60


def test_percentages_heaped_on_tens() -> None:
    frame = _projects(benford_amounts(100, seed=5))
    assert "round-number-heaping" not in _codes(frame)
    frame["physical_progress_pct"] = [10.0, 20.0, 30.0, 40.0, 50.0] * 12 + [33.3] * 40
    assert _codes(frame)["round-number-heaping"] == {"physical_progress_pct"}


def test_repeated_amounts_spending_out_of_line_and_concentration() -> None:
    budgets = benford_amounts(40, seed=9)
    frame = _projects(budgets)
    frame.loc[0:3, "spent_irr"] = 123456789012
    frame.loc[10, "spent_irr"] = int(budgets[10] * 0.95)
    frame.loc[10, "physical_progress_pct"] = 10.0
    frame.loc[20, "budget_irr"] = int(budgets.sum() * 2)
    found = signals.compute(frame, SHIPPED)
    codes = {f.code for f in found}
    assert {"repeated-amounts", "spending-out-of-line", "budget-concentration"} <= codes
    [repeated] = [f for f in found if f.code == "repeated-amounts"]
    assert dict(repeated.params)["count"] == 4
    assert any(dict(f.params).get("project") == "p-0010" for f in found)


def test_the_sample_packages_give_no_signal() -> None:
    for agency in ("mrud-yazd", "mrud-khuzestan"):
        frame = pd.read_csv(DATASETS / agency / "data" / "projects.csv")
        assert signals.compute(frame, SHIPPED) == [], agency
