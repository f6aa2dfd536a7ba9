"""A static SVG picture of a chart's Plotly figure, drawn in Python: what a reader sees before
Plotly.js has loaded and drawn (and all a reader without JavaScript sees of the chart).

``figure_svg(fig)`` takes a figure as the catalogue builds it (``charts.catalogue.ChartSpec
.build``, usually after ``charts.embed.embed_figure``) — a ``go.Figure`` or its JSON dict — and
returns one ``<svg>`` element as text. Pure and deterministic: the same figure gives the same
bytes.

What it draws, as Plotly would from the same figure: scatter traces (lines with their dash,
width and opacity, split at gaps; markers: circle, square, diamond, triangle-up, x, line-ew and
their ``-open`` forms; text labels at their ``textposition``, ``<br>`` lines and ``<b>``),
bar traces (vertical and horizontal, ``base``, ``width``, ``barmode`` group / overlay with
``offsetgroup`` slots, hollow and hatched bars, ``outside`` / ``inside`` / ``auto`` text),
subplots by axis domain (``matches`` shares a range), axes (the figure's own ``tickvals`` /
``ticktext`` / ``range`` / ``autorange: reversed``; otherwise nice ticks, numbers through
``i18n.fmt.format_number`` and dates as years, or months through ``tickformatstops`` or
Babel), grid and zero lines, line and rect shapes (axis, ``domain`` and ``paper``
references), annotations, the legend and the template's colours and font.

Geometry: the ``<svg>`` is the figure's height tall and as wide as its box; CSS margins put its
own box over Plotly's plot area (the margins: 10 px plus the widest tick label on the left, the
tick labels and the legend at the bottom) and everything outside it (tick labels, legend) is
drawn in the overflow. Horizontal positions are percentages of the plot area, vertical ones
pixels, so the picture fills any width without stretching text or markers and keeps its height
(no layout shift when Plotly replaces it). Lines are ``<line>`` elements between percentage
points: their strokes and dashes are never scaled. Bar labels shrink to their bars as Plotly's
do (``uniformtext``: one size for all, not below ``minsize``) through a font size in container
units (``cqw``) of the plot area, which is a size container.

Deliberate simplifications: no hover boxes, no interaction. Text widths (margins, legend, bar
labels) are estimated from glyph classes, not measured. Where Plotly's layout depends on the
width it will have, a picture is laid out for one width (``figure_svg``'s ``width``, a phone's
``PHONE_WIDTH`` unless told): the legend's rows are packed to it, automatic date ticks are spaced
as Plotly spaces them at that width, and tick labels along x that would collide at it are
thinned to every second or third (Plotly turns them aslant instead). ``figure_pictures`` gives
two, for a phone and for a wide box (``WIDE_WIDTH``), and ``PICTURES_CSS`` shows the one that
suits the box (a CSS container query), so a wide chart's picture packs its legend and spaces
its ticks as Plotly will. Automatic ranges pad bars by 5 % and
markers by 3 % of the span (Plotly pads markers by their size in pixels). ``textposition:
auto`` puts a bar's text inside when the bar spans at least 40 % of its axis; label collisions
are left as they are (Plotly leaves them too). The picture is decoration for sighted readers
before Plotly draws: the element is ``aria-hidden`` (the chart box carries the text
alternative).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import itertools
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date as _babel_date

from i18n.fmt import format_number
from i18n.text import babel_locale

DEFAULT_FONT = '"Open Sans", verdana, arial, sans-serif'
DEFAULT_SIZE = 12.0
DEFAULT_COLORWAY = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3"]
PHONE_WIDTH = 292.0  # a figure's width in an embed on a 320 px phone: legend rows are packed to it
# The wide picture's width: a dashboard chart beside the sidebar on a 1,280-1,440 px screen, a
# newsroom's article column. Boxes from WIDE_FROM px up show it (PICTURES_CSS).
WIDE_WIDTH = 800.0
WIDE_FROM = 560
CHAR_WIDTH = 0.62  # width of a digit or lower-case letter in em (DejaVu-like sans)
LINE_HEIGHT = 1.3  # em per line of a multi-line label
DASHES = {"solid": None, "dot": "3,3", "dash": "9,9", "longdash": "15,6",
          "dashdot": "9,4,3,4", "longdashdot": "15,4,3,4"}
_BAR_FONT = "\ue000BARFONT\ue000"  # the uniform font size of bar labels, known once all are in
_TOKEN = "\ue000ID\ue000"  # noqa: S105 (a placeholder for the element ids' prefix)


# ------------------------------------------------------------------ small helpers

def _num(v: float) -> str:
    """A coordinate with at most two decimals (deterministic, short)."""
    if not math.isfinite(v):
        v = 0.0
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pct(f: float) -> str:
    return _num(f * 100) + "%"


# Characters XML forbids (an HTML parser would turn them into U+FFFD): dropped from any text;
# from labels also U+E000, which marks this module's own placeholders.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ue000]")


def _attr(value: object) -> str:
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


def _get(d: dict | None, *path: str, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d or d[key] is None:
            return default
        d = d[key]
    return d


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, str | list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def _seq(v: object) -> list:
    if v is None:
        return []
    if isinstance(v, str | bytes):
        return [v]
    if isinstance(v, dict):  # plotly's typed-array form {"dtype":..., "bdata":...}
        return list(_typed_array(v))
    try:
        return list(v)
    except TypeError:
        return [v]


def _typed_array(v: dict) -> Iterable:
    data = np.frombuffer(base64.b64decode(v.get("bdata", "")), dtype=v.get("dtype", "f8"))
    return data.tolist()


def _ms(v: object) -> float | None:
    """Milliseconds since the epoch of a date value (Timestamp, datetime, ISO string)."""
    if _is_missing(v):
        return None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    try:
        ts = pd.Timestamp(v)
    except (ValueError, TypeError):
        return None
    if pd.isna(ts):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert(None)
    return ts.value / 1e6


def _float(v: object) -> float | None:
    if _is_missing(v) or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^>]*>")


def _lines(text: object) -> list[list[tuple[str, bool]]]:
    """Plotly label text as lines of (text, bold) runs: ``<br>`` breaks lines, ``<b>`` bolds,
    other tags are dropped, entities decoded (the caller escapes for SVG)."""
    if _is_missing(text):
        return []
    out: list[list[tuple[str, bool]]] = []
    for part in re.split(r"<br\s*/?>", _CONTROL_TEXT.sub("", str(text)), flags=re.I):
        runs: list[tuple[str, bool]] = []
        bold = False
        pos = 0
        for m in _TAG.finditer(part):
            if m.start() > pos:
                runs.append((_CONTROL_TEXT.sub("", html.unescape(part[pos:m.start()])), bold))
            if m.group(2).lower() == "b":
                bold = m.group(1) != "/"
            pos = m.end()
        if pos < len(part):
            runs.append((_CONTROL_TEXT.sub("", html.unescape(part[pos:])), bold))
        out.append([r for r in runs if r[0]])
    return out


# Glyph widths in em, roughly those of DejaVu Sans (what Plotly's "Open Sans, verdana, arial"
# falls back to on most systems without those fonts): enough to place margins and legend
# entries and to fit bar labels, not a text layout.
_NARROW = frozenset("ijlI.,:;'|!()[]{} ")
_SEMI = frozenset("frtJ*\"-–")
_WIDE = frozenset("mwMW∅%@≈≠")


def _char_width(c: str) -> float:
    if c in _NARROW:
        return 0.31
    if c in _SEMI:
        return 0.42
    if c in _WIDE:
        return 0.88
    if c.isupper():
        return 0.7
    return CHAR_WIDTH


def _text_width(lines: list[list[tuple[str, bool]]], size: float) -> float:
    return max((sum(sum(_char_width(c) for c in t) * (1.08 if b else 1.0) for t, b in line)
                for line in lines), default=0) * size


def _hex_luminance(color: str) -> float | None:
    m = re.fullmatch(r"#([0-9a-fA-F]{6})", color or "")
    if not m:
        return None
    r, g, b = (int(m.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _transparent(color: object) -> bool:
    if not isinstance(color, str):
        return False
    c = color.replace(" ", "").lower()
    return c in ("transparent", "none") or (c.startswith("rgba(") and c.endswith(",0)"))


# ------------------------------------------------------------------ the figure as data

class _Fig:
    """Plain-dict view of a figure with the template's layout as fallback."""

    def __init__(self, fig: go.Figure | dict) -> None:
        d = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
        self.data: list[dict] = [dict(tr) for tr in d.get("data") or []]
        self.layout: dict = dict(d.get("layout") or {})
        tmpl = self.layout.get("template")
        if hasattr(tmpl, "to_plotly_json"):
            tmpl = tmpl.to_plotly_json()
        self.tlayout: dict = _get(tmpl, "layout", default={}) or {}

    def lay(self, *path: str, default=None):
        v = _get(self.layout, *path)
        return v if v is not None else _get(self.tlayout, *path, default=default)

    def axis(self, name: str) -> dict:
        """Layout of axis ``name`` ('xaxis', 'yaxis2'), template defaults under it."""
        own = self.layout.get(name) or {}
        if hasattr(own, "to_plotly_json"):
            own = own.to_plotly_json()
        base = self.tlayout.get(name[:5]) or {}
        return {**base, **own}


