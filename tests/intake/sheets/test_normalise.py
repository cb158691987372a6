"""Each correction rule, with what it reads, what it writes and the rules it names."""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.intake.sheets.columns import column
from portal.intake.sheets.normalise import normalise


@pytest.mark.parametrize(
    ("value", "field", "fixed", "rules"),
    [
        ("۱۲۰٬۰۰۰٬۰۰۰", "budget_irr", "120000000", ("persian-digits", "thousands-separator")),
        ("1,500,000", "budget_irr", "1500000", ("thousands-separator",)),
        ("۴۵٫۵", "physical_progress_pct", "45.5", ("persian-digits", "decimal-separator")),
        ("45%", "physical_progress_pct", "45", ("percent-sign",)),
        ("۱۴۰۲/۰۵/۱۷", "start_date", "2023-08-08", ("persian-digits", "jalali-date")),
        ("1402-05-17", "start_date", "2023-08-08", ("jalali-date",)),
        ("1403/12/30", "start_date", "2025-03-20", ("jalali-date",)),  # a leap year
        ("۲۰۲۳-۰۸-۰۸", "start_date", "2023-08-08", ("persian-digits",)),
        (45146, "start_date", "2023-08-08", ("excel-serial",)),
        ("در حال اجرا", "status", "implementation", ("codelist-label",)),
        ("استان فارس", "province", "IR-07", ("codelist-label",)),
        ("ميبد", "county", "میبد", ("arabic-letters",)),
        (" شرکت نمونه ", "contractor", "شرکت نمونه", ("spaces",)),
    ],
)
def test_corrections(value: object, field: str, fixed: str, rules: tuple[str, ...]) -> None:
    _, new, applied = normalise(value, column("projects", field))
    assert (new, applied) == (fixed, rules)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("twelve", "budget_irr"),
        ("2023-08-08", "start_date"),
        ("implementation", "status"),
        (datetime(2023, 8, 8), "start_date"),
        (120000000000.0, "budget_irr"),
        ("IR-99", "province"),
    ],
)
def test_nothing_to_correct(value: object, field: str) -> None:
    raw, new, rules = normalise(value, column("projects", field))
    assert rules == () and new == raw


def test_periods() -> None:
    period = column("observations", "period")
    assert normalise("۱۴۰۲/۹", period)[1:] == ("1402-09", ("persian-digits", "period-format"))
    assert normalise(1402, period)[1:] == ("1402", ())
