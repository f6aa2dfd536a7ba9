"""Source lines (which articles the shown figures come from) and article text with the quoted
passages highlighted. Pure: no Streamlit, no HTTP.

Example (English):
    Source: Day.Az via Trend, 18.10.2025 (Aman Mambetali); Press service, Mar 2024*
    (date inferred) (Press and public relations service)
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from etl.store import Tables
from i18n.fmt import format_short_date
from i18n.text import localized, t


def _source_ids(rows: pd.DataFrame | Iterable[str], tables: Tables) -> list[str]:
    """Source ids in order of first appearance; derived figures count their inputs' sources."""
    if isinstance(rows, pd.DataFrame):
        ids: list[str] = []
        if "source_id" in rows.columns:
            ids.extend(str(s) for s in rows["source_id"].dropna())
        if "inputs" in rows.columns and len(tables.figures):
            by_id = tables.figures.set_index("figure_id")["source_id"]
            for inputs in rows["inputs"].dropna():
                for fid in str(inputs).split(","):
                    fid = fid.strip()
                    if fid in by_id.index:
                        ids.append(str(by_id[fid]))
    else:
        ids = [str(s) for s in rows]
    return list(dict.fromkeys(ids))


def describe_source(source: pd.Series, lang: str) -> str:
    """One source as 'Outlet via X, date (Speaker)', marking inferred or missing dates."""
    outlet = localized(source, "outlet", lang) or ""
    via = source.get("via")
    if isinstance(via, str) and via:
        outlet = t("source_via", lang, outlet=outlet, via=via)
    published = source.get("published")
    if published is None or pd.isna(published):
        date = t("source_undated", lang)
    else:
        date = format_short_date(published, str(source.get("published_precision", "day")), lang)
        if source.get("published_basis") == "inferred":
            date += f"* ({t('source_inferred', lang)})"
    return f"{outlet}, {date} ({localized(source, 'speaker', lang) or ''})"


def source_key(source: pd.Series, lang: str) -> str:
    """A source in a few words for legends: outlet and date, ``*`` when the date is inferred
    (the full citation is in the sources line under the chart, where the ``*`` is explained).

    >>> source_key(pd.Series({"outlet": "Day.Az", "published": pd.Timestamp("2025-10-18"),
    ...     "published_precision": "day", "published_basis": "stated"}), "en")
    'Day.Az, 18.10.2025'
    """
    outlet = localized(source, "outlet", lang) or ""
    published = source.get("published")
    if published is None or pd.isna(published):
        return f"{outlet}, {t('source_undated', lang)}"
    date = format_short_date(published, str(source.get("published_precision", "day")), lang)
    star = "*" if source.get("published_basis") == "inferred" else ""
    return f"{outlet}, {date}{star}"


def sources_line(rows: pd.DataFrame | Iterable[str], tables: Tables, lang: str) -> str:
    """'Mənbə: …' / 'Source: …' for the figures or events in ``rows`` (or a list of ids).

    Unknown source ids are skipped; an empty selection gives an empty string.
    """
    ids = _source_ids(rows, tables)
    src = tables.sources.set_index("source_id")
    parts = [describe_source(src.loc[i], lang) for i in ids if i in src.index]
    if not parts:
        return ""
    label = t("source_label" if len(parts) == 1 else "sources_label", lang)
    return f"{label}: " + "; ".join(parts)


def highlight_quotes(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` HTML-escaped, with each (start, end, title) span wrapped in <mark>.

    Escaping happens per segment before any tag is added, so nothing from the article can
    become markup. Overlapping quotes (a figure inside an event's sentence) are merged into
    one mark whose title lists both.

    >>> highlight_quotes("a <b> c", [(2, 5, "q1")])
    'a <mark title="q1">&lt;b&gt;</mark> c'
    """
    merged: list[list] = []
    for start, end, title in sorted(spans):
        if start < 0 or start >= end or end > len(text):
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += f" | {title}"
        else:
            merged.append([start, end, title])
    out, pos = [], 0
    for start, end, title in merged:
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
