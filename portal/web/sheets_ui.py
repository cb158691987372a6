"""The spreadsheet parts of the Publish page: agency profile, templates, the clerk's report."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import streamlit as st

from portal.errors import GlassWallError
from portal.intake.sheets.clerk import ClerkReport
from portal.intake.sheets.options import SheetOptions
from portal.intake.sheets.template import template_workbook
from portal.profiles import codelist
from portal.store import writing
from portal.store.agency_profiles import (
    FREQUENCIES,
    LICENSES,
    AgencyProfile,
    load_profile,
    save_profile,
)
from portal.web import context
from portal.web.ui import choose_one, current_language, pick, t

ICONS = {"error": "🔴", "warning": "🟡", "fix": "🔵"}


def profile_form(slug: str) -> AgencyProfile | None:
    """The agency's profile, editable by its token holder; returns the saved profile."""
    store = writing(context.settings().home)
    store.init()
    try:
        saved = store.run(load_profile, slug)
        with (
            st.expander(t("web.sheets.profile"), expanded=saved is None),
            st.form("agency_profile"),
        ):
            current = saved or AgencyProfile("", "")
            publisher_fa = st.text_input(t("web.sheets.publisher_fa"), current.publisher_fa)
            publisher_en = st.text_input(t("web.sheets.publisher_en"), current.publisher_en)
            contact_name = st.text_input(t("web.sheets.contact_name"), current.contact_name)
            contact_email = st.text_input(t("web.sheets.contact_email"), current.contact_email)
            licenses = list(LICENSES)
            license_name = st.selectbox(
                t("web.sheets.license"),
                licenses,
                index=licenses.index(current.license),
                placeholder=choose_one(),
            )
            frequencies = list(FREQUENCIES)
            said = {code: t(f"web.cat.freq.{code}") for code in frequencies}
            frequency = st.selectbox(
                t("web.sheets.frequency"),
                frequencies,
                index=frequencies.index(current.frequency or "quarterly"),
                format_func=said.__getitem__,
                placeholder=choose_one(),
            )
            names = {e.code: pick(e.name_fa, e.name_en) for e in codelist("provinces")}
            provinces = st.multiselect(
                t("web.sheets.provinces"),
                list(names),
                default=[p for p in current.provinces if p in names],
                format_func=names.__getitem__,
                placeholder=t("web.sheets.provinces"),
            )
            source_fa = st.text_input(t("web.sheets.source_fa"), current.source_fa)
            source_en = st.text_input(t("web.sheets.source_en"), current.source_en)
            if st.form_submit_button(t("web.sheets.save_profile")):
                profile = AgencyProfile(
                    contact_name,
                    contact_email,
                    license_name or "CC-BY-4.0",
                    frequency,
                    provinces,
                    publisher_fa,
                    publisher_en,
                    source_fa,
                    source_en,
                )
                try:
                    saved = store.run(save_profile, slug, profile)
                    st.success(t("web.sheets.profile_saved"))
                except GlassWallError as error:
                    st.error(pick(error.message["fa"], error.message["en"]))
        return saved
    finally:
        store.close()


@st.cache_data(show_spinner=False, max_entries=8)
def _template(profile: str, lang: str) -> bytes:
    return template_workbook(profile, lang)


def templates() -> None:
    st.subheader(t("web.sheets.templates"))
    lang = current_language()
    left, right = st.columns(2)
    for column, profile in ((left, "projects"), (right, "indicators")):
        column.download_button(
            t(f"web.sheets.template_{profile}"),
            data=_template(profile, lang),
            file_name=f"glasswall-{profile}-{lang}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"template_{profile}",
        )


def sheet_options() -> SheetOptions:
    """What a metadata sheet would give; empty fields leave it to the sheet."""
    with st.expander(t("web.sheets.about")):
        return SheetOptions(
            st.text_input(t("web.sheets.dataset"), key="sheet_dataset") or None,
            st.text_input(t("web.sheets.title_fa"), key="sheet_title_fa") or None,
            st.text_input(t("web.sheets.title_en"), key="sheet_title_en") or None,
            st.text_area(t("web.sheets.description_fa"), key="sheet_description_fa") or None,
            st.text_area(t("web.sheets.description_en"), key="sheet_description_en") or None,
        )


def clerk_view(clerk: ClerkReport) -> None:
    """Verdict first, then one expandable line per cause, errors before warnings."""
    lang = current_language()
    (st.success if clerk.valid else st.error)(clerk.verdict[lang])
    for note in clerk.notes:
        st.caption(note[lang])
    for index, group in enumerate(clerk.groups):
        with st.expander(f"{ICONS[group.kind]} {group.headline[lang]}", expanded=index < 3):
            st.markdown(f"**{t('clerk.fix_label')}:** {group.advice[lang]}")
            lines = []
            for item in group.items[:200]:
                message = item.message[lang]
                lines.append(
                    message
                    if message.lstrip("\u2068").startswith(item.address)
                    else f"\u2068{item.address}\u2069: {message}"
                )
            st.text("\n".join(lines))


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
