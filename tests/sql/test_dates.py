"""Date literals that read as Jalali, found in the parse tree beside the query's tables."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from portal.sql.dates import jalali_dates

MODERN = pa.array([dt.date(2019, 5, 1), None, dt.date(2024, 1, 2)], pa.date32())
OLD = pa.array([dt.date(1401, 1, 1), dt.date(2024, 1, 2)], pa.date32())
TABLES = {
    "a/projects": pa.table({"start_date": MODERN, "title": ["x", "y", "z"]}),
    "a/history": pa.table({"founded": OLD}),
}


@pytest.mark.parametrize(
    ("where", "found"),
    [
        ("start_date > '1400-01-01'", [("start_date", "1400-01-01", "2021-03-21")]),
        ("'1400-01-01' <= p.Start_Date", [("Start_Date", "1400-01-01", "2021-03-21")]),
        ("start_date = DATE '1399-12-30'", [("start_date", "1399-12-30", "2021-03-20")]),
        (
            "start_date between '1399/01/01' and '1400-1-1'",
            [("start_date", "1399/01/01", "2020-03-20"), ("start_date", "1400-1-1", "2021-03-21")],
        ),
        ("start_date > '2021-03-21'", []),  # Gregorian
        ("start_date > '1400-13-01'", []),  # no such Jalali month
        ("title > '1400-01-01'", []),  # a text column
        ("founded > '1400-01-01'", []),  # a column that holds years before 1900
        ("start_date > 1400", []),  # a number, not a date literal
    ],
)
def test_a_jalali_literal_against_a_modern_date_column(
    where: str, found: list[tuple[str, str, str]]
) -> None:
    sql = f'select * from "a/projects" p, "a/history" h where {where}'
    notes = jalali_dates(sql, TABLES)
    assert [(n.column, n.literal, n.gregorian) for n in notes] == found


def test_an_unreadable_query_has_no_notes() -> None:
    assert jalali_dates("select * from (", TABLES) == []
