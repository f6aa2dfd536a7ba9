"""Data: every figure in a filterable table; downloads of each table and the zip bundle."""

import streamlit as st

from charts.citations import source_key
from charts.labels import indicator_label
from downloads.bundle import BUNDLE
from etl.schema import FIGURE_KINDS, TABLE_ORDER
from etl.store import TablesUnavailable
from i18n.text import t
from ui import state
from ui.components import figures_view, plain, tables_or_stop
from ui.data import cached_downloads

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

view = f
if sel_ind:
    view = view[view["indicator_id"].isin(sel_ind)]
if sel_kind:
    view = view[view["kind"].isin(sel_kind)]
if sel_src:
    view = view[view["source_id"].isin(sel_src)]

shown = figures_view(view, tables, lang)
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
st.caption(plain(f"{len(view)} / {len(f)}"))
