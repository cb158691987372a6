"""When a file is not UTF-8: say which encoding it really is, so the fix is one step."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from portal.validation.report import Finding
from portal.validation.rules.packs import Pack

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
SAMPLE = 1024 * 1024


def guess_encoding(path: Path) -> str | None:
    """utf-16 (Excel's "Unicode text", with its BOM) or windows-1256 (Persian Windows)."""
    sample = path.read_bytes()[:SAMPLE]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        text = sample.decode("windows-1256")
    except UnicodeDecodeError:
        return None
    return "windows-1256" if _ARABIC_SCRIPT.search(text) else None


def encoding_findings(pack: Pack, resource: str, path: Path) -> list[Finding]:
    encoding = guess_encoding(path)
    if encoding is None:
        return []
    return [
        Finding.make(
            rule.code, rule.severity, resource=resource, cell=path.name, suggestion=encoding
        )
        for rule in pack.of_type("encoding")
    ]
