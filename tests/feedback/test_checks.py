"""A citizen's item goes through the one cleaner of public text (issue 21, item 3)."""

from __future__ import annotations

import pytest

from portal.errors import FeedbackRefused
from portal.feedback.checks import checked
from portal.store import Store
from portal.store.feedback_records import NewFeedback

DATASET = "mrud-yazd/infrastructure-projects"


@pytest.mark.parametrize(
    ("changes", "key", "field"),
    [
        ({"message": "\u200b\u200b"}, "text.invisible", "message"),
        ({"message": "\u0640\u0640\u0640"}, "text.invisible", "message"),
        ({"message": "why\x07?"}, "text.control", "message"),
        ({"name": "Ali\nReza"}, "text.control", "name"),
        ({"contact": "a@b.ir\x00"}, "text.control", "contact"),
        ({"resource": "projects", "value": "12\x08"}, "text.control", "value"),
    ],
)
def test_control_and_invisible_text_is_refused_naming_the_field(
    samples: Store, changes: dict[str, str], key: str, field: str
) -> None:
    item = NewFeedback(DATASET, **{"message": "چرا؟", **changes})
    with pytest.raises(FeedbackRefused) as refused:
        checked(samples, item)
    assert (refused.value.key, refused.value.field) == (key, field)
    assert field in refused.value.message["fa"] and field in refused.value.message["en"]


def test_a_question_is_stored_as_written_in_nfc(samples: Store) -> None:
    item = NewFeedback(DATASET, " Cafe\u0301 راه\u200cآهن\r\nدوم ", name=" علی ")
    clean = checked(samples, item)
    assert (clean.message, clean.name) == ("Café راه\u200cآهن\nدوم", "علی")
