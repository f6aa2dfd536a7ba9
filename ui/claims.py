"""Streamlit pieces of the Claims page and the overview's claims card: filters kept in the URL,
one card per checked claim (verdict badge, quote linked to the Sources page, claim beside the
statistic, gap, both citations). The words and numbers come from ``charts.checks``; this module
only lays them out. Everything from the tables goes through ``plain``.
"""

from __future__ import annotations

import logging
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
from charts.embed import iframe_snippets_for
from charts.labels import indicator_label
from etl.schema import VERDICTS
from etl.store import Tables
from i18n.text import quote_rendering, t
from ui import state
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


def claim_block(claim: Claim, tables: Tables, lang: str) -> None:
    """One checked claim: verdict badge, claim in a few words, the quote (a highlighted link
    to the article on the Sources page), claim and statistic side by side with their
    citations, and what the check says (gap, wording, other statistics)."""
    f, ref = claim.figure, claim.reference
    with st.container(border=True, key=f"claim-{claim.figure_id}"):
        st.badge(verdict_text(claim.verdict, lang), color=VERDICT_COLOR.get(claim.verdict,
                                                                             "gray"))
        st.markdown(f"**{plain(indicator_label(tables, f['indicator_id'], lang))}**")
        st.markdown(quote_link(f, lang), help=t("claim_quote_link", lang))
        rendering = quote_rendering(f, lang)
        if rendering is not None:
            st.caption(f"{plain(t(rendering[1], lang))}: “{plain(rendering[0])}”")
        left, right = st.columns(2)
        left.markdown(f"**{plain(t('claim_label', lang))}**  \n"
                      f"{plain(claim_value(claim, tables, lang))}")
        source_url = None if claim.source is None else claim.source.get("url")
        left.caption(_link(t("claim_source_label", lang, citation=claim_citation(claim, lang)),
                           source_url))
        right.markdown(f"**{plain(t('claim_statistic_label', lang))}**  \n"
                       + (plain(reference_text(ref, tables, lang)) if ref is not None
                          else "—"))
        if ref is not None:
            right.caption(_link(t("claim_reference_source_label", lang,
                                  citation=reference_citation(ref, lang)), ref["url"]))
        lines = check_lines(claim.check, f, tables, lang, with_reference=False)
        st.markdown("\n".join(f"- {plain(line)}" for line in lines[1:]))
        note = claim_caveat(claim, tables, lang)
        if note:
            st.caption(f"**{plain(t('caveat_label', lang))}:** {plain(note)}")
        embed_snippet(claim, tables, lang)


def embed_snippet(claim: Claim, tables: Tables, lang: str) -> None:
    """The claim's fact-check card as a newsroom pastes it (static iframe and host script)."""
    card = claim_card(claim, tables, lang)
    with st.expander(t("embed_label", lang)):
        try:
            snippet = iframe_snippets_for(card.embed_id, lang, card.label)["static"]
        except ValueError as exc:  # an id too long to be an embed id: no card for it
            log.warning("no fact-check card for %s: %s", claim.figure_id, exc)
            st.caption(t("embed_unavailable", lang))
            return
        st.caption(t("embed_claim_static", lang))
        st.code(snippet, language="html")


def claims_list(tables: Tables, lang: str) -> None:
    """The Claims page below its title: filters, a count, one card per claim."""
    sel_ind, sel_verdict = claim_filters(tables, lang)
    shown = claims(tables, sel_ind or None, sel_verdict or None)
    st.caption(plain(t("claims_count", lang, shown=len(shown), total=len(tables.checks))))
    if not shown:
        st.info(t("claims_none", lang))
    for claim in shown:
        claim_block(claim, tables, lang)


def claims_card(tables: Tables, lang: str) -> None:
    """The overview's card: how many claims were checked and with which verdicts (counted from
    the checks table), and a link to the Claims page."""
    with st.container(border=True, key="claims-card"):
        st.markdown(f"**{plain(t('page_claims', lang))}**")
        st.markdown(plain(summary_text(tables, lang)))
        st.page_link(CLAIMS_PAGE, label=t("claims_card_link", lang),
                     icon=":material/fact_check:", query_params={"lang": lang})
