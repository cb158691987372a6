"""The ranking's revision figures count days as Iran lives them (Tehran, UTC+03:30)."""

from __future__ import annotations

from portal.store import Store
from portal.trust.ranking import revision_stats

# Version 2 lands at 00:30 on 6 March in Tehran, still the 5th in UTC.
PUBLISHED = {
    1: "2027-03-01T10:00:00+00:00",
    2: "2027-03-05T21:00:00+00:00",
    3: "2027-03-10T12:00:00+00:00",
}


def test_days_to_an_explanation_are_tehran_days(revised: Store) -> None:
    for number, stamp in PUBLISHED.items():
        revised.conn.execute("UPDATE versions SET created_at = ? WHERE number = ?", (stamp, number))
    revised.conn.commit()
    # Tehran days: version 2 explains 5 days after 1 Mar, version 3's two changes 4 days
    # after 6 Mar; counted in UTC days they were 4, 5 and 5 (median 5).
    assert revision_stats(revised)["mrud-yazd"].median_days == 4
