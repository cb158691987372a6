"""The Publish page's share of four eyes and sealed releases: what a member's role may do,
the hour of a sealed release, and the approver's review of waiting drafts (each review
recorded as pre-release access)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from portal.errors import GlassWallError
from portal.publishing.approval import approve, reject
from portal.publishing.draft_view import show
from portal.publishing.release_time import from_iso, parse_when, tehran
from portal.store import writing
from portal.store.drafts import all_waiting
from portal.store.members import APPROVING, identify
from portal.web import context
from portal.web.ui import current_language, pick, safe, sep, t


def _error(error: GlassWallError) -> None:
    st.error(pick(error.message["fa"], error.message["en"]))


def role_note(token: str) -> str | None:
    """Say who is signed in and what their role may do; their role."""
    store = writing(context.settings().home)
    try:
        signer = store.run(identify, token)
    except GlassWallError:
        return None
    finally:
        store.close()
    st.info(t("web.role_note", name=safe(signer.name), role=t("web.role." + signer.role)))
    return signer.role


def release_at_input() -> datetime | GlassWallError | None:
    """The hour of a sealed release, if the member gives one (Jalali Tehran time or ISO)."""
    given = st.text_input(t("web.release_at"), key="release_at", help=t("web.release_at_help"))
    if not given.strip():
        return None
    try:
        return parse_when(given)
    except GlassWallError as error:
        return error


def review(slug: str, token: str, role: str | None) -> None:
    """Waiting drafts of the agency, for an approver or admin: review, approve, reject."""
    if role not in APPROVING:
        return
    store = writing(context.settings().home)
    try:
        drafts = store.run(all_waiting, slug)
        if not drafts:
            return
        st.subheader(t("web.drafts_waiting"))
        for draft in drafts:
            st.markdown(
                f"- **{safe(draft.dataset)}** · {safe(draft.prepared_name)} · `{draft.sha256}`"
            )
            key = f"{draft.dataset}_{draft.id}"
            try:
                if st.button(t("web.draft_review"), key=f"review_{key}"):
                    view = show(store, slug, draft.dataset, token)  # recorded as access
                    for name, lines in view.heads.items():
                        st.caption(name)
                        st.code("\n".join(lines), language=None)
                if st.button(t("web.draft_approve"), key=f"approve_{key}"):
                    done = approve(store, slug, draft.dataset, token, draft.sha256)
                    if done.release is not None:
                        planned = from_iso(done.release.planned_at)
                        st.success(t("web.draft_sealed", when=tehran(planned, current_language())))
                    else:
                        st.success(
                            t(
                                "draft.approved",
                                prepared=draft.prepared_name,
                                prepared_role=draft.prepared_role,
                                approved=done.approver.name,
                                approved_role=done.approver.role,
                            )
                        )
                reason = st.text_input(t("web.draft_reason"), key=f"reason_{key}")
                if st.button(t("web.draft_reject"), key=f"reject_{key}") and reason.strip():
                    reject(store, slug, draft.dataset, token, reason)
                    st.success(t("draft.rejected", agency=slug, dataset=draft.dataset))
            except GlassWallError as error:
                _error(error)
    finally:
        store.close()


def _role_name(role: object) -> str:
    """A member's role as a word of the page's language (the log keeps the code)."""
    return t(f"role.name.{role}") if role in ("preparer", "approver", "admin") else str(role)


def _when(at: object, lang: str) -> str:
    return tehran(from_iso(str(at)), lang)


def signatures(log_seq: int) -> None:
    """Who prepared and approved the version, and for a sealed release its hour and who
    saw it before the public (an empty list said as such), as its log entry records."""
    with context.read_store() as store:
        entry = store.log_entry(log_seq)
    lines = []
    if "approved_by" in entry:
        prepared, approved = entry.get("prepared_by", {}), entry["approved_by"]
        lines.append(
            t(
                "draft.approved",
                prepared=safe(prepared.get("name")),
                prepared_role=_role_name(prepared.get("role")),
                approved=safe(approved.get("name")),
                approved_role=_role_name(approved.get("role")),
            )
        )
    release = entry.get("release")
    access = release.get("access") if isinstance(release, dict) else entry.get("access")
    if isinstance(release, dict):
        planned = tehran(from_iso(str(release["planned"])), current_language())
        lines.append(t("web.released_at", when=planned))
    if access is not None:
        lang = current_language()
        comma = "، " if lang == "fa" else ", "
        people = sep().join(
            safe(f"{a['name']} ({_role_name(a['role'])}{comma}{_when(a['at'], lang)})")
            for a in access
        )
        lines.append(t("calendar.access", people=people) if people else t("calendar.no_access"))
    for line in lines:
        st.caption(line)
