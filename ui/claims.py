"""Streamlit pieces of the Claims page and the overview's claims card: filters kept in the URL,
one card per checked claim (verdict badge, quote linked to the Sources page, claim beside the
statistic, gap, both citations). The words and numbers come from ``charts.checks``; this module
only lays them out. Everything from the tables goes through ``plain``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from charts.checks import (
    INDICATOR_PARAM,
    VERDICT_PARAM,
    Claim,
    check_lines,
    claim_card,
    claim_caveat,
    claim_citation,
    claim_value,
    claims,
    reference_citation,
    reference_text,
    summary_text,
    verdict_text,
)
from charts.embed import base_url, iframe_snippets_for
from charts.labels import indicator_label
from etl.schema import VERDICTS
from etl.store import Tables
from i18n.text import quote_rendering, t
from ui import figures, state
from ui.components import plain

log = logging.getLogger(__name__)

# Badge colour per verdict: agreement green, a number off either way orange, no comparison grey.
VERDICT_COLOR = {"matches": "green", "understates": "orange", "overstates": "orange",
                 "not_comparable": "blue", "no_reference": "gray"}
INDICATOR_KEY = INDICATOR_PARAM
VERDICT_KEY = VERDICT_PARAM
CLAIMS_PAGE = "pages/claims.py"
SOURCES_SLUG = next(p.slug for p in state.PAGES if p.path == "pages/sources.py")
SOURCES_KEY = "article"  # pages/sources.py keeps the article shown in ?article=


def md_url(url: str) -> str:
    """An http(s) address safe inside a Markdown link target (parentheses and spaces encoded).

    >>> md_url("https://x.org/a (b)")
    'https://x.org/a%20%28b%29'
    """
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _link(label: str, url: object) -> str:
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return f"[{plain(label)}]({md_url(url)})"
    return plain(label)


def sources_href(source_id: str, lang: str) -> str:
    """Relative address of an article on the Sources page, in ``lang`` (the page keeps its
    article in ``?article=``).

    >>> sources_href("dayaz-qafarov", "en")
    'sources?article=dayaz-qafarov&lang=en'
    """
    return f"{SOURCES_SLUG}?{urlencode({SOURCES_KEY: source_id, state.LANG_KEY: lang})}"


def quote_link(figure, lang: str) -> str:
    """The verbatim quote, highlighted, as a Markdown link to its article on the Sources page
    (where the quoted passages are highlighted in the text)."""
    return (f"[:orange-background[«{plain(figure['quote'])}»]]"
            f"({sources_href(str(figure['source_id']), lang)})")


def claim_filters(tables: Tables, lang: str) -> tuple[list[str], list[str]]:
    """Indicator and verdict filters, kept in ``?indicator=`` and ``?verdict=`` (codes)."""
    checked = set(tables.checks["figure_id"])
    figs = tables.figures[tables.figures["figure_id"].isin(checked)]
    indicators = list(dict.fromkeys(figs["indicator_id"]))
    c1, c2 = st.columns(2)
    sel_ind = state.url_widget(c1.multiselect, t("filter_indicator", lang), indicators,
                               INDICATOR_KEY, [], multi=True,
                               format_func=lambda i: indicator_label(tables, i, lang),
                               placeholder=t("filter_placeholder", lang))
    sel_verdict = state.url_widget(c2.multiselect, t("claims_filter_verdict", lang),
                                   list(VERDICTS), VERDICT_KEY, [], multi=True,
                                   format_func=lambda v: verdict_text(v, lang),
                                   placeholder=t("filter_placeholder", lang))
    return sel_ind, sel_verdict


@dataclass(frozen=True)
class ClaimBlock:
    """One claim's card on the Claims page as ``show_claim`` draws it (Markdown, table text
    escaped): a pure function of (build, claim, language), made once per build."""

    key: str  # the container's key
    verdict: str  # the badge's words
    color: str  # the badge's colour
    title: str  # the indicator, bold
    quote: str  # the quote, a link to its article
    rendering: str  # caption: its rendering in the reader's language ('' when none)
    claim: str  # left column
    claim_source: str
    statistic: str  # right column
    statistic_source: str  # '' when no statistic
    check: str  # what the check says, a list
    caveat: str  # '' when none
    snippet: str | None  # the card's static embed snippet (None: no card for this id)


def block_of(claim: Claim, tables: Tables, lang: str) -> ClaimBlock:
    """The :class:`ClaimBlock` of one checked claim."""
    f, ref = claim.figure, claim.reference
    rendering = quote_rendering(f, lang)
    source_url = None if claim.source is None else claim.source.get("url")
    lines = check_lines(claim.check, f, tables, lang, with_reference=False)
    note = claim_caveat(claim, tables, lang)
    card = claim_card(claim, tables, lang)
    try:
        snippet: str | None = iframe_snippets_for(card.embed_id, lang, card.label)["static"]
    except ValueError as exc:  # an id too long to be an embed id: no card for it
        log.warning("no fact-check card for %s: %s", claim.figure_id, exc)
        snippet = None
    return ClaimBlock(
        key=f"claim-{claim.figure_id}",
        verdict=verdict_text(claim.verdict, lang),
        color=VERDICT_COLOR.get(claim.verdict, "gray"),
        title=f"**{plain(indicator_label(tables, f['indicator_id'], lang))}**",
        quote=quote_link(f, lang),
        rendering=(f"{plain(t(rendering[1], lang))}: “{plain(rendering[0])}”"
                   if rendering is not None else ""),
        claim=(f"**{plain(t('claim_label', lang))}**  \n"
               f"{plain(claim_value(claim, tables, lang))}"),
        claim_source=_link(t("claim_source_label", lang,
                             citation=claim_citation(claim, lang)), source_url),
        statistic=(f"**{plain(t('claim_statistic_label', lang))}**  \n"
                   + (plain(reference_text(ref, tables, lang)) if ref is not None else "—")),
        statistic_source=(_link(t("claim_reference_source_label", lang,
                                  citation=reference_citation(ref, lang)), ref["url"])
                          if ref is not None else ""),
        check="\n".join(f"- {plain(line)}" for line in lines[1:]),
        caveat=f"**{plain(t('caveat_label', lang))}:** {plain(note)}" if note else "",
        snippet=snippet)


def claim_blocks(tables: Tables, lang: str, base: str) -> dict[str, ClaimBlock]:
    """Every checked claim's :class:`ClaimBlock` by figure id (``per_build``: once per build,
    language and public address ``base``, which the snippets name; only part of the key)."""
    return {c.figure_id: block_of(c, tables, lang) for c in claims(tables)}


def claim_ids(tables: Tables, indicators: str, verdicts: str) -> tuple[str, ...]:
    """Figure ids of the claims ``claims`` lists, in its order, for comma-separated
    ``indicators`` and ``verdicts`` ('' for all)."""
    return tuple(c.figure_id for c in claims(tables, indicators.split(",") if indicators
                                             else None, verdicts.split(",") if verdicts
                                             else None))


def show_claim(block: ClaimBlock, lang: str) -> None:
    """Draw one checked claim: verdict badge, claim in a few words, the quote (a highlighted
    link to the article on the Sources page), claim and statistic side by side with their
    citations, what the check says (gap, wording, other statistics), its caveat and the
    card's embed snippet."""
    with st.container(border=True, key=block.key):
        st.badge(block.verdict, color=block.color)
        st.markdown(block.title)
        st.markdown(block.quote, help=t("claim_quote_link", lang))
        if block.rendering:
            st.caption(block.rendering)
        left, right = st.columns(2)
        left.markdown(block.claim)
        left.caption(block.claim_source)
        right.markdown(block.statistic)
        if block.statistic_source:
            right.caption(block.statistic_source)
        st.markdown(block.check)
        if block.caveat:
            st.caption(block.caveat)
        # written once opened: the code block loads Streamlit's 1.5 MB code highlighter
        # (ui.components.embed_code)
        box = st.expander(t("embed_label", lang), key=f"{block.key}-embed", on_change="rerun")
        if box.open:
            with box:
                if block.snippet is None:
                    st.caption(t("embed_unavailable", lang))
                else:
                    st.caption(t("embed_claim_static", lang))
                    st.code(block.snippet, language="html")