def _axis_name(ref: str) -> str:
    """'x2' -> 'xaxis2', 'y' -> 'yaxis'."""
    return f"{ref[0]}axis{ref[1:]}"


class _Axis:
    def __init__(self, name: str, spec: dict) -> None:
        self.name = name
        self.spec = spec
        dom = spec.get("domain") or [0, 1]
        self.domain = (float(dom[0]), float(dom[1]))
        self.type = spec.get("type") or "-"
        self.categories: list[str] = []
        # data extent: (value, padding as a share of the span) — Plotly pads bars by 5 % (not
        # at a zero base), markers by their size (about 3 % of a phone's plot), lines not
        self.values: list[tuple[float, float]] = []
        self.range: tuple[float, float] = (0.0, 1.0)
        self.reversed = spec.get("autorange") == "reversed"
        self.ticks: list[tuple[float, str]] = []

    def frac(self, v: float) -> float:
        lo, hi = self.range
        f = 0.0 if hi == lo else (v - lo) / (hi - lo)
        if self.reversed:
            f = 1 - f
        return self.domain[0] + f * (self.domain[1] - self.domain[0])

    def coord(self, v: object) -> float | None:
        """Axis coordinate of a data value (category index, ms, number)."""
        if self.type == "category":
            if _is_missing(v):
                return None
            key = str(v)
            if key not in self.categories:
                self.categories.append(key)
            return float(self.categories.index(key))
        if self.type == "date":
            return _ms(v)
        return _float(v)


def _guess_type(values: list) -> str:
    vals = [v for v in values if not _is_missing(v)]
    if not vals:
        return "linear"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
        return "linear"
    if all(isinstance(v, pd.Timestamp | dt.date | dt.datetime) for v in vals):
        return "date"
    if all(isinstance(v, str) for v in vals):
        if all(_float(v) is not None for v in vals):
            return "linear"
        if all(re.match(r"^\d{4}-\d{2}(-\d{2})?([ T][\d:.]+)?$", v) for v in vals):
            return "date"
        return "category"
    return "category"


def _nice_step(span: float, n: int = 5) -> float:
    raw = span / n if span > 0 else 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)


# ------------------------------------------------------------------ the picture

