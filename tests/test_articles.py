"""Raw article loading, body bounds and verbatim quote lookup (etl/articles.py)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.articles import (
    ArticleError,
    context,
    find_all,
    find_body,
    load_article,
    locate_quote,
)

TEXT = (' date 2025-10-21 “Head” - X\n"Body starts 3,5 milyon ton. Again 3,5 milyon ton." End.'
        "\nChrome 12")


def test_load_article_decodes_and_hashes(tmp_path):
    data = "Ölkələr 598,47 milyon dollar\u00a0təşkil edib".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    art = load_article(path, "data/raw/articles/a.txt")
    assert art.text == data.decode("utf-8")
    assert art.sha256 == hashlib.sha256(data).hexdigest()
    assert art.path == "data/raw/articles/a.txt"
    assert art.n_bytes == len(data)


@pytest.mark.parametrize(("content", "needle"), [
    (None, "does not exist"),
    (b"", "is empty"),
    (b"  \n\t ", "is empty"),
    (b"abc\x00def", "NUL byte at byte offset 3"),
    ("Azərbaycan".encode() + b"\xc3(", "byte 0xc3 at byte offset 11 (line 1)"),
    (b"line one\nline two \xff", "byte offset 18 (line 2)"),
])
def test_load_article_rejects_bad_files(tmp_path, content, needle):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ArticleError) as exc:
        load_article(path, "x/bad.txt")
    assert needle in str(exc.value)
    assert "x/bad.txt" in str(exc.value)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(ArticleError, match="limited to"):
        load_article(path, max_bytes=1000)
    assert load_article(path, max_bytes=2000).n_bytes == 2000


def test_find_body_offsets():
    start, end = find_body(TEXT, '"Body starts', "ton.\" End.")
    assert TEXT[start:].startswith('"Body starts')
    assert TEXT[:end].endswith('ton." End.')


@pytest.mark.parametrize(("start", "end", "needle"), [
    ("Nope", "End.", "body_starts_with 'Nope' not found"),
    ("3,5", "End.", "occurs 2 times"),
    ('"Body', "Chrome 13", "body_ends_with 'Chrome 13' not found after the body start"),
    ('"Body', "ton.", "body_ends_with 'ton.' occurs 2 times"),
])
def test_find_body_errors(start, end, needle):
    with pytest.raises(ArticleError) as exc:
        find_body(TEXT, start, end)
    assert needle in str(exc.value)


def test_locate_quote_and_occurrence():
    bs, be = find_body(TEXT, '"Body', "End.")
    with pytest.raises(ArticleError, match="occurs 2 times inside the body"):
        locate_quote(TEXT, bs, be, "3,5 milyon ton")
    s1, e1 = locate_quote(TEXT, bs, be, "3,5 milyon ton", occurrence=1)
    s2, e2 = locate_quote(TEXT, bs, be, "3,5 milyon ton", occurrence=2)
    assert s1 < s2 and TEXT[s1:e1] == TEXT[s2:e2] == "3,5 milyon ton"
    with pytest.raises(ArticleError, match="occurrence 3 requested"):
        locate_quote(TEXT, bs, be, "3,5 milyon ton", occurrence=3)


def test_locate_quote_outside_and_across_the_body():
    bs, be = find_body(TEXT, '"Body', "End.")
    with pytest.raises(ArticleError, match="found only outside the article body"):
        locate_quote(TEXT, bs, be, "Chrome 12")
    with pytest.raises(ArticleError, match="crosses the body boundary"):
        locate_quote(TEXT, bs, be, "End.\nChrome")


def test_locate_quote_hints_at_no_break_spaces():
    text = "Dövriyyə 598,47\u00a0milyon dollar olub."
    with pytest.raises(ArticleError) as exc:
        locate_quote(text, 0, len(text), "598,47 milyon dollar")
    msg = str(exc.value)
    assert "U+00A0 NO-BREAK SPACE" in msg and "'598,47\\xa0milyon dollar'" in msg


def test_locate_quote_points_at_the_divergence():
    text = "Ticarət dövriyyəsi 400 milyon dollar təşkil edib."
    with pytest.raises(ArticleError) as exc:
        locate_quote(text, 0, len(text), "Ticarət dövriyyəsi 500 milyon dollar")
    assert "first 19 characters match at offset 0" in str(exc.value)


def test_find_all_and_context():
    assert find_all("abab", "ab") == [0, 2]
    assert find_all("aaa", "aa") == [0, 1]
    assert context("one two three four five six", 8, 13, words=1) == "…two [three] four…"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc əğ\u00a0\n3,5", min_size=1, max_size=40), st.data())
def test_locate_quote_offsets_are_verbatim(body, data):
    """Whatever the text, a located quote sits at offsets that slice back to the quote."""
    text = "HEAD\n" + body + "\nTAIL"
    bs, be = 5, 5 + len(body)
    i = data.draw(st.integers(0, len(body) - 1))
    j = data.draw(st.integers(i + 1, len(body)))
    quote = body[i:j]
    n = len(find_all(text, quote, bs, be))
    occurrence = data.draw(st.integers(1, n)) if n > 1 else None
    s, e = locate_quote(text, bs, be, quote, occurrence)
    assert text[s:e] == quote and bs <= s and e <= be
