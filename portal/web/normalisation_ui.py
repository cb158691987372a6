"""On the dataset page: "N values normalised on the way in", with the list of changes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from portal.intake.sheets.clerk import field_names, property_names
from portal.store import reading
from portal.store.attachments import attachment
from portal.store.records import Version
from portal.web import context
from portal.web.ui import current_language, num, t


@st.cache_data(show_spinner=False, max_entries=256)
def _document(manifest_sha256: str, agency: str, dataset: str, number: int) -> Any:
    """Keyed by the immutable manifest: a version's attachments never change."""
    with reading(context.settings().home) as store:
        version = store.version(agency, dataset, number)
        return attachment(store, version, "normalisation") if version else None


def _rule(rule: str) -> str:
    return " + ".join(t(f"rule.{part}") for part in rule.split("+") if part)


def normalisation(version: Version) -> None:
    document = _document(version.manifest_sha256, version.agency, version.dataset, version.number)
    if not isinstance(document, dict):
        return
    changes = document.get("corrections") or []
    filled = document.get("filled_from_profile") or []
    if not changes and not filled:
        return
    lang = current_language()
    title = t("web.sheets.normalised", count=num(len(changes)))
    with st.expander(title, expanded=False):
        if document.get("source"):
            st.caption(t("web.sheets.source_file", file=f"\u2068{document['source']}\u2069"))
        if filled:
            st.caption(t("clerk.filled", keys=property_names(filled)[lang]))
        if changes:
            frame = pd.DataFrame(
                {
                    t("web.sheets.cell"): [c["cell"] for c in changes],
                    t("web.field"): [
                        field_names(c.get("resource"), c["field"])[lang] for c in changes
                    ],
                    t("web.sheets.old"): [c["old"] for c in changes],
                    t("web.sheets.new"): [c["new"] for c in changes],
                    t("web.sheets.rule"): [_rule(c["rule"]) for c in changes],
                }
            )
            st.table(frame.set_index(t("web.sheets.cell")))
