"""The release calendar: /api/releases, iCalendar read by a real parser, Atom, CLI changes."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.store import Store
from portal.store.releases import release_due
from tests.cli_runs import ahead, run
from tests.packages import copy_sample, edit_descriptor


@pytest.fixture(autouse=True)
def home(cli_home: Path) -> Path:
    return cli_home


def _seal(tmp_path: Path, token: str, name: str, when: str) -> str:
    folder = copy_sample(tmp_path / name)
    edit_descriptor(folder, name=name)
    code, out = run("publish", str(folder), "--token", token, "--release-at", when)
    assert code == 0, out
    return out.strip().splitlines()[-1]


def test_calendar_keeps_every_release_with_its_status_and_reasons(
    tmp_path: Path, yazd_token: str, home: Path, settings: Settings
) -> None:
    due = _seal(tmp_path, yazd_token, "due-soon", ahead(3))
    moved = _seal(tmp_path, yazd_token, "moved-one", ahead(3600))
    dropped = _seal(tmp_path, yazd_token, "dropped-one", "1405/12/20 10:00")
    code, out = run(
        "release",
        "move",
        "mrud-yazd/moved-one",
        "--to",
        ahead(7200),
        "--reason-fa",
        "داده‌های استان دیر رسید",
        "--reason-en",
        "Provincial data came late",
    )
    assert code == 0 and "moved" in out
    code, out = run(
        "release",
        "cancel",
        "mrud-yazd/dropped-one",
        "--reason-fa",
        "طرح متوقف شد",
        "--reason-en",
        "The survey was stopped",
    )
    assert code == 0
    code, out = run(
        "release", "cancel", "mrud-yazd/nothing", "--reason-fa", "x", "--reason-en", "x"
    )
    assert code == 2 and "no sealed release" in out
    time.sleep(4.2)
    assert len(release_due(Store(home))) == 1

    client = TestClient(open_data_app(settings))
    listed = {r["commitment"]: r for r in client.get("/api/releases").json()["releases"]}
    assert listed[due]["status"] == "released" and listed[due]["version"] == 1
    assert listed[moved]["status"] == "moved"
    assert listed[moved]["reasons"][0]["en"] == "Provincial data came late"
    assert listed[dropped]["status"] == "cancelled"
    assert listed[dropped]["reasons"][0]["fa"] == "طرح متوقف شد"
    assert listed[dropped]["planned_at"] == "2027-03-11T06:30:00+00:00"
    assert all(r["title_fa"] and r["title_en"] for r in listed.values())

    answer = client.get("/feeds/releases.ics")
    assert answer.headers["content-type"].startswith("text/calendar")
    events = {
        str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(answer.content).walk("VEVENT")
    }
    assert set(events) == {due, moved, dropped}
    assert str(events[dropped]["status"]) == "CANCELLED"
    start = events[dropped].decoded("dtstart")
    assert start == datetime(2027, 3, 11, 6, 30, tzinfo=UTC)

    feed = ET.fromstring(client.get("/feeds/releases.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert len(feed.findall(f"{atom}entry")) == 3

    code, out = run("release", "list")
    assert code == 0 and "cancelled" in out and "moved" in out
