"""The Publish page's progress bar while an upload is checked, fed by `portal.progress`.

Validation reports its rows from its checking thread; Streamlit draws only from a
thread that carries the page run's context, so the callback lends that thread the
context before it moves the bar.
"""

from __future__ import annotations

import threading

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import (
    add_script_run_ctx,
    get_script_run_ctx,
)

from portal.i18n import text
from portal.progress import Progress, Tick
from portal.web.ui import current_language


def check_progress() -> Progress:
    """A bar under the upload: rows checked of about how many; gone when the check ends."""
    lang = current_language()  # read here: the checking thread has no query string
    context = get_script_run_ctx(suppress_warning=True)
    bar = st.progress(0.0, text=text("progress.page_rows", lang, done=0, total=0))
    lock = threading.Lock()

    def show(tick: Tick) -> None:
        with lock:
            if context is not None:
                add_script_run_ctx(threading.current_thread(), context)
            if tick.finished:
                bar.empty()
                return
            share = min(tick.done / tick.total, 1.0) if tick.total else 0.0
            label = text("progress.page_rows", lang, done=tick.done, total=tick.total or 0)
            bar.progress(share, text=label)

    return show
