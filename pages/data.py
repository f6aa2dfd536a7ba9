"""Data: every figure in a filterable table; downloads of each table and the zip bundle."""

import streamlit as st

from charts.citations import source_key
from charts.labels import indicator_label
from downloads.bundle import BUNDLE
from etl.schema import FIGURE_KINDS, TABLE_ORDER
from etl.store import TablesUnavailable
from i18n.text import t
from ui import state
from ui.components import figures_table, plain, tables_or_stop
from ui.data import cached_downloads
from ui.figures import per_build

state.enter_frame()

lang = state.current_lang()
tables = tables_or_stop(lang)
st.title(t("page_data", lang))
st.caption(t("data_intro", lang))

f = tables.figures
indicators = list(dict.fromkeys(f["indicator_id"]))
kinds = [k for k in FIGURE_KINDS if k in set(f["kind"])]
sources = list(tables.sources["source_id"])
c1, c2, c3 = st.columns(3)
sel_ind = state.url_widget(c1.multiselect, t("filter_indicator", lang), indicators, "ind", [],
                           multi=True, format_func=lambda i: indicator_label(tables, i, lang),
                           placeholder=t("filter_placeholder", lang))
sel_kind = state.url_widget(c2.multiselect, t("filter_kind", lang), kinds, "kind", [],
                            multi=True, format_func=lambda k: t(f"kind_{k}", lang),
                            placeholder=t("filter_placeholder", lang))
sel_src = state.url_widget(c3.multiselect, t("filter_source", lang), sources, "src", [],
                           multi=True, placeholder=t("filter_placeholder", lang),
                           format_func=lambda s: source_key(tables.sources_by_id[s], lang))

# the table once per build, language and filter (ui.figures.per_build); drawn on every run
shown = per_build(figures_table, tables, lang, ",".join(sel_ind), ",".join(sel_kind),
                  ",".join(sel_src))
st.dataframe(shown, hide_index=True, width="stretch")

st.header(t("downloads_heading", lang))
try:
    files = cached_downloads()
except TablesUnavailable:  # the tables broke after the page read them: no mixed download
    st.warning(t("tables_missing_title", lang))
    st.stop()
cols = st.columns(len(TABLE_ORDER))
for col, name in zip(cols, TABLE_ORDER, strict=True):
    col.download_button(t("download_csv", lang, name=name), files.get(f"{name}.csv").body,
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                        key=f"csv-{name}")
    col.download_button(t("download_parquet", lang, name=name),
                        files.get(f"{name}.parquet").body, file_name=f"{name}.parquet",
                        mime="application/vnd.apache.parquet", on_click="ignore",
                        key=f"pq-{name}")
st.download_button(t("download_bundle", lang), files.get(BUNDLE).body,
                   file_name="azkz-tables.zip", mime="application/zip", on_click="ignore",
                   key="bundle", type="primary")
st.caption(plain(f"{len(shown)} / {len(f)}"))
