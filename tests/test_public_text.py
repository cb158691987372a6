"""The one cleaner of people's public text, and its two output writers (issue 21, item 3)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from portal.errors import FeedbackRefused, GlassWallError, IntakeRefused
from portal.public_text import (
    FSI,
    PDI,
    clean,
    isolate,
    problem,
    unbalanced,
    xml_safe,
)

INVISIBLE = " \t\n\u00a0\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u0640\u061c\u2066\u2069\u3164"
REFUSALS = {"text.control", "text.invisible", "text.unbalanced_bidi"}
DIRECTION = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Any text, with the characters that matter here much more likely than by chance.
texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0, max_codepoint=0x9F),
        st.sampled_from(INVISIBLE + DIRECTION + "abc سلام ۱۲ يك\r"),
    ),
    max_size=40,
)


@pytest.mark.parametrize(
    "text",
    ["\u200b", "", "   ", "\ufeff", "\u0640\u0640", "\u200c\u200f \u2067\u2069", "\n\t"],
)
def test_empty_or_invisible_text_is_refused(text: str) -> None:
    """A reason of U+200B alone was stored: `.strip()` keeps zero-width characters."""
    with pytest.raises(IntakeRefused) as refused:
        clean(text, "fa", multiline=True, file="explanations.yaml", entry=1)
    assert refused.value.key == "text.invisible"
    assert "fa (file=explanations.yaml, entry=1)" in refused.value.message["en"]
    assert "fa (file=explanations.yaml, entry=1)" in refused.value.message["fa"]


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b", "a\x1bb", "a\x80b", "a\x9fb", "x\ud800"])
def test_control_characters_are_refused_and_named(text: str) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        clean(text, "answer", multiline=True, error=FeedbackRefused, item=3)
    assert refused.value.key == "text.control"
    assert refused.value.http_status == 400
    assert f"U+{ord(text[-1] if text[0] == 'x' else text[1]):04X}" in refused.value.message["en"]


def test_a_line_break_is_refused_where_one_line_is_expected() -> None:
    assert clean("a\r\nb\rc", "answer", multiline=True) == "a\nb\nc"
    with pytest.raises(IntakeRefused) as refused:
        clean("a\nb", "title_fa")
    assert refused.value.key == "text.control"


@pytest.mark.parametrize(
    "text",
    [
        "abc\u202e",
        "\u202c abc",
        "a\u2067b",
        "a\u2069",
        "\u202b a \u2069",
        "\u2067\u202bx\u2069\u202c",
    ],
)
def test_unbalanced_direction_controls_are_refused(text: str) -> None:
    with pytest.raises(IntakeRefused) as refused:
        clean(text, "en", resource="projects", row=7)
    assert refused.value.key == "text.unbalanced_bidi"
    assert "(resource=projects, row=7)" in refused.value.message["en"]


def test_balanced_direction_controls_and_zwnj_are_kept() -> None:
    text = "راه\u200cآهن \u2067Tehran–Qom\u2069 و \u202bABC\u202c"
    assert clean(text, "fa") == text


def test_nfc_and_persian_letters() -> None:
    assert clean("Cafe\u0301", "en") == "Café"
    assert clean(" متمم اعتبار يك ", "fa", persian=True) == "متمم اعتبار یک"
    assert clean("يك", "en") == "يك"  # only text known to be Persian is respelled


@given(texts)
def test_what_passes_is_clean_and_stays_the_same(text: str) -> None:
    try:
        once = clean(text, "message", multiline=True, persian=True)
    except GlassWallError as error:
        assert error.key in REFUSALS
        assert error.message["fa"] and error.message["en"]
        return
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip() and "\r" not in once
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in once)
    assert all(unbalanced(line) is None for line in once.split("\n"))
    assert clean(once, "message", multiline=True, persian=True) == once
    etree.fromstring(f"<a>{once.replace('<', '').replace('&', '')}</a>".encode())


@given(st.text(alphabet=st.sampled_from(INVISIBLE), max_size=30))
def test_invisible_alone_is_never_text(text: str) -> None:
    found = problem(text.strip(), multiline=True)
    assert found is not None and found[0] in ("text.invisible", "text.unbalanced_bidi")


@given(texts, st.sampled_from("\u202a\u202b\u202d\u202e\u2066\u2067\u2068"))
def test_an_opener_left_open_is_always_refused(text: str, opener: str) -> None:
    with pytest.raises(GlassWallError):
        clean(f"{text}x{opener}", "reason", multiline=True)


@given(texts)
def test_any_stored_text_is_xml_once_written_safely(text: str) -> None:
    """Old stored data cannot change; the feeds write it through `xml_safe`."""
    element = etree.Element("summary")
    element.text = xml_safe(text)
    assert etree.fromstring(etree.tostring(element)).text in (None, xml_safe(text))


@given(texts)
def test_isolate_wraps_every_line(text: str) -> None:
    for line in isolate(text).split("\n"):
        assert line.isascii() or (line.startswith(FSI) and line.endswith(PDI))
    assert isolate(text).replace(FSI, "").replace(PDI, "") == text.replace(FSI, "").replace(PDI, "")
