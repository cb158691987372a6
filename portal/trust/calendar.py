"""The advance release calendar (IMF SDDS), read from the public log alone.

Every sealed release put a `schedule` entry on the log (titles, hour, commitment), every
change a `move` or `cancel` entry with its public reasons, and its publication a `publish`
entry naming the commitment: so the calendar is the same on the writer and on every replica,
and a release can never drop off it silently. It shows titles and hours, never figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from portal.i18n import text
from portal.public_text import isolate, xml_safe
from portal.publishing.release_time import from_iso, tehran
from portal.store import Store
from portal.store.releases import LATE_AFTER

EPOCH = datetime.fromisoformat("2000-01-01T00:00:00+00:00")


@dataclass
class CalendarRelease:
    agency: str
    dataset: str
    title_fa: str
    title_en: str
    planned_at: str
    first_planned_at: str
    scheduled_at: str
    commitment: str
    status: str = "scheduled"  # scheduled | moved | released | late | cancelled
    version: int | None = None  # the released version
    released_at: str | None = None
    late_seconds: int | None = None
    prepared_by: dict[str, str] | None = None
    approved_by: dict[str, str] | None = None
    access: list[dict[str, str]] = field(default_factory=list)  # pre-release access
    reasons: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def releases(store: Store, agency: str | None = None) -> list[CalendarRelease]:
    """Every release ever announced, by planned hour."""
    by_commitment: dict[str, CalendarRelease] = {}
    for entry in store.log_entries():
        kind, commitment = entry.get("type"), str(entry.get("commitment") or "")
        if kind == "schedule":
            by_commitment[commitment] = CalendarRelease(
                str(entry["agency"]),
                str(entry["dataset"]),
                str(entry.get("title_fa") or entry.get("title") or entry["dataset"]),
                str(entry.get("title_en") or entry.get("title") or entry["dataset"]),
                str(entry["release_at"]),
                str(entry["release_at"]),
                str(entry.get("time")),
                commitment,
                prepared_by=entry.get("prepared_by"),
                approved_by=entry.get("approved_by"),
            )
        elif kind in ("move", "cancel") and commitment in by_commitment:
            release = by_commitment[commitment]
            reason = {"kind": kind, "at": str(entry.get("time"))}
            reason |= {"fa": str(entry.get("reason_fa")), "en": str(entry.get("reason_en"))}
            if kind == "move":
                reason |= {"from": release.planned_at, "to": str(entry.get("release_at"))}
                release.planned_at = str(entry.get("release_at"))
                release.status = "moved"
            else:
                release.status = "cancelled"
            release.reasons.append(reason)
        elif kind == "publish" and isinstance(entry.get("release"), dict):
            sealed = by_commitment.get(str(entry["release"].get("commitment")))
            if sealed is None:
                continue
            late = int(entry["release"].get("late_seconds") or 0)
            sealed.status = "late" if late > LATE_AFTER else "released"
            sealed.version = int(entry["version"])
            sealed.released_at = str(entry.get("time"))
            sealed.late_seconds = late
            sealed.access = list(entry["release"].get("access") or [])
    found = sorted(by_commitment.values(), key=lambda r: (r.planned_at, r.agency, r.dataset))
    return [r for r in found if agency is None or r.agency == agency]


def _summary(release: CalendarRelease) -> str:
    return xml_safe(f"{isolate(release.title_fa)} — {release.title_en} ({release.agency})")


def _describe(release: CalendarRelease) -> str:
    planned = from_iso(release.planned_at)
    lines = [
        text("calendar.status." + release.status, "fa")
        + " — "
        + text("calendar.status." + release.status, "en"),
        f"{tehran(planned, 'fa')} ({tehran(planned, 'en')})",
        f"sha256: {release.commitment}",
    ]
    lines += [f"{reason['fa']} — {reason['en']}" for reason in release.reasons]
    return xml_safe("\n".join(lines))


def ics(found: list[CalendarRelease], base: str) -> bytes:
    """One event per release at its hour (RFC 5545); a cancelled one stays, CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", "-//Glass Wall//Release calendar//FA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Glass Wall releases — تقویم انتشار")
    calendar.add("x-wr-timezone", "Asia/Tehran")
    for release in found:
        event = Event()
        event.add("uid", f"{release.commitment}@glasswall")
        event.add("dtstamp", from_iso(release.scheduled_at))
        event.add("dtstart", from_iso(release.planned_at))
        event.add("summary", _summary(release))
        event.add("description", _describe(release))
        event.add("url", f"{base}/api/releases?agency={release.agency}")
        event.add("status", "CANCELLED" if release.status == "cancelled" else "CONFIRMED")
        event.add("sequence", len(release.reasons))
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def atom(found: list[CalendarRelease], base: str) -> bytes:
    """Each release as an entry, updated whenever it is moved, cancelled or released."""
    feed = FeedGenerator()
    feed.id(f"{base}/feeds/releases.atom")
    feed.title(f"{text('calendar.title', 'fa')} — {text('calendar.title', 'en')}")
    feed.link(href=f"{base}/feeds/releases.atom", rel="self")
    feed.link(href=f"{base}/api/releases", rel="alternate")
    feed.author({"name": "Glass Wall"})
    feed.language("fa")
    newest = EPOCH
    for release in found:
        changed = from_iso(
            max(
                [release.scheduled_at, release.released_at or ""]
                + [r["at"] for r in release.reasons]
            )
        )
        newest = max(newest, changed)
        entry = feed.add_entry()
        entry.id(f"{base}/api/releases#{release.commitment}")
        entry.title(_summary(release))
        entry.link(href=f"{base}/api/releases?agency={release.agency}", rel="alternate")
        entry.published(from_iso(release.scheduled_at))
        entry.updated(changed)
        entry.content(_describe(release), type="text")
    feed.updated(newest)
    atom: bytes = feed.atom_str(pretty=True)  # feedgen is untyped
    return atom
