"""The baseline of bench/bench_pages.py: the plain Streamlit app a Streamlit user starts from.

One page, one ``st.line_chart`` over four series × 60 rows, nothing cached, no custom server:

    streamlit run bench/plain_app.py

The numbers are synthetic (a benchmark fixture, never shown to a dashboard reader).
"""

import math

import pandas as pd
import streamlit as st

st.title("Plain app")
rows = 60
st.line_chart(pd.DataFrame(
    {f"series {k}": [math.sin(i / 6 + k) * (k + 1) + 10 for i in range(rows)] for k in range(4)},
    index=pd.RangeIndex(rows, name="row")))
