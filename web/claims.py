"""Static fact-check cards: one small page per checked claim and language, written into the
static embeds as ``<lang>/claim-<figure_id>.html`` (``web/export.py``) and served like the chart
embeds (same headers, ETags, CSP by hash, build id).

A card is plain HTML and CSS (no Plotly, no request to any other host, no cookie): the verdict
as words, the claim with its verbatim quote and source, the statistic it was checked against
with its source and grade, the gap, and a link to the Claims page of the dashboard. Its only
script follows ``?theme=`` and reports the card's height to the host page, so the iframe sizes
itself like a chart embed's. The text comes from ``charts.checks.claim_card``; here it is only
escaped and laid out.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from charts.catalogue import is_chart_id
from charts.checks import ClaimCard, claim_cards, claims_page_query
from charts.embed import HEIGHT_MESSAGE, base_url, iframe_snippets_for
from etl.schema import LANGS
from etl.store import Tables
from i18n.text import t

STATIC = Path(__file__).resolve().parent / "static"


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def claim_dashboard_url(card: ClaimCard, lang: str, base: str | None = None) -> str:
    """The Claims page of the dashboard in ``lang``, filtered to the card's indicator."""
    return f"{base or base_url()}/{claims_page_query(lang, card.indicator_id)}"


def _link(text: str, url: str | None) -> str:
    """Escaped text, linked to ``url`` when it is an http(s) address."""
    if url and url.startswith(("https://", "http://")):
        return (f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
                f"{html.escape(text)}</a>")
    return html.escape(text)


def render_claim_page(card: ClaimCard, lang: str, base: str | None = None) -> str:
    """The static fact-check card of one claim in ``lang`` (a whole HTML page)."""
    e = html.escape
    rendering = ("" if card.rendering is None else
                 f'<p class="azkz-rendering">{e(card.rendering[0])}: “{e(card.rendering[1])}”</p>')
    if card.statistic is None:
        statistic = '<p class="azkz-value">—</p>'
    else:
        cite = _link(card.statistic_source or "", card.statistic_url)
        statistic = (f'<p class="azkz-value">{e(card.statistic)}</p>'
                     f'<p class="azkz-cite">{cite}<br>{e(card.grade or "")}</p>')
    lines = ('<ul class="azkz-lines">' + "".join(f"<li>{e(line)}</li>" for line in card.lines)
             + "</ul>") if card.lines else ""
    caveat = ("" if not card.caveat else
              f'<p class="azkz-caveat"><strong>{e(t("caveat_label", lang))}:</strong> '
              f"{e(card.caveat)}</p>")
    return Template(_static("claim-page.html")).substitute(
        lang=e(lang), embed_id=e(card.embed_id), verdict=e(card.verdict),
        page_title=e(f"{card.title}: {card.verdict_text}"), title=e(card.title),
        verdict_label=e(t("claims_filter_verdict_one", lang)),
        verdict_text=e(card.verdict_text),
        claim_label=e(t("claim_label", lang)), claim=e(card.claim),
        quote=e(card.quote),
        quote_lang=f' lang="{e(card.quote_lang)}"' if card.quote_lang else "",
        rendering=rendering,
        claim_source=_link(card.claim_source, card.claim_url),
        statistic_label=e(t("claim_statistic_label", lang)), statistic=statistic,
        lines=lines, caveat=caveat,
        dashboard_url=e(claim_dashboard_url(card, lang, base)),
        dashboard_label=e(t("embed_claim_open", lang)),
        css=_static("embed.css") + _static("claim.css"),
        script=_static("claim-page.js").replace("__HEIGHT_MESSAGE__", HEIGHT_MESSAGE))


def claim_pages(tables: Tables, lang: str, base: str | None = None) -> list[tuple[ClaimCard,
                                                                                 str]]:
    """Every checked claim's card in ``lang`` with its page, for claims whose embed id is a
    valid chart id (a figure id too long for one is left out, never cut)."""
    return [(card, render_claim_page(card, lang, base)) for card in claim_cards(tables, lang)
            if is_chart_id(card.embed_id)]


def claim_files(tables: Tables, base: str, cancelled=None,
                given_up: type[Exception] = RuntimeError) -> dict[str, bytes]:
    """The fact-check card pages of every language, as export files
    (``<lang>/claim-<figure_id>.html``). ``cancelled()``, when given, is asked before each
    language; ``given_up`` is raised once it says True (the export's own exception)."""
    files: dict[str, bytes] = {}
    for lang in LANGS:
        if cancelled is not None and cancelled():
            raise given_up("rendering of the fact-check cards given up")
        for card, page in claim_pages(tables, lang, base):
            files[f"{lang}/{card.embed_id}.html"] = page.encode()
    return files


def claims_index(tables: Tables, base: str) -> str:
    """The embed catalogue's section of fact-check cards: per language, every card with its
    static iframe snippet (a card has no live form), escaped."""
    e = html.escape
    items = []
    for lang in LANGS:
        items.append(f'<h2 lang="{lang}" id="{lang}-claims">'
                     f"{e(t('embed_claims_heading', lang))} ({lang})</h2>")
        for card in claim_cards(tables, lang):
            if not is_chart_id(card.embed_id):
                continue
            title = card.label
            snippet = iframe_snippets_for(card.embed_id, lang, title, base)["static"]
            items.append(
                f'<section lang="{lang}" class="azkz-claims-index" '
                f'id="{lang}-{e(card.embed_id)}">'
                f'<h3><a href="{lang}/{e(card.embed_id)}.html">{e(title)}</a> '
                f"<code>{e(card.embed_id)}</code></h3>"
                f'<div class="azkz-snippet"><h4>{e(t("embed_kind_static", lang))}</h4>'
                f'<textarea readonly rows="4" spellcheck="false">{e(snippet)}</textarea>'
                f'<button type="button" class="azkz-copy">{e(t("embed_copy", lang))}</button>'
                "</div></section>")
    return "\n".join(items)
