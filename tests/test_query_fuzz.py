"""Hostile input must never raise or become markup: fuzzed query parameters, and an article
carrying <script> and javascript: links shown on the Sources page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from i18n.text import LANGS, t
from tests.fixtures import tables as fx
from ui.components import page_script
from ui.state import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")

HOSTILE = ["<script>alert(1)</script>", "../../etc/passwd", "javascript:alert(1)", "x" * 5000,
           "\u0000", "%00", "en\nSet-Cookie: a=b", "' OR 1=1 --", "{{7*7}}", "${7*7}",
           "<img src=x onerror=alert(1)>", "en", "az", "dark", "meeting", "trade-turnover",
           "dayaz-qafarov", ""]
KEYS = ["lang", "theme", "ev", "ind", "kind", "src", "article", "page", "chart", "embed",
        "<b>", "lang[]", "../x"]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
params = st.dictionaries(st.sampled_from(KEYS),
                         st.one_of(values, st.lists(values, min_size=1, max_size=4)),
                         max_size=5)


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory) -> Path:
    return fx.write_tables(tmp_path_factory.mktemp("tables"))


def unsafe_html(at: AppTest) -> str:
    """Everything the app sent as raw HTML (st.html, markdown with HTML allowed)."""
    # issue 11: every page runs the frame's own fixed script (page_script), nothing else
    ours = {page_script(lang) for lang in LANGS}
    parts = [h.proto.body for h in at.get("html") if h.proto.body not in ours]
    parts += [m.value for m in at.markdown if m.proto.allow_html]
    return "\n".join(parts)


def expected_lang(value) -> str:
    vals = value if isinstance(value, list) else [value]
    vals = [v for v in vals if v in LANGS]
    return vals[-1] if vals else "az"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=params, page=st.sampled_from([p.path for p in PAGES]))
def test_fuzzed_query_params_fall_back_to_defaults(tables_dir, monkeypatch, query, page):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if page != PAGES[0].path and "chart" not in query:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = unsafe_html(at)
    for value in (query.values()):
        for v in value if isinstance(value, list) else [value]:
            if len(v) > 3 and any(c in v for c in "<>\"'&"):
                assert v not in html, f"query value echoed as markup: {v!r}"
    if "chart" not in query:
        assert not at.error
        lang = expected_lang(query.get("lang"))
        want = {t(p.title_key, lang) for p in PAGES} | {t("app_title", lang)}
        assert at.title[0].value in want


def test_repeated_and_overlong_keys(tables_dir, monkeypatch):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = ["<script>", "en", "x" * 10_000]
    at.query_params["theme"] = ["dark", "dark"]
    at.run()
    assert not at.exception
    assert at.title[0].value == t("app_title", "en")


HOSTILE_ARTICLE = (
    "Hostile title\n"
    "Body starts. <script>alert('xss')</script> Trade reached 5 milyon dollar "
    "<img src=x onerror=alert(2)> [click me](javascript:alert(3)) "
    "<a href=\"javascript:alert(4)\">link</a> :red[directive] $x^2$ end of body.\n"
    "Page chrome after the body.\n"
)


@pytest.fixture
def hostile_dir(tmp_path) -> Path:
    raw = tmp_path / "hostile.txt"
    raw.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    body_start = HOSTILE_ARTICLE.index("Body starts.")
    body_end = HOSTILE_ARTICLE.index("\nPage chrome")
    sources = fx.sources_frame().iloc[:1].copy()
    sources.loc[0, ["source_id", "title", "raw_path", "body_start", "body_end", "url",
                    "speaker"]] = ["evil", "<script>alert('title')</script>", str(raw),
                                   body_start, body_end, "javascript:alert(5)",
                                   "<b>speaker</b>"]
    quote = "<script>alert('xss')</script> Trade reached 5 milyon dollar"
    qs = HOSTILE_ARTICLE.index(quote)
    figures = fx.figures_frame().iloc[:1].copy()
    figures.loc[0, ["figure_id", "source_id", "quote", "quote_start", "quote_end", "quote_en",
                    "note"]] = ["evil-fig", "evil", quote, qs, qs + len(quote),
                                "<img src=x onerror=alert(6)>", "[x](javascript:alert(7))"]
    events = fx.events_frame().iloc[0:0]
    frames = {"sources": sources, "figures": figures, "events": events,
              "mentions": fx.mentions_frame().iloc[0:0]}
    return fx.write_tables(tmp_path / "tables", frames)


# the tags of the project's own HTML elements (the Sources article, the Data page's table, the
# Overview's cards); anything else would have come from the data
SAFE_TAGS = {"h3", "table", "tr", "th", "td", "div", "mark", "style", "ul", "li", "p", "strong"}


class Tags(HTMLParser):
    """Collects the tags and any event-handler or javascript: attributes of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.bad_attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad_attrs.append((name, value))


@pytest.mark.parametrize("page", ["sources", "trade", "data", "overview"])
def test_hostile_article_is_rendered_inert(hostile_dir, monkeypatch, page):
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(hostile_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = unsafe_html(at)
    tags = Tags()
    tags.feed(html)
    assert tags.seen <= SAFE_TAGS, tags.seen - SAFE_TAGS
    assert not tags.bad_attrs, tags.bad_attrs
    if page == "sources":
        assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
        assert "<mark" in html  # the quote is highlighted in place, as escaped text
        assert "Page chrome" not in html  # only the body is shown
        assert not at.get("link_button")  # a javascript: url gets no button
    if page == "overview":  # the card's caveat is the note as text, never a link
        assert "[x](javascript:alert(7))" in html and "<a " not in html
    for md in at.markdown:  # Markdown is escaped: no live links or directives from the data
        assert "](javascript:" not in md.value
        assert ":red[" not in md.value


def test_raw_path_outside_the_repository_is_not_read(tmp_path, monkeypatch):
    tables = fx.write_tables(tmp_path / "deep" / "tables")
    monkeypatch.setenv("AZKZ_TABLES_DIR", str(tables))
    from etl.store import raw_text

    with pytest.raises(OSError, match="outside the repository"):
        raw_text({"raw_path": "/etc/hostname"})
    with pytest.raises(OSError, match="outside the repository"):
        raw_text({"raw_path": "data/../../../etc/hostname"})
    assert raw_text({"raw_path": "data/raw/articles/000_f377d693dae78542.txt"}).strip()


def test_highlight_escapes_then_marks_and_merges_overlaps():
    from charts.citations import highlight_quotes

    text = "x <script>a</script> y & z"
    out = highlight_quotes(text, [(2, 20, "ev"), (10, 11, "fig"), (25, 26, "z"), (5, 99, "bad")])
    assert out.count("<mark") == 2
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'title="ev | fig"' in out
    assert out.endswith('<mark title="z">z</mark>')
