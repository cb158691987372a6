"""Plotly figures of the glass wall: colour-blind-safe, bidi-safe labels, phone-friendly.

Plotly writes Latin digits, so every tick, hover and tile label is given as text made by
`num` (Persian digits, `٬` and `٫` on Persian pages). Titles and legends sit above the
plot, never over the ticks; each chart has a sentence and a table beside it on its page.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from portal.profiles import codelist_names
from portal.web.periods import period_label
from portal.web.tilegrid import COLUMNS, ROWS, SHORT, TILES
from portal.web.ui import bidi, current_language, num, t

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Sequential blues, light to dark: darker means more. Tile labels pick black or white.
SEQUENTIAL = [[0.0, "#dbe9f6"], [0.35, "#9ecae1"], [0.7, "#3f8fc5"], [1.0, "#08306b"]]
NO_DATA = "#eeeeee"
# Streamlit's plotly toolbar: keep download, drop the editing tools nobody here needs.
CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
}


def _rtl() -> bool:
    return current_language() == "fa"


def _layout(figure: go.Figure, height: int = 360, top: int = 80) -> go.Figure:
    """Title at the top, legend in a row under it and above the plot, never over ticks."""
    rtl = _rtl()
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": 30},
        font={"family": "vazirmatn, sans-serif", "size": 13, "color": "#262730"},
        title={"x": 0.99 if rtl else 0.01, "xanchor": "right" if rtl else "left", "y": 0.98},
        colorway=PALETTE,
        legend={
            "orientation": "h",
            "x": 1 if rtl else 0,
            "xanchor": "right" if rtl else "left",
            "y": 1.01,
            "yanchor": "bottom",
        },
        hoverlabel={"font": {"family": "vazirmatn, sans-serif"}},
        separators="٫٬" if rtl else ".,",
    )
    return figure


def nice_step(span: float, wanted: int = 5) -> float:
    """1, 2 or 5 times a power of ten, giving about `wanted` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / wanted
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def ticks(low: float, high: float, wanted: int = 5) -> dict[str, object]:
    """Round tick positions covering [low, high], labelled in the page's digits; the axis
    range is set to the outer ticks so every tick shows."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return {}
    if high <= low:
        high = low + 1
    step = nice_step(high - low, wanted)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    count = round((last - first) / step)
    positions = [round(first + i * step, 10) for i in range(count + 1)]
    labels = [num(int(p)) if float(p).is_integer() else num(round(p, 6)) for p in positions]
    return {"tickvals": positions, "ticktext": labels, "range": [first, last]}


def _value_ticks(values: pd.Series) -> dict[str, object]:
    finite = pd.to_numeric(values, errors="coerce").dropna()
    top = float(finite.max()) if len(finite) else 1.0
    low = min(0.0, float(finite.min())) if len(finite) else 0.0
    return ticks(low, top)


def _horizontal(figure: go.Figure, value_ticks: dict[str, object]) -> None:
    """Value axis along the bottom, reading right to left in Persian; names at the start."""
    span = value_ticks.pop("range", None)
    if _rtl() and span is not None:
        span = list(reversed(span))  # type: ignore[call-overload]
    figure.update_xaxes(**value_ticks, range=span, gridcolor="#e6e6e6")
    figure.update_yaxes(autorange="reversed", side="right" if _rtl() else "left", automargin=True)


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
                customdata=[f"{bidi(str(n))}: {num(v)}" for n, v in zip(labels, frame[column])],
                hovertemplate="%{customdata}<extra>" + bidi(name) + "</extra>",
            )
        )
    figure.update_layout(title=bidi(title), barmode="group")
    _horizontal(figure, _value_ticks(frame[list(values)].max(axis=1)))
    return _layout(figure, height=max(280, 44 * len(frame) + 120), top=90)


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
            customdata=[f"{n}: {num(v)}" for n, v in zip(labels, frame[value], strict=True)],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    figure.update_layout(title=bidi(title), showlegend=False)
    _horizontal(figure, _value_ticks(frame[value]))
    return _layout(figure, height=max(260, 34 * len(frame) + 100), top=60)


def _tile_name(code: str) -> tuple[str, str]:
    """(short label for the tile, full name for the hover) in the page's language."""
    entry = codelist_names("provinces")[code]
    full = entry.name_fa if _rtl() else entry.name_en
    short = SHORT.get(code, (entry.name_fa, entry.name_en))[0 if _rtl() else 1]
    return short, full


