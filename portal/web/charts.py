"""Plotly figures of the glass wall: colour-blind-safe, bidi-safe labels, phone-friendly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from portal.profiles import codelist_names
from portal.web.tilegrid import COLUMNS, ROWS, TILES
from portal.web.ui import bidi, current_language, num

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _layout(figure: go.Figure, height: int = 360) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font={"family": "vazirmatn, sans-serif"},
        colorway=PALETTE,
        legend={"orientation": "h"},
    )
    return figure


def _ticks(values: pd.Series) -> dict[str, list]:
    """Round tick positions with their labels in the page's digits (Persian in Persian)."""
    top = float(values.max()) if len(values) else 0.0
    low = min(0.0, float(values.min())) if len(values) else 0.0
    if top <= low:
        return {}
    step = 10 ** np.floor(np.log10((top - low) / 4))
    step *= 5 if (top - low) / step > 20 else 2 if (top - low) / step > 8 else 1
    positions = [float(p) for p in np.arange(np.floor(low / step) * step, top + step, step)]
    labels = [num(int(p)) if p.is_integer() else num(round(p, 6)) for p in positions]
    return {"tickvals": positions, "ticktext": labels}


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
            )
        )
    figure.update_layout(title=bidi(title), yaxis={"autorange": "reversed"}, barmode="group")
    figure.update_xaxes(**_ticks(frame[list(values)].max(axis=1)))
    if current_language() == "fa":
        figure.update_layout(
            xaxis={"autorange": "reversed"}, yaxis={"side": "right", "autorange": "reversed"}
        )
    return _layout(figure, height=max(260, 44 * len(frame) + 100))


def bar(frame: pd.DataFrame, label: str, value: str, title: str) -> go.Figure:
    labels = [bidi(str(v)) for v in frame[label]]
    figure = go.Figure(
        go.Bar(
            x=frame[value],
            y=labels,
            orientation="h",
            marker_color=PALETTE[0],
            text=[num(v) for v in frame[value]],
            textposition="auto",
        )
    )
    figure.update_layout(title=bidi(title), yaxis={"autorange": "reversed"})
    figure.update_xaxes(**_ticks(frame[value]))
    if current_language() == "fa":
        figure.update_layout(
            xaxis={"autorange": "reversed"}, yaxis={"side": "right", "autorange": "reversed"}
        )
    return _layout(figure, height=max(240, 32 * len(frame) + 80))


def province_tiles(values: dict[str, float], title: str) -> go.Figure:
    """Each province a square coloured by `values` (grey where there is no data)."""
    names = codelist_names("provinces")
    z: list[list[float | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    text = [[""] * COLUMNS for _ in range(ROWS)]
    for code, (column, row) in TILES.items():
        entry = names[code]
        name = entry.name_fa if current_language() == "fa" else entry.name_en
        z[row][column] = values.get(code)
        text[row][column] = bidi(f"{name}<br>{num(round(values[code])) if code in values else '–'}")
    figure = go.Figure(
        go.Heatmap(
            z=z,
            text=text,
            texttemplate="%{text}",
            hoverinfo="text",
            colorscale="Viridis",
            xgap=4,
            ygap=4,
            showscale=False,
            textfont={"size": 10},
        )
    )
    figure.update_layout(
        title=bidi(title),
        plot_bgcolor="#eeeeee",
        xaxis={"visible": False},
        yaxis={"visible": False, "autorange": "reversed"},
    )
    return _layout(figure, height=480)


def lines(frame: pd.DataFrame, x: str, y: str, series: str, title: str) -> go.Figure:
    figure = go.Figure()
    for position, (name, group) in enumerate(frame.groupby(series, sort=True)):
        group = group.sort_values(x)
        figure.add_trace(
            go.Scatter(
                x=[bidi(str(v)) for v in group[x]],
                y=group[y],
                mode="lines+markers",
                name=bidi(str(name)),
                line={"color": PALETTE[position % len(PALETTE)]},
            )
        )
    figure.update_layout(title=bidi(title))
    figure.update_yaxes(**_ticks(frame[y]))
    if current_language() == "fa":
        figure.update_layout(xaxis={"autorange": "reversed"}, yaxis={"side": "right"})
    return _layout(figure)
