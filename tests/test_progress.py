"""Progress as data: counters and the row meter's estimate of a CSV's rows."""

from __future__ import annotations

from portal.progress import Counter, RowMeter, Tick


def test_a_counter_reports_each_step_and_its_end() -> None:
    seen: list[Tick] = []
    counter = Counter(seen.append, "datasets", 3)
    for _ in range(3):
        counter.advance()
    counter.finish()
    assert [(t.done, t.total, t.finished) for t in seen] == [
        (1, 3, False),
        (2, 3, False),
        (3, 3, False),
        (3, 3, True),
    ]


def test_the_row_meter_estimates_the_total_from_the_bytes_read() -> None:
    seen: list[Tick] = []
    meter = RowMeter(seen.append, total_bytes=1000)
    meter.advance(10, 250)  # a quarter of the bytes held 10 rows: about 40 in all
    assert (seen[-1].done, seen[-1].total, seen[-1].estimated) == (10, 40, True)
    meter.advance(25, 750)  # the estimate never falls below what was read
    assert (seen[-1].done, seen[-1].total) == (35, 35)
    meter.finish()
    assert seen[-1] == Tick("rows", 35, 35, finished=True)


def test_nobody_watching_costs_nothing() -> None:
    Counter(None, "objects").advance()
    RowMeter(None, 0).advance(5, 10)
