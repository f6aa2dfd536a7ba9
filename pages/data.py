"""Data: every figure in a filterable table; downloads of each table and the zip bundle."""

import streamlit as st

from charts.labels import indicator_label
from etl.schema import FIGURE_KINDS, TABLE_ORDER
from i18n.text import t
from ui import state
from ui.components import figures_view, plain, tables_or_stop
from ui.data import build_id, tables_dir
from ui.downloads import bundle_zip, table_csv, table_parquet

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
                           multi=True, placeholder=t("filter_placeholder", lang))

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
directory = tables_dir()
build = build_id(directory)  # cache key of the downloads, as of the tables above


@st.cache_data(show_spinner=False, max_entries=16)
def _csv(directory: str, name: str, build: str) -> bytes:
    return table_csv(directory, name)


@st.cache_data(show_spinner=False, max_entries=4)
def _bundle(directory: str, build: str) -> bytes:
    return bundle_zip(directory)


cols = st.columns(len(TABLE_ORDER))
for col, name in zip(cols, TABLE_ORDER, strict=True):
    col.download_button(t("download_csv", lang, name=name), _csv(str(directory), name, build),
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                        key=f"csv-{name}")
    col.download_button(t("download_parquet", lang, name=name), table_parquet(directory, name),
                        file_name=f"{name}.parquet", mime="application/vnd.apache.parquet",
                        on_click="ignore", key=f"pq-{name}")
st.download_button(t("download_bundle", lang), _bundle(str(directory), build),
                   file_name="azkz-tables.zip", mime="application/zip", on_click="ignore",
                   key="bundle", type="primary")
st.caption(plain(f"{len(view)} / {len(f)}"))
