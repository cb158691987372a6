"""The picture a shared link shows: the page's heading and key figures, 1200x630 PNG.

Drawn with plotly through kaleido, which drives the system's Chromium: Chromium shapes
Persian (joining, ZWNJ, right-to-left runs) correctly, which matplotlib does not. A card
takes a second or two to draw, so the door draws each one once per publication and one
at a time.
"""

from __future__ import annotations

import shutil
import threading
from html import escape

import kaleido
import plotly.graph_objects as go

from portal.door.models import Page
from portal.door.render import IMAGE_SIZE
from portal.i18n import text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RLI, PDI = "\u2067", "\u2069"  # Persian runs laid out right to left inside the chart
FONT = "Vazirmatn, Tahoma, 'Noto Sans Arabic', 'DejaVu Sans', sans-serif"
_drawing = threading.Lock()


def _isolated(value: str, lang: str) -> str:
    """Plotly reads a few HTML tags in text: uploaded text is escaped, each line isolated."""
    lines = [escape(line, quote=False) for line in value.split("\n")]
    return "<br>".join(f"{RLI}{line}{PDI}" if lang == "fa" else line for line in lines)


def _short(value: str, limit: int, lines: int = 1) -> str:
    """At most `lines` lines of about `limit` characters, broken between words."""
    words, out, line = value.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > limit:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    shown = out[:lines]
    if len(out) > lines or len(shown[-1]) > limit:
        shown[-1] = shown[-1][: limit - 1] + "…"
    return "\n".join(shown)


def card_figure(page: Page) -> go.Figure:
    """The card as a plotly figure: site, heading, then up to four figures as tiles."""
    fa = page.lang == "fa"
    edge, anchor = (0.96, "right") if fa else (0.04, "left")
    figure = go.Figure()
    notes = [
        (text("door.site", page.lang), 0.93, 30, "#0b4f9c"),
        (_short(page.heading, 44, 2), 0.74, 44, "#1a1a1a"),
    ]
    for value, y, size, color in notes:
        figure.add_annotation(
            text=_isolated(value, page.lang), x=edge, y=y, xanchor=anchor, align=anchor,
            font={"size": size, "color": color, "family": FONT}, showarrow=False,
        )  # fmt: skip
    cells = page.figures[:4]
    width = 0.92 / max(len(cells), 1)
    for index, (label, value) in enumerate(cells):
        left = 0.04 + width * (len(cells) - 1 - index if fa else index)
        figure.add_shape(
            type="rect", x0=left + 0.01, x1=left + width - 0.01, y0=0.1, y1=0.55,
            line={"color": "#c8c8c8", "width": 2}, fillcolor="#f6f8fb",
        )  # fmt: skip
        centre = left + width / 2
        figure.add_annotation(
            text=_isolated(_short(label, 22, 2), page.lang), x=centre, y=0.45, showarrow=False,
            font={"size": 24, "color": "#333", "family": FONT},
        )  # fmt: skip
        figure.add_annotation(
            text=_isolated(_short(value, 14, 2), page.lang), x=centre, y=0.25, showarrow=False,
            font={"size": 44 if len(value) < 12 else 28, "color": "#1a1a1a", "family": FONT},
        )  # fmt: skip
    axis = {"visible": False, "range": [0, 1], "fixedrange": True}
    figure.update_layout(
        width=IMAGE_SIZE[0], height=IMAGE_SIZE[1], margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis=axis, yaxis=axis, paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
    )  # fmt: skip
    return figure


def draw(page: Page) -> bytes:
    """The PNG of the page's card (one drawing at a time: each starts a Chromium)."""
    options = {"format": "png", "width": IMAGE_SIZE[0], "height": IMAGE_SIZE[1], "scale": 1}
    browser = {"path": CHROMIUM}
    with _drawing:
        image = kaleido.calc_fig_sync(card_figure(page), opts=options, kopts=browser)
    return bytes(image)
