"""Formula-injection neutralisation for files meant for spreadsheets (OWASP CSV injection).

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is run as a formula by
Excel and LibreOffice; such a cell gets a leading `'` so it shows as text. A plain
number (`-12`, `+3.5`) cannot be a formula and stays a number.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    if cell.startswith(TRIGGERS) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


# XML 1.0 cannot hold these control characters: openpyxl refuses a cell holding one.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def for_sheet(cell: str) -> str:
    """A text cell for XLSX: neutralised, XML-safe, and isolated when it holds bidi controls.

    An isolate (FSI…PDI) keeps an uploaded U+202E from reversing what the reader sees
    around it; the characters themselves stay, as published.
    """
    text = neutralise(_ILLEGAL_XML.sub("\ufffd", cell))
    return f"{FSI}{text}{PDI}" if _BIDI.search(text) else text
