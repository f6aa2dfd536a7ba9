"""Numeric-expression scanner: finds every number an article states and reads it into base units.

``scan(text)`` returns one :class:`Mention` per expression, sorted by ``start`` and never
overlapping, with ``text == source[start:end]``. It reads Azerbaijani first, also Russian and
English: decimal commas and points, space / no-break-space / comma thousands, scale words
("milyon", "млн", "billion"), compounds ("4 milyon 625 min"), ranges ("6-6,5 milyon",
"от 5 до 7 млн"), word numerals ("otuz ildən artıq"), Azerbaijani suffixes ("250-dən",
"tonu", "2024-cü"), units, qualifiers, rates ("ildə 1,5 milyon ton"), years, dates and times.
The words it knows are data in :mod:`etl.lexicon`.

How it works: one linear regex splits the text into digit runs, letter runs and single
symbols; a hand-written reader walks the tokens left to right with bounded look-ahead and
look-behind. No regular expression is applied to unbounded text with nested repetition, so
the work is linear in the input (no catastrophic backtracking) and the reader cannot raise on
any ``str``.

Conventions:
  * A mention's span covers the qualifier words that belong to it ("təxminən 155 min nəfər",
    "250-dən artıq", "3,5 milyon tonu keçmişdir") and a rate written before or after it
    ("ildə 1,5 milyon ton", "10 million tonnes a year"); the Russian "в" of "в 5 раз" is not
    included.
  * Years: kind "year", value the year, unit None; the span includes the word "il"/"году"
    that follows ("2024-cü ildə", "2022-2027-ci illər"). "2029-cu ilədək" has qualifier up_to.
  * Dates: kind "date", value None, ``date`` an ISO date ("2004-03-01"), "YYYY-MM", an ISO
    interval of months ("2025-01/2025-07"), or None when no year is written ("20 Yanvar").
    Times ("15:59") are kind "time" with value None.
  * Ordinals that are not years ("20-ci iclas", "36 cı ildönümü") are kind "quantity" with
    unit None: a rank, not a count.
  * Bare integers that count the noun after them ("182 kommersiya qurumu", "150-yə yaxın
    sənəd") get unit "count"; other bare numbers get unit None.
  * Durations: years and months become unit "years" ("1 il 6 ay" = 1.5); days, weeks, hours
    and minutes have no CONTRACT unit and are reported with unit None.
  * "dəfə" / "раз" / "times" is unit "times" (a growth multiple) when a growth word is near,
    "в" precedes, or the value is not whole; otherwise unit "count" ("dörd dəfə səfər etmiş").
  * Separators: "598,47" is a decimal comma; a comma before exactly three digits is a
    thousands separator only in English text ("200,000 tons") or in a chain ("1,234,567").
    Likewise "min" is a thousand in Azerbaijani text and a minute in English text. The
    language of the text around the number decides (Cyrillic, Azerbaijani letters, or ASCII).
  * Four bare digits in 1800-2100 are a year unless a unit, scale or quantity qualifier goes
    with them ("2000 nəfər", "2000-dən artıq" are quantities; "2024-dən bəri" is a year).
  * Not reported: digits glued to letters ("see266", "COVID-19"), digit strings longer than
    30 digits, word numerals not followed by a unit, scale, multiple or time word.
  * A minus sign right before the digits makes the value negative ("-50 milyon dollar").

Example:
    >>> [(m.text, m.value, m.unit, m.qualifier) for m in scan("təxminən 155 min nəfər")]
    [('təxminən 155 min nəfər', 155000.0, 'persons', 'approx')]
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from etl import lexicon as lx
from etl.articles import ArticleError, read_limited


@dataclass(frozen=True)
class Mention:
    """One numeric expression: offsets in ``str`` characters and its reading in base units."""

    start: int
    end: int
    text: str
    value: float | None
    value_high: float | None
    unit: str | None
    qualifier: str
    per: str | None
    kind: str  # quantity | year | date | time
    date: str | None = None


# --- tables in token form -------------------------------------------------------------------

_Entry = tuple[object, frozenset[str]]  # (value, languages that spell it)


def _phrase_table(by_lang: Mapping[str, Mapping[str, object]]) -> dict[tuple[str, ...], _Entry]:
    """``{"az": {"abş dollar": "USD"}}`` -> ``{("abş", "dollar"): ("USD", {"az"})}``."""
    out: dict[tuple[str, ...], _Entry] = {}
    for lang, table in by_lang.items():
        for phrase, value in table.items():
            key = tuple(phrase.split(" "))
            old = out.get(key)
            out[key] = (value, (old[1] if old else frozenset()) | {lang})
    return out


_SCALES = _phrase_table(lx.SCALES)
_UNITS = _phrase_table(lx.UNITS)
_TIMES = _phrase_table(lx.TIME_UNITS)
_Q_BEFORE = _phrase_table(lx.QUALIFIERS_BEFORE)
_Q_AFTER = _phrase_table(lx.QUALIFIERS_AFTER)
_PER_BEFORE = _phrase_table(lx.PER_BEFORE)
_PER_AFTER = _phrase_table(lx.PER_AFTER)
_MONTHS = _phrase_table(lx.MONTHS)
_YEAR_WORDS = _phrase_table({lang: {w: True for w in ws} for lang, ws in lx.YEAR_WORDS.items()})
_HALF = _phrase_table({"any": {w: True for w in lx.HALF_WORDS}})
_MONTH_WORDS = _phrase_table({"az": {w: True for w in lx.MONTH_WORDS}})
_NUMERALS: dict[str, tuple[Decimal, str]] = {}
for _lang, _table in lx.NUMERALS.items():
    for _w, _v in _table.items():
        _NUMERALS.setdefault(_w, (Decimal(str(_v)), _lang))
        # upper-case "ALTI", "QIRX" lower-case to "alti", "qirx" (Python maps I to i, not ı)
        _NUMERALS.setdefault(_w.replace("ı", "i"), (Decimal(str(_v)), _lang))
_MONTH_NAMES = {w for table in lx.MONTHS.values() for w in table}
# Growth stems also in their upper-case-folded spelling ("ARTIB" lower-cases to "artib").
_GROWTH = tuple(sorted({w for s in lx.GROWTH_STEMS for w in (s, s.replace("ı", "i"))}))
_GROWTH_NOT = tuple(sorted({w for s in lx.GROWTH_NOT for w in (s, s.replace("ı", "i"))}))
_RANGE_OPEN = {"от": "до", "from": "to", "between": "and"}
_DASHES = frozenset("-–—−")
_MINUS = frozenset("-−")
_JOINERS = frozenset("-'’ʼ")
_SENTENCE_END = frozenset(".!?;\n")
_THIN_SPACES = frozenset(" \u00a0\u202f\u2009")
_EN_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_AZ_LETTERS = frozenset("əƏıİğĞşŞçÇöÖüÜ")
# Zero-width spaces and word joiners separate tokens like spaces do (web copy is full of them).
_TOKEN_RE = re.compile(r"(?P<n>[0-9]+)|(?P<w>[^\W\d_]+)|(?P<s>[^\s\u200b\u2060\ufeff])")
_BREAK_RE = re.compile("[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_MAX_WORDS = 8  # longest word-numeral run read ("iki yüz əlli min ...")
_MAX_STEMMED = 40  # longer words are no stem plus suffix of any table
_MAX_DIGITS = 30  # longer digit strings are identifiers, not figures
_MAX_LOOK = 40  # tokens looked at around a multiple for growth words


def _norm(word: str) -> str:
    """Lower-case for matching; Azerbaijani dotted capital İ folds to i (not i + U+0307)."""
    return word.replace("İ", "i").lower()


class _Tok:
    __slots__ = ("end", "kind", "norm", "sep", "start", "text")

    def __init__(self, kind: str, start: int, end: int, text: str, sep: int):
        self.kind, self.start, self.end, self.text = kind, start, end, text
        self.norm = _norm(text) if kind == "w" else text
        self.sep = sep  # 0 glued to the previous token, 1 inline space, 2 line break or first


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev = 0
    for m in _TOKEN_RE.finditer(text):
        s = m.start()
        if not toks:
            sep = 2
        elif s == prev:
            sep = 0
        elif s == prev + 1 and text[prev] == " ":
            sep = 1  # the common case, decided without searching the gap
        else:
            sep = 2 if _BREAK_RE.search(text, prev, s) else 1
        toks.append(_Tok(m.lastgroup or "s", s, m.end(), m.group(), sep))
        prev = m.end()
    return toks


@dataclass
class _Head:
    """The number itself: digits or numeral words, suffix and scale, before any unit."""

    start: int  # token index
    end: int  # token index, exclusive
    value: Decimal
    plain: str | None  # the digits, when a plain integer without separators or scale
    suffix: str = ""
    ordinal: bool = False
    scale: int | None = None
    lang: str | None = None  # set for word numerals


@dataclass
class _Prefix:
    start: int
    number: int = -1  # token index of the number itself
    negative: bool = False
    qualifier: str | None = None
    per: str | None = None
    range_to: str | None = None
    unit: str | None = None
    mult: bool = False


@dataclass
class _Hit:
    value: object
    langs: frozenset[str]
    end: int
    suffix: str


def _dec(x: Decimal | None) -> float | None:
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.n = len(self.toks)
        self.floor = 0  # no look-behind before this token (the previous mention's end)

    # --- small helpers ----------------------------------------------------------------------

    def tok(self, j: int) -> _Tok | None:
        return self.toks[j] if 0 <= j < self.n else None

    def inline(self, j: int) -> bool:
        """Token j exists and follows its predecessor on the same line."""
        t = self.tok(j)
        return t is not None and t.sep < 2

    def glued(self, j: int) -> bool:
        t = self.tok(j)
        return t is not None and t.sep == 0

    def lang_at(self, pos: int) -> str:
        """Language of the text around a character offset: az, ru or en."""
        window = self.text[max(0, pos - 60):pos + 60]
        cyr = sum(1 for c in window if "\u0400" <= c <= "\u04ff")
        lat = sum(1 for c in window if c.isascii() and c.isalpha())
        if cyr > lat:
            return "ru"
        if any(c in _AZ_LETTERS for c in window):
            return "az"
        return "en" if lat else "az"

    def match(self, j: int, table: dict[tuple[str, ...], _Entry], maxlen: int = 3,
              lang: str | None = None, follows: bool = True) -> _Hit | None:
        """Longest phrase of ``table`` starting at token j (Azerbaijani entries take suffixes).

        With ``lang`` only entries of that language (or symbols) match: a word numeral takes
        units of its own language ("on il" is ten years; English "on" is no numeral). With
        ``follows`` the phrase must continue the line of the token before it.
        """
        if j >= self.n or (follows and not self.inline(j)):
            return None
        for length in range(min(maxlen, self.n - j), 0, -1):
            if any(self.toks[k].sep == 2 for k in range(j + 1, j + length)):
                continue
            key = tuple(t.norm for t in self.toks[j:j + length])
            hit = table.get(key)
            if hit and (lang is None or lang in hit[1] or "sym" in hit[1] or "any" in hit[1]):
                end, suffix = self.joined_suffix(j + length)
                return _Hit(hit[0], hit[1], end, suffix)
            last = key[-1]
            if self.toks[j + length - 1].kind != "w" or len(last) > _MAX_STEMMED:
                continue
            for k in range(len(last) - 1, max(0, len(last) - lx.MAX_SUFFIX - 1), -1):
                hit = table.get((*key[:-1], last[:k]))
                if (hit and "az" in hit[1] and (lang is None or lang == "az")
                        and lx.AZ_SUFFIX_RE.fullmatch(last[k:])):
                    end, suffix = self.joined_suffix(j + length, last[k:])
                    return _Hit(hit[0], hit[1], end, suffix)
        return None

    def joined_suffix(self, j: int, suffix: str = "") -> tuple[int, str]:
        """A suffix joined by hyphen or apostrophe after a unit ("km-lik", "40%-ə")."""
        t, w = self.tok(j), self.tok(j + 1)
        if (t is not None and w is not None and t.kind == "s" and t.text in _JOINERS
                and t.sep == 0 and w.kind == "w" and w.sep == 0
                and len(w.norm) <= lx.MAX_SUFFIX and lx.AZ_SUFFIX_RE.fullmatch(w.norm)
                and not self.glued(j + 2)):
            return j + 2, w.norm
        return j, suffix

    def match_before(self, i: int, table: dict[tuple[str, ...], _Entry],
                     maxlen: int = 3) -> tuple[object, int] | None:
        """Phrase of ``table`` ending just before token i, not reaching behind ``floor``."""
        if not self.inline(i):
            return None
        for length in range(maxlen, 0, -1):
            a = i - length
            if a < self.floor or any(self.toks[k].sep == 2 for k in range(a + 1, i)):
                continue
            hit = table.get(tuple(t.norm for t in self.toks[a:i]))
            if hit:
                return hit[0], a
        return None

    def mention(self, a: int, b: int, value: Decimal | None, high: Decimal | None,
                unit: str | None, qualifier: str, per: str | None, kind: str,
                date: str | None = None) -> Mention:
        s, e = self.toks[a].start, self.toks[b - 1].end
        return Mention(s, e, self.text[s:e], _dec(value), _dec(high), unit, qualifier, per,
                       kind, date)

    # --- the walk ---------------------------------------------------------------------------

    def run(self) -> list[Mention]:
        out: list[Mention] = []
        i = 0
        while i < self.n:
            t = self.toks[i]
            found: tuple[Mention | None, int] | None = None
            if t.kind == "n":
                prev = self.tok(i - 1)
                if t.sep == 0 and prev is not None and (
                        prev.kind == "w" or (prev.text in _DASHES and prev.sep == 0
                                             and (self.tok(i - 2) or prev).kind == "w")):
                    # digits inside an identifier ("see266", "COVID-19"): not a quantity
                    j = i + 1
                    while j < self.n and self.toks[j].sep == 0 and self.toks[j].kind != "s":
                        j += 1
                    found = (None, j)
                else:
                    found = self.at_number(i)
            elif t.kind == "w" and (t.norm in _NUMERALS or t.norm in _MONTH_NAMES
                                    or t.norm in lx.MULTIPLE_WORDS
                                    or t.norm in lx.DURATION_WORDS) \
                    and not (t.sep == 0 and (self.tok(i - 1) or t).kind == "n"):
                found = self.at_word(i)
            if found is None:
                i += 1
                continue
            m, nxt = found
            if m is not None:
                out.append(m)
                self.floor = nxt
            i = max(nxt, i + 1)
        return out

    def at_number(self, i: int) -> tuple[Mention | None, int]:
        for reader in (self.iso_date, self.dotted_date, self.clock, self.day_month):
            got = reader(i)
            if got is not None:
                return got
        return self.quantity(i, words=False)

    def at_word(self, i: int) -> tuple[Mention | None, int] | None:
        t = self.toks[i]
        if t.norm in _MONTH_NAMES:
            got = self.month_first(i)
            if got is not None:
                return got
        if t.norm in _NUMERALS and not (self.glued(i + 1) and self.toks[i + 1].kind != "s"):
            return self.quantity(i, words=True)
        if t.norm in lx.DURATION_WORDS and not self.glued(i + 1):
            pre = self.prefix(i)
            value = Decimal(str(lx.DURATION_WORDS[t.norm]))
            return (self.mention(pre.start, i + 1, value, None, "years",
                                 pre.qualifier or "exact", None, "quantity"), i + 1)
        if t.norm in lx.MULTIPLE_WORDS and not self.glued(i + 1):
            pre = self.prefix(i)
            value = Decimal(lx.MULTIPLE_WORDS[t.norm])
            return (self.mention(pre.start, i + 1, value, None, "times",
                                 pre.qualifier or "exact", None, "quantity"), i + 1)
        return None

    # --- dates and times --------------------------------------------------------------------

    def _ints(self, i: int, pattern: str) -> list[int] | None:
        """Glued tokens matching pattern like "4-2-2" (digit counts) separated by one symbol."""
        seps = pattern[1::2]
        sizes = pattern[0::2]
        vals = []
        for k, size in enumerate(sizes):
            t = self.tok(i + 2 * k)
            if t is None or t.kind != "n" or (k and t.sep != 0):
                return None
            lo, hi = (int(size), int(size)) if size != "~" else (1, 2)
            if not lo <= len(t.text) <= hi:
                return None
            if k:
                s = self.toks[i + 2 * k - 1]
                if s.sep != 0 or s.text != seps[k - 1]:
                    return None
            vals.append(int(t.text))
        after = self.tok(i + 2 * len(sizes) - 1)
        follow = self.tok(i + 2 * len(sizes))
        if (after is not None and after.sep == 0 and after.text in seps + ",."
                and follow is not None and follow.sep == 0 and follow.kind == "n"):
            return None
        return vals

    @staticmethod
    def _iso(y: int, m: int, d: int) -> str | None:
        try:
            return dt.date(y, m, d).isoformat()
        except ValueError:
            return None

    def iso_date(self, i: int) -> tuple[Mention, int] | None:
        v = self._ints(i, "4-~-~") or self._ints(i, "4/~/~")
        if v and (iso := self._iso(*v)):
            end = i + 5
            t = self.tok(end)
            if t is not None and t.sep == 0 and t.text == "T" and self.glued(end + 1):
                clock = self.clock(end + 1)  # "2025-10-21T19:44": one timestamp
                if clock is not None:
                    end = clock[1]
            return self.mention(i, end, None, None, None, "exact", None, "date", iso), end
        return None

    def dotted_date(self, i: int) -> tuple[Mention, int] | None:
        v = self._ints(i, "~.~.4")
        if v and (iso := self._iso(v[2], v[1], v[0])):
            return self.mention(i, i + 5, None, None, None, "exact", None, "date", iso), i + 5
        return None

    def clock(self, i: int) -> tuple[Mention, int] | None:
        v = self._ints(i, "~:2:2") or self._ints(i, "~:2")
        if v and v[0] <= 23 and all(x <= 59 for x in v[1:]):
            end = i + 2 * len(v) - 1
            return self.mention(i, end, None, None, None, "exact", None, "time"), end
        return None

    def month_at(self, j: int, suffixes: bool = True, follows: bool = True) -> _Hit | None:
        hit = self.match(j, _MONTHS, maxlen=1, follows=follows)
        if hit is None or (hit.suffix and not suffixes):
            return None
        t = self.toks[j]
        if hit.langs == {"en"} and not t.text[0].isupper():
            return None  # "may" the verb; English months are capitalised
        return hit

    def day_month_parts(self, i: int) -> tuple[int, int, int | None, int] | None:
        """``29 dekabr, 2025`` / ``5 марта 2024 года`` / ``24 may``: (day, month, year, end)."""
        t = self.tok(i)
        if t is None or t.kind != "n" or len(t.text) > 2 or not 1 <= int(t.text) <= 31:
            return None
        mon = self.month_at(i + 1)
        if mon is None:
            return None
        day, month, end, year = int(t.text), int(mon.value), mon.end, None  # type: ignore[call-overload]
        if not mon.suffix:
            k = end + 1 if (self.tok(end) and self.toks[end].text == ","
                            and self.toks[end].sep == 0) else end
            y = self.tok(k)
            if (y is not None and y.kind == "n" and len(y.text) == 4 and y.sep == 1
                    and not self.glued(k + 1)):
                year, end = int(y.text), k + 1
                yw = self.match(end, _YEAR_WORDS, maxlen=2)
                if yw is not None and "ru" in yw.langs:
                    end = yw.end
            elif (y is not None and y.kind == "n" and len(y.text) == 4 and y.sep == 1
                  and self.glued(k + 1) and self.toks[k + 1].text in _JOINERS):
                # "1 mart 2004-cü il": the year with its suffix and "il"
                suf, e2 = self.num_suffix(k + 1)
                if suf:
                    year, end = int(y.text), e2
                    yw = self.match(end, _YEAR_WORDS, maxlen=2)
                    end = yw.end if yw is not None else end
        if year is not None and self._iso(year, month, day) is None:
            return None
        if year is None and self._iso(2000, month, day) is None:
            return None
        return day, month, year, end

    def day_month(self, i: int) -> tuple[Mention, int] | None:
        parts = self.day_month_parts(i)
        if parts is None:
            return None
        d, m, y, end = parts
        iso = self._iso(y, m, d) if y is not None else None
        return self.mention(i, end, None, None, None, "exact", None, "date", iso), end

    def month_first(self, i: int) -> tuple[Mention, int] | None:
        """``March 5, 2024`` / ``March 2024`` / ``в марте 2024 года``."""
        mon = self.month_at(i, suffixes=False, follows=False)
        if mon is None or mon.end != i + 1:
            return None
        month = int(mon.value)  # type: ignore[call-overload]
        t = self.tok(i + 1)
        if t is None or t.kind != "n" or t.sep != 1:
            return None
        if len(t.text) == 4 and 1800 <= int(t.text) <= 2100 and not self.glued(i + 2):
            end = i + 2
            yw = self.match(end, _YEAR_WORDS, maxlen=2)
            if yw is not None and "ru" in yw.langs:
                end = yw.end
            return (self.mention(i, end, None, None, None, "exact", None, "date",
                                 f"{int(t.text):04d}-{month:02d}"), end)
        if ("en" in mon.langs and self.toks[i].text[0].isupper() and len(t.text) <= 2
                and 1 <= int(t.text) <= 31):
            end, year = i + 2, None
            k = end + 1 if self.glued(end) and self.toks[end].text == "," else end
            y = self.tok(k)
            if y is not None and y.kind == "n" and len(y.text) == 4 and y.sep == 1:
                year, end = int(y.text), k + 1
            day = int(t.text)
            iso = self._iso(year, month, day) if year is not None else None
            if year is not None and iso is None:
                return None
            return self.mention(i, end, None, None, None, "exact", None, "date", iso), end
        return None

    # --- numbers ----------------------------------------------------------------------------

    def digits(self, i: int) -> tuple[Decimal | None, int, str | None]:
        """Digits with separators at token i: (value or None if unreadable, end, plain)."""
        toks, n = self.toks, self.n
        groups, seps = [toks[i].text], []
        j = i + 1
        while (j + 1 < n and toks[j].kind == "s" and toks[j].text in ",." and toks[j].sep == 0
               and toks[j + 1].kind == "n" and toks[j + 1].sep == 0):
            seps.append(toks[j].text)
            groups.append(toks[j + 1].text)
            j += 2
        if sum(map(len, groups)) > _MAX_DIGITS:
            return None, j, None
        if not seps:
            if len(groups[0]) <= 3 and groups[0][0] != "0":
                # "1 768", "4 625 000": thousands parted by one (no-break) space
                while (j < n and toks[j].kind == "n" and len(toks[j].text) == 3
                       and toks[j].sep == 1 and toks[j].start - toks[j - 1].end == 1
                       and self.text[toks[j - 1].end] in _THIN_SPACES):
                    groups.append(toks[j].text)
                    j += 1
                if len(groups) * 3 > _MAX_DIGITS:
                    return None, j, None
                if len(groups) > 1:
                    value = Decimal("".join(groups))
                    if (j + 1 < n and toks[j].kind == "s" and toks[j].text in ",."
                            and toks[j].sep == 0 and toks[j + 1].kind == "n"
                            and toks[j + 1].sep == 0 and not self.glued(j + 2)):
                        value = Decimal("".join(groups) + "." + toks[j + 1].text)
                        j += 2
                    return value, j, None
            return Decimal(groups[0]), j, groups[0]
        return self._separated(groups, seps, toks[i].start), j, None

    def _separated(self, groups: list[str], seps: list[str], pos: int) -> Decimal | None:
        """598,47 / 3.1 / 200,000 (English) / 1,234,567 / 1.234.567,5 / 1,234.5."""
        if len(seps) == 1:
            a, b = groups
            if (seps[0] == "," and len(b) == 3 and len(a) <= 3 and a[0] != "0"
                    and self.lang_at(pos) == "en"):
                return Decimal(a + b)
            return Decimal(a + "." + b)
        c = seps[0]
        if (len(groups[0]) <= 3 and all(s == c for s in seps[:-1])
                and all(len(g) == 3 for g in groups[1:-1])):
            if seps[-1] == c:
                return Decimal("".join(groups)) if len(groups[-1]) == 3 else None
            return Decimal("".join(groups[:-1]) + "." + groups[-1])
        return None

    def num_suffix(self, j: int) -> tuple[str, int]:
        """Azerbaijani suffix after digits: "250-dən", "2024-cü", "100dən", "36 cı"."""
        t, w = self.tok(j), self.tok(j + 1)
        if (t is not None and w is not None and t.kind == "s" and t.text in _JOINERS
                and t.sep == 0 and w.kind == "w" and w.sep == 0
                and len(w.norm) <= lx.MAX_SUFFIX and lx.NUM_SUFFIX_RE.fullmatch(w.norm)
                and not self.glued(j + 2)):
            return w.norm, j + 2
        if t is not None and t.kind == "w" and t.sep == 0 and not self.glued(j + 1):
            if t.norm in _EN_ORDINALS:
                return "c" + t.norm, j + 1  # "5th": marked ordinal
            if len(t.norm) <= lx.MAX_SUFFIX and lx.NUM_SUFFIX_RE.fullmatch(t.norm):
                return t.norm, j + 1
        if t is not None and t.kind == "w" and t.sep == 1 and t.norm in lx.SPACED_NUM_SUFFIXES:
            return t.norm, j + 1
        return "", j

    def head_digits(self, i: int) -> tuple[_Head | None, int]:
        value, j, plain = self.digits(i)
        if value is None:
            return None, j
        head = _Head(i, j, value, plain)
        t = self.tok(j)
        if (t is not None and t.kind == "w" and t.sep == 0 and t.norm in lx.GLUED_SCALES
                and not self.glued(j + 1)
                and (t.norm in ("bn", "mln") or self.lang_at(t.start) == "en")):
            head.scale = lx.GLUED_SCALES[t.norm]
            head.value *= head.scale
            head.end, head.plain = j + 1, None
            return head, head.end
        suffix, j2 = self.num_suffix(j)
        if suffix:
            head.suffix, head.end = suffix, j2
            head.ordinal = bool(lx.ORDINAL_RE.match(suffix)) or suffix[0] == "c"
            return head, j2
        self.scale_after(head)
        return head, head.end

    def scale_after(self, head: _Head) -> None:
        """Scale words after the number, and compounds: "4 milyon 625 min" = 4 625 000."""
        hit = self.match(head.end, _SCALES, maxlen=2, lang=head.lang)
        if hit is None or (hit.value == 1000 and "az" in hit.langs
                           and self.toks[head.end].norm == "min"
                           and self.lang_at(self.toks[head.end].start) == "en"):
            return
        mult = int(hit.value)  # type: ignore[call-overload]
        head.value *= mult
        head.scale, head.plain, head.end, head.suffix = mult, None, hit.end, hit.suffix
        smallest = mult
        while not head.suffix and head.lang is None:
            t = self.tok(head.end)
            if t is None or t.kind != "n" or t.sep != 1:
                return
            v2, j2, _ = self.digits(head.end)
            nxt = self.match(j2, _SCALES, maxlen=2) if v2 is not None else None
            if nxt is None or int(nxt.value) >= smallest:  # type: ignore[call-overload]
                return
            smallest = int(nxt.value)  # type: ignore[call-overload]
            head.value += v2 * smallest  # type: ignore[operator]
            head.end, head.suffix = nxt.end, nxt.suffix

    def head_words(self, i: int) -> _Head | None:
        """Word numerals: "dörd", "iki yüz əlli", "otuz", "пять", "three"."""
        lang = _NUMERALS[self.toks[i].norm][1]
        total = cur = Decimal(0)
        k = i
        while k < self.n and k - i < _MAX_WORDS:
            t = self.toks[k]
            entry = _NUMERALS.get(t.norm) if t.kind == "w" else None
            if entry is None or entry[1] != lang or (k > i and t.sep != 1):
                break
            v = entry[0]
            if v == Decimal("0.5"):
                cur += v  # "yarım milyon", "bir yarım dəfə", "полтора"
                k += 1
                break
            elif v in lx.HUNDREDS:
                cur = (cur or 1) * v
            elif v in lx.THOUSANDS:
                total += (cur or 1) * v
                cur = Decimal(0)
            else:
                if cur and (cur % 10 or (v >= 10 and cur % 100)):
                    break  # "iki üç" is two numbers, not one
                cur += v
            k += 1
        head = _Head(i, k, total + cur, None, lang=lang)
        self.scale_after(head)
        return head

    def prefix(self, i: int) -> _Prefix:
        """Currency symbol, qualifier, rate and range words written before the number."""
        pre = _Prefix(i, i)
        sign = self.tok(i - 1)
        if (sign is not None and sign.text in _MINUS and self.toks[i].sep == 0
                and i - 1 >= self.floor and sign.sep > 0):
            pre.negative, pre.start = True, i - 1  # "-50 milyon dollar" (a deficit)
        prev = self.tok(pre.start - 1)
        i = pre.start
        if prev is not None and i - 1 >= self.floor and self.toks[i].sep < 2:
            if (prev.norm in lx.CURRENCY_BEFORE and self.toks[i].sep == 0
                    and prev.kind == "s") or (prev.norm in lx.CURRENCY_BEFORE
                                              and prev.kind == "w"
                                              and self.toks[i].sep == 1):
                pre.unit, pre.start = lx.CURRENCY_BEFORE[prev.norm], i - 1
                if (prev.text == "$" and i - 2 >= self.floor and prev.sep == 0
                        and self.toks[i - 2].norm == "us"):
                    pre.start = i - 2
        for _ in range(2):
            q = self.match_before(pre.start, _Q_BEFORE)
            if q is not None and pre.qualifier is None and not (
                    self.toks[q[1]].norm in lx.UP_TO_AFTER_GROWTH
                    and self.growth_near(q[1], q[1], ahead=False)):
                pre.qualifier, pre.start = str(q[0]), q[1]
                continue
            p = self.match_before(pre.start, _PER_BEFORE, maxlen=2)
            if p is not None and pre.per is None:
                pre.per, pre.start = str(p[0]), p[1]
                continue
            r = self.tok(pre.start - 1)
            if (r is not None and pre.start - 1 >= self.floor and r.norm in _RANGE_OPEN
                    and self.inline(pre.start) and pre.range_to is None):
                pre.range_to, pre.start = _RANGE_OPEN[r.norm], pre.start - 1
                continue
            break
        before = self.tok(pre.number - 1)
        pre.mult = (before is not None and before.norm in lx.MULT_BEFORE
                    and self.inline(pre.number))
        return pre

    def range_tail(self, head: _Head, pre: _Prefix) -> tuple[_Head, Decimal, Decimal] | None:
        """"6-6,5 milyon", "2022-2027", "2024-25", "от 5 до 7 млн": (second head, low, high)."""
        j = head.end
        t, u = self.tok(j), self.tok(j + 1)
        if head.suffix or head.lang or t is None or u is None or u.kind != "n" or u.sep == 2:
            return None
        dash = t.kind == "s" and t.text in _DASHES and t.sep < 2 and (t.sep == u.sep)
        word = pre.range_to is not None and t.norm == pre.range_to and t.sep == 1 and u.sep == 1
        if not (dash or word):
            return None
        if self.iso_date(j + 1) or self.clock(j + 1) or self.day_month_parts(j + 1):
            return None
        h2, _ = self.head_digits(j + 1)
        if h2 is None:
            return None
        low = head.value
        if head.scale is None and h2.scale is not None:
            low = low * h2.scale
        if h2.value > low:
            return h2, low, h2.value
        if (dash and t.text == "-" and head.plain and h2.plain and len(head.plain) == 4
                and len(h2.plain) == 2):
            full = Decimal(int(head.plain) // 100 * 100 + int(h2.plain))  # "2024-25"
            if full > head.value:
                return h2, head.value, full
        return None

    def quantity(self, i: int, words: bool) -> tuple[Mention | None, int]:
        pre = self.prefix(i)
        if words:
            head = self.head_words(i)
            if head is None:
                return None, i + 1
        else:
            got, skip = self.head_digits(i)
            if got is None:
                return None, skip
            head = got
        low, high, last = head.value, None, head
        rng = None if words else self.range_tail(head, pre)
        if rng is not None:
            last, low, high = rng
        year = self.as_year(pre, head, last, high)
        if year is not None:
            return year
        return self.finish(pre, head, last, low, high)

    # --- years ------------------------------------------------------------------------------

    def as_year(self, pre: _Prefix, head: _Head, last: _Head,
                high: Decimal | None) -> tuple[Mention, int] | None:
        """A year or year range: "2024-cü ildə", "в 2024 году", "2024-dən bəri", "1999-2000".

        An ordinal suffix or a year word ("il", "году") makes any four digits a year; a bare
        four-digit number is a year when it lies in 1800-2100 and no unit, scale or quantity
        qualifier goes with it ("2000 nəfər" and "2000-dən artıq" are quantities).
        """
        if head.lang or head.plain is None or len(head.plain) != 4:
            return None
        if high is not None and (last.plain is None or len(last.plain) not in (2, 4)):
            return None
        y = int(head.plain)
        cased = bool(last.suffix) and not last.ordinal  # "2024-dən", "2024-ə qədər"
        yw = None if cased else self.match(last.end, _YEAR_WORDS, 2)
        if last.ordinal or yw is not None:
            if not 1000 <= y <= 2999:
                return None
        else:
            if (not 1800 <= y <= 2100 or pre.qualifier not in (None, "up_to") or pre.unit
                    or pre.per):
                return None
            if (self.match(last.end, _UNITS, 4) or self.match(last.end, _SCALES, 2)
                    or self.match(last.end, _TIMES, 1)):
                return None
            q = self.match(last.end, _Q_AFTER, 2) if cased else None
            if q is not None and q.value[0] != "up_to":  # type: ignore[index]
                return None
        start = head.start
        qualifier = "range" if high is not None else "exact"
        if pre.qualifier == "up_to" and high is None:
            qualifier, start = "up_to", pre.start
        end, case = last.end, lx.az_case(last.suffix if cased else "")
        if yw is not None:
            end, case = yw.end, lx.az_case(yw.suffix)
        if high is None and case == "term":
            qualifier = "up_to"  # "2029-cu ilədək"
        q = self.match(end, _Q_AFTER, 1)
        if (q is not None and high is None and q.value[0] == "up_to"  # type: ignore[index]
                and case == "dat"):
            qualifier, end = "up_to", q.end  # "2026-cı ilə qədər"
        elif yw is not None:
            if high is None and "az" in yw.langs and case in ("nom", "gen"):
                # "2004-cü il 1 mart", "2004-cü ilin 1 martında", "2024-cü ilin mart ayında"
                got = self.year_day(start, y, end) or (
                    self.year_month(start, y, end) if case == "gen" else None)
                if got is not None:
                    return got
        return (self.mention(start, end, Decimal(y), high, None, qualifier, None, "year"), end)

    def year_day(self, start: int, y: int, j: int) -> tuple[Mention, int] | None:
        parts = self.day_month_parts(j)
        if parts is None or parts[2] is not None:
            return None
        iso = self._iso(y, parts[1], parts[0])
        if iso is None:
            return None
        return self.mention(start, parts[3], None, None, None, "exact", None, "date", iso), parts[3]

    def year_month(self, start: int, y: int, j: int) -> tuple[Mention, int] | None:
        mon = self.month_at(j)
        if mon is None or ("en" in mon.langs and "az" not in mon.langs):
            return None
        m1 = m2 = int(mon.value)  # type: ignore[call-overload]
        end = mon.end
        t = self.tok(end)
        if not mon.suffix and t is not None and t.text in _DASHES and t.sep == 0:
            mon2 = self.month_at(end + 1)
            if mon2 is not None and self.toks[end + 1].sep == 0:
                m2, end = int(mon2.value), mon2.end  # type: ignore[call-overload]
                mon = mon2
        if not mon.suffix:
            aw = self.match(end, _MONTH_WORDS, 1)
            if aw is not None:
                end = aw.end
        date = f"{y:04d}-{m1:02d}" if m1 == m2 else f"{y:04d}-{m1:02d}/{y:04d}-{m2:02d}"
        return self.mention(start, end, None, None, None, "exact", None, "date", date), end

    # --- units, qualifiers, rates -----------------------------------------------------------

    def growth_near(self, a: int, b: int, ahead: bool = True) -> bool:
        """A growth word within four words before token a or after token b (same sentence)."""
        for step, j in ((-1, a - 1), (1, b)) if ahead else ((-1, a - 1),):
            seen = looked = 0
            while 0 <= j < self.n and seen < 4 and looked < _MAX_LOOK:
                looked += 1
                t = self.toks[j]
                if (t.kind == "s" and t.text in _SENTENCE_END) or (step == 1 and t.sep == 2) \
                        or (step == -1 and self.toks[j + 1].sep == 2):
                    break
                if t.kind == "w":
                    seen += 1
                    if t.norm.startswith(_GROWTH) and not t.norm.startswith(_GROWTH_NOT):
                        return True
                j += step
        return False

    def finish(self, pre: _Prefix, head: _Head, last: _Head, low: Decimal,
               high: Decimal | None) -> tuple[Mention | None, int]:
        unit, per = pre.unit, pre.per
        qualifier = "range" if high is not None else (pre.qualifier or "exact")
        end, suffix = last.end, last.suffix
        timeish = False
        if not suffix:
            hit = self.match(end, _UNITS, 4, lang=head.lang)
            if hit is not None:
                unit, end, suffix = str(hit.value), hit.end, hit.suffix
                if unit == "mult":
                    whole = low == low.to_integral_value() and (
                        high is None or high == high.to_integral_value())
                    unit = "times" if (not whole or pre.mult or self.growth_near(
                        pre.start, end)) else "count"
            else:
                tm = self.match(end, _TIMES, 1, lang=head.lang)
                if tm is not None:
                    timeish = True
                    tunit, div = tm.value  # type: ignore[misc]
                    unit, end, suffix = tunit, tm.end, tm.suffix
                    low = low / div
                    high = high / div if high is not None else None
                    if div == 1 and tunit == "years" and high is None and not suffix:
                        half = self.match(end, _HALF, 3)
                        if half is not None:
                            low, end, suffix = low + Decimal("0.5"), half.end, half.suffix
                        else:
                            low, end, suffix = self.more_months(low, end, suffix)
        if head.lang is not None and head.scale is None and unit is None and not timeish:
            nxt = self.tok(end)
            if not (nxt is not None and nxt.kind == "w" and nxt.sep == 1
                    and nxt.norm in lx.SUPERLATIVES):
                return None, head.start + 1  # a bare word numeral: "bir çox", "iki ölkə"
            unit = "count"  # the size of a ranking: "on ən böyük", "десяти самых"
        after_q = False
        if lx.az_case(suffix) == "term" and qualifier == "exact":
            qualifier, after_q = "up_to", True  # "10 milyon tonadək", "20-dək"
        for _ in range(2):
            case = lx.az_case(suffix)
            q = self.match(end, _Q_AFTER, 2)
            if q is not None and qualifier == "exact":
                qual, cases = q.value  # type: ignore[misc]
                if "any" in cases or case in cases:
                    qualifier, end, suffix, after_q = qual, q.end, q.suffix, True
                    continue
            p = self.per_after(end) if per is None and unit is not None and not timeish \
                else None
            if p is not None:
                per, end, suffix = str(p.value), p.end, p.suffix
                continue
            break
        if (unit is None and not timeish and not last.ordinal and (not suffix or after_q)
                and low == low.to_integral_value() and high is None and self.counts_next(end)):
            unit = "count"
        start = pre.start
        if pre.negative:
            if high is None:
                low = -low
            else:
                start += 1  # a sign before a range is a dash, not a minus
        return self.mention(start, end, low, high, unit, qualifier, per, "quantity"), end

    def per_after(self, j: int) -> _Hit | None:
        """A rate after the unit, possibly past a word or two ("tonnes of oil a year")."""
        for gap in range(lx.PER_GAP_WORDS + 1):
            hit = self.match(j + gap, _PER_AFTER, 2)
            if hit is not None:
                return hit
            t = self.tok(j + gap)
            if t is None or t.kind != "w" or t.sep == 2 or not t.text[0].islower():
                return None
        return None

    def more_months(self, years: Decimal, end: int, suffix: str) -> tuple[Decimal, int, str]:
        """"1 il 6 ay": the months after a whole number of years."""
        t = self.tok(end)
        if t is None or t.kind != "n" or t.sep != 1:
            return years, end, suffix
        v, j, plain = self.digits(end)
        tm = self.match(j, _TIMES, 1) if v is not None and plain else None
        if tm is None or tm.value != ("years", 12):
            return years, end, suffix
        return years + v / 12, tm.end, tm.suffix  # type: ignore[operator]

    def counts_next(self, j: int) -> bool:
        """The word after a bare integer is a noun it counts ("182 kommersiya qurumu")."""
        t = self.tok(j)
        if t is None or t.kind != "w" or t.sep != 1 or not t.text[0].islower():
            return False
        if self.glued(j + 1) and self.toks[j + 1].kind == "n":
            return False
        return not (t.norm in lx.NOT_NOUNS or t.norm in _MONTH_NAMES
                    or t.norm.startswith(_GROWTH))


def scan(text: str) -> list[Mention]:
    """Every numeric expression in ``text``, sorted by start, non-overlapping.

    Pure and total: any ``str`` gives a list (possibly empty), in time linear in its length.

    Example:
        >>> m = scan("ticarət dövriyyəsi 598,47 milyon dollar təşkil edib")[0]
        >>> m.text, m.value, m.unit
        ('598,47 milyon dollar', 598470000.0, 'USD')
    """
    if not isinstance(text, str):
        raise TypeError(f"scan() takes a str, not {type(text).__name__}")
    return _Reader(text).run()


def mention_record(m: Mention, file: str | None = None) -> dict[str, object]:
    """A mention as the JSON object ``python -m etl scan`` prints (CONTRACT.md)."""
    rec: dict[str, object] = {} if file is None else {"file": file}
    rec.update(asdict(m))
    return rec


def _read_utf8(path: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, message naming the file)."""
    try:
        data = read_limited(Path(path), path)
    except ArticleError as exc:
        return None, f"{exc}; nothing scanned"
    except FileNotFoundError:
        return None, f"{path}: no such file"
    except IsADirectoryError:
        return None, f"{path}: is a directory, not a text file"
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, (f"{path}: not valid UTF-8 at byte {exc.start} "
                      f"(byte 0x{data[exc.start]:02x}: {exc.reason}); nothing scanned")


def main_scan(paths: Iterable[str], out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """``python -m etl scan FILE...``: one JSON line per mention; 2 if any file was unreadable.

    Unreadable files (missing, not UTF-8) are named on ``err`` and skipped; the others are still
    scanned. Output is UTF-8 whatever the locale, non-ASCII printed as characters.

    Example:
        >>> import io, tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
        ...                                  encoding="utf-8") as f:
        ...     _ = f.write("40% çox")
        >>> buf = io.StringIO(); main_scan([f.name], out=buf); os.unlink(f.name)
        0
        >>> json.loads(buf.getvalue())["unit"]
        'percent'
    """
    if out is None:
        out = sys.stdout
        if isinstance(out, io.TextIOWrapper):
            out.reconfigure(encoding="utf-8")
    err = sys.stderr if err is None else err
    status = 0
    try:
        for path in paths:
            text, problem = _read_utf8(path)
            if problem is not None:
                print(f"etl scan: {problem}", file=err)
                status = 2
                continue
            for m in scan(text or ""):
                out.write(json.dumps(mention_record(m, path), ensure_ascii=False,
                                     allow_nan=False) + "\n")
        out.flush()
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly; keep the interpreter's final flush
        # from failing on the closed pipe
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status
