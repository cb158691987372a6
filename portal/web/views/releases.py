"""Releases: the advance release calendar, in the reader's language, Jalali dates and
Tehran time; what is due this week, what was late, what moved or was cancelled and why,
and who saw each release before the public."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from portal.publishing.release_time import from_iso, tehran
from portal.trust import calendar
from portal.trust.calendar import CalendarRelease
from portal.web import context
from portal.web.format import isolate_addresses
from portal.web.ui import current_language, num, pick, safe, t

WEEK = timedelta(days=7)


def _line(release: CalendarRelease, lang: str) -> str:
    planned = tehran(from_iso(release.planned_at), lang)
    title = safe(pick(release.title_fa, release.title_en))
    status = t("calendar.status." + release.status)
    parts = [f"**{title}** ({safe(release.agency)}): {planned} — {status}"]
    if release.status == "late" and release.late_seconds is not None:
        parts.append(t("calendar.late_by", minutes=num(round(release.late_seconds / 60))))
    parts += [safe(pick(reason["fa"], reason["en"])) for reason in release.reasons]
    if release.version is not None:
        people = ", ".join(safe(f"{a['name']} ({a['role']})") for a in release.access)
        parts.append(t("calendar.access", people=people) if people else t("calendar.no_access"))
    parts.append(f"`{release.commitment}`")
    return "- " + " · ".join(parts)


def render() -> None:
    lang = current_language()
    st.title(t("calendar.title"))
    st.write(t("calendar.intro"))
    with context.read_store() as store:
        found = calendar.releases(store)
    now = datetime.now(UTC)
    waiting = [r for r in found if r.status in ("scheduled", "moved")]
    week = [r for r in waiting if from_iso(r.planned_at) <= now + WEEK]
    late = [r for r in found if r.status == "late"]
    sections = (
        ("calendar.this_week", week),
        ("calendar.upcoming", waiting),
        ("calendar.late", late),
        ("calendar.all", found),
    )
    for key, items in sections:
        st.subheader(t(key))
        if items:
            st.markdown("\n".join(_line(r, lang) for r in items))
        else:
            st.caption(t("calendar.none"))
    st.caption(isolate_addresses(t("calendar.feeds")), unsafe_allow_html=True)