def claim_block(claim: Claim, tables: Tables, lang: str) -> None:
    """One checked claim (``show_claim`` of ``block_of``)."""
    show_claim(block_of(claim, tables, lang), lang)


def claims_list(tables: Tables, lang: str) -> None:
    """The Claims page below its title: filters, a count, one card per claim. The cards'
    words are made once per build and language; the elements are drawn on every run."""
    sel_ind, sel_verdict = claim_filters(tables, lang)
    shown = figures.per_build(claim_ids, tables, ",".join(sel_ind), ",".join(sel_verdict))
    st.caption(plain(t("claims_count", lang, shown=len(shown), total=len(tables.checks))))
    if not shown:
        st.info(t("claims_none", lang))
    blocks = figures.per_build(claim_blocks, tables, lang, base_url())
    for figure_id in shown:
        show_claim(blocks[figure_id], lang)


def claims_card(tables: Tables, lang: str) -> None:
    """The overview's card: how many claims were checked and with which verdicts (counted from
    the checks table), and a link to the Claims page."""
    with st.container(border=True, key="claims-card"):
        st.markdown(f"**{plain(t('page_claims', lang))}**")
        st.markdown(plain(figures.per_build(summary_text, tables, lang)))
        st.page_link(CLAIMS_PAGE, label=t("claims_card_link", lang),
                     icon=":material/fact_check:", query_params={"lang": lang})
