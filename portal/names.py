"""Names that become parts of URLs and store keys: the Data Package name pattern, strictly.

A dataset or resource name is lower-case letters, digits, `.`, `_` and `-` (Frictionless
Data Package `name`), starts with a letter or digit, holds no `..` and is at most 100
characters, so it can never be a path separator, an escape or an encoded one (`%2f`).
"""

from __future__ import annotations

import re

from portal.errors import IntakeRefused

MAX_NAME = 100
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def is_valid_name(value: object) -> bool:
    return isinstance(value, str) and bool(_NAME.fullmatch(value)) and ".." not in value


def check_name(value: object, what: str) -> str:
    """`value` when it is a valid name; refused (400, bilingual) naming `what` otherwise."""
    if not is_valid_name(value):
        shown = repr(value)[:120]
        raise IntakeRefused("names.invalid", what=what, value=shown)
    assert isinstance(value, str)
    return value
