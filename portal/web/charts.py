"""Plotly figures of the glass wall: colour-blind-safe, bidi-safe labels, phone-friendly.

Every number a figure shows (ticks, tile values, hover text) is formatted here in the
page's digits; Plotly's own number formatting would print Latin digits on Persian pages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from portal import persian
from portal.profiles import codelist_names
from portal.web.tilegrid import COLUMNS, ROWS, SHORT, TILES
from portal.web.ui import bidi, current_language, num, t

# Okabe-Ito: distinguishable with every common colour-vision deficiency (yellow left out:
# it fails the 3:1 contrast for graphics on white).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]
# Sequential blues, darker = more; each step at least 3:1 against the "no data" grey text.
SEQUENTIAL = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
NO_DATA = "#f2f2f2"
CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}  # toolbar: CSS hides on phones


def _layout(figure: go.Figure, height: int = 360) -> go.Figure:
    rtl = current_language() == "fa"
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": "vazirmatn, sans-serif", "size": 13, "color": "#1f1f1f"},
        colorway=PALETTE,
        separators="٫٬" if rtl else ".,",
        title={"x": 0.98 if rtl else 0.02, "xanchor": "right" if rtl else "left"},
        # Below the plot, clear of the ticks: never over the data or the axis labels.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.18,
            "xanchor": "right" if rtl else "left",
            "x": 1 if rtl else 0,
        },
        hoverlabel={"font": {"family": "vazirmatn, sans-serif"}},
        plot_bgcolor="#ffffff",
    )
    figure.update_xaxes(automargin=True, gridcolor="#e5e5e5")
    figure.update_yaxes(automargin=True, gridcolor="#e5e5e5")
    return figure


def ticks(values: pd.Series, count: int = 5) -> dict[str, Any]:
    """Round tick positions (about `count`) with labels in the page's digits."""
    clean = pd.to_numeric(values, errors="coerce").dropna()
    top = float(clean.max()) if len(clean) else 0.0
    low = min(0.0, float(clean.min())) if len(clean) else 0.0
    if top <= low:
        top = low + 1.0
    raw = (top - low) / count
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    positions = [float(p) for p in np.arange(np.floor(low / step) * step, top + step, step)]
    labels = [num(int(p)) if p.is_integer() else num(round(p, 6)) for p in positions]
    return {
        "tickvals": positions,
        "ticktext": labels,
        "range": [positions[0], positions[-1]],
    }


def period_label(period: str) -> str:
    """`1403-07` -> `مهر ۱۴۰۳` (Persian) or `Mehr 1403`; a year stays a year."""
    return persian.period_label(period, current_language())


def _hbar_axes(figure: go.Figure, values: pd.Series) -> None:
    scale = ticks(values)
    figure.update_yaxes(autorange="reversed")
    if current_language() == "fa":  # bars grow from the right, labels on the right
        scale["range"] = scale["range"][::-1]
        figure.update_yaxes(side="right")
    figure.update_xaxes(**scale)


def _label_room(figure: go.Figure, labels: list[str]) -> go.Figure:
    """Room beside the bars for their names: Plotly's automargin misjudges isolated RTL
    text and cut the Persian names; about 7 px a letter at 13 px, within reason."""
    longest = max((len(label) for label in labels), default=0)
    side = "r" if current_language() == "fa" else "l"
    figure.update_layout(margin={side: min(220, 24 + 7 * longest)})
    figure.update_yaxes(automargin=False)
    return figure


def bars(frame: pd.DataFrame, label: str, values: dict[str, str], title: str) -> go.Figure:
    """Grouped horizontal bars: one trace per column of `values` (column -> legend name)."""
    labels = [bidi(str(v)) for v in frame[label]]
    figure = go.Figure()
    for position, (column, name) in enumerate(values.items()):
        figure.add_trace(
            go.Bar(
                x=frame[column],
                y=labels,
                orientation="h",
                name=bidi(name),
                marker_color=PALETTE[position % len(PALETTE)],
                customdata=[num(v) for v in frame[column]],
                hovertemplate="%{y}: %{customdata}<extra>" + bidi(name) + "</extra>",
            )
        )
    figure.update_layout(title={"text": bidi(title)}, barmode="group")
    _hbar_axes(figure, frame[list(values)].max(axis=1))
    return _label_room(_layout(figure, height=max(280, 48 * len(frame) + 140)), labels)


