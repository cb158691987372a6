"""The Publish page's bar moves with the rows the (threaded) validation reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portal.config import Settings
from tests.packages import copy_sample, read_rows

# A page that checks a real package with the bar; the finishing tick is held back so the
# bar is still there to be read (the page itself removes it when the check ends).
SCRIPT = """
from pathlib import Path
from portal.config import Settings
from portal.publishing.publish import validate_source
from portal.web.progress_ui import check_progress
show = check_progress()
result = validate_source(
    Path({folder!r}),
    Settings(home=Path({home!r})),
    progress=lambda tick: None if tick.finished else show(tick),
)
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Checking the upload: {rows} of about"), ("fa", "بررسی بارگذاری: {rows} از حدود")],
)
def test_the_bar_shows_rows_checked_in_the_page_language(
    settings: Settings, tmp_path: Path, lang: str, expected: str
) -> None:
    folder = copy_sample(tmp_path / "pkg")
    rows = len(read_rows(folder / "data" / "projects.csv"))
    if lang == "fa":
        count = str(rows).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    else:
        count = str(rows)
    script = SCRIPT.format(folder=str(folder), home=str(settings.home))
    app = AppTest.from_string(script, default_timeout=60)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception, app.exception
    bars = [element.proto for element in app.get("progress")]
    assert bars, "no progress bar drawn"
    assert bars[-1].value >= 90  # all rows read; the total is estimated from the bytes
    assert expected.format(rows=count) in bars[-1].text
