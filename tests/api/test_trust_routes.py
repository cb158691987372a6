"""Histories, signals, explanations and Atom feeds over HTTP (feeds checked with feedparser)."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient

from portal.api.routes import OPEN_PREFIXES
from portal.config import Settings
from portal.store import Store, feedback
from portal.store.feedback_records import NewFeedback
from tests.packages import copy_sample
from tests.trust.changes import BUDGET_REASON, PROGRESS_REASON, publish_revisions


@pytest.fixture
def revised(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Store:
    publish_revisions(store, settings, yazd_token, copy_sample(tmp_path / "pkg"))
    return store


def test_project_history_endpoint(client: TestClient, revised: Store) -> None:
    response = client.get("/api/projects/mrud-yazd/mrud-yazd-0003/history")
    assert response.status_code == 200
    result = response.json()["result"]
    assert [v["version"] for v in result["versions"]] == [1, 2, 3]
    assert result["changes"][0]["reason"] == BUDGET_REASON


@pytest.mark.parametrize(
    "path",
    ["/api/projects/mrud-yazd/nope/history", "/api/projects/nobody/mrud-yazd-0003/history"],
)
def test_unknown_project_is_a_bilingual_404(client: TestClient, revised: Store, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert set(message) == {"fa", "en"} and "not found" in message["en"]


def test_datastore_search_links_to_project_histories(client: TestClient, revised: Store) -> None:
    body = client.get(
        "/api/3/action/datastore_search",
        params={"resource_id": "mrud-yazd/infrastructure-projects/projects", "limit": 1},
    ).json()["result"]
    template = body["_links"]["project_history"]
    assert template == "/api/projects/mrud-yazd/{id}/history"
    project = body["records"][0]["id"]
    assert client.get(template.format(id=project)).status_code == 200


def test_signals_and_explanations_endpoints(client: TestClient, revised: Store) -> None:
    signals = client.get("/api/datasets/mrud-yazd/infrastructure-projects/signals").json()
    assert (
        signals["result"]["version"] == 3 and "benford-first-digit" in signals["result"]["checked"]
    )
    first = client.get("/api/datasets/mrud-yazd/infrastructure-projects/explanations?version=2")
    [change] = first.json()["result"]["changes"]
    assert change["code"] == "budget-changed" and change["reason"] == BUDGET_REASON
    missing = client.get("/api/datasets/mrud-yazd/nothing/signals")
    assert missing.status_code == 404 and set(missing.json()["error"]["message"]) == {"fa", "en"}


def _feed(client: TestClient, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/publications.atom",
        "/feeds/mrud-yazd.atom",
        "/feeds/mrud-yazd/infrastructure-projects.atom",
    ],
)
def test_publication_feeds_list_versions_newest_first_with_explanations(
    client: TestClient, revised: Store, path: str
) -> None:
    parsed = _feed(client, path)
    titles = [entry.title for entry in parsed.entries]
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["3", "2", "1"]
    newest, middle, first = parsed.entries
    assert BUDGET_REASON["en"] in middle.content[0].value
    assert BUDGET_REASON["fa"] in middle.content[0].value
    assert PROGRESS_REASON["en"] in newest.content[0].value
    # Issue 22: the change said the one way, in both languages (isolates aside)
    content = "".join(c for c in middle.content[0].value if c not in "\u2068\u2069")
    assert "اعتبار: از ۳٬۲۸۳ میلیارد ریال به ۶٬۵۶۶ میلیارد ریال" in content
    assert "Budget: 3,283 billion rials → 6,566 billion rials" in content
    assert "3283000000000" not in content
    assert "1 figure changed against version 1; 1 explained change" in middle.summary
    assert "first publication" in first.summary
    assert middle.link.endswith("/dataset?dataset=mrud-yazd/infrastructure-projects&rev_to=2")
    assert len({entry.id for entry in parsed.entries}) == 3


def test_feeds_of_unknown_agencies_and_datasets_are_404(client: TestClient, revised: Store) -> None:
    assert client.get("/feeds/nobody.atom").status_code == 404
    assert client.get("/feeds/mrud-yazd/nothing.atom").status_code == 404
    assert client.get("/feeds/a/b/c.atom").status_code == 404


def test_answers_feed_lists_answered_questions(client: TestClient, revised: Store) -> None:
    assert _feed(client, "/feeds/answers.atom").entries == []
    asked = feedback.submit(
        revised.conn,
        NewFeedback(
            dataset="mrud-yazd/infrastructure-projects", message="Why did the budget double?"
        ),
    )
    feedback.submit(
        revised.conn, NewFeedback(dataset="mrud-yazd/infrastructure-projects", message="Unanswered")
    )
    feedback.answer(revised.conn, "mrud-yazd", asked, "A supplementary budget was approved.")
    [entry] = _feed(client, "/feeds/answers.atom").entries
    assert "A supplementary budget was approved." in entry.content[0].value
    assert "Why did the budget double?" in entry.content[0].value


def test_feeds_go_to_the_open_data_app() -> None:
    for path in ("/feeds/publications.atom", "/feeds/answers.atom", "/feeds/a/b.atom"):
        assert path.startswith(OPEN_PREFIXES)
