"""Raw article text: loading with clear errors, body bounds, verbatim quote lookup.

Offsets everywhere are Python ``str`` indices into the UTF-8-decoded raw file (CONTRACT.md). The
raw files are never edited; page chrome around the article is excluded by the body bounds, which
the register gives as verbatim start and end markers.

Example:
    >>> text = 'date 2025 "Body one. Body two." Read more'
    >>> find_body(text, '"Body', 'two."')
    (10, 31)
    >>> locate_quote(text, 10, 31, "Body two")
    (21, 29)
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from etl.errors import brief

# News articles are a few kilobytes; anything this large is a wrong file, not an article.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


class ArticleError(ValueError):
    """An article or a lookup inside it is unusable; the message says why and where."""


@dataclass(frozen=True)
class Article:
    """A decoded raw article and the digest of its bytes."""

    path: str  # as written in the register (relative to the project root)
    text: str
    sha256: str
    n_bytes: int


def read_limited(path: Path, name: str, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of ``path``, refused with :class:`ArticleError` beyond ``max_bytes``.

    At most ``max_bytes + 1`` bytes are ever read, so a device (``/dev/zero``), a pipe or a file
    that grows while it is read cannot exhaust memory. ``OSError`` passes through.
    """
    too_big = (f"article file {name} is larger than {max_bytes / 1e6:.1f} MB; articles are "
               f"limited to {max_bytes / 1e6:.1f} MB (MAX_ARTICLE_BYTES) — is this the right "
               "file?")
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise ArticleError(too_big.replace(f"larger than {max_bytes / 1e6:.1f} MB",
                                               f"{size / 1e6:.1f} MB"))
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArticleError(too_big)
    return data


