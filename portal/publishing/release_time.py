"""When a release happens: parsed from what an agency types, shown as Iran reads it.

An agency gives the hour either as ISO 8601 with an offset (`2026-12-20T09:30+03:30`) or
as Jalali Tehran time (`1405/09/29 09:30`, Persian digits welcome). A time without an
offset is refused rather than guessed. Asia/Tehran is UTC+03:30 with no daylight saving
since 2022, so a fixed offset is exact (and needs no tz database).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import jdatetime

from portal.errors import BadParameter
from portal.persian import to_latin_digits, to_persian_digits

TEHRAN = timezone(timedelta(hours=3, minutes=30), "Asia/Tehran")
_JALALI = re.compile(
    r"^\s*(?P<y>1[34]\d\d)[/\-](?P<m>\d{1,2})[/\-](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2}))?\s*$"
)


def parse_when(text: str, field: str = "release_at") -> datetime:
    """The moment `text` names, in UTC; a bilingual refusal naming the field otherwise."""
    latin = to_latin_digits(text.strip())
    jalali = _JALALI.match(latin)
    if jalali:
        try:
            local: datetime = jdatetime.datetime(
                int(jalali["y"]),
                int(jalali["m"]),
                int(jalali["d"]),
                int(jalali["H"] or 0),
                int(jalali["M"] or 0),
            ).togregorian()
        except ValueError:
            raise BadParameter("release.bad_time", field=field, value=text) from None
        return local.replace(tzinfo=TEHRAN).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(latin)
    except ValueError:
        raise BadParameter("release.bad_time", field=field, value=text) from None
    if moment.tzinfo is None:
        raise BadParameter("release.no_offset", field=field, value=text)
    return moment.astimezone(UTC)


def future(moment: datetime, now: datetime, field: str = "release_at") -> datetime:
    """`moment`, if it is still ahead: a release cannot be announced for the past."""
    if moment <= now:
        raise BadParameter("release.in_past", field=field, value=iso(moment), now=iso(now))
    return moment


def iso(moment: datetime) -> str:
    """UTC, to the second: how release times are stored and put on the log."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def tehran_day(moment: str | datetime) -> date:
    """The day a moment fell on in Tehran (UTC+03:30), the day Iran could first read what was
    published then; a moment without an offset keeps its own day."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return (moment.astimezone(TEHRAN) if moment.tzinfo else moment).date()


def tehran(moment: datetime, lang: str) -> str:
    """`۱۴۰۵/۰۹/۲۹ ۰۹:۳۰` (Jalali, Tehran time) in Persian; ISO with +03:30 in English."""
    local = moment.astimezone(TEHRAN)
    if lang != "fa":
        return local.isoformat(timespec="minutes")
    jalali = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    return to_persian_digits(jalali.strftime("%Y/%m/%d %H:%M"))
