"""The Releases page (Streamlit AppTest, real store): Persian with Jalali Tehran time, English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.agencies import create_token
from tests.packages import copy_sample, edit_descriptor
from tests.web.test_pages import run, texts


def _page(lang: str) -> str:
    app = run("releases", lang)
    return "\n".join([texts(app), *(m.value for m in app.subheader)])


def test_releases_page_in_both_languages(
    tmp_path: Path, published: Settings, samples: Store
) -> None:
    token = create_token(samples.conn, "mrud-yazd")
    folder = copy_sample(tmp_path / "pkg")
    edit_descriptor(folder, name="sealed-projects")
    when = datetime(2026, 12, 20, 6, 0, tzinfo=UTC)  # ۱۴۰۵/۰۹/۲۹ ۰۹:۳۰ in Tehran
    if when <= datetime.now(UTC) + timedelta(minutes=1):
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    result = publish(samples, folder, published, token=token, release_at=when)
    assert result.release is not None
    persian = _page("fa")
    assert "تقویم انتشار" in persian and "سررسید این هفته" in persian
    assert "زمان‌بندی‌شده" in persian and result.release.commitment in persian
    if when == datetime(2026, 12, 20, 6, 0, tzinfo=UTC):
        assert "۱۴۰۵/۰۹/۲۹ ۰۹:۳۰" in persian
    english = _page("en")
    assert "Release calendar" in english and "Scheduled" in english
    assert "+03:30" in english
