"""Ask or flag a figure, and the public record of answers, on every page that shows figures.

The form posts through `portal.feedback.service.receive`, the code path of
`POST /api/feedback`. Everything a citizen or an agency wrote is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from portal.errors import GlassWallError
from portal.feedback.service import receive
from portal.store import Store, reading, writing
from portal.store.feedback import (
    answer,
    approve,
    contact,
    hide,
    public_items,
    queue,
    waiting_count,
)
from portal.store.feedback_records import KINDS, MAX_MESSAGE, OUTCOMES, FeedbackItem, NewFeedback
from portal.web import context, data
from portal.web.navigation import page_link
from portal.web.ui import (
    choice_key,
    choose_one,
    current_language,
    num,
    one_of,
    pick,
    plain,
    safe,
    sep,
    t,
    when,
)


def ask_form(
    key: str,
    dataset: str,
    *,
    version: int | None = None,
    resource: str | None = None,
    row: int | None = None,
    figures: dict[str, tuple[str, Any]] | None = None,
    project: str | None = None,
) -> None:
    """A question or flag about `dataset`; `figures` maps a label to (field, value shown)."""
    with st.expander(t("web.fb.ask")), st.form(f"fb_{key}", clear_on_submit=True):
        # Labels computed here, in the page's language: the widget keeps this function.
        kinds = {k: t(f"web.fb.kind_{k}") for k in KINDS}
        kind = st.radio(
            t("web.fb.kind"),
            list(kinds),
            format_func=kinds.__getitem__,
            horizontal=True,
            key=choice_key(f"fb_{key}_kind", one_of(kinds)),
        )
        field, value = None, None
        if figures:
            label = st.selectbox(
                t("web.fb.figure"),
                list(figures),
                key=choice_key(f"fb_{key}_figure", one_of(figures)),
                placeholder=choose_one(),
            )
            field, value = figures[label]
        message = st.text_area(t("web.fb.message"), max_chars=MAX_MESSAGE, key=f"fb_{key}_msg")
        name = st.text_input(t("web.fb.name"), max_chars=80, key=f"fb_{key}_name")
        contact = st.text_input(
            t("web.fb.contact"),
            max_chars=200,
            key=f"fb_{key}_contact",
            help=t("web.fb.contact_help"),
        )
        sent = st.form_submit_button(t("web.fb.send"))
    if not sent:
        return
    item = NewFeedback(
        dataset=dataset,
        message=message,
        kind=kind,
        version=version,
        resource=resource,
        row=row,
        field=field,
        value=None if value is None else str(value),
        project=project,
        name=name or None,
        contact=contact or None,
    )
    try:
        new_id = receive(context.settings(), item, st.context.ip_address or "web")
    except GlassWallError as error:
        st.error(pick(error.message["fa"], error.message["en"]))
        return
    st.success(t("web.fb.received", id=num(new_id)))


def _outcome(item: FeedbackItem) -> str:
    if item.outcome == "corrected":
        return t("web.fb.outcome_corrected", version=num(item.outcome_version or 0))
    if item.outcome:
        return t(f"web.fb.outcome_{item.outcome}")
    return ""


def public_record(dataset: str, *, project: str | None = None) -> None:
    """Approved questions and flags with their answers; the count still waiting."""
    _record(dataset, project, current_language(), data.feedback_generation())


@data.per_item
def _record(dataset: str, project: str | None, lang: str, stamp: tuple[int, int]) -> None:
    """Drawn once per thread state (`stamp` changes whenever an item arrives or is
    moderated) and language; later runs replay it without opening the store."""
    agency, _, name = dataset.partition("/")
    with reading(context.settings().home) as store:
        items = store.run(public_items, agency, name)
        waiting = store.run(waiting_count, agency, name)
    if project is not None:
        items = [i for i in items if i.project == project]
    st.markdown(f"**{t('web.fb.record')}**")
    st.caption(t("web.fb.waiting", count=num(waiting)))
    if not items:
        st.caption(t("web.fb.none"))
    for item in items:
        with st.container(border=True):
            header = t(f"web.fb.kind_{item.kind}") + sep() + when(item.created_at)
            if item.field:
                header += sep() + t("web.fb.about", field=safe(item.field), value=safe(item.value))
            st.caption(header)
            st.text(plain(item.message))
            if item.name:
                st.caption(t("web.fb.by", name=safe(item.name)))
            if item.answer:
                st.markdown(
                    f"**{t('web.fb.answer')}**{sep()}{when(item.answered_at)} {_outcome(item)}"
                )
                st.text(plain(item.answer))
                if item.outcome == "corrected" and item.outcome_version:
                    page_link(
                        "dataset",
                        t("web.fb.see_revision", version=num(item.outcome_version)),
                        dataset=dataset,
                        rev_to=item.outcome_version,
                        rev_from=item.version or item.outcome_version - 1,
                    )


def moderation(agency: str) -> None:
    """The signed-in agency's open items: approve, hide with a reason, or answer in public."""
    with reading(context.settings().home) as store:
        items = store.run(queue, agency)
        contacts = {i.id: store.run(contact, agency, i.id) for i in items}
    st.subheader(t("web.fb.queue", count=num(len(items))))
    for item in items:
        with st.container(border=True):
            where = f"{item.dataset}" + (f"{sep()}v{item.version}" if item.version else "")
            if item.field:
                where += sep() + t("web.fb.about", field=safe(item.field), value=safe(item.value))
            state = t(f"web.fb.state_{item.state}")
            st.caption(
                f"#{num(item.id)}{sep()}{t(f'web.fb.kind_{item.kind}')}{sep()}{state}{sep()}{safe(where)}"
            )
            st.text(plain(item.message))
            if contacts.get(item.id):
                st.caption(t("web.fb.private_contact", contact=safe(contacts[item.id])))
            _moderate(agency, item)


def _moderate(agency: str, item: FeedbackItem) -> None:
    key = f"mod_{item.id}"
    approve_col, hide_col = st.columns(2)
    if item.state == "waiting" and approve_col.button(t("web.fb.approve"), key=f"{key}_ok"):
        _apply(lambda store: store.run(approve, agency, item.id))
    reason = hide_col.text_input(t("web.fb.hide_reason"), key=f"{key}_why")
    if hide_col.button(t("web.fb.hide"), key=f"{key}_hide"):
        _apply(lambda store: store.run(hide, agency, item.id, reason))
    text = st.text_area(t("web.fb.answer"), key=f"{key}_answer", max_chars=2000)
    outcomes = {o: t(f"web.fb.outcome_label_{o or 'none'}") for o in ("", *OUTCOMES)}
    outcome = st.selectbox(
        t("web.fb.outcome"),
        list(outcomes),
        format_func=outcomes.__getitem__,
        key=choice_key(f"{key}_outcome", one_of(outcomes)),
        placeholder=choose_one(),
    )
    version = st.number_input(t("web.fb.corrected_version"), min_value=1, step=1, key=f"{key}_v")
    if st.button(t("web.fb.publish_answer"), key=f"{key}_send"):
        _apply(
            lambda store: store.run(answer, agency, item.id, text, outcome or None, int(version))
        )


def _apply(change: Callable[[Store], object]) -> None:
    settings = context.settings()
    store = writing(settings.home)
    try:
        change(store)
    except GlassWallError as error:
        st.error(pick(error.message["fa"], error.message["en"]))
        return
    finally:
        store.close()
    st.rerun()
