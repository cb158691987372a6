"""The CSV dialect a resource is read with, pinned so frictionless does not sniff it.

frictionless sniffs delimiter, quote character and skipInitialSpace from a sample unless
the dialect declares them; the portal declares them (comma, double quote, no initial
space skipping) unless the publisher did, so the same file always reads the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PINNED = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False}


def pin_dialect(dialect: dict[str, Any] | None) -> dict[str, Any]:
    """The publisher's dialect with the portal's defaults for what it leaves out."""
    merged = dict(dialect or {})
    inner: dict[str, Any] = merged["csv"] if isinstance(merged.get("csv"), dict) else merged
    for key, value in PINNED.items():
        inner.setdefault(key, value)
    return merged


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    comment_char: str | None = None
    comment_rows: tuple[int, ...] = ()

    @classmethod
    def from_descriptor(cls, dialect: dict[str, Any] | None) -> CsvDialect:
        data = dict(dialect or {})
        if isinstance(data.get("csv"), dict):
            data = {**data, **data["csv"]}
        return cls(
            delimiter=str(data.get("delimiter", ",")),
            quote_char=str(data.get("quoteChar", '"')),
            double_quote=bool(data.get("doubleQuote", True)),
            escape_char=data.get("escapeChar"),
            skip_initial_space=bool(data.get("skipInitialSpace", False)),
            header=bool(data.get("header", True)),
            header_rows=tuple(data.get("headerRows", (1,))),
            comment_char=data.get("commentChar"),
            comment_rows=tuple(data.get("commentRows", ())),
        )

    @property
    def supported(self) -> bool:
        """Dialects the structural layer implements; others are reported, not guessed."""
        return (
            self.header
            and self.header_rows == (1,)
            and self.comment_char is None
            and not self.comment_rows
            and len(self.delimiter) == 1
            and len(self.quote_char) == 1
        )

    @property
    def arrow_compatible(self) -> bool:
        return (
            self.supported
            and self.double_quote
            and self.escape_char is None
            and not self.skip_initial_space
            and self.delimiter not in "\r\n"
        )

    def python_options(self) -> dict[str, Any]:
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote_char,
            "doublequote": self.double_quote,
            "escapechar": self.escape_char,
            "skipinitialspace": self.skip_initial_space,
        }
