"""Publish (agencies): sign in, keep the agency profile, start from a template, upload a
workbook, CSV or package, read the report, apply the corrections, then publish."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from portal.errors import GlassWallError, InvalidPackage
from portal.intake.checked import ValidationResult, validate_source
from portal.intake.sheets.clerk import clerk_report, property_names
from portal.intake.sheets.marked import marked_workbook
from portal.intake.sheets.options import SHEET_SUFFIXES, SheetOptions
from portal.publishing.admission import admit
from portal.publishing.publish import publish_as
from portal.publishing.release_time import from_iso, tehran
from portal.store import writing
from portal.store.agencies import authenticate
from portal.store.agency_profiles import AgencyProfile
from portal.trust.explanations import Explanation
from portal.web import context, data
from portal.web.feedback_ui import moderation
from portal.web.navigation import page_link
from portal.web.progress_ui import check_progress
from portal.web.release_ui import release_at_input, review, role_note
from portal.web.sheets_ui import clerk_view, profile_form, sheet_options, templates, zipped
from portal.web.trust_ui import upload_explanations
from portal.web.ui import current_language, num, pick, sep, t, when


def _signed_in() -> str | None:
    token = st.text_input(t("web.token"), type="password", key="token")
    if not token:
        st.caption(t("web.token_help"))
        return None
    store = writing(context.settings().home)
    try:
        agency = store.run(authenticate, token)
    except GlassWallError as error:
        st.error(pick(error.message["fa"], error.message["en"]))
        return None
    finally:
        store.close()
    st.success(t("web.signed_in", agency=pick(agency.title_fa, agency.title_en)))
    return agency.slug


def _show_findings(messages: list[dict[str, str]]) -> None:
    for message in messages[:200]:
        st.text(pick(message["fa"], message["en"]))


UPLOAD_TYPES = ["xlsx", "xlsm", "csv", "tsv", "zip"]


def _publish(
    source: Path,
    sheet: SheetOptions | None,
    fix: bool,
    given: list[Explanation],
    when: datetime | GlassWallError | None = None,
) -> None:
    settings = context.settings()
    store = writing(settings.home)
    try:
        token = st.session_state["token"]
        if isinstance(when, GlassWallError):
            raise when
        # Who publishes, once; the upload was counted when it was first checked (`_admitted`).
        member = admit(store, settings, token, count=False)
        result = publish_as(
            store, source, settings, member, explanations=given, sheet=sheet, fix=fix,
            release_at=when,
        )  # fmt: skip
        if result.release is not None:
            planned = from_iso(result.release.planned_at)
            st.success(t("web.draft_sealed", when=tehran(planned, current_language())))
            st.code(result.release.commitment, language=None)
            return
        if result.draft is not None:  # four eyes: a second member approves it
            d = result.draft
            st.info(t("draft.waiting", agency=d.agency, dataset=d.dataset, name=d.prepared_name))
            st.code(d.sha256, language=None)
            return
        version = result.published()
        key = "web.unchanged_version" if result.unchanged else "web.published"
        st.success(t(key, version=num(version.number)))
        reference = f"{version.agency}/{version.dataset}"
        page_link("dataset", t("web.open_dataset"), dataset=reference)
    except InvalidPackage as error:
        if error.clerk is not None:
            clerk_view(error.clerk)
        else:
            _show_findings([f.message for f in error.report.findings])
    except GlassWallError as error:
        st.error(pick(error.message["fa"], error.message["en"]))
    finally:
        store.close()


def _sheet_report(source: Path, result: ValidationResult, built_dir: Path, fix_key: str) -> None:
    assert result.built is not None
    clerk = clerk_report(result.report, result.built, result.filled)
    clerk_view(clerk)
    pending = sum(1 for c in clerk.corrections if not c.applied)
    if pending and st.button(
        t("web.sheets.apply", count=num(pending)), key="apply_fix", type="primary"
    ):
        st.session_state[fix_key] = True
        st.rerun()
    left, right = st.columns(2)
    left.download_button(
        t("web.sheets.your_package"),
        data=zipped(built_dir),
        file_name=f"{result.built.source.file.rsplit('.', 1)[0]}-package.zip",
        mime="application/zip",
        key="your_package",
    )
    right.download_button(
        t("web.sheets.marked"),
        data=marked_workbook(source, result.built, clerk, current_language()),
        file_name=f"{result.built.source.file.rsplit('.', 1)[0]}-report.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="marked_workbook",
    )


def _admitted(upload: UploadedFile) -> bool:
    """Count a new upload against the agency's publish limit before it is parsed, once:
    the page runs again on every click, the upload is still the same attempt."""
    key = f"admitted_{upload.file_id}"
    if st.session_state.get(key):
        return True
    settings = context.settings()
    store = writing(settings.home)
    try:
        admit(store, settings, st.session_state["token"])
    except GlassWallError as error:
        st.error(pick(error.message["fa"], error.message["en"]))
        return False
    finally:
        store.close()
    st.session_state[key] = True
    return True


def _check_upload(upload: UploadedFile, slug: str, profile: AgencyProfile | None) -> None:
    if not _admitted(upload):
        return
    settings = context.settings()
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name).name or "upload.zip"
    is_sheet = Path(name).suffix.lower() in SHEET_SUFFIXES
    sheet = sheet_options() if is_sheet else None
    fix_key = f"fix_{upload.file_id}"
    fix = is_sheet and bool(st.session_state.get(fix_key))
    with tempfile.TemporaryDirectory(dir=settings.staging_dir) as folder:
        source = Path(folder) / (name if is_sheet else "upload.zip")
        source.write_bytes(upload.getvalue())
        built_dir = Path(folder) / "package"
        try:  # admitted (`_admitted`) as `slug`, signed in on this run
            result = validate_source(
                source,
                settings,
                agency=slug,
                fix_to=built_dir if fix else None,
                sheet=sheet,
                profile=profile,
                package_to=None if fix else built_dir,
                progress=check_progress(),
            )
        except GlassWallError as error:
            st.error(pick(error.message["fa"], error.message["en"]))
            return
        report = result.report
        st.subheader(t("web.validation_report"))
        if result.built is not None:
            _sheet_report(source, result, built_dir, fix_key)
        else:
            st.caption(
                t(
                    "web.report_summary",
                    errors=num(report.error_count),
                    warnings=num(report.warning_count),
                )
            )
            if result.filled:
                st.caption(
                    t("clerk.filled", keys=property_names(result.filled)[current_language()])
                )
            _show_findings([f.message for f in report.findings])
        # What the upload changes against the published version needs its reasons first.
        package = source
        if result.built is not None:  # the built package, as a zip like any upload
            package = Path(folder) / "package.zip"
            package.write_bytes(zipped(built_dir))
        given = upload_explanations(package, settings, slug) if report.valid else []
        when = release_at_input() if report.valid else None
        if report.valid and st.button(t("web.publish_now"), key="publish_now"):
            _publish(source, sheet, fix, given, when)
        elif not report.valid:
            st.error(t("web.fix_first"))


def render() -> None:
    st.title(t("web.publish"))
    slug = _signed_in()
    if slug is None:
        return
    token = st.session_state["token"]
    role = role_note(token)
    review(slug, token, role)
    profile = profile_form(slug)
    templates()
    upload = st.file_uploader(t("web.sheets.upload"), type=UPLOAD_TYPES, key="package")
    if upload is not None:
        _check_upload(upload, slug, profile)
    moderation(slug)
    st.subheader(t("web.your_history"))
    for entry in data.publications(data.generation(), 200):
        if entry["agency"] == slug:
            number = num(entry["version"])
            st.markdown(
                f"- {entry['dataset']}{sep()}{t('web.version')} {number}"
                f"{sep()}{when(entry['time'])}"
            )
