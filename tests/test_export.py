"""Static embeds (web/export.py): every chart in every language, self-contained and escaped.

The tables are the synthetic fixture tables (tests/fixtures/tables.py), written to a temporary
directory, so these tests do not depend on a build of the real register.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from charts import embed
from charts.catalogue import CHARTS
from charts.citations import sources_line
from charts.labels import period_text
from charts.svg import PICTURES_CSS, figure_pictures
from etl.schema import LANGS
from etl.store import load_tables
from i18n.text import localized, t
from tests.fixtures.tables import ROOT, figures_frame, sources_frame, write_tables
from web import export, headers

BASE = "https://dash.example.org"
URL_RE = re.compile(r"""(?i)(?:https?:)?//[^\s"'<>)\\]+""")
EXTERNAL_RESOURCE_RE = re.compile(
    r"""(?i)<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//""")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    tables_dir = write_tables(tmp / "tables")
    out = tmp / "site"
    manifest = export.build(out, tables_dir, base=BASE)
    return out, manifest, load_tables(tables_dir)


def pages(out: Path) -> dict[str, str]:
    return {f"{lang}/{chart}": (out / lang / f"{chart}.html").read_text(encoding="utf-8")
            for lang in LANGS for chart in CHARTS}


def test_every_chart_in_every_language_is_written_and_listed(built):
    out, manifest, _ = built
    assert CHARTS, "the catalogue has no charts"
    index = (out / "index.html").read_text(encoding="utf-8")
    for lang in LANGS:
        for chart in CHARTS:
            name = f"{lang}/{chart}.html"
            assert (out / name).is_file(), name
            assert name in manifest["files"]
            assert f'href="{name}"' in index
            # Both snippets, escaped, are in the index.
            for code in embed.iframe_snippets_for(chart, lang, "x", BASE).values():
                src = re.search(r'src="([^"]+)"', code).group(1)
                assert html.escape(src) in index


def test_each_page_names_its_sources_from_the_tables(built):
    out, _, tables = built
    by_id = tables.sources.set_index("source_id")
    for key, page in pages(out).items():
        lang, chart = key.split("/")
        rows = CHARTS[chart].rows(tables)
        if rows.empty:  # nothing in these tables for this chart: it says so
            assert html.escape(t("no_rows", lang)) in page, key
            continue
        line = sources_line(rows, tables, lang)
        assert line, f"{key}: chart has no sources"
        assert line.startswith((t("source_label", lang), t("sources_label", lang)))
        assert f'<figcaption class="azkz-source">{html.escape(line)}</figcaption>' in page, key
        for source_id in set(rows["source_id"]):
            outlet = localized(by_id.loc[source_id], "outlet", lang)
            assert html.escape(outlet) in page, (key, source_id)


def test_pages_make_no_request_to_any_other_host(built):
    out, _, _ = built
    for key, page in pages(out).items():
        urls = URL_RE.findall(page)
        # The only absolute URL is the link to the configured dashboard.
        assert urls and all(u.startswith(BASE + "/") for u in urls), (key, urls)
        assert not re.search(EXTERNAL_RESOURCE_RE, page), key
        assert "cdn" not in page.lower(), key


def test_plotly_js_is_referenced_once_never_inlined(built):
    out, manifest, _ = built
    asset = manifest["plotly"]
    assert re.fullmatch(r"plotly-[0-9a-f]{12}\.min\.js", asset)
    assert (out / asset).read_bytes() == export.PLOTLY_JS.read_bytes()
    assert [n for n in manifest["files"] if n.startswith("plotly-")] == [asset]
    for key, page in pages(out).items():
        assert page.count("<script src=") == 1, key
        assert page.count(f'<script src="../{asset}" defer></script>') == 1, key
        assert len(page) < 200_000, (key, len(page))
        assert "Plotly.js v" not in page and "plotly.js v" not in page, key


def test_pages_carry_a_table_of_the_numbers_and_a_text_description(built):
    out, _, tables = built
    for key, page in pages(out).items():
        lang, chart = key.split("/")
        rows = CHARTS[chart].rows(tables)
        table = re.search(r'<table class="azkz-numbers">.*?</table>', page, flags=re.S)
        if rows.empty:
            assert not table, key
            continue
        assert table, key
        assert table.group(0).count("<tr>") == len(rows) + 1, key  # header + one per figure
        description = html.escape(CHARTS[chart].describe(tables, lang))
        assert description and description in page, key
        assert 'aria-describedby="azkz-desc"' in page