def bar(frame: pd.DataFrame, label: str, value: str, title: str) -> go.Figure:
    labels = [bidi(str(v)) for v in frame[label]]
    shown = [num(v) for v in frame[value]]
    figure = go.Figure(
        go.Bar(
            x=frame[value],
            y=labels,
            orientation="h",
            marker_color=PALETTE[0],
            text=shown,
            textposition="outside",
            cliponaxis=False,
            customdata=shown,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    figure.update_layout(title={"text": bidi(title)}, showlegend=False)
    _hbar_axes(figure, frame[value] * 1.15)
    return _label_room(_layout(figure, height=max(260, 36 * len(frame) + 110)), labels)


def _shade(value: float, low: float, high: float) -> str:
    share = 0.0 if high <= low else (value - low) / (high - low)
    return SEQUENTIAL[min(int(share * len(SEQUENTIAL)), len(SEQUENTIAL) - 1)]


def province_tiles(values: dict[str, float], title: str, unit: str) -> go.Figure:
    """Each province a square, darker = more; provinces without data are grey, "no data"."""
    names = codelist_names("provinces")
    fa = current_language() == "fa"
    present = [v for v in values.values() if v == v]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    figure = go.Figure()
    xs, ys, hovers = [], [], []
    # Set at once: plotly re-validates every earlier tile on each add_shape/add_annotation.
    shapes, annotations = [], []
    for code, (column, row) in TILES.items():
        x = column
        value = values.get(code)
        fill = NO_DATA if value is None else _shade(value, low, high)
        dark = fill in SEQUENTIAL[2:]
        shapes.append(
            {
                "type": "rect",
                "x0": x - 0.46,
                "x1": x + 0.46,
                "y0": row - 0.44,
                "y1": row + 0.44,
                "fillcolor": fill,
                "line": {"color": "#8c8c8c" if value is None else fill, "width": 1},
            }
        )
        short = SHORT[code][0 if fa else 1]
        shown = num(round(value)) if value is not None else t("web.chart.no_data_short")
        # A phone's tile is about 47 px wide: an English name of two words takes two lines,
        # a long one a smaller size, so "Razavi Kh." and "Hormozgan" stay inside their tiles.
        lines = [short] if fa else short.split()
        label = bidi(short) if fa else "<br>".join(lines)
        size = 11 if fa else (9.5 if max(len(line) for line in lines) <= 7 else 8)
        annotations.append(
            {
                "x": x,
                "y": row,
                "text": f"{label}<br><b>{bidi(shown)}</b>",
                "showarrow": False,
                "font": {"size": size, "color": "#ffffff" if dark else "#1f1f1f"},
            }
        )
        full = names[code].name_fa if fa else names[code].name_en
        xs.append(x)
        ys.append(row)
        said = f"{num(round(value))} {unit}" if value is not None else t("web.chart.no_data")
        hovers.append(bidi(f"{full}: {said}"))
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 40, "opacity": 0},
            hovertext=hovers,
            hoverinfo="text",
            showlegend=False,
        )
    )
    figure.update_layout(shapes=shapes, annotations=annotations)
    _legend(figure, low, high, unit)
    figure.update_layout(title={"text": bidi(title)})
    figure.update_xaxes(visible=False, range=[-0.6, COLUMNS - 0.4], fixedrange=True)
    figure.update_yaxes(visible=False, range=[ROWS - 0.4, -0.6], fixedrange=True)
    figure = _layout(figure, height=470)
    figure.update_layout(plot_bgcolor="#ffffff", margin={"b": 70})
    return figure


def _legend(figure: go.Figure, low: float, high: float, unit: str) -> None:
    """The colour key under the map: each shade with its range, then "no data"."""
    steps = len(SEQUENTIAL)
    width = (high - low) / steps if high > low else 0.0
    for index, colour in enumerate(SEQUENTIAL):
        start, end = low + index * width, low + (index + 1) * width
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 14, "color": colour, "symbol": "square"},
                name=bidi(f"{num(round(start))}–{num(round(end))}"),
                legendgroup="key",
                legendgrouptitle={"text": bidi(unit)} if index == 0 else None,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"size": 14, "color": NO_DATA, "symbol": "square",
                    "line": {"color": "#8c8c8c", "width": 1}},
            name=bidi(t("web.chart.no_data")),
        )
    )  # fmt: skip
    figure.update_layout(showlegend=True, legend={"y": -0.02, "itemclick": False})


def lines(frame: pd.DataFrame, x: str, y: str, series: str, title: str) -> go.Figure:
    """One line per series over Jalali periods, with readable period ticks."""
    periods = sorted(frame[x].astype(str).unique())
    figure = go.Figure()
    for position, (name, group) in enumerate(frame.groupby(series, sort=True)):
        group = group.sort_values(x)
        figure.add_trace(
            go.Scatter(
                x=group[x].astype(str),
                y=group[y],
                mode="lines+markers",
                name=bidi(str(name)),
                line={"color": PALETTE[position % len(PALETTE)], "width": 2},
                customdata=[
                    f"{period_label(p)}: {num(v)}"
                    for p, v in zip(group[x].astype(str), group[y], strict=True)
                ],
                hovertemplate="%{customdata}<extra>" + bidi(str(name)) + "</extra>",
            )
        )
    # About four labels: a month and year each, side by side in 390 px (six overlapped).
    every = max(1, -(-len(periods) // 4))
    shown = periods[::every]
    figure.update_layout(title={"text": bidi(title)})
    figure.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=periods,
        tickvals=shown,
        ticktext=[bidi(period_label(p)) for p in shown],
        tickangle=0,
    )
    figure.update_yaxes(**ticks(frame[y]))
    if current_language() == "fa":
        figure.update_xaxes(autorange="reversed")
        figure.update_yaxes(side="right")
    figure = _layout(figure, height=420)
    longest = max((len(text) for text in figure.layout.yaxis.ticktext or ()), default=3)
    side = "r" if current_language() == "fa" else "l"
    figure.update_layout(margin={side: 20 + 9 * longest})  # the value ticks, never cut
    figure.update_yaxes(automargin=False)
    return figure
