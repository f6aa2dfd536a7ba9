"""Sources: each article's metadata and its text with the quoted passages highlighted."""

import html

import streamlit as st

from ui import state
from ui.charts import figure_text, indicator_label, period_text
from ui.citations import highlight_quotes
from ui.components import plain, tables_or_stop
from ui.data import raw_text
from ui.fmt import format_date
from ui.i18n import localized, t

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_sources", lang))
st.caption(t("sources_intro", lang))

src_ids = list(tables.sources.sort_values("published", na_position="last")["source_id"])
titles = dict(zip(tables.sources["source_id"], tables.sources["title"], strict=True))
sid = state.url_widget(st.selectbox, t("source_select", lang), src_ids, "article", src_ids[0],
                      format_func=lambda s: str(titles.get(s, s))[:120])
src = tables.sources.set_index("source_id").loc[sid]


def meta_row(label: str, value: object) -> str:
    return (f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
            f"<td>{html.escape(str(value))}</td></tr>")


published = "—"
if src["published"] is not None and str(src["published"]) != "NaT":
    published = format_date(src["published"], src["published_precision"], lang)
rows = [meta_row(t("meta_outlet", lang), src["outlet"])]
for key, col in (("meta_via", "via"), ("meta_author", "author")):
    if isinstance(src.get(col), str) and src[col]:
        rows.append(meta_row(t(key, lang), src[col]))
rows += [
    meta_row(t("meta_speaker", lang), f"{src['speaker']} — {src['speaker_role']}"),
    meta_row(t("meta_published", lang), published),
    meta_row(t("meta_basis", lang), t(f"basis_{src['published_basis']}", lang)
             if src["published_basis"] in ("stated", "inferred") else src["published_basis"]),
]
for key, col in (("meta_note", "published_note"), ("meta_note", "note")):
    text = localized(src, col, lang)
    if text is not None:
        rows.append(meta_row(t(key, lang), text))
rows.append(meta_row(t("meta_sha256", lang), src["sha256"]))
st.html(f"<h3>{html.escape(str(src['title']))}</h3><table>{''.join(rows)}</table>")
url = src.get("url")
if isinstance(url, str) and url.startswith(("https://", "http://")):
    st.link_button(t("meta_url", lang), url)

figs = tables.figures[(tables.figures["source_id"] == sid) & tables.figures["quote_start"].notna()]
evs = tables.events[tables.events["source_id"] == sid]
st.subheader(t("article_text", lang))
try:
    raw = raw_text(src)
except (OSError, UnicodeDecodeError):
    st.warning(t("article_unavailable", lang, path=str(src["raw_path"])))
else:
    b0, b1 = int(src["body_start"]), int(src["body_end"])
    spans = [(int(r.quote_start) - b0, int(r.quote_end) - b0,
              f"{r.figure_id}: {r.quote_en}") for r in figs.itertuples()]
    spans += [(int(r.quote_start) - b0, int(r.quote_end) - b0, f"{r.event_id}")
              for r in evs.itertuples()]
    body = highlight_quotes(raw[b0:b1], spans)
    st.html(f"<div style='white-space:pre-wrap;line-height:1.6;max-width:60em'>{body}</div>")

st.subheader(t("figures_from_source", lang))
for _, r in tables.figures[tables.figures["source_id"] == sid].iterrows():
    kind = t(f"kind_{r['kind']}", lang)
    st.markdown(f"- **{plain(figure_text(r, lang))}** · "
                f"{plain(indicator_label(tables, r['indicator_id'], lang))} · "
                f"{plain(period_text(r, tables, lang))} · {plain(kind)}  \n"
                f"  «{plain(r['quote'])}» — {plain(r['quote_en'])}")
if not evs.empty:
    st.subheader(t("events_from_source", lang))
    col = "title_az" if lang == "az" else "title_en"
    for _, e in evs.iterrows():
        st.markdown(f"- {plain(format_date(e['date_start'], e['precision'], lang))} · "
                    f"{plain(e[col])}")
