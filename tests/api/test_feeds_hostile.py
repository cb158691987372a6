"""Old stored text in the Atom feeds (issue 21, items 5 and 10): control characters in an
explanation or an answer made the feeds a 500 for good, and a U+202E in them reversed the
sentence around it. Stored straight through the writer, as old data was."""

from __future__ import annotations

import html
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from starlette.testclient import TestClient

from portal.store import Store
from tests.stored_text import (
    REVERSED,
    reorders_its_surroundings,
    store_hostile_answer,
    store_hostile_version,
)

FEEDS = [
    "/feeds/publications.atom",
    "/feeds/mrud-yazd.atom",
    "/feeds/mrud-yazd/infrastructure-projects.atom",
    "/feeds/answers.atom",
]


def test_the_checker_sees_a_reversal() -> None:
    assert reorders_its_surroundings(f"why: {REVERSED} — is it?")
    assert not reorders_its_surroundings(f"why: \u2068{REVERSED}\u2069 — is it?")


@pytest.fixture
def hostile(samples: Store, tmp_path: Path) -> Store:
    store_hostile_version(samples, tmp_path)
    store_hostile_answer(samples)
    return samples


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid_xml_over_stored_control_characters(
    client: TestClient, hostile: Store, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/atom+xml")
    etree.fromstring(response.content)  # raises on anything XML cannot hold
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries


@pytest.mark.parametrize("path", FEEDS)
def test_no_stored_text_reverses_a_feed_sentence(
    client: TestClient, hostile: Store, path: str
) -> None:
    parsed = feedparser.parse(client.get(path).content)
    texts = [parsed.feed.title]
    for entry in parsed.entries:
        texts += [entry.title, entry.summary, html.unescape(entry.content[0].value)]
    assert any("\u202e" in text for text in texts) or path != "/feeds/answers.atom"
    for text in texts:
        assert not reorders_its_surroundings(text), repr(text)


def test_the_answer_and_the_reason_are_shown_isolated(client: TestClient, hostile: Store) -> None:
    answers = feedparser.parse(client.get("/feeds/answers.atom").content)
    assert answers.entries[-1].summary.startswith(f"\u2068{REVERSED}")
    content = html.unescape(
        feedparser.parse(client.get(FEEDS[2]).content).entries[0].content[0].value
    )
    assert f"\u2068{REVERSED} Supplementary budget" in content


def test_an_answer_with_only_a_reversal_is_isolated(client: TestClient, samples: Store) -> None:
    """Valid XML even before the fix: the reversal alone reached readers un-isolated."""
    item = store_hostile_answer(samples)
    samples.conn.execute("UPDATE feedback SET answer = ? WHERE id = ?", (REVERSED, item))
    samples.conn.commit()
    entry = feedparser.parse(client.get("/feeds/answers.atom").content).entries[0]
    sentence = f"{entry.summary} — {entry.title}"
    assert REVERSED in sentence and not reorders_its_surroundings(sentence)