class _Picture:
    def __init__(self, fig: _Fig, lang: str, width: float = PHONE_WIDTH) -> None:
        self.f = fig
        self.lang = lang
        self.width = width  # the width the layout is made for (legend rows, ticks)
        self.font = fig.lay("font", "family", default=DEFAULT_FONT)
        self.size = float(fig.lay("font", "size", default=DEFAULT_SIZE))
        self.color = fig.lay("font", "color", default="#444")
        self.height = float(fig.lay("height", default=450))
        self.colorway = fig.lay("colorway", default=DEFAULT_COLORWAY)
        self.defs: dict[str, str] = {}
        self.axes: dict[str, _Axis] = {}
        self.bar_k: list[float] = []  # bar labels' font sizes in cqw that fit their bars
        self.barmode = fig.layout.get("barmode") or "group"
        self.scattermode = fig.layout.get("scattermode") or "overlay"

    # ---- axes
    def _axes(self) -> None:
        refs = {"xaxis", "yaxis"} if not self.f.data else set()
        refs |= {k for k in self.f.layout if re.fullmatch(r"[xy]axis\d*", k)}
        for tr in self.f.data:
            refs |= {_axis_name(tr.get("xaxis") or "x"), _axis_name(tr.get("yaxis") or "y")}
        for name in sorted(refs, key=lambda n: (n[0], int(n[5:] or 1))):
            self.axes[name] = _Axis(name, self.f.axis(name))
        # types: explicit, else from the data (a horizontal bar's value axis is x)
        for ax in self.axes.values():
            if ax.type != "-":
                continue
            vals = []
            for tr, xa, ya in self._traces():
                if ax is xa:
                    vals += _seq(tr.get("x")) if "base" not in tr or tr.get(
                        "orientation") != "h" else _seq(tr.get("base"))
                if ax is ya:
                    vals += _seq(tr.get("y"))
            ax.type = _guess_type(vals)
        for ax in self.axes.values():
            self._extent(ax)
        # matched axes share the range of the axis they match
        for ax in self.axes.values():
            other = ax.spec.get("matches")
            if other and _axis_name(other) in self.axes:
                main = self.axes[_axis_name(other)]
                main.values += ax.values
                for c in ax.categories:
                    if c not in main.categories:
                        main.categories.append(c)
        for ax in self.axes.values():
            self._range(ax)
        for ax in self.axes.values():
            other = ax.spec.get("matches")
            if other and _axis_name(other) in self.axes:
                main = self.axes[_axis_name(other)]
                if not ax.spec.get("range"):
                    ax.range, ax.categories = main.range, main.categories
                if ax.type == "category" and not ax.spec.get("tickvals"):
                    ax.categories = main.categories
            self._ticks(ax)

    def _traces(self):
        for tr in self.f.data:
            xa = self.axes.get(_axis_name(tr.get("xaxis") or "x"))
            ya = self.axes.get(_axis_name(tr.get("yaxis") or "y"))
            if xa is not None and ya is not None:
                yield tr, xa, ya

    def _extent(self, ax: _Axis) -> None:
        for tr, xa, ya in self._traces():
            horizontal = tr.get("type") == "bar" and tr.get("orientation") == "h"
            for axis, key in ((xa, "x"), (ya, "y")):
                if axis is not ax:
                    continue
                vals = _seq(tr.get(key))
                value_axis = tr.get("type") == "bar" and (
                    (horizontal and key == "x") or (not horizontal and key == "y"))
                if value_axis:
                    bases = _seq(tr.get("base")) or [None] * len(vals)
                    for v, b in zip(vals, bases + [None] * (len(vals) - len(bases)),
                                    strict=False):
                        base = ax.coord(b) if b is not None else 0.0
                        fv = _float(v)
                        if fv is None:
                            continue
                        base = base or 0.0
                        ax.values += [(base, 0.0 if base == 0 else 0.05), (base + fv, 0.05)]
                    continue
                pad = 0.03 if "markers" in (tr.get("mode") or "markers") and tr.get(
                    "type", "scatter") == "scatter" else 0.0
                for v in vals:
                    c = ax.coord(v)
                    if c is not None and ax.type != "category":
                        ax.values.append((c, pad))
        for shape in self.f.layout.get("shapes") or []:
            for axis_key, keys in (("xref", ("x0", "x1")), ("yref", ("y0", "y1"))):
                ref = shape.get(axis_key) or axis_key[0]
                if _axis_name(ref) == ax.name:
                    for k in keys:
                        c = ax.coord(shape.get(k))
                        if c is not None and ax.type != "category":
                            ax.values.append((c, 0.0))

    def _range(self, ax: _Axis) -> None:
        rng = ax.spec.get("range")
        if ax.type == "category":
            if rng:
                ax.range = (float(rng[0]), float(rng[1]))
            else:
                n = max(len(ax.categories), 1)
                ax.range = (-0.5, n - 0.5)
            return
        if rng and len(rng) == 2 and all(_ms(r) is not None if ax.type == "date"
                                         else _float(r) is not None for r in rng):
            conv = _ms if ax.type == "date" else _float
            ax.range = (conv(rng[0]), conv(rng[1]))
            return
        vals = ax.values
        if not vals:
            ax.range = (0.0, 1.0) if ax.type != "date" else (
                _ms("2000-01-01"), _ms("2001-01-01"))
            return
        lo, hi = min(v for v, _ in vals), max(v for v, _ in vals)
        span = hi - lo
        if span == 0:
            span = 365 * 86_400_000.0 if ax.type == "date" else (abs(hi) or 1.0)
            lo, hi = lo - span / 2, hi + span / 2
        lo = min(v - p * span for v, p in vals)
        hi = max(v + p * span for v, p in vals)
        if ax.spec.get("rangemode") == "tozero":
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        ax.range = (lo, hi)

    def _ticks(self, ax: _Axis) -> None:
        spec = ax.spec
        if spec.get("visible") is False:
            return
        if spec.get("tickvals") is not None:
            vals = _seq(spec["tickvals"])
            texts = _seq(spec.get("ticktext")) or [None] * len(vals)
            for v, label in zip(vals, texts + [None] * (len(vals) - len(texts)), strict=False):
                c = ax.coord(v) if ax.type != "category" else _float(v)
                if c is None:
                    continue
                ax.ticks.append((c, str(label) if label is not None else self._fmt(ax, c)))
            return
        if ax.type == "category":
            ax.ticks = [(float(i), c) for i, c in enumerate(ax.categories)]
            return
        lo, hi = sorted(ax.range)
        if ax.type == "date":
            ax.ticks = self._date_ticks(ax, lo, hi)
            return
        step = _nice_step(hi - lo)
        v = math.ceil(lo / step) * step
        while v <= hi + step * 1e-9:
            ax.ticks.append((v, self._fmt(ax, v)))
            v += step

    def _fmt(self, ax: _Axis, v: float) -> str:
        if ax.type == "date":
            return str(pd.Timestamp(v * 1e6).year)
        return format_number(round(v, 10), self.lang) if v else "0"

    def _date_ticks(self, ax: _Axis, lo: float, hi: float) -> list[tuple[float, str]]:
        a, b = pd.Timestamp(lo * 1e6), pd.Timestamp(hi * 1e6)
        years = (hi - lo) / (365.25 * 86_400_000)
        out = []
        # Plotly aims at clamp(length / 80 px, 4, 9) + 1 ticks: 5 on a phone
        m = self.f.layout.get("margin") or {}
        sides = [m.get(k) for k in ("l", "r")]
        length = self.width - sum(80.0 if v is None else float(v) for v in sides)
        rough = years / (min(max(length / 80, 4), 9) + 1)
        if rough > 0.5:
            step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if s >= rough), 100)
            y = math.ceil(a.year / step) * step
            while y <= b.year:
                ms = _ms(f"{y:04d}-01-01")
                if lo <= ms <= hi:
                    out.append((ms, str(y)))
                y += step
            return out
        step = next(s for s in (1, 2, 3, 6) if s >= rough * 12)
        m = pd.Timestamp(a.year, a.month, 1)
        while m <= b:
            ms = _ms(m)
            if lo <= ms <= hi and (m.month - 1) % step == 0:
                out.append((ms, self._month_label(ax, m)))
            m = m + pd.offsets.MonthBegin(1)
        return out

    def _month_label(self, ax: _Axis, m: pd.Timestamp) -> str:
        stops = ax.spec.get("tickformatstops")
        if stops:
            for stop in stops:
                rng = stop.get("dtickrange") or [None, None]
                if rng[0] == "M1":
                    return m.strftime(str(stop.get("value") or "%m.%Y"))
        return _babel_date(m.date(), "MMM y", locale=babel_locale(self.lang))

    # ---- geometry
    def _margins(self) -> None:
        m = self.f.layout.get("margin") or {}
        self.ml = float(m.get("l", 80) if m.get("l") is not None else 80)
        self.mr = float(m.get("r", 80) if m.get("r") is not None else 80)
        self.mt = float(m.get("t", 100) if m.get("t") is not None else 100)
        self.mb = float(m.get("b", 80) if m.get("b") is not None else 80)
        left = 0.0
        for ax in self.axes.values():
            if ax.name[0] != "y" or not ax.ticks or ax.spec.get("showticklabels") is False:
                continue
            anchor = self.axes.get(_axis_name(ax.spec.get("anchor") or "x"))
            if anchor is not None and anchor.domain[0] > 0.01:
                continue
            width = max(_text_width(_lines(t), self.size) for _, t in ax.ticks)
            left = max(left, width + 6)
        self.ml += left
        # bottom: x tick labels of the lowest axes, then the legend
        lowest = 0.0
        for ax in self.axes.values():
            if ax.name[0] != "x" or not ax.ticks or ax.spec.get("showticklabels") is False:
                continue
            anchor = self.axes.get(_axis_name(ax.spec.get("anchor") or "y"))
            if anchor is not None and anchor.domain[0] > 0.01:
                continue
            lines = max(len(_lines(t)) for _, t in ax.ticks)
            lowest = max(lowest, lines * self.size * LINE_HEIGHT + 8)
        self.legend = self._legend_items()
        legend_h = self._legend_height()
        self.mb = max(self.mb, lowest + legend_h + (8 if legend_h else 0))
        self.plot_h = max(self.height - self.mt - self.mb, 10.0)

    def y_px(self, ax: _Axis, v: float) -> float:
        return self.mt + (1 - ax.frac(v)) * self.plot_h

    def y_paper(self, f: float) -> float:
        return self.mt + (1 - f) * self.plot_h

    # ---- text
    def text(self, x: str, y: float, text: object, *, anchor: str = "middle",
             valign: str = "middle", size: float | None = None, color: str | None = None,
             dx: float = 0.0, cls: str | None = None, style: str | None = None) -> str:
        """``text`` (Plotly label markup) as an SVG ``<text>``; ``valign``: where ``y`` is on
        the block (top, middle, bottom). Line offsets are in em, so a ``style`` that changes
        the font size keeps the block in place."""
        lines = _lines(text)
        if not lines:
            return ""
        size = size or self.size
        block = LINE_HEIGHT * (len(lines) - 1)
        if valign == "top":
            first = 0.8
        elif valign == "bottom":
            first = -block - 0.25
        else:
            first = -block / 2 + 0.35
        attrs = [f'x="{x}"', f'y="{_num(y)}"', f'dy="{_num(first)}em"',
                 f'text-anchor="{anchor}"']
        if dx:
            attrs.append(f'dx="{_num(dx)}"')
        if size != self.size:
            attrs.append(f'font-size="{_num(size)}"')
        if color and color != self.color:
            attrs.append(f'fill="{_attr(color)}"')
        if cls:
            attrs.append(f'class="{cls}"')
        if style:
            attrs.append(f'style="{_attr(style)}"')
        parts = []
        for i, line in enumerate(lines):
            runs = "".join(
                (f'<tspan font-weight="bold">{html.escape(t)}</tspan>' if b
                 else html.escape(t)) for t, b in line) or " "
            pos = f'x="{x}"' + (f' dx="{_num(dx)}"' if dx else "")
            parts.append(runs if i == 0 else
                         f'<tspan {pos} dy="{_num(LINE_HEIGHT)}em">{runs}</tspan>')
        return f"<text {' '.join(attrs)}>{''.join(parts)}</text>"

    # ---- markers
    def marker_def(self, symbol: str, size: float) -> str:
        """Id of a ``<path>`` in <defs> for a marker symbol of ``size`` (diameter, px),
        centred on 0,0."""
        base = symbol.replace("-open", "").replace("-dot", "")
        r = size / 2
        key = f"{base}-{_num(size)}"
        if key not in self.defs:
            # Plotly.js's own symbol paths (src/components/drawing/symbol_defs.js)
            if base == "square":
                d = f"M{_num(r)},{_num(r)}H{_num(-r)}V{_num(-r)}H{_num(r)}Z"
            elif base == "diamond":
                q = r * 1.3
                d = f"M{_num(q)},0L0,{_num(q)}L{_num(-q)},0L0,{_num(-q)}Z"
            elif base == "triangle-up":
                t, h = r * 2 / math.sqrt(3), r / 2
                d = f"M{_num(-t)},{_num(h)}H{_num(t)}L0,{_num(-r)}Z"
            elif base == "x":
                q = _num(r * 0.8 / math.sqrt(2))
                ne, se, sw, nw = f"l{q},{q}", f"l{q},-{q}", f"l-{q},-{q}", f"l-{q},{q}"
                d = f"M0,{q}{ne}{se}{sw}{se}{sw}{nw}{sw}{nw}{ne}{nw}{ne}Z"
            elif base == "line-ew":
                d = f"M{_num(-r)},0H{_num(r)}"
            else:  # circle and anything else
                d = (f"M{_num(r)},0A{_num(r)},{_num(r)} 0 1,1 0,{_num(-r)}"
                     f"A{_num(r)},{_num(r)} 0 0,1 {_num(r)},0Z")
            self.defs[key] = f'<path id="{_TOKEN}m-{key}" d="{d}"/>'
        return f"{_TOKEN}m-{key}"

    def marker(self, x: str, y: float, marker: dict, color: str, opacity: float | None,
               cls: str = "azkz-pt") -> str:
        symbol = str(marker.get("symbol") or "circle")
        size = float(marker.get("size") or 6)
        line = marker.get("line") or {}
        open_ = symbol.endswith("-open") or symbol == "line-ew"
        lw = _float(line.get("width"))
        lc = line.get("color") or color
        ref = self.marker_def(symbol, size)
        if open_:
            fill, stroke, width = "none", color, max(lw or 0, 1.5 if symbol != "line-ew"
                                                     else 2.0)
        else:
            fill, stroke, width = color, lc, lw or 0
        op = _float(marker.get("opacity"))
        if op is None:
            op = opacity
        attrs = [f'href="#{ref}"', f'x="{x}"', f'y="{_num(y)}"', f'fill="{_attr(fill)}"']
        if width and not _transparent(stroke):
            attrs += [f'stroke="{_attr(stroke)}"', f'stroke-width="{_num(width)}"']
        if op is not None and op < 1:
            attrs.append(f'opacity="{_num(op)}"')
        if _transparent(fill) and (not width or _transparent(stroke)):
            attrs.append('visibility="hidden"')
        return f'<use class="{cls}" {" ".join(attrs)}/>'

    def pattern(self, shape: str, color: str) -> str:
        key = f"p-{hashlib.sha256(f'{shape}{color}'.encode()).hexdigest()[:6]}"
        if key not in self.defs:
            self.defs[key] = (
                f'<pattern id="{_TOKEN}{key}" patternUnits="userSpaceOnUse" width="8" '
                f'height="8" patternTransform="rotate({45 if shape == "/" else -45})">'
                f'<rect width="3" height="8" fill="{_attr(color)}"/></pattern>')
        return f"{_TOKEN}{key}"

    # ---- drawing
    def draw(self) -> str:
        self._axes()
        self._margins()
        body: list[str] = []
        body += self._backgrounds()
        body += self._grids()
        body += self._shapes(below=True)
        for i, (tr, xa, ya) in enumerate(self._indexed()):
            if tr.get("visible") in (False, "legendonly"):
                continue
            kind = tr.get("type") or "scatter"
            if kind == "bar":
                body.append(self._bar(i, tr, xa, ya))
            elif kind == "scatter":
                body.append(self._scatter(i, tr, xa, ya))
        body += self._shapes(below=False)
        body += self._tick_labels()
        body += self._annotations()
        body += self._draw_legend()
        inner = "".join(b for b in body if b)
        if self.bar_k:
            inner = inner.replace(_attr(_BAR_FONT), _attr(self._uniform_bar_font()))
        defs = "".join(self.defs[k] for k in sorted(self.defs))
        content = (f"<defs>{defs}</defs>" if defs else "") + inner
        uid = "azkz-" + hashlib.sha256(content.encode()).hexdigest()[:10]
        content = content.replace(_TOKEN, uid + "-")
        width = f"calc(100% - {_num(self.ml + self.mr)}px)"
        style = (f"display:block;overflow:visible;container-type:inline-size;width:{width};"
                 f"height:{_num(self.height)}px;margin:0 {_num(self.mr)}px 0 {_num(self.ml)}px")
        xmlns = ' xmlns="http://www.w3.org/2000/svg"' if self.xmlns else ""
        return (f'<svg{xmlns} class="azkz-pic" '
                f'aria-hidden="true" focusable="false" width="100%" '
                f'height="{_num(self.height)}" style="{style}" '
                f'font-family="{_attr(self.font)}" font-size="{_num(self.size)}" '
                f'fill="{_attr(self.color)}">{content}</svg>')

    def _uniform_bar_font(self) -> str:
        """The one font size of every bar label (``uniformtext``), as CSS: the smallest of
        the sizes that fit each label to its bar, leaving out those below ``minsize`` (they
        are shown at the common size: Plotly's "show" mode), never above the font's size.
        Each label's fitting size is ``k`` cqw; one that falls below ``minsize`` counts as
        very large (``max(k cqw, (minsize - k cqw) × 1000)``)."""
        low = _num(_float(_get(self.f.layout, "uniformtext", "minsize")) or 0.0)
        terms = [f"max({_num(k)}cqw,calc(({low}px - {_num(k)}cqw) * 1000))"
                 for k in sorted(set(self.bar_k))]
        # when every label falls below minsize: minsize
        terms.append(f"max({low}px,calc(({_num(max(self.bar_k))}cqw - {low}px) * 1000 + "
                     f"{low}px))")
        return f"font-size:clamp({low}px,min({','.join(terms)}),{_num(self.size)}px)"

    def _indexed(self):
        for tr in self.f.data:
            xa = self.axes.get(_axis_name(tr.get("xaxis") or "x"))
            ya = self.axes.get(_axis_name(tr.get("yaxis") or "y"))
            if xa is not None and ya is not None:
                yield tr, xa, ya

    def _subplots(self) -> list[tuple[_Axis, _Axis]]:
        out = []
        for ya in self.axes.values():
            if ya.name[0] != "y" or ya.spec.get("visible") is False:
                continue
            xa = self.axes.get(_axis_name(ya.spec.get("anchor") or "x"))
            if xa is None:
                xa = self.axes.get("xaxis")
            if xa is not None:
                out.append((xa, ya))
        return out

    def _backgrounds(self) -> list[str]:
        bg = self.f.lay("plot_bgcolor")
        if not bg or _transparent(bg):
            return []
        out = []
        for xa, ya in self._subplots():
            top = self.y_paper(ya.domain[1])
            out.append(f'<rect x="{_pct(xa.domain[0])}" y="{_num(top)}" '
                       f'width="{_pct(xa.domain[1] - xa.domain[0])}" '
                       f'height="{_num(self.y_paper(ya.domain[0]) - top)}" '
                       f'fill="{_attr(bg)}"/>')
        return out

    def _grids(self) -> list[str]:
        out = []
        for xa, ya in self._subplots():
            top, bottom = self.y_paper(ya.domain[1]), self.y_paper(ya.domain[0])
            for ax in (xa, ya):
                if ax.spec.get("visible") is False or ax.type == "category":
                    continue
                if ax.spec.get("showgrid") is False:
                    continue
                gc = ax.spec.get("gridcolor") or "#eee"
                zero = ax.spec.get("zerolinecolor") or "#444"
                lines = []
                for v, _ in ax.ticks:
                    is_zero = ax.type == "linear" and abs(v) < 1e-12 and \
                        ax.spec.get("zeroline") is not False
                    color = zero if is_zero else gc
                    width = 2 if is_zero else 1
                    if ax is xa:
                        x = _pct(xa.frac(v))
                        lines.append(f'<line x1="{x}" x2="{x}" y1="{_num(top)}" '
                                     f'y2="{_num(bottom)}" stroke="{_attr(color)}" '
                                     f'stroke-width="{width}"/>')
                    else:
                        y = _num(self.y_px(ya, v))
                        lines.append(f'<line x1="{_pct(xa.domain[0])}" '
                                     f'x2="{_pct(xa.domain[1])}" y1="{y}" y2="{y}" '
                                     f'stroke="{_attr(color)}" stroke-width="{width}"/>')
                out.append('<g class="azkz-grid">' + "".join(lines) + "</g>")
        return out

    def _tick_labels(self) -> list[str]:
        out = []
        for ax in self.axes.values():
            if (ax.spec.get("visible") is False or ax.spec.get("showticklabels") is False
                    or not ax.ticks):
                continue
            anchor = self.axes.get(_axis_name(ax.spec.get("anchor")
                                              or ("y" if ax.name[0] == "x" else "x")))
            if anchor is None:
                continue
            color = _get(ax.spec, "tickfont", "color") or self.color
            labels = []
            step = self._label_step(ax) if ax.name[0] == "x" else 1
            for n, (v, label) in enumerate(ax.ticks):
                if n % step:
                    continue
                f = ax.frac(v)
                if f < ax.domain[0] - 1e-6 or f > ax.domain[1] + 1e-6:
                    continue
                if ax.name[0] == "x":
                    y = self.y_paper(anchor.domain[0]) + 5
                    labels.append(self.text(_pct(f), y, label, valign="top", color=color))
                else:
                    labels.append(self.text(_pct(anchor.domain[0]), self.y_paper(f), label,
                                            anchor="end", dx=-6, color=color))
            out.append(f'<g class="azkz-ticks" data-axis="{ax.name}">' + "".join(labels)
                       + "</g>")
        return out

    def _label_step(self, ax: _Axis) -> int:
        """Every how many ticks a value axis along x is labelled: all when the labels fit
        side by side in the axis's share of the plot (at the picture's width), else every
        second, third…
        (Plotly turns them aslant instead; the picture cannot know its width in advance).
        Category labels are all shown (the charts wrap them)."""
        if ax.type == "category" or len(ax.ticks) < 3:
            return 1
        room = max(self.width - self.ml - self.mr, 100.0) * (ax.domain[1] - ax.domain[0])
        need = sum(_text_width(_lines(label), self.size) + 10 for _, label in ax.ticks)
        return max(1, math.ceil(need / room))

    # ---- traces
    def _x(self, xa: _Axis, v: object, shift: float = 0.0) -> float | None:
        c = xa.coord(v)
        return None if c is None else xa.frac(c + shift)

    def _trace_color(self, i: int, tr: dict) -> str:
        color = _get(tr, "marker", "color")
        if isinstance(color, str):
            return color
        color = _get(tr, "line", "color")
        if isinstance(color, str):
            return color
        return self.colorway[i % len(self.colorway)]

    def _slots(self, tr: dict, xa: _Axis, ya: _Axis) -> tuple[float, float]:
        """(offset, width) in category units of a bar trace's slot, or of a scatter trace
        grouped with bars (``scattermode: group`` and an ``offsetgroup``)."""
        horizontal = tr.get("orientation") == "h"
        cat_axis = ya if horizontal else xa
        bars = [t for t in self.f.data if t.get("type") == "bar"
                and t.get("orientation") == tr.get("orientation")
                and self.axes.get(_axis_name(t.get("xaxis") or "x")) is xa
                and self.axes.get(_axis_name(t.get("yaxis") or "y")) is ya]
        if _float(tr.get("width")) is not None and tr.get("type") == "bar":
            return 0.0, float(tr["width"])
        full = 1 - float(self.f.layout.get("bargap") or 0.2)
        if self.barmode != "group" or cat_axis.type != "category":
            return 0.0, full
        groups = list(dict.fromkeys(t.get("offsetgroup") or f"#{id(t)}" for t in bars))
        seen: dict[str, int] = {}
        overlap = False
        for t in bars:
            for v in _seq(t.get("y" if horizontal else "x")):
                seen[str(v)] = seen.get(str(v), 0) + 1
                overlap = overlap or seen[str(v)] > 1
        if not overlap and not any(t.get("offsetgroup") for t in bars):
            return 0.0, full
        if len(groups) <= 1:
            return 0.0, full
        key = tr.get("offsetgroup") or f"#{id(tr)}"
        if key not in groups:
            return 0.0, full
        w = full / len(groups)
        return -full / 2 + w * (groups.index(key) + 0.5), w

    def _bar(self, i: int, tr: dict, xa: _Axis, ya: _Axis) -> str:
        horizontal = tr.get("orientation") == "h"
        cat, val = (ya, xa) if horizontal else (xa, ya)
        marker = tr.get("marker") or {}
        color = marker.get("color") if isinstance(marker.get("color"), str) else (
            self._trace_color(i, tr))
        line = marker.get("line") or {}
        lw = _float(line.get("width")) or 0
        lc = line.get("color") or color
        pattern = marker.get("pattern") or {}
        shape = pattern.get("shape") or ""
        fill = "none" if _transparent(color) else color
        if shape in ("/", "\\"):
            fill = f"url(#{self.pattern(shape, pattern.get('fgcolor') or lc)})"
        opacity = _float(tr.get("opacity"))
        offset, width = self._slots(tr, xa, ya)
        cats = _seq(tr.get("y" if horizontal else "x"))
        vals = _seq(tr.get("x" if horizontal else "y"))
        bases = _seq(tr.get("base"))
        texts = _seq(tr.get("text"))
        position = tr.get("textposition") or "auto"
        out = []
        for k, (c, v) in enumerate(zip(cats, vals, strict=False)):
            cc = cat.coord(c)
            fv = _float(v)
            if cc is None or fv is None:
                continue
            b = bases[k] if k < len(bases) else (bases[0] if len(bases) == 1 else None)
            b0 = val.coord(b) if b is not None else 0.0
            b0 = b0 or 0.0
            lo_c, hi_c = cc + offset - width / 2, cc + offset + width / 2
            v0, v1 = b0, b0 + fv
            if horizontal:
                f0, f1 = sorted((xa.frac(v0), xa.frac(v1)))
                y0, y1 = sorted((self.y_px(ya, lo_c), self.y_px(ya, hi_c)))
            else:
                f0, f1 = sorted((xa.frac(lo_c), xa.frac(hi_c)))
                y0, y1 = sorted((self.y_px(ya, v0), self.y_px(ya, v1)))
            attrs = [f'x="{_pct(f0)}"', f'y="{_num(y0)}"', f'width="{_pct(f1 - f0)}"',
                     f'height="{_num(max(y1 - y0, 0))}"', f'fill="{_attr(fill)}"']
            if lw and not _transparent(lc):
                attrs += [f'stroke="{_attr(lc)}"', f'stroke-width="{_num(lw)}"']
            out.append(f'<rect class="azkz-pt" {" ".join(attrs)}/>')
            text = texts[k] if k < len(texts) else (texts[0] if len(texts) == 1 and
                                                    len(cats) == 1 else None)
            if text:
                out.append(self._bar_text(text, position, tr, horizontal, f0, f1, y0, y1,
                                          v1 >= v0, fill if not fill.startswith("url")
                                          else "none"))
        op = f' opacity="{_num(opacity)}"' if opacity is not None and opacity < 1 else ""
        return f'<g class="azkz-trace azkz-bars" data-trace="{i}"{op}>{"".join(out)}</g>'

    def _bar_text(self, text: object, position: str, tr: dict, horizontal: bool, f0: float,
                  f1: float, y0: float, y1: float, up: bool, fill: str) -> str:
        size = float(_get(tr, "textfont", "size", default=self.size))
        color = _get(tr, "textfont", "color")
        if position == "auto":
            span = (f1 - f0) if horizontal else (y1 - y0) / max(self.plot_h, 1)
            position = "inside" if span >= 0.4 else "outside"
        if position == "none":
            return ""
        inside = position == "inside"
        if inside and not color:
            lum = _hex_luminance(fill)
            color = "#FFFFFF" if lum is not None and lum < 0.55 else "#444444"
        if horizontal:
            y = (y0 + y1) / 2
            if inside:
                return self.text(_pct(f1), y, text, anchor="end", dx=-4, size=size,
                                 color=color)
            return self.text(_pct(f1), y, text, anchor="start", dx=4, size=size, color=color)
        x = _pct((f0 + f1) / 2)
        # Plotly shrinks a bar's text to the bar's width (with ``uniformtext``, every bar's
        # to the smallest, not below its minsize): a font size in container units of the
        # plot area (the <svg> is a size container) does the same at any width.
        width = _text_width(_lines(text), size)
        k = size * (f1 - f0) * 100 / width if width else 100.0
        self.bar_k.append(k)
        uniform = _float(_get(self.f.layout, "uniformtext", "minsize"))
        style = (_BAR_FONT if uniform is not None else
                 f"font-size:clamp(6px,{_num(k)}cqw,{_num(size)}px)")
        if inside:
            return self.text(x, y0 + 4, text, valign="top", size=size, color=color,
                             style=style)
        return self.text(x, y0 - 3 if up else y1 + 3, text, valign="bottom" if up else "top",
                         size=size, color=color, style=style)

    def _scatter(self, i: int, tr: dict, xa: _Axis, ya: _Axis) -> str:
        mode = tr.get("mode") or ("lines+markers" if len(_seq(tr.get("x"))) < 20
                                  else "lines")
        xs, ys = _seq(tr.get("x")), _seq(tr.get("y"))
        color = self._trace_color(i, tr)
        opacity = _float(tr.get("opacity"))
        shift = 0.0
        if tr.get("offsetgroup") and self.scattermode == "group" and xa.type == "category":
            shift = self._slots({**tr, "type": "bar"}, xa, ya)[0]
        pts: list[tuple[float, float] | None] = []
        for x, y in zip(xs, ys, strict=False):
            fx = self._x(xa, x, shift) if xa.type == "category" else (
                None if xa.coord(x) is None else xa.frac(xa.coord(x)))
            cy = ya.coord(y)
            pts.append(None if fx is None or cy is None else (fx, self.y_px(ya, cy)))
        out = []
        if "lines" in mode:
            line = tr.get("line") or {}
            lcolor = line.get("color") or color
            lw = _float(line.get("width"))
            lw = 2.0 if lw is None else lw
            dash = DASHES.get(str(line.get("dash") or "solid"), None)
            if dash is None and re.fullmatch(r"[\d.,\s px]+", str(line.get("dash") or "")):
                dash = re.sub(r"px|\s+", ",", str(line["dash"])).strip(",")
            segs = []
            for a, b in itertools.pairwise(pts):
                if a is None or b is None:
                    continue
                segs.append(f'<line class="azkz-seg" x1="{_pct(a[0])}" y1="{_num(a[1])}" '
                            f'x2="{_pct(b[0])}" y2="{_num(b[1])}"/>')
            if segs and lw > 0:
                attrs = f'stroke="{_attr(lcolor)}" stroke-width="{_num(lw)}" fill="none"'
                if dash:
                    attrs += f' stroke-dasharray="{_attr(dash)}"'
                out.append(f"<g {attrs}>{''.join(segs)}</g>")
        marker = tr.get("marker") or {}
        if "markers" in mode:
            mcolor = marker.get("color") if isinstance(marker.get("color"), str) else color
            for p in pts:
                if p is not None:
                    out.append(self.marker(_pct(p[0]), p[1], marker, mcolor, None))
        if "text" in mode:
            texts = _seq(tr.get("text"))
            position = str(tr.get("textposition") or "middle center")
            size = float(_get(tr, "textfont", "size", default=self.size))
            tcolor = _get(tr, "textfont", "color")
            r = (float(marker.get("size") or 6) / 2) if "markers" in mode else 0.0
            for k, p in enumerate(pts):
                text = texts[k] if k < len(texts) else None
                if p is None or not text:
                    continue
                cls = "azkz-pt" if mode == "text" else None
                out.append(self._point_text(p, text, position, r, size, tcolor, cls))
        op = f' opacity="{_num(opacity)}"' if opacity is not None and opacity < 1 else ""
        return f'<g class="azkz-trace azkz-scatter" data-trace="{i}"{op}>{"".join(out)}</g>'

    def _point_text(self, p: tuple[float, float], text: object, position: str, r: float,
                    size: float, color: str | None, cls: str | None) -> str:
        parts = position.split()
        vert, horiz = [*parts, "center"][:2] if len(parts) > 1 else (
            (parts[0], "center") if parts and parts[0] in ("top", "middle", "bottom")
            else ("middle", parts[0] if parts else "center"))
        pad = r + 2
        y = p[1]
        valign = "middle"
        if vert == "top":
            y, valign = p[1] - pad, "bottom"
        elif vert == "bottom":
            y, valign = p[1] + pad, "top"
        anchor, dx = "middle", 0.0
        if horiz == "left":
            anchor, dx = "end", -(r if vert != "middle" else pad)
        elif horiz == "right":
            anchor, dx = "start", (r if vert != "middle" else pad)
        return self.text(_pct(p[0]), y, text, anchor=anchor, valign=valign, size=size,
                         color=color, dx=dx, cls=cls)

    # ---- shapes and annotations
    def _ref_x(self, ref: str | None, v: object) -> float | None:
        ref = ref or "x"
        if ref == "paper":
            return _float(v)
        name = _axis_name(ref.split()[0])
        ax = self.axes.get(name)
        if ax is None:
            return None
        if ref.endswith("domain"):
            f = _float(v)
            return None if f is None else ax.domain[0] + f * (ax.domain[1] - ax.domain[0])
        c = ax.coord(v)
        return None if c is None else ax.frac(c)

    def _ref_y(self, ref: str | None, v: object) -> float | None:
        f = self._ref_x(ref or "y", v)
        return None if f is None else self.y_paper(f)

    def _shapes(self, below: bool) -> list[str]:
        out = []
        for s in self.f.layout.get("shapes") or []:
            if (s.get("layer") == "below") != below:
                continue
            x0, x1 = self._ref_x(s.get("xref"), s.get("x0")), self._ref_x(s.get("xref"),
                                                                            s.get("x1"))
            y0, y1 = self._ref_y(s.get("yref"), s.get("y0")), self._ref_y(s.get("yref"),
                                                                            s.get("y1"))
            if None in (x0, x1, y0, y1):
                continue
            line = s.get("line") or {}
            color = line.get("color") or "#444"
            width = _float(line.get("width"))
            width = 2.0 if width is None else width
            dash = DASHES.get(str(line.get("dash") or "solid"))
            attrs = f'stroke="{_attr(color)}" stroke-width="{_num(width)}"' + (
                f' stroke-dasharray="{dash}"' if dash else "")
            op = _float(s.get("opacity"))
            if op is not None and op < 1:
                attrs += f' opacity="{_num(op)}"'
            if s.get("type") == "rect":
                fill = s.get("fillcolor") or "none"
                out.append(f'<rect class="azkz-shape" x="{_pct(min(x0, x1))}" '
                           f'y="{_num(min(y0, y1))}" width="{_pct(abs(x1 - x0))}" '
                           f'height="{_num(abs(y1 - y0))}" fill="{_attr(fill)}" {attrs}/>')
            elif s.get("type", "line") == "line":
                out.append(f'<line class="azkz-shape" x1="{_pct(x0)}" y1="{_num(y0)}" '
                           f'x2="{_pct(x1)}" y2="{_num(y1)}" {attrs}/>')
        return out

    def _annotations(self) -> list[str]:
        out = []
        for a in self.f.layout.get("annotations") or []:
            if a.get("visible") is False:
                continue
            xref, yref = a.get("xref") or "x", a.get("yref") or "y"
            fx = self._ref_x(xref, a.get("x", 0.5))
            fy = self._ref_x(yref, a.get("y", 0.5))
            if fx is None or fy is None:
                continue
            xanchor = a.get("xanchor") or "auto"
            if xanchor == "auto":
                xanchor = "center"
                if xref == "paper" and a.get("showarrow", True) is not True:
                    xanchor = "left" if fx <= 1 / 3 else "right" if fx >= 2 / 3 else "center"
            yanchor = a.get("yanchor") or "auto"
            if yanchor == "auto":
                yanchor = "middle"
                if yref == "paper" and a.get("showarrow") is False:
                    yanchor = "bottom" if fy <= 1 / 3 else "top" if fy >= 2 / 3 else "middle"
            anchor = {"left": "start", "right": "end"}.get(xanchor, "middle")
            valign = {"bottom": "bottom", "top": "top"}.get(yanchor, "middle")
            size = float(_get(a, "font", "size", default=self.size))
            color = _get(a, "font", "color")
            dx = {"start": 1.0, "end": -1.0}.get(anchor, 0.0)
            out.append(self.text(_pct(fx), self.y_paper(fy) + (-1 if valign == "bottom"
                                                                else 0),
                                 a.get("text"), anchor=anchor, valign=valign, size=size,
                                 color=color, dx=dx, cls="azkz-ann"))
        return out

    # ---- legend
    def _legend_items(self) -> list[tuple[dict, int]]:
        if self.f.layout.get("showlegend") is False:
            return []
        items = []
        groups: set[str] = set()
        for i, tr in enumerate(self.f.data):
            show = tr.get("showlegend")
            if show is False or tr.get("visible") is False:
                continue
            if show is None:
                group = tr.get("legendgroup")
                if group and group in groups:
                    continue
            if tr.get("legendgroup"):
                groups.add(tr["legendgroup"])
            items.append((tr, i))
        # Plotly's default: a legend for two entries or more, or one asked for explicitly
        if (self.f.layout.get("showlegend") is None and len(items) < 2
                and not any(tr.get("showlegend") for tr, _ in items)):
            return []
        return items

    def _row_height(self, tr: dict) -> float:
        return max(len(_lines(tr.get("name") or "")), 1) * self.size * LINE_HEIGHT + 10

    def _legend_rows(self) -> list[tuple[float, list[tuple[dict, int, float]]]]:
        """Entries packed into rows as Plotly packs a horizontal legend: rows as wide as the
        figure (the picture's width) from the plot's left edge, or further left when
        the widest row would run off the figure (Plotly keeps its legend inside); (row
        height, [(trace, index, x from the plot's left edge)])."""
        rows: list[tuple[float, list]] = []
        x = widest = 0.0
        for tr, i in self.legend:
            width = 40 + _text_width(_lines(tr.get("name") or ""), self.size) + 10
            if not rows or x + width > self.width:
                rows.append((0.0, []))
                x = 0.0
            h, items = rows[-1]
            items.append((tr, i, x))
            rows[-1] = (max(h, self._row_height(tr)), items)
            x += width
            widest = max(widest, x)
        shift = max(-self.ml, min(0.0, self.width - self.ml - widest))
        return [(h, [(tr, i, x + shift) for tr, i, x in items]) for h, items in rows]

    def _legend_height(self) -> float:
        return sum(h for h, _ in self._legend_rows())

    def _draw_legend(self) -> list[str]:
        if not self.legend:
            return []
        y = self.height - self._legend_height() - 4
        out = []
        for h, items in self._legend_rows():
            for tr, i, x in items:
                out.append(self._legend_entry(tr, i, y + h / 2, x))
            y += h
        return ['<g class="azkz-legend">' + "".join(out) + "</g>"]

    def _legend_entry(self, tr: dict, i: int, mid: float, x: float) -> str:
        color = self._trace_color(i, tr)
        sym = []
        mode = tr.get("mode") or ""
        if tr.get("type") == "bar":
            marker = tr.get("marker") or {}
            fill = "none" if _transparent(color) else color
            lc = _get(marker, "line", "color") or color
            shape = _get(marker, "pattern", "shape") or ""
            if shape in ("/", "\\"):
                fill = f"url(#{self.pattern(shape, _get(marker, 'pattern', 'fgcolor') or lc)})"
            sw = _float(_get(marker, "line", "width")) or 0
            op = _float(tr.get("opacity"))
            sym.append(f'<rect x="8" y="{_num(mid - 6)}" width="12" height="12" '
                       f'fill="{_attr(fill)}"'
                       + (f' stroke="{_attr(lc)}" stroke-width="{_num(min(sw, 2))}"'
                          if sw else "")
                       + (f' opacity="{_num(op)}"' if op is not None and op < 1 else "")
                       + "/>")
        else:
            if "lines" in mode:
                line = tr.get("line") or {}
                dash = DASHES.get(str(line.get("dash") or "solid"))
                sym.append(f'<line x1="0" x2="30" y1="{_num(mid)}" y2="{_num(mid)}" '
                           f'stroke="{_attr(line.get("color") or color)}" '
                           f'stroke-width="{_num(min(_float(line.get("width")) or 2, 4))}"'
                           + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            if "markers" in mode:
                marker = dict(tr.get("marker") or {})
                marker["size"] = min(float(marker.get("size") or 6), 12)
                sym.append(self.marker("15", mid, marker, color, _float(tr.get("opacity")),
                                       cls="azkz-key"))
        entry = "".join(sym) + self.text("40", mid, tr.get("name"), anchor="start")
        return f'<g transform="translate({_num(x)},0)">{entry}</g>' if x else entry


def figure_svg(fig: go.Figure | dict, *, lang: str = "en", xmlns: bool = True,
               width: float = PHONE_WIDTH) -> str:
    """A static SVG picture of ``fig`` (see the module's docstring): one ``<svg>`` element,
    ``aria-hidden``, the figure's height tall and as wide as its container, laid out (legend
    rows, ticks) for a box ``width`` px wide.

    ``lang`` formats tick labels the figure does not carry itself (numbers through
    ``i18n.fmt``, month names through Babel). ``xmlns=False`` leaves out the namespace
    declaration, which SVG inline in HTML does not need (the HTML parser knows ``<svg>``).

    >>> svg = figure_svg(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["a<b"],
    ...                                        mode="markers+text")))
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), "a&lt;b" in svg
    (True, True)
    """
    picture = _Picture(_Fig(fig), lang, width)
    picture.xmlns = xmlns
    return picture.draw()


# Which of figure_pictures' two a box shows: its container (named azkz-chart, an inline-size
# container, set by the page that shows the pictures) decides.
PICTURES_CSS = (
    ".azkz-pic-wide { display: none; }"
    f"@container azkz-chart (min-width: {WIDE_FROM}px) {{"
    " .azkz-pic-narrow { display: none; } .azkz-pic-wide { display: block; } }"
)


def figure_pictures(fig: go.Figure | dict, *, lang: str = "en") -> str:
    """``figure_svg`` laid out for a phone and for a wide box, each in its ``<div>``
    (``azkz-pic-narrow``, ``azkz-pic-wide``; ``PICTURES_CSS`` shows one), or the one picture
    alone when both are the same; inline HTML (no namespace).

    >>> pics = figure_pictures(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    >>> pics.count("<svg"), pics.startswith('<div class="azkz-pic-narrow"><svg class')
    (2, True)
    """
    narrow = figure_svg(fig, lang=lang, xmlns=False)
    wide = figure_svg(fig, lang=lang, xmlns=False, width=WIDE_WIDTH)
    if wide == narrow:
        return narrow
    return (f'<div class="azkz-pic-narrow">{narrow}</div>'
            f'<div class="azkz-pic-wide">{wide}</div>')