def province_tiles(values: dict[str, float], title: str) -> go.Figure:
    """Each province a tile, darker where the value is larger; grey tiles have no data."""
    z: list[list[float | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    empty: list[list[float | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    text = [[""] * COLUMNS for _ in range(ROWS)]
    hover = [[""] * COLUMNS for _ in range(ROWS)]
    for code, (column, row) in TILES.items():
        short, full = _tile_name(code)
        if code in values:
            z[row][column] = values[code]
            shown = num(round(values[code]))
        else:
            empty[row][column] = 1.0
            shown = t("web.chart.no_data")
        text[row][column] = bidi(f"{short}<br>{shown}")
        hover[row][column] = bidi(f"{full}: {shown}")
    top = max(values.values(), default=1.0) or 1.0
    scale = ticks(0.0, top, 3)
    figure = go.Figure()
    figure.add_trace(
        go.Heatmap(
            z=empty,
            text=text,
            hovertext=hover,
            texttemplate="%{text}",
            hoverinfo="text",
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            xgap=4,
            ygap=4,
            textfont={"size": 10, "color": "#444444"},
        )
    )
    figure.add_trace(
        go.Heatmap(
            z=z,
            text=text,
            hovertext=hover,
            texttemplate="%{text}",
            hoverinfo="text",
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=scale.get("range", [0, top])[1],  # type: ignore[index]
            xgap=4,
            ygap=4,
            textfont={"size": 10},
            colorbar={
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
                "thickness": 12,
                "len": 0.8,
                "tickvals": scale.get("tickvals"),
                "ticktext": scale.get("ticktext"),
                "title": {"text": bidi(t("web.chart.scale")), "side": "top"},
            },
        )
    )
    # A legend entry for the grey tiles (heatmaps have none of their own).
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 14, "color": NO_DATA, "line": {"width": 1}},
            name=bidi(t("web.chart.no_data_legend")),
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        title=bidi(title),
        plot_bgcolor="#ffffff",
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "autorange": "reversed", "fixedrange": True},
        showlegend=True,
    )
    _layout(figure, height=520, top=90)
    figure.update_layout(margin={"b": 90})
    return figure


def lines(frame: pd.DataFrame, x: str, y: str, series: str, title: str) -> go.Figure:
    """One line per `series` over Jalali periods, labelled in words, a tick every few."""
    lang = current_language()
    periods = sorted(frame[x].astype(str).unique())
    labels = {p: period_label(p, lang) for p in periods}
    figure = go.Figure()
    for position, (name, group) in enumerate(frame.groupby(series, sort=True)):
        group = group.sort_values(x)
        shown = [labels[str(p)] for p in group[x]]
        figure.add_trace(
            go.Scatter(
                x=shown,
                y=group[y],
                mode="lines+markers",
                name=bidi(str(name)),
                line={"color": PALETTE[position % len(PALETTE)], "width": 2.5},
                customdata=[
                    bidi(f"{name} · {p}: {num(v)}") for p, v in zip(shown, group[y], strict=True)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    every = max(1, math.ceil(len(periods) / 6))
    order = [labels[p] for p in periods]
    values = pd.to_numeric(frame[y], errors="coerce").dropna()
    low = float(values.min()) if len(values) else 0.0
    high = float(values.max()) if len(values) else 1.0
    span = ticks(min(low, 0.0) if low >= 0 and low < 0.25 * high else low, high)
    span_range = span.pop("range", None)
    figure.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=order,
        tickvals=order[::every],
        ticktext=order[::every],
        tickangle=0,
        autorange="reversed" if lang == "fa" else True,
    )
    figure.update_yaxes(
        **span, range=span_range, side="right" if lang == "fa" else "left", gridcolor="#e6e6e6"
    )
    figure.update_layout(title=bidi(title))
    return _layout(figure, height=400, top=90)
