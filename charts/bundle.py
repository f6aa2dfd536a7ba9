"""The partial Plotly.js bundle every chart is drawn with in a browser: the static embeds and
the dashboard's chart component load the same content-hashed file.

The charts draw scatter and bar traces only, so the basic bundle (``plotly.js-basic-dist-min``)
of the same plotly.js version as the Python package is enough; it is a quarter of the full one.
It is vendored in ``charts/vendor/plotly-basic/`` with its version, checksum and licence, so that
``python3 tasks.py run`` needs nothing but Python (tests/test_delivery.py keeps it in step).
The server publishes it under ``/embed/`` with a year-long cache: its name changes with its bytes.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

PLOTLY_JS = Path(__file__).resolve().parent / "vendor" / "plotly-basic" / "plotly-basic.min.js"
# Where the server (web/server.py) publishes the embed files, the bundle among them.
EMBED_PATH = "/embed/"
# Set by the project's server (web/app.py) to the bundle's path when it serves it: the dashboard
# then draws with it (ui/plot.py). Unset under a bare ``streamlit run dashboard.py``, which
# serves no such file; the dashboard then falls back to ``st.plotly_chart``.
SERVED_ENV = "AZKZ_PLOTLY_PATH"


def plotly_asset(js: bytes) -> str:
    """Content-hashed file name for Plotly.js, e.g. ``plotly-0123456789ab.min.js``."""
    return f"plotly-{hashlib.sha256(js).hexdigest()[:12]}.min.js"


@cache
def plotly_name() -> str:
    """The content-hashed name of the vendored bundle (read once per process)."""
    return plotly_asset(PLOTLY_JS.read_bytes())


def served_path() -> str | None:
    """The bundle's path when this process's server publishes it (``SERVED_ENV``), else None."""
    return os.environ.get(SERVED_ENV) or None


def plotly_path() -> str:
    """The bundle's path on this project's server, e.g. ``/embed/plotly-0123456789ab.min.js``."""
    return EMBED_PATH + plotly_name()