def test_numbers_are_formatted_for_the_language(built):
    out, _, tables = built
    rows = tables.figures
    fig = rows[rows["figure_id"] == "f-turnover-prev"].iloc[0]
    chart = next(c for c, spec in CHARTS.items()
                 if "f-turnover-prev" in set(spec.rows(tables)["figure_id"]))
    az = (out / "az" / f"{chart}.html").read_text(encoding="utf-8")
    en = (out / "en" / f"{chart}.html").read_text(encoding="utf-8")
    ru = (out / "ru" / f"{chart}.html").read_text(encoding="utf-8")
    assert fig["value"] == 598.47e6
    assert "598,47 mln $" in az
    assert "$598.47M" in en
    assert "598,47 млн $" in ru


def test_output_is_deterministic(built, tmp_path):
    out, manifest, _ = built
    tables_dir = out.parent / "tables"
    again = export.build(tmp_path / "again", tables_dir, base=BASE)
    # (the fingerprint also covers ui/ code, which other work may touch meanwhile)
    assert again["files"] == manifest["files"]
    for name in manifest["files"]:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_hostile_strings_are_escaped_everywhere(tmp_path):
    hostile = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
    sources = sources_frame()
    sources["outlet"] = sources["outlet"] + " " + hostile
    sources["speaker"] = hostile
    figures = figures_frame()
    figures["quote"] = figures["quote"] + hostile
    figures["quote_en"] = hostile
    figures["period_label"] = hostile
    tables_dir = write_tables(tmp_path / "tables", {"sources": sources, "figures": figures})
    manifest = export.build(tmp_path / "site", tables_dir, base=BASE)
    for name in manifest["files"]:
        if not name.endswith(".html"):
            continue
        page = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert "<img" not in page, name
        assert 'alert("x")' not in page, name
        # Only our own script elements: the figure JSON, Plotly, the page script (the index:
        # its data, host.js and its script; issue 11: a full-table page has none).
        assert page.count("<script") == (0 if name.endswith("-table.html") else 3), name
    page = (tmp_path / "site" / "az" / f"{sorted(CHARTS)[0]}.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in page


def test_hostile_chart_id_is_refused(tmp_path):
    tables_dir = write_tables(tmp_path / "tables")
    spec = next(iter(CHARTS.values()))
    with pytest.raises(ValueError, match=r"\.\./x"):
        export.build(tmp_path / "site", tables_dir, base=BASE, charts={"../x": spec})
    assert not (tmp_path / "site").exists()


def test_script_json_cannot_close_the_script_element():
    text = export.script_json({"q": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_cli_builds_the_export_and_reports_missing_tables(tmp_path):
    tables_dir = write_tables(tmp_path / "tables")
    done = subprocess.run(
        [sys.executable, "-m", "web.export", "--out", str(tmp_path / "site"),
         "--tables", str(tables_dir), "--base-url", BASE],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(LANGS) * len(CHARTS)} pages" in done.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    failed = subprocess.run(
        [sys.executable, "-m", "web.export", "--out", str(tmp_path / "site2"),
         "--tables", str(tmp_path / "nowhere")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1
    assert "sources.parquet is missing" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "site2").exists()


def test_base_url_and_frame_ancestors_are_checked(monkeypatch):
    monkeypatch.setenv("AZKZ_BASE_URL", "javascript:alert(1)")
    with pytest.raises(ValueError, match="AZKZ_BASE_URL"):
        embed.base_url()
    monkeypatch.setenv("AZKZ_BASE_URL", "https://news.example/dash/")
    assert embed.base_url() == "https://news.example/dash"
    monkeypatch.setenv("AZKZ_FRAME_ANCESTORS", "https://a.example; script-src *")
    with pytest.raises(ValueError, match="AZKZ_FRAME_ANCESTORS"):
        headers.frame_ancestors()
    monkeypatch.setenv("AZKZ_FRAME_ANCESTORS", " https://a.example   'self' ")
    assert headers.frame_ancestors() == "https://a.example 'self'"


def test_derived_rows_show_their_formula_never_a_quote_and_notes_are_shown(tmp_path):
    figures = figures_frame()
    derived = figures[figures["figure_id"] == "f-turnover-h1"].copy()
    derived["figure_id"] = "f-derived-test"
    derived["kind"] = "derived"
    derived["value"] = 236.93e6
    derived["period_label"] = "H1 2024"
    derived["quote"] = "NOT-A-QUOTE-OF-THE-DERIVED-ROW"
    derived["quote_en"] = "NOT-A-QUOTE-OF-THE-DERIVED-ROW"
    derived["formula"] = "f-turnover-h1 / 1.4"
    derived["inputs"] = "f-turnover-h1"
    tables_dir = write_tables(tmp_path / "tables",
                              {"figures": pd.concat([figures, derived], ignore_index=True)})
    tables = load_tables(tables_dir)
    export.build(tmp_path / "site", tables_dir, base=BASE)
    charts = [c for c, s in CHARTS.items()
              if "f-derived-test" in set(s.rows(tables).get("figure_id", []))]
    assert charts, "no chart shows the derived turnover row"
    for chart in charts:
        for lang in LANGS:
            page = (tmp_path / "site" / lang / f"{chart}.html").read_text(encoding="utf-8")
            table = re.search(r'<table class="azkz-numbers">.*?</table>', page, re.S).group(0)
            # issue 11: the formula reads in words, its input id shown as the input's value
            row = next(r for r in table.split("<tr>") if "÷ 1.4" in r)
            assert "f-turnover-h1" not in row
            assert "NOT-A-QUOTE" not in row
            assert t("derived_label", lang) in row and t("formula_label", lang) in row
    prev = figures.set_index("figure_id").loc["f-turnover-prev"]
    for lang, shown, hidden in (("az", prev["note_az"], prev["note"]),
                                ("en", prev["note"], prev["note_az"]),
                                ("ru", prev["note_ru"], prev["note"])):
        page = (tmp_path / "site" / lang / f"{charts[0]}.html").read_text(encoding="utf-8")
        assert html.escape(shown) in page, f"{lang} embed lacks its caveat"
        assert html.escape(hidden) not in page, f"{lang} embed shows the other language's caveat"


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "en"])
def test_numbers_tables_give_periods_in_the_page_language(built, lang):
    out, _, tables = built
    english = {r["period_label"] for _, r in tables.figures.iterrows()
               if r["period_label"] not in period_text(r, tables, lang)}
    assert "H1 2025" in english
    h1 = tables.figures[tables.figures["figure_id"] == "f-turnover-h1"].iloc[0]
    for chart, spec in CHARTS.items():
        if "figure_id" not in spec.rows(tables).columns or spec.rows(tables).empty:
            continue
        page = (out / lang / f"{chart}.html").read_text(encoding="utf-8")
        table = page[page.index('<table class="azkz-numbers">'):page.index("</table>")]
        assert not [label for label in english if html.escape(label) in table], chart
        if "f-turnover-h1" in set(spec.rows(tables)["figure_id"]):
            assert html.escape(period_text(h1, tables, lang)) in table
            en = (out / "en" / f"{chart}.html").read_text(encoding="utf-8")
            assert "H1 2025" in en


def test_chart_box_holds_the_picture_of_the_chart_in_both_themes(built):
    """Issue 13: the chart shows at first paint, before Plotly.js has loaded (and without
    JavaScript): the chart box holds the figure drawn as inline SVG (charts.svg), one picture
    per theme, marked aria-hidden (the box has role=img and the text alternative); the page
    still loads the partial bundle, once, deferred."""
    out, manifest, tables = built
    for key, page in pages(out).items():
        lang, chart = key.split("/")
        box = re.search(r'<div class="azkz-chart" id="azkz-chart" role="img"[^>]*>(.*?)'
                        r'</div>\n<div class="azkz-point"', page, flags=re.S)
        assert box, key
        assert " hidden" not in box.group(0).split(">", 1)[0], key  # shown from the start
        assert "<noscript>" not in page, key  # nothing hides the box without JavaScript
        for theme in ("light", "dark"):
            fig = embed.embed_figure(CHARTS[chart].build(tables, lang, theme))
            # the picture laid out for a phone and for a wide box (the box's width picks)
            pics = figure_pictures(fig, lang=lang)
            assert f'<div class="azkz-pic azkz-pic-{theme}">{pics}</div>' in box.group(1), \
                (key, theme)
            for svg in re.findall(r"<svg[^>]*>", pics):
                assert 'aria-hidden="true"' in svg
        assert PICTURES_CSS in page
        assert page.count(f'<script src="../{manifest["plotly"]}" defer></script>') == 1, key
        assert manifest["plotly"] != "plotly.min.js"
