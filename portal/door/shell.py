"""Streamlit's page document, opened to carry the server-rendered page.

Streamlit serves one `index.html` for every page; the dashboard's scripts mount into its
`<div id="root">`, and React empties that element when it mounts. So the server's HTML
goes inside it: a browser shows it at once (long before ~8 MB of scripts arrive), a
crawler, a link preview or a browser without scripts reads it, and the dashboard covers
it when it starts. The English `<noscript>` shell text is dropped: the page itself is
what a reader without scripts gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_NOSCRIPT = re.compile(r"\s*<noscript>.*?</noscript>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_HTML_TAG = '<html lang="en">'
_TITLE = "<title>Streamlit</title>"
_ROOT = '<div id="root"></div>'
# RDFa prefixes, so metadata readers know the Open Graph and Twitter-card properties.
PREFIXES = "og: https://ogp.me/ns# twitter: https://dev.twitter.com/cards/markup#"


@dataclass(frozen=True)
class Shell:
    """Streamlit's document cut where the page's own parts go."""

    before_html: str
    head: str  # from after `<html>` up to the title
    head_rest: str  # from after the title up to the root element
    after_root: str

    def document(self, lang: str, head: str, body: str) -> str:
        direction = "rtl" if lang == "fa" else "ltr"
        return (
            f'{self.before_html}<html lang="{lang}" dir="{direction}" prefix="{PREFIXES}">'
            f"{self.head}{head}"
            f'{self.head_rest}<div id="root">{body}</div>{self.after_root}'
        )


def cut(index_html: str) -> Shell:
    text = _NOSCRIPT.sub("", _COMMENT.sub("", index_html, count=1))
    missing = [marker for marker in (_HTML_TAG, _TITLE, _ROOT) if marker not in text]
    if missing:
        raise ValueError(f"Streamlit's index.html no longer has {missing}")
    before, _, rest = text.partition(_HTML_TAG)
    head, _, rest = rest.partition(_TITLE)
    head_rest, _, after = rest.partition(_ROOT)
    return Shell(before, head, head_rest, after)


@cache
def streamlit_shell() -> Shell:
    """The installed Streamlit's document (read once per process)."""
    index = files("streamlit").joinpath("static", "index.html").read_text(encoding="utf-8")
    return cut(index)
