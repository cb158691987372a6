"""Publish (agencies): sign in with the token, upload, read the report, then publish."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from portal.errors import GlassWallError, InvalidPackage
from portal.publish import publish, validate_source
from portal.store import Store
from portal.store.tokens import authenticate
from portal.web import context, data
from portal.web.feedback_ui import moderation
from portal.web.navigation import page_link
from portal.web.trust_ui import upload_explanations
from portal.web.ui import num, pick, t, when


def _signed_in() -> str | None:
    token = st.text_input(t("web.token"), type="password", key="token")
    if not token:
        st.caption(t("web.token_help"))
        return None
    store = Store(context.settings().home)
    try:
        agency = authenticate(store.conn, token)
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


def render() -> None:
    st.title(t("web.publish"))
    slug = _signed_in()
    if slug is None:
        return
    upload = st.file_uploader(t("web.upload"), type=["zip"], key="package")
    if upload is not None:
        settings = context.settings()
        settings.staging_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=settings.staging_dir) as folder:
            archive = Path(folder) / "upload.zip"
            archive.write_bytes(upload.getvalue())
            try:
                report = validate_source(archive, settings).report
            except GlassWallError as error:
                st.error(pick(error.message["fa"], error.message["en"]))
                report = None
            if report is not None:
                st.subheader(t("web.validation_report"))
                st.caption(
                    t(
                        "web.report_summary",
                        errors=num(report.error_count),
                        warnings=num(report.warning_count),
                    )
                )
                _show_findings([f.message for f in report.findings])
                given = upload_explanations(archive, settings, slug) if report.valid else []
                if report.valid and st.button(t("web.publish_now"), key="publish_now"):
                    store = Store(settings.home)
                    try:
                        token = st.session_state["token"]
                        result = publish(store, archive, settings, token=token, explanations=given)
                        version = result.version
                        key = "web.unchanged_version" if result.unchanged else "web.published"
                        st.success(t(key, version=num(version.number)))
                        reference = f"{version.agency}/{version.dataset}"
                        page_link("dataset", t("web.open_dataset"), dataset=reference)
                    except InvalidPackage as error:
                        _show_findings([f.message for f in error.report.findings])
                    except GlassWallError as error:
                        st.error(pick(error.message["fa"], error.message["en"]))
                    finally:
                        store.close()
                elif not report.valid:
                    st.error(t("web.fix_first"))
    moderation(slug)
    st.subheader(t("web.your_history"))
    for entry in data.publications(data.generation(), 200):
        if entry["agency"] == slug:
            number = num(entry["version"])
            st.markdown(
                f"- {entry['dataset']} · {t('web.version')} {number} · {when(entry['time'])}"
            )
