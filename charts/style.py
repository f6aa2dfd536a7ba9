"""How every chart looks: colours, kind symbols, the light and dark templates, axes, layout.

Pure Plotly (no Streamlit). The encoding every chart shares (the legend explains it):
observed = filled marker; target = dashed line ending in a hollow diamond; forecast = hollow
circle with a dotted line; agreement = square; change = triangle; derived = "x" with the formula
in the hover; two sources that disagree = red outline and "⚠".

Example:
    >>> theme_colors("dark")
    ('#0E1117', '#FAFAFA')
"""

from __future__ import annotations

import html
import itertools
import math

import pandas as pd
import plotly.graph_objects as go

from i18n.fmt import format_value
from i18n.text import t

THEMES = ("light", "dark")
DEFAULT_THEME = "light"
# Plotly.js ships English month names only: other languages get numeric date ticks
# (21.10.2025, 10.2025, 2025) instead of English month names.
PLOTLY_MONTH_NAMES = ("en",)

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
CONFLICT_COLOR = "#D62728"
KIND_SYMBOL = {"observed": "circle", "target": "diamond-open", "forecast": "circle-open",
               "agreement": "square", "change": "triangle-up", "derived": "x"}
KIND_DASH = {"target": "dash", "forecast": "dot", "derived": "dashdot"}
EVENT_COLORS = {"agreement": "#0072B2", "visit": "#E69F00", "meeting": "#009E73",
                "institution": "#CC79A7", "milestone": "#56B4E9", "deadline": "#D55E00"}


# Small templates instead of Plotly's named ones: assigning "plotly_white" deep-copies and
# validates a large template on every figure (a third of the build time).
_AXIS = {"light": {"gridcolor": "#E6E8EC", "linecolor": "#C9CDD4", "zerolinecolor": "#C9CDD4",
                   "automargin": True},
         "dark": {"gridcolor": "#30343C", "linecolor": "#4A4F58", "zerolinecolor": "#4A4F58",
                  "automargin": True}}
_BG = {"light": ("#FFFFFF", "#262730"), "dark": ("#0E1117", "#FAFAFA")}


def _template(theme: str) -> go.layout.Template:
    bg, fg = _BG[theme]
    return go.layout.Template({"layout": {
        "paper_bgcolor": bg, "plot_bgcolor": bg, "font": {"color": fg}, "colorway": PALETTE,
        "xaxis": _AXIS[theme], "yaxis": _AXIS[theme],
        "hoverlabel": {"font": {"color": "#111"}, "bgcolor": "#FFFFFF"}}})


# Built once: validating a template is the slow part, assigning a built one is cheap.
TEMPLATES = {theme: _template(theme) for theme in THEMES}


def theme_colors(theme: str) -> tuple[str, str]:
    """(background, text) colours of the chart theme ("light" or "dark"; else light)."""
    return _BG.get(theme, _BG["light"])


def template(theme: str) -> go.layout.Template:
    """Plotly template for ``theme`` ("light" or "dark"; anything else is light)."""
    return TEMPLATES.get(theme, TEMPLATES["light"])



# Hover boxes are wrapped at this many characters (about 340 px): readable on a 360 px phone.
HOVER_WIDTH = 48


def plotly_text(text: object) -> str:
    """Text for a Plotly label (title, hover, annotation, legend): ``&``, ``<`` and ``>``
    escaped, nothing else. Plotly renders a subset of HTML and decodes only a few entities, so
    ``html.escape``'s ``&quot;`` / ``&#x27;`` would reach the reader literally.

    >>> plotly_text('"a" <b> & c')
    '"a" &lt;b&gt; &amp; c'
    """
    return html.escape("" if text is None else str(text), quote=False)


def wrapped(text: object, width: int = HOVER_WIDTH) -> str:
    """``text`` escaped for Plotly and wrapped into ``<br>``-separated lines of at most
    ``width`` characters (a longer single word stays whole).

    >>> wrapped("one two three", 7)
    'one two<br>three'
    """
    return "<br>".join(plotly_text(line) for line in wrap("" if text is None else str(text),
                                                          width))


