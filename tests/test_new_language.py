"""A fourth language is one entry in ``LANGS``, one locale file and the register's columns.

The test builds a throwaway language ``xx`` in a fresh interpreter: ``etl.schema.LANGS`` gets
one more entry before anything else is imported, and ``i18n/locales/xx.yaml`` (in a temporary
folder) is the English file with every reader-facing string marked. Then every surface is
rendered in ``xx`` and must show the marked strings: every chart, its source line and text
alternative, every dashboard page and its language switch, the live embed, the static embed
pages and their index, the server's error pages and the download bundle's README. No code is
touched: a surface that hard-codes its languages or strings fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from i18n.text import LOCALE_DIR, strings
from tests.fixtures.tables import write_tables

ROOT = Path(__file__).resolve().parents[1]
MARK = "ẍẍ"
# Keys that are formatting rules (patterns, rule names), not text: copied unmarked.
RULES = ("fmt_",)

SCRIPT = r"""
import json, sys
from pathlib import Path

import etl.schema as schema
schema.LANGS = (*schema.LANGS, "xx")   # the one entry in the language list
import i18n.text as text
text.LOCALE_DIR = Path(sys.argv[1])    # where xx.yaml lives beside copies of the others

from streamlit.testing.v1 import AppTest

from charts.catalogue import CHARTS
from charts.citations import sources_line
from downloads import bundle as downloads
from etl.store import load_tables
from web import errors
from web.export import build

MARK, tables_dir, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
tables = load_tables(tables_dir)
report = {}

def has(text):
    return MARK in text

report["charts"] = all(
    has(spec.build(tables, "xx").layout.title.text) and has(spec.describe(tables, "xx"))
    for spec in CHARTS.values())
report["source lines"] = all(has(sources_line(spec.rows(tables), tables, "xx"))
                             for spec in CHARTS.values() if len(spec.rows(tables)))

pages = {}
for page in ("overview", "trade", "investment", "transit", "timeline", "sources", "data"):
    at = AppTest.from_file("dashboard.py", default_timeout=60)
    at.query_params["lang"] = "xx"
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.run()
    switch = at.sidebar.get("button_group")
    pages[page] = (not at.exception and has(at.title[0].value)
                   and "xx" in str(switch[0].proto) if switch else False)
report["dashboard pages"] = pages

at = AppTest.from_file("dashboard.py", default_timeout=60)
for key, value in {"lang": "xx", "embed": "true", "chart": "trade-turnover"}.items():
    at.query_params[key] = value
at.run()
report["live embed"] = not at.exception and has(at.markdown[0].value)

build(out, tables_dir, "https://dash.example")
report["static embeds"] = all(has((out / "xx" / f"{c}.html").read_text(encoding="utf-8"))
                              for c in CHARTS)
report["embed index"] = 'lang="xx"' in (out / "index.html").read_text(encoding="utf-8")
report["error pages"] = has(errors.error_page(404, "no_chart").body.decode())
import io, zipfile
bundle = zipfile.ZipFile(io.BytesIO(downloads.bundle_zip(tables_dir)))
report["bundle README"] = has(bundle.read("README.xx.md").decode())
print(json.dumps(report))
"""


def marked_locale(folder: Path) -> None:
    """Copies of every locale file, plus ``xx.yaml``: English with every text marked."""
    for path in LOCALE_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    xx = {k: (v if k.startswith(RULES) else f"{MARK}{v}") for k, v in strings("en").items()}
    xx["lang_xx"] = f"{MARK}xx"
    (folder / "xx.yaml").write_text(yaml.safe_dump(xx, allow_unicode=True), encoding="utf-8")
    for path in folder.glob("*.yaml"):  # every file names every language
        if path.name != "xx.yaml":
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"\nlang_xx: {MARK}xx\n")


def test_every_surface_asks_for_a_new_languages_strings(tmp_path):
    locales = tmp_path / "locales"
    locales.mkdir()
    marked_locale(locales)
    tables = write_tables(tmp_path / "tables")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(locales), MARK, str(tables), str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    missing = {surface: ok for surface, ok in report.items()
               if ok is not True and not (isinstance(ok, dict) and all(ok.values()))}
    assert missing == {}, report
