"""People's text on the way in and on the way out: the one cleaner and the two writers.

Everything a person writes that the portal shows to everyone (revision explanations, agency
answers and hide reasons, citizens' questions, agency titles and profiles, package titles
and descriptions) passes `clean` once, where it enters. It is NFC-normalised, line endings
become `\\n`, and it is refused, with a bilingual message naming the field and place, when
it holds a control character, holds nothing visible (only spaces, zero-width characters,
direction marks, a BOM or tatweel), or opens a direction embedding, override or isolate
(U+202A-U+202E, U+2066-U+2069) that it does not close on the same line.

Unbalanced direction controls are refused rather than stripped: stripping silently changes
what an agency or citizen wrote (and the record must be what they wrote), while a refusal
names the character so the writer can remove it. Balanced pairs are kept: they are how
mixed Persian and Latin text is written correctly.

Text stored before this cleaner existed (versions are immutable) is made safe where it is
shown: `isolate` wraps each line beyond ASCII in FSI…PDI so nothing inside can reorder
what surrounds it, and `xml_safe` drops what XML 1.0 cannot carry (the feeds).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from portal.errors import GlassWallError, IntakeRefused
from portal.persian import normalize_letters

FSI, PDI = "\u2068", "\u2069"
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
PDF = "\u202c"
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI
LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")
# Letters and symbols that draw nothing: tatweel, Hangul fillers, the blank braille cell.
BLANK = frozenset("\u0640\u115f\u1160\u3164\uffa0\u2800")
# Neither XML 1.0 nor a person's text: C0 except tab/newline/CR, surrogates, U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _code(character: str) -> str:
    return f"U+{ord(character):04X}"


def _forbidden(character: str, multiline: bool) -> bool:
    if character == "\n" or character == "\t":
        return not multiline
    category = unicodedata.category(character)
    if category in ("Cc", "Cs"):
        return True
    return ord(character) & 0xFFFE == 0xFFFE or 0xFDD0 <= ord(character) <= 0xFDEF


def _visible(character: str) -> bool:
    return unicodedata.category(character)[0] in "LNPS" and character not in BLANK


def unbalanced(line: str) -> str | None:
    """The first direction control of `line` that is not closed (or closes nothing)."""
    opened: list[str] = []
    for character in line:
        if character in EMBEDDINGS or character in ISOLATES:
            opened.append(character)
        elif character == PDF:
            if not opened or opened[-1] not in EMBEDDINGS:
                return character
            opened.pop()
        elif character == PDI:
            if not opened or opened[-1] not in ISOLATES:
                return character
            opened.pop()
    return opened[0] if opened else None


def problem(text: str, *, multiline: bool = False) -> tuple[str, dict[str, Any]] | None:
    """Why `text` (already normalised) cannot be public text: a message key and its
    parameters, or None when it is fine."""
    bad = next((c for c in text if _forbidden(c, multiline)), None)
    if bad is not None:
        return "text.control", {"character": _code(bad)}
    if not any(_visible(c) for c in text):
        return "text.invisible", {}
    for line in text.split("\n"):
        control = unbalanced(line)
        if control is not None:
            return "text.unbalanced_bidi", {"character": _code(control)}
    return None


def normalised(text: str, *, multiline: bool = False, persian: bool = False) -> str:
    """NFC, one kind of line break, no surrounding spaces; Arabic ي/ك as Persian ی/ک in
    text known to be Persian (as the house spells codelist values and search)."""
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = LINE_BREAKS.sub("\n", text)
    if persian:
        text = normalize_letters(text)
    return text.strip()


def clean(
    text: str,
    field: str,
    *,
    multiline: bool = False,
    persian: bool = False,
    error: type[GlassWallError] = IntakeRefused,
    **where: Any,
) -> str:
    """`text` ready to be stored and shown, or `error` naming `field`, the place `where`
    says (file, entry, resource, row, item ...) and what is wrong with it."""
    tidy = normalised(text, multiline=multiline, persian=persian)
    found = problem(tidy, multiline=multiline)
    if found is not None:
        key, params = found
        raise error(key, field=field, place=_place(where), **params)
    return tidy


def clean_optional(text: str | None, field: str, **options: Any) -> str | None:
    """`clean` for text one may leave out: None or blank stays None."""
    if text is None or not text.strip():
        return None
    return clean(text, field, **options)


def _place(where: dict[str, Any]) -> str:
    """` (file=x.yaml, entry=2)`, ` (resource=projects, row=7)` or nothing: where the text
    is, written the same in both languages."""
    named = ", ".join(f"{name}={value}" for name, value in where.items() if value is not None)
    return f" ({named})" if named else ""


def isolate(text: Any) -> str:
    """Each line of `text` beyond ASCII in FSI…PDI: whatever it holds (a U+202E from old
    data, a right-to-left run) cannot reorder the sentence or page around it."""
    value = "" if text is None else str(text)
    # An ASCII line holds no right-to-left letter and no direction control: left as is.
    lines = value.split("\n")
    return "\n".join(line if line.isascii() else f"{FSI}{line}{PDI}" for line in lines)


def xml_safe(text: Any) -> str:
    """`text` without the characters XML 1.0 cannot hold (lxml refuses the whole feed)."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))
