"""Citizens' items in the store: moderation states, answers, and the contact kept apart."""

from __future__ import annotations

import pytest

from portal.errors import GlassWallError, NotFound
from portal.store import Store, feedback
from portal.store.feedback_records import NewFeedback

DATASET = "mrud-yazd/infrastructure-projects"


def test_an_item_waits_then_shows_only_once_approved(samples: Store) -> None:
    conn = samples.conn
    item_id = feedback.submit(conn, NewFeedback(DATASET, "چرا؟", contact="a@b.ir"))
    assert feedback.public_items(conn, "mrud-yazd") == []
    assert feedback.waiting_count(conn, "mrud-yazd", "infrastructure-projects") == 1
    feedback.approve(conn, "mrud-yazd", item_id)
    shown = feedback.public_items(conn, "mrud-yazd", "infrastructure-projects")
    assert [i.id for i in shown] == [item_id]
    assert "a@b.ir" not in str(shown[0].public())
    assert feedback.contact(conn, "mrud-yazd", item_id) == "a@b.ir"


def test_a_hidden_item_keeps_its_reason_and_never_shows(samples: Store) -> None:
    conn = samples.conn
    item_id = feedback.submit(conn, NewFeedback(DATASET, "spam"))
    with pytest.raises(GlassWallError, match="reason"):
        feedback.hide(conn, "mrud-yazd", item_id, "  ")
    feedback.hide(conn, "mrud-yazd", item_id, "advertising")
    assert feedback.public_items(conn, "mrud-yazd") == []
    assert feedback.item(conn, "mrud-yazd", item_id).state == "hidden"


def test_another_agency_cannot_touch_an_item(samples: Store) -> None:
    item_id = feedback.submit(samples.conn, NewFeedback(DATASET, "?"))
    with pytest.raises(NotFound):
        feedback.approve(samples.conn, "mcls-yazd", item_id)


def test_corrected_needs_a_later_published_version(samples: Store) -> None:
    conn = samples.conn
    item_id = feedback.submit(conn, NewFeedback(DATASET, "wrong figure", version=1))
    with pytest.raises(GlassWallError, match="version"):
        feedback.answer(conn, "mrud-yazd", item_id, "fixed", "corrected", 1)
    feedback.answer(conn, "mrud-yazd", item_id, "explained", "explained")
    answered = feedback.item(conn, "mrud-yazd", item_id)
    assert answered.state == "public" and answered.outcome == "explained"
    received, share, _days = feedback.responsiveness(conn)["mrud-yazd"]
    assert received == 1 and share == 1.0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("\u200b", "text.invisible"),
        ("\u200f\u0640\ufeff", "text.invisible"),
        ("ok\x1b[2J", "text.control"),
        ("answer \u202eelbat", "text.unbalanced_bidi"),
    ],
)
def test_an_answer_or_a_hide_reason_goes_through_the_one_cleaner(
    samples: Store, text: str, key: str
) -> None:
    """Control characters in an answer made the answers feed a 500 for good (issue 21)."""
    conn = samples.conn
    item_id = feedback.submit(conn, NewFeedback(DATASET, "چرا؟"))
    for act in (feedback.answer, feedback.hide):
        with pytest.raises(GlassWallError) as refused:
            act(conn, "mrud-yazd", item_id, text)
        assert (refused.value.key, refused.value.http_status) == (key, 400)
        assert f"(item={item_id})" in refused.value.message["fa"]
    assert feedback.item(conn, "mrud-yazd", item_id).state == "waiting"
    feedback.answer(conn, "mrud-yazd", item_id, " پاسخ\u200cما\r\nخط دوم ")
    assert feedback.item(conn, "mrud-yazd", item_id).answer == "پاسخ\u200cما\nخط دوم"