def wrap(text: str, width: int = 70) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def nice_ticks(vmax: float, n: int = 5) -> list[float]:
    if vmax <= 0 or math.isnan(vmax):
        return [0.0]
    raw = vmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=raw)
    ticks, v = [], 0.0
    while v <= vmax * 1.0001 + step:
        ticks.append(v)
        v += step
    return ticks


def value_ticks(part: pd.DataFrame, lang: str) -> dict:
    """Axis settings with locale-formatted ticks for the values of one facet."""
    values = [v for v in part["value"] if v is not None and not math.isnan(v)]
    unit = str(part["unit"].iloc[0]) if len(part) else ""
    ticks = nice_ticks(max(values) if values else 0.0)
    return {"tickvals": ticks, "ticktext": [format_value(v, unit, lang) if v else "0"
                                            for v in ticks],
            "range": [0, ticks[-1] * 1.15 if ticks[-1] else 1], "rangemode": "tozero"}


def value_axis(fig: go.Figure, values: list[float], unit: str, lang: str, axis: str = "y",
                **where: object) -> None:
    """Locale-formatted tick labels on a value axis (Plotly's own would say '1G')."""
    finite = [v for v in values if v is not None and not math.isnan(v)]
    ticks = nice_ticks(max(finite) if finite else 0.0)
    text = [format_value(v, unit, lang) if v else "0" for v in ticks]
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickvals=ticks, ticktext=text, range=[0, ticks[-1] * 1.08 if ticks[-1] else 1],
           rangemode="tozero", automargin=True, **where)


def date_axis(fig: go.Figure, lang: str) -> None:
    """Date ticks: numeric (21.10.2025, 10.2025, 2025) in languages whose month names Plotly.js
    does not ship."""
    fig.update_xaxes(type="date", title=None)
    if lang not in PLOTLY_MONTH_NAMES:
        fig.update_xaxes(tickformatstops=[
            {"dtickrange": [None, "M1"], "value": "%d.%m.%Y"},
            {"dtickrange": ["M1", "M12"], "value": "%m.%Y"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ])


def layout(fig: go.Figure, title: str, theme: str, height: int = 460) -> go.Figure:
    fig.update_layout(
        template=template(theme),
        title={"text": wrapped(title, 60), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        # below everything, in the container's frame: long tick labels push the plot up
        # instead of running into it
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig


def empty(title: str, lang: str, theme: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=plotly_text(t("no_rows", lang)), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, title, theme, height=240)


def legend_name(name: str) -> str:
    """A legend entry wrapped at ~40 characters: Plotly never wraps legend text, and a source
    description runs off a 360 px embed."""
    return wrapped(name, 40)


def keep_labels_inside(fig: go.Figure) -> None:
    """Labels of points near either end of the time axis grow inwards ('top right' at the
    left edge): a centred label there is cut off by the plot area in a 360 px embed. Of two
    labelled points close together on one panel, the lower one's label goes below its point,
    so the two labels do not run into each other. Call it once every trace is in (reference
    points widen the axis)."""
    ends = [pd.Timestamp(x).value for tr in fig.data for x in (tr.x or ()) if x is not None]
    if not ends:
        return
    lo, hi = min(ends), max(ends)
    if hi == lo:
        return
    marks = [tr for tr in fig.data if tr.mode == "markers+text" and tr.x and tr.y]
    frac = {id(tr): (pd.Timestamp(tr.x[0]).value - lo) / (hi - lo) for tr in marks}
    vertical = {id(tr): (tr.textposition or "top center").split()[0] for tr in marks}
    paired: set[int] = set()
    for axis in {tr.yaxis for tr in marks}:
        row = sorted((tr for tr in marks if tr.yaxis == axis), key=lambda tr: frac[id(tr)])
        for left, right in itertools.pairwise(row):
            if (frac[id(right)] - frac[id(left)] < 0.35 and id(left) not in paired
                    and left.y[0] is not None and right.y[0] is not None):
                low, high = (left, right) if left.y[0] < right.y[0] else (right, left)
                vertical[id(low)], vertical[id(high)] = "bottom", "top"
                paired |= {id(left), id(right)}
    for tr in marks:
        f = frac[id(tr)]
        # a label is about a third of a 360 px plot wide: only the middle third centres it
        side = "right" if f < 0.3 else "left" if f > 0.6 else "center"
        tr.textposition = f"{vertical[id(tr)]} {side}"
        tr.cliponaxis = False
