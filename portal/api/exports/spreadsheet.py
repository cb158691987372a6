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