def load_article(path: Path, display: str | None = None,
                 max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Read ``path`` as UTF-8 text; raise :class:`ArticleError` for anything that is not an article.

    Rejects a missing file, an empty or blank file, a file over ``max_bytes`` (checked before
    reading), a binary file (NUL bytes) and bytes that are not UTF-8 (naming the byte offset).
    """
    name = display or str(path)
    if not path.exists():
        raise ArticleError(f"article file {name} does not exist")
    if not path.is_file():
        raise ArticleError(f"article path {name} is not a regular file")
    data = read_limited(path, name, max_bytes)
    size = len(data)
    if not data.strip():
        raise ArticleError(f"article file {name} is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(
            f"article file {name} contains a NUL byte at byte offset {nul}: a binary file, "
            "not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArticleError(
            f"article file {name} is not valid UTF-8: byte 0x{data[exc.start]:02x} at byte "
            f"offset {exc.start} (line {line}) ({exc.reason})") from None
    return Article(name, text, hashlib.sha256(data).hexdigest(), size)


def find_all(text: str, needle: str, start: int = 0, end: int | None = None) -> list[int]:
    """Every start index of ``needle`` in ``text[start:end]`` (overlapping matches included)."""
    end = len(text) if end is None else end
    hits, i = [], text.find(needle, start, end)
    while i >= 0:
        hits.append(i)
        i = text.find(needle, i + 1, end)
    return hits


def find_body(text: str, starts_with: str, ends_with: str) -> tuple[int, int]:
    """Offsets ``(body_start, body_end)`` of the body framed by two verbatim markers.

    ``starts_with`` must occur exactly once; ``ends_with`` exactly once after it. ``body_end``
    is the offset just past the end marker.
    """
    if not starts_with or not ends_with:
        raise ArticleError("body markers must not be empty")
    starts = find_all(text, starts_with)
    if not starts:
        raise ArticleError(f"body_starts_with {brief(starts_with)} not found in the article"
                           + _near_miss(text, starts_with))
    if len(starts) > 1:
        raise ArticleError(f"body_starts_with {brief(starts_with)} occurs {len(starts)} times "
                           f"(offsets {starts[:5]}); make it longer so it is unique")
    begin = starts[0]
    ends = find_all(text, ends_with, begin)
    if not ends:
        raise ArticleError(f"body_ends_with {brief(ends_with)} not found after the body start "
                           f"(offset {begin})" + _near_miss(text, ends_with))
    if len(ends) > 1:
        raise ArticleError(f"body_ends_with {brief(ends_with)} occurs {len(ends)} times after the "
                           f"body start (offsets {ends[:5]}); make it longer so it is unique")
    return begin, ends[0] + len(ends_with)


def locate_quote(text: str, body_start: int, body_end: int, quote: str,
                 occurrence: int | None = None) -> tuple[int, int]:
    """Offsets ``(start, end)`` of ``quote`` inside the body, so ``text[start:end] == quote``.

    A quote that occurs more than once in the body needs ``occurrence`` (1-based). A quote that
    is only found across the body boundary or outside it (page chrome) is an error.
    """
    if not quote:
        raise ArticleError("quote is empty")
    inside = [i for i in find_all(text, quote, body_start, body_end)]
    if occurrence is not None:
        if occurrence < 1 or occurrence > len(inside):
            raise ArticleError(
                f"occurrence {occurrence} requested but the quote occurs {len(inside)} "
                "time(s) inside the body")
        s = inside[occurrence - 1]
        return s, s + len(quote)
    if len(inside) == 1:
        return inside[0], inside[0] + len(quote)
    if len(inside) > 1:
        raise ArticleError(
            f"quote occurs {len(inside)} times inside the body (offsets {inside[:5]}); "
            "set 'occurrence' to pick one or lengthen the quote")
    anywhere = find_all(text, quote)
    crossing = [i for i in anywhere if i < body_end and i + len(quote) > body_start]
    if crossing:
        i = crossing[0]
        raise ArticleError(
            f"quote at offsets {i}..{i + len(quote)} crosses the body boundary "
            f"(body is {body_start}..{body_end}): text outside the body is page chrome")
    if anywhere:
        raise ArticleError(
            f"quote found only outside the article body (offset {anywhere[0]}; body is "
            f"{body_start}..{body_end}): page chrome is not article text")
    raise ArticleError("quote not found verbatim in the article" + _near_miss(text, quote))


def context(text: str, start: int, end: int, words: int = 4) -> str:
    """A few words either side of ``text[start:end]``, on one line, for error messages."""
    left = " ".join(text[max(0, start - 120):start].split()[-words:])
    right = " ".join(text[end:end + 120].split()[:words])
    return f"…{left} [{text[start:end]}] {right}…"


def _fold(s: str) -> tuple[str, list[int]]:
    """``s`` with whitespace runs collapsed and NFC-normalised, plus a map to original offsets."""
    out, where, prev_space = [], [], False
    for i, ch in enumerate(s):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(unicodedata.normalize("NFC", ch))
            prev_space = False
        where.append(i)
    return "".join(out), where


def _near_miss(text: str, needle: str) -> str:
    """A hint when ``needle`` differs from the text only in whitespace or quotes/dashes."""
    folded_text, where = _fold(text)
    folded_needle, _ = _fold(needle)
    i = folded_text.find(folded_needle)
    if i >= 0:
        s = where[i]
        e = where[i + len(folded_needle) - 1] + 1
        odd = sorted({f"U+{ord(c):04X} {unicodedata.name(c, '?')}"
                      for c in text[s:e] if c.isspace() and c != " "})
        extra = f" (the article has {', '.join(odd)})" if odd else ""
        return (f"; it matches at offsets {s}..{e} if whitespace is ignored{extra}: copy the "
                f"text verbatim: {text[s:e]!r}")
    # The longest prefix of the needle that does occur tells the author where it diverges.
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if needle[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 8:
        at = text.find(needle[:lo])
        return (f"; the first {lo} characters match at offset {at}, then the article has "
                f"{text[at + lo:at + lo + 20]!r} where the quote has {needle[lo:lo + 20]!r}")
    return ""
