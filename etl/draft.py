"""``python -m etl draft FILE``: propose the register entries for a new article.

The drafter reads a raw article (Azerbaijani, Russian or English), runs the build's scanner over
its body and proposes, for every numeric expression, a figure, an event or a dismissal:

* the **source** stub: headline, language, body bounds (the longest run of prose lines), and a
  date from a dateline above the body when there is one (``--published`` overrides it);
* a **figure** for each expression that measures an indicator: the indicator from the cue words
  in ``data/indicators.yaml`` (the clause around the number weighs three times the rest of the
  sentence; the unit must fit), the kind from :data:`etl.cues.KIND_CUES`, value, unit,
  qualifier and per from the scanner, the period from the phrases around it resolved against
  the published date, the reporting side from a named statistics body, the speaker from the
  nearest attribution, and the quote: the shortest run of clauses holding the number, its
  period phrase and statistics body, checked exactly as the build checks it
  (:func:`etl.articles.locate_quote` and :func:`etl.tables.mention_matches` over the scanner's
  readings);
* an **event** for each date or year that sits next to an event cue (signed, founded, visit,
  meeting, deadline), with the precision the text gives;
* a **dismissal** with a reason for every other expression.

Every record carries exactly the register file's fields (:data:`etl.register.SPECS`) plus
``review: pending`` and ``why`` (the cues and rules behind each guess). Texts the editor must
translate hold :data:`TODO`; which columns those are follows the register's language list
(:data:`etl.register.TRANSLATED_FIELDS`, :data:`etl.schema.LANGS`). Nothing in the register
changes until ``python -m etl accept``.

Example:
    >>> add_months(dt.date(2025, 10, 18), -18)
    datetime.date(2024, 4, 18)
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from etl import cues as cu
from etl.articles import Article, ArticleError, find_all, find_body, load_article, locate_quote
from etl.lexicon import MONTHS, NUMERALS
from etl.numbers import Mention, scan
from etl.register import SPECS, TRANSLATED_FIELDS, Record, load_register
from etl.schema import LANGS
from etl.tables import BARE_UNITS, CHANGE_UNITS, scan_body
from etl.tables import mention_matches as _matches

TODO = "TODO: translate"
# Texts copied verbatim from the article: their column in the article's language is the text.
VERBATIM = ("quote", "title", "speaker")
DRAFTS_DIR = "data/drafts"
ARTICLES_DIR = "data/raw/articles"
REVIEW_STATES = ("pending", "done", "rejected")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DraftError(ValueError):
    """The article cannot be drafted; the message names the file and the reason."""


# --- small helpers -------------------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` moved by whole months, the day clamped to the target month's length."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def month_end(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def detect_language(text: str) -> str:
    """``ru`` when Cyrillic dominates, ``az`` when Azerbaijani letters occur, else ``en``."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    cyr = sum("\u0400" <= c <= "\u04ff" for c in letters)
    if cyr > len(letters) * 0.3:
        return "ru"
    az = sum(c in "əƏğĞıİşŞçÇöÖüÜ" for c in letters)
    return "az" if az > len(letters) * 0.01 else "en"


@dataclass
class Period:
    """A period a phrase names, resolved to dates."""

    start: dt.date | None
    end: dt.date | None
    label: str
    basis: str  # stated | inferred
    precision: str  # day | month | year | unknown
    why: str
    span: tuple[int, int] | None = None  # absolute offsets of the phrase
    kind: str = "period"  # period | deadline | stock | window | base | open


@dataclass
class Sentence:
    start: int
    end: int
    clauses: list[tuple[int, int]]
    periods: list[Period] = field(default_factory=list)
    bases: list[Period] = field(default_factory=list)
    anaphora: bool = False


# --- body, sentences, clauses --------------------------------------------------------------------

_ABBREV = re.compile(
    r"(?:^|[\s(])(?:[A-ZА-ЯƏÜÖĞİŞÇ]|г|гг|т|тыс|млн|млрд|mln|mlrd|e\.g|i\.e|St|Mr|Dr)$")


def find_body_bounds(text: str) -> tuple[str, str, str]:
    """``(title, body_starts_with, body_ends_with)``: the first line is the headline; the body is
    the longest run of prose lines (long, ending like a sentence) that are not site chrome."""
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append((pos + lead, stripped))
        pos += len(raw)
    nonempty = [(s, t) for s, t in lines if t]
    if not nonempty:
        raise DraftError("the article has no text")
    title = nonempty[0][1]

    def chrome(t: str) -> bool:
        f = cu.fold(t)
        return any(c in f for c in cu.CHROME)

    def prose(t: str) -> bool:
        return (len(t) >= cu.PROSE_MIN_CHARS and t[-1] in cu.SENTENCE_END
                and t != title and not chrome(t))

    runs: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    gap = 0
    for s, t in nonempty[1:]:
        if prose(t):
            cur.append((s, t))
            gap = 0
        elif cur and not chrome(t) and gap < 2 and len(t) >= 20:
            gap += 1  # a short line inside the body ("Həmsöhbətimiz vurğuladı ki, ...:")
        else:
            if cur:
                runs.append(cur)
            cur, gap = [], 0
    if cur:
        runs.append(cur)
    if not runs:
        raise DraftError("no prose found: the article has no line that reads like a sentence")
    best = max(runs, key=lambda r: sum(len(t) for _, t in r))
    first_start, first = best[0]
    last_start, last = best[-1]
    begin = _unique_prefix(text, first_start, first)
    end = _unique_suffix(text, last_start + len(last), last, first_start)
    return title, begin, end


def _unique_prefix(text: str, at: int, line: str) -> str:
    n = min(40, len(line))
    while n < len(line) and len(find_all(text, line[:n])) > 1:
        n += 10
    return line[:n].rstrip() if line[:n].rstrip() else line[:n]


def _unique_suffix(text: str, end: int, line: str, begin: int) -> str:
    n = min(20, len(line))
    while n < len(line) and len(find_all(text, line[-n:], begin)) > 1:
        n += 10
    return line[-min(n, len(line)):].lstrip()


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]`` (line breaks and ``. ! ?`` before a capital or a quote)
    and, inside each, clauses (split at ``, ; :`` and dashes followed by a space)."""
    bounds = []
    s = start
    i = start
    while i < end:
        ch = text[i]
        if ch == "\n":
            bounds.append((s, i))
            s = i + 1
        elif ch in ".!?…":
            j = i + 1
            while j < end and text[j] in "\"»”“'":
                j += 1
            if j < end and text[j] in " \u00a0" and not _ABBREV.search(text[max(s, i - 8):i]):
                k = j
                while k < end and text[k] in " \u00a0":
                    k += 1
                if k < end and (text[k].isupper() or text[k] in "\"«“„'-–—(" or text[k].isdigit()):
                    bounds.append((s, j))
                    s = k
                    i = k
                    continue
        i += 1
    bounds.append((s, end))
    out = []
    for a, b in bounds:
        while a < b and text[a] in " \t\u00a0\r":
            a += 1
        while b > a and text[b - 1] in " \t\u00a0\r":
            b -= 1
        if b > a:
            out.append(Sentence(a, b, split_clauses(text, a, b)))
    return out


_CLAUSE_SEP = re.compile(r"[,;:](?=[\s\"«“„])|\s[-–—]\s|\(|\)")


def split_clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, s = [], a
    for m in _CLAUSE_SEP.finditer(text, a, b):
        if m.start() > s:
            out.append((s, m.start()))
        s = m.end()
    if b > s:
        out.append((s, b))
    cleaned = []
    for x, y in out:
        while x < y and text[x] in " \t\u00a0\"«“„”»'":
            x += 1
        while y > x and text[y - 1] in " \t\u00a0":
            y -= 1
        if y > x:
            cleaned.append((x, y))
    return cleaned or [(a, b)]


# --- cue matching ---------------------------------------------------------------------------------


def cue_regex(cue: str) -> re.Pattern[str]:
    """A cue (etl.cues) as a regex over folded text. A token of one or two letters matches
    that word only ("up" is not "upgrade"); longer tokens are stems."""
    def tok(t: str) -> str:
        return re.escape(t) + (r"(?!\w)" if len(t) <= cu.WHOLE_WORD_MAX else r"\w*")

    parts = []
    for group in cu.cue_tokens(cue):
        parts.append(r"(?<!\w)" + r"\W+".join(tok(t) for t in group))
    gap = r"\W+(?:\w+\W+){0,%s}?".replace("%s", str(cu.GAP_WORDS))
    return re.compile(gap.join(parts))


class Folded:
    """The article text folded for matching (same length, same offsets)."""

    def __init__(self, text: str):
        self.text = cu.fold(text)

    def find(self, rx: re.Pattern[str], a: int, b: int) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in rx.finditer(self.text, a, b)]


def _phrase_rx(phrases: Sequence[str]) -> re.Pattern[str]:
    alts = sorted((cu.phrase_regex(p) for p in phrases), key=len, reverse=True)
    return re.compile("|".join(f"(?:{a})" for a in alts))


# --- periods --------------------------------------------------------------------------------------


def _numeral(word: str, lang: str) -> int | None:
    if word.isdigit():
        return int(word)
    v = NUMERALS.get(lang, {}).get(word)
    return int(v) if v is not None and float(v).is_integer() else None


def _month(word: str, lang: str) -> int | None:
    for name, num in sorted(MONTHS.get(lang, {}).items(), key=lambda kv: -len(kv[0])):
        if word.startswith(name):
            return num
    return None


class PeriodGrammar:
    """The period phrases of one language, compiled from the tables in :mod:`etl.cues`."""

    def __init__(self, lang: str):
        self.lang = lang
        rel = "|".join(sorted((cu.phrase_regex(p) for p in cu.RELATIVE_YEARS[lang]),
                              key=len, reverse=True))
        self.rel_rx = re.compile(rel)
        yabs = cu.YEAR_ABS[lang]
        yrel = f"(?P<rel>{rel})"
        half = "|".join(cu.phrase_regex(p) for p in sorted(cu.HALVES[lang], key=len,
                                                            reverse=True))
        quarter = "|".join(cu.phrase_regex(p) for p in sorted(cu.QUARTERS[lang], key=len,
                                                               reverse=True))
        first = cu.FIRST_MONTHS[lang].format(n=cu.numeral_regex(lang))
        mrange = (cu.month_regex(lang, "m1") + r"\s*[-–—]\s*" + cu.month_regex(lang, "m2")
                  + (r"(?:\s+ay\w*)?" if lang == "az" else ""))
        month = cu.month_regex(lang, "m1") + (r"\s+ay\w*" if lang == "az" else "")
        subs = {"h": f"(?P<h>{half})", "q": f"(?P<q>{quarter})", "n": first, "mr": mrange,
                "m": month}
        join = cu.YEAR_JOINERS[lang]
        self.rules: list[tuple[str, re.Pattern[str]]] = []
        for name, sub in subs.items():
            for yname, yr in (("abs", yabs), ("rel", yrel)):
                if lang == "az":
                    pat = yr + r"\s+" + sub
                else:
                    pat = sub + join + yr
                self.rules.append((f"{name}+{yname}", re.compile(pat)))
            if name != "m":  # a bare month name is too often something else
                self.rules.append((name, re.compile(r"(?<!\w)" + sub)))
        for pat in cu.DEADLINES[lang]:
            self.rules.append(("deadline", re.compile(pat)))
        self.rules.append(("range", re.compile(
            r"(?P<y>(?:19|20)\d\d)\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)(?:\s?-?\s?(?:c[iıuü]|[iıuü]nc[iıuü]))?"
            r"(?:\s+(?:il\w*|год\w*|гг?\.?))?")))
        self.rules.append(("year", re.compile(r"(?<!\d)" + yabs)))
        self.rules.append(("rel", re.compile(yrel)))
        self.rules.append(("stock", _phrase_rx(cu.STOCK_CUES[lang])))
        self.rules.append(("this_month", _phrase_rx(cu.THIS_MONTH[lang])))
        self.rules.append(("ongoing", _phrase_rx(cu.ONGOING[lang])))
        year_any = (r"(?:(?:19|20)\d\d(?:\s?-?\s?\w+)?(?:\s+(?:il\w*|год\w*))?|"
                    f"{rel})")
        self.base_rx = [re.compile(p.format(year=year_any)) for p in cu.BASE_PERIODS[lang]]
        self.anaphora_rx = _phrase_rx(cu.ANAPHORA[lang])

    def year_of(self, m: re.Match[str], pub: dt.date | None) -> tuple[int | None, bool]:
        """The year a match names and whether it was resolved from the published date."""
        gd = m.groupdict()
        if gd.get("y"):
            return int(gd["y"]), False
        if gd.get("rel"):
            phrase = gd["rel"]
            for p, off in cu.RELATIVE_YEARS[self.lang].items():
                if re.fullmatch(cu.phrase_regex(p), phrase):
                    return (pub.year + off if pub else None), True
        return None, False


def resolve(rule: str, m: re.Match[str], grammar: PeriodGrammar, pub: dt.date | None,
            context_year: int | None) -> Period | None:
    """A matched period phrase as dates; ``None`` when it cannot be resolved."""
    lang = grammar.lang
    gd = m.groupdict()
    phrase = m.group(0)
    year, relative = grammar.year_of(m, pub)
    inferred_year = False
    if year is None and rule in ("h", "q", "n", "mr"):
        if context_year is not None:
            year, inferred_year = context_year, True
    base = rule.split("+")[0]
    why = f"period phrase '{phrase}'"
    if relative:
        why += f" resolved against the published date {pub}"
    basis = "inferred" if relative or inferred_year else "stated"
    if base == "stock":
        if pub is None:
            return None
        return Period(None, pub, f"as of {MONTH_ABBR[pub.month - 1]} {pub.year}", "inferred",
                      "day", f"'{phrase}': a stock at the published date {pub}", kind="stock")
    if base == "ongoing":  # "indiki bu səfər", "on the eve of": an event around publication
        if pub is None:
            return None
        return Period(dt.date(pub.year, pub.month, 1), month_end(pub.year, pub.month),
                      f"{MONTH_ABBR[pub.month - 1]} {pub.year}", "inferred", "month",
                      f"'{phrase}': under way or imminent at the published date {pub}",
                      kind="ongoing")
    if base == "this_month":
        if pub is None:
            return None
        s = dt.date(pub.year, pub.month, 1)
        return Period(s, month_end(pub.year, pub.month), f"{MONTH_ABBR[pub.month - 1]} "
                      f"{pub.year}", "inferred", "month",
                      f"'{phrase}' resolved against the published date {pub}")
    if base == "range":
        y1, y2 = int(gd["y"]), int(gd["y2"])
        if y2 <= y1:
            return None
        return Period(dt.date(y1, 1, 1), dt.date(y2, 12, 31), f"{y1}–{y2}", "stated", "year",
                      why)
    if year is None:
        if base in ("h", "q", "n", "mr") and pub is not None:
            year = pub.year
            inferred_year = True
            basis = "inferred"
        else:
            return None
    if base == "deadline":
        label = f"by end of {year}" if gd.get("end") else f"by {year}"
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), label, basis, "year",
                      why + " (a deadline)", kind="deadline")
    if base in ("year", "rel"):
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), basis, "year", why)
    if base == "h":
        h = next(v for p, v in cu.HALVES[lang].items()
                 if re.match(cu.phrase_regex(p), gd["h"]))
        s = dt.date(year, 1 if h == 1 else 7, 1)
        e = month_end(year, 6 if h == 1 else 12)
        label = f"H{h} {year}"
        prec = "month"
    elif base == "q":
        q = next(v for p, v in cu.QUARTERS[lang].items()
                 if re.match(cu.phrase_regex(p), gd["q"]))
        s, e = dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)
        label, prec = f"Q{q} {year}", "month"
    elif base == "n":
        n = _numeral(gd["n"], lang)
        if not n or n > 12:
            return None
        s, e = dt.date(year, 1, 1), month_end(year, n)
        label, prec = (f"Jan–{MONTH_ABBR[n - 1]} {year}" if n > 1 else f"Jan {year}"), "month"
    elif base in ("mr", "m"):
        m1 = _month(gd["m1"], lang)
        m2 = _month(gd["m2"], lang) if gd.get("m2") else m1
        if m1 is None or m2 is None or m2 < m1:
            return None
        s, e = dt.date(year, m1, 1), month_end(year, m2)
        label = (f"{MONTH_ABBR[m1 - 1]}–{MONTH_ABBR[m2 - 1]} {year}" if m2 != m1
                 else f"{MONTH_ABBR[m1 - 1]} {year}")
        prec = "month"
    else:
        return None
    if inferred_year and context_year is None and pub is not None and e > pub:
        s, e = s.replace(year=s.year - 1), e.replace(year=e.year - 1)
        label = label.replace(str(year), str(year - 1))
        why += f"; the year is the last one before the published date {pub} that completes it"
    elif inferred_year:
        why += f"; year {year} taken from the figure before it"
    return Period(s, e, label, basis, prec, why)


def find_periods(text: str, folded: Folded, sent: Sentence, grammar: PeriodGrammar,
                 pub: dt.date | None, context_year: int | None) -> None:
    """Fill ``sent.periods`` and ``sent.bases`` from the period phrases in the sentence."""
    a, b = sent.start, sent.end
    bases: list[tuple[int, int]] = []
    hits = sorted(((m.start(), m.end()) for rx in grammar.base_rx
                   for m in rx.finditer(folded.text, a, b) if m.end() > m.start()),
                  key=lambda s: (s[0] - s[1], s[0]))
    for s, e in hits:  # longest first; overlapping shorter readings are the same phrase
        if any(s < be and bs < e for bs, be in bases):
            continue
        bases.append((s, e))
        sent.bases.append(Period(None, None, text[s:e], "stated", "unknown",
                                 f"base period '{text[s:e]}'", (s, e), "base"))
    sent.bases.sort(key=lambda p: p.span[0] if p.span else 0)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for rule, rx in grammar.rules:
        for m in rx.finditer(folded.text, a, b):
            if m.end() > m.start():
                found.append((m.start(), m.end(), rule, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int]] = []
    for s, e, rule, m in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        if any(bs <= s and e <= be for bs, be in bases):
            continue
        p = resolve(rule, m, grammar, pub, context_year)
        if p is None:
            continue
        p.span = (s, e)
        taken.append((s, e))
        sent.periods.append(p)
    sent.periods.sort(key=lambda p: p.span[0] if p.span else 0)
    if grammar.anaphora_rx.search(folded.text, a, min(b, a + 60)) or any(
            grammar.anaphora_rx.search(folded.text, ca, min(cb, ca + 40))
            for ca, cb in sent.clauses):
        sent.anaphora = True


def read_periods(text: str, lang: str, published: dt.date | None,
                 context_year: int | None = None) -> tuple[list[Period], list[Period]]:
    """The periods and base periods one sentence names (for tests and the editor's checks).

    Example:
        >>> ps, bases = read_periods("Ötən il dövriyyə artıb", "az", dt.date(2024, 3, 1))
        >>> ps[0].start, ps[0].end, ps[0].basis
        (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), 'inferred')
    """
    sent = Sentence(0, len(text), split_clauses(text, 0, len(text)))
    find_periods(text, Folded(text), sent, PeriodGrammar(lang), published, context_year)
    return sent.periods, sent.bases


def shifted_label(p: Period, years: int) -> str:
    return re.sub(r"(?:19|20)\d\d", lambda m: str(int(m.group(0)) + years), p.label)


# --- the draft ------------------------------------------------------------------------------------


@dataclass
class Draft:
    source: Record
    figures: list[Record]
    events: list[Record]
    dismissals: list[Record]
    mentions: list[Mention]
    body: tuple[int, int]
    article: Article

    def as_yaml_data(self) -> dict[str, Any]:
        return {"source": self.source, "figures": self.figures, "events": self.events,
                "dismissals": self.dismissals}


def _record(kind: str, values: dict[str, Any], why: list[str], lang: str) -> Record:
    """A record with exactly the register file's fields, translations marked :data:`TODO`."""
    rec: Record = {f.name: values.get(f.name) for f in SPECS[kind].fields}
    for f in SPECS[kind].fields:  # dates as YAML dates, as in the register files
        if f.type == "date" and isinstance(rec[f.name], str):
            rec[f.name] = dt.date.fromisoformat(rec[f.name])
    for tr in TRANSLATED_FIELDS.get(kind, ()):
        plain_col = tr.column(tr.plain) if tr.plain else None
        original = values.get(plain_col) if plain_col else None
        for tl in LANGS:
            col = tr.column(tl)
            if col not in rec or col == plain_col:
                continue
            if values.get(col) is not None:
                continue
            if tr.name in VERBATIM and tr.plain and tl == lang and original is not None:
                rec[col] = original  # the article's own language: the printed text itself
            elif tr.required or original is not None:
                rec[col] = TODO
    rec["review"] = "pending"
    rec["why"] = "; ".join(why)
    return rec


class Drafter:
    """Turns one article into proposed register records."""

    def __init__(self, root: Path, article: Article, source_id: str,
                 published: dt.date | None, raw_path: str):
        self.root, self.article, self.source_id = root, article, source_id
        self.text = article.text
        self.folded = Folded(self.text)
        self.raw_path = raw_path
        reg = load_register(root)
        self.indicators = [r for r in reg["indicators"] if r.get("indicator_id")]
        if not self.indicators:
            raise DraftError(f"no indicators in {root / 'data' / 'indicators.yaml'}: the "
                             "drafter needs the register's indicators and their cues")
        self.title, self.begin, self.end_marker = find_body_bounds(self.text)
        try:
            self.body = find_body(self.text, self.begin, self.end_marker)
        except ArticleError as exc:
            raise DraftError(f"{raw_path}: cannot bound the article body ({exc}); the text "
                             "repeats its paragraphs — draft it by hand") from None
        body_text = self.text[self.body[0]:self.body[1]]
        self.lang = detect_language(body_text)
        self.grammar = PeriodGrammar(self.lang)
        self.dateline: dt.date | None = None
        self.published = published
        self.published_why = "given with --published" if published else ""
        if published is None:
            self.published, self.published_why = self._dateline()
        self.mentions = scan_body(scan, self.text, *self.body)
        self.sentences = split_sentences(self.text, *self.body)
        self.cue_rx = {r["indicator_id"]: [(c, cue_regex(c)) for c in
                                           (r.get("cues") or {}).get(self.lang, [])]
                       for r in self.indicators}
        self.kind_rx = {k: [(c, cue_regex(c)) for c in v[self.lang]]
                        for k, v in cu.KIND_CUES.items()}
        self.event_rx = {k: [(c, cue_regex(c)) for c in v[self.lang]]
                         for k, v in cu.EVENT_CUES.items()}
        self.body_rx = [(c, cue_regex(c), v) for c, v in cu.STAT_BODIES[self.lang].items()]
        self.speech_rx = [(c, cue_regex(c)) for c in cu.SPEECH_VERBS[self.lang]]
        self._attributions: list[tuple[int, str]] | None = None
        self.ref_rx = _phrase_rx(cu.INDICATOR_ANAPHORA[self.lang])

    # source
    def _dateline(self) -> tuple[dt.date | None, str]:
        head = self.text[:self.body[0]]
        for m in scan(head):
            if m.kind == "date" and m.date and len(m.date) == 10:
                return dt.date.fromisoformat(m.date), f"dateline '{m.text}' above the body"
        return None, ""

    def source_record(self) -> Record:
        pub = self.published
        why = [f"title: the first line; body: the longest run of prose lines; language "
               f"'{self.lang}' from its letters"]
        if pub:
            why.append(f"published: {self.published_why}")
        else:
            why.append("published: no dateline found; give --published or fill it in")
        speaker = self.speaker()
        values = {
            "source_id": self.source_id, "raw_path": self.raw_path, "title": self.title,
            "outlet": "TODO: outlet", "via": None, "author": None,
            "speaker": speaker or "TODO: speaker", "speaker_role": "TODO: speaker's role",
            "language": self.lang, "url": None, "published": pub.isoformat() if pub else None,
            "published_precision": "day" if pub else "unknown",
            # a date given with --published or read from a dateline is the editor's to confirm
            "published_basis": "stated",
            "published_note": None, "body_starts_with": self.begin,
            "body_ends_with": self.end_marker, "note": None, "sha256": self.article.sha256,
        }
        if speaker:
            why.append(f"speaker: the name the text attributes most words to ({speaker})")
        return _record("sources", values, why, self.lang)

    # attribution
    def attributions(self) -> list[tuple[int, str]]:
        """(sentence offset, name) for each sentence with a speech verb, short names resolved
        to the full name used elsewhere ("A. Mambetali" → "Aman Mambetali")."""
        if self._attributions is None:
            self._attributions = self._find_attributions()
        return self._attributions

    def _find_attributions(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        name_rx = re.compile(r"(?:[A-ZА-ЯЁƏÜÖĞİŞÇ]\.\s?)?[A-ZА-ЯЁƏÜÖĞİŞÇ][\w\-’']+"
                             r"(?:\s+[A-ZА-ЯЁƏÜÖĞİŞÇ][\w\-’']+)*")
        for sent in self.sentences:
            verbs = [s for _, rx in self.speech_rx
                     for s, _ in self.folded.find(rx, sent.start, sent.end)]
            if not verbs:
                continue
            names = []
            for m in name_rx.finditer(self.text, sent.start, sent.end):
                toks = [t for t in re.split(r"\s+", m.group(0))
                        if not cu.fold(t).startswith(cu.NOT_NAMES)]
                words = re.split(r"\s+", m.group(0))
                if any(cu.fold(w).startswith(cu.ORG_WORDS) for w in words):
                    continue
                if m.start() == sent.start and len(toks) == 1:
                    continue
                if toks and (len(toks) >= 2 or cu.fold(toks[0]).endswith(cu.SURNAME_ENDINGS)):
                    names.append((m.start(), " ".join(toks[-2:])))
            near = [n for n in names if abs(n[0] - verbs[0]) <= cu.NAME_REACH]
            if near:
                best = min(near, key=lambda n: abs(n[0] - verbs[0]))
                out.append((sent.start, best[1]))
            elif out:  # "o bildirib", "he added": the speaker named last
                out.append((sent.start, out[-1][1]))
        full = [n for _, n in out if " " in n and "." not in n]
        resolved = []
        for pos, n in out:
            sur = n.split()[-1]
            match = [f for f in full if f.split()[-1] == sur]
            resolved.append((pos, match[0] if match else n))
        return resolved

    def name_in_languages(self, values: dict[str, Any], name: str, printed: str) -> None:
        """A name as printed goes to the article language's column; the unsuffixed column
        (English) is the printed name only for an English article, else a to-do with a hint."""
        tr = next((x for x in TRANSLATED_FIELDS.get("figures", ()) if x.name == name), None)
        if tr is None or printed.startswith("TODO") or tr.plain == self.lang:
            return
        values[tr.column(self.lang)] = printed
        values[name] = f"{TODO} ({printed})"

    def speaker(self) -> str | None:
        names = Counter(n for _, n in self.attributions())
        return names.most_common(1)[0][0] if names else None

    # indicators and kinds
    def score(self, rxs: list[tuple[str, re.Pattern[str]]], clause: tuple[int, int],
              sent: Sentence) -> tuple[int, list[str]]:
        total, hits = 0, []
        for cue, rx in rxs:
            best = 0
            for s, e in self.folded.find(rx, sent.start, sent.end):
                w = 3 if clause[0] <= s and e <= clause[1] else 1
                best = max(best, w)
            if best:
                n = sum(len(g) for g in cu.cue_tokens(cue))
                total += best * n
                hits.append(f"'{cue}'" + (" (clause)" if best == 3 else " (sentence)"))
        return total, hits

    def kind_of(self, m: Mention, clause: tuple[int, int], sent: Sentence) -> tuple[str, str]:
        for kind in cu.KIND_ORDER:
            if kind == "change" and m.unit not in CHANGE_UNITS:
                continue
            for cue, rx in self.kind_rx[kind]:
                for s, e in self.folded.find(rx, sent.start, sent.end):
                    if s >= m.start and s < m.end:
                        continue
                    in_clause = clause[0] <= s and e <= clause[1]
                    # a cue after the number counts when its clause holds no quantity of its
                    # own and none stands between ("... 7 million tonnes by 2027, officials
                    # expect"; not "... 4.2 million tonnes, and the sides aim to raise it to 10")
                    cc = next(((ca, cb) for ca, cb in sent.clauses if ca <= s < cb), (s, e))
                    after = s >= m.end and not any(
                        x.kind == "quantity" and x is not m
                        and (m.end <= x.start < s or cc[0] <= x.start < cc[1])
                        for x in self.mentions)
                    if kind == "change" and not in_clause:
                        continue  # growth words elsewhere in the sentence describe something else
                    if in_clause or s < m.start or after:
                        return kind, f"kind {kind}: cue '{cue}'"
        return "observed", "kind observed: no target, forecast, agreement or change cue"

    def indicator_of(self, m: Mention, kind: str, clause: tuple[int, int],
                     sent: Sentence) -> tuple[Record | None, str]:
        ranked = []
        for ind in self.indicators:
            if kind != "change":
                fits = ind["unit"] == m.unit or (m.unit is None and ind["unit"] in BARE_UNITS)
                if not fits:
                    continue
            s, hits = self.score(self.cue_rx[ind["indicator_id"]], clause, sent)
            if s:
                ranked.append((s, ind, hits))
        if not ranked:
            return None, ""
        ranked.sort(key=lambda r: -r[0])
        s, ind, hits = ranked[0]
        why = f"indicator {ind['indicator_id']}: cues {', '.join(hits)} (score {s}"
        if len(ranked) > 1:
            why += f"; next {ranked[1][1]['indicator_id']} {ranked[1][0]}"
        return ind, why + ")"

    # the whole article
    def run(self) -> Draft:
        pub = self.published
        sents = self.sentences
        sent_of = {}
        starts = [s.start for s in sents]
        for i, m in enumerate(self.mentions):
            j = bisect.bisect_right(starts, m.start) - 1
            if j >= 0 and sents[j].start <= m.start < sents[j].end:
                sent_of[i] = j
        figures: list[Record] = []
        events: list[Record] = []
        dismiss: list[tuple[Mention, str]] = []
        last_period: Period | None = None
        last_indicator: Record | None = None
        used_ids: set[str] = set()
        attributions = self.attributions()
        speaker = self.speaker()
        handled: set[int] = set()
        # windows: durations that name the span of the figures around them
        windows: dict[int, Period] = {}
        for i, m in enumerate(self.mentions):
            if m.kind == "quantity" and m.unit == "years" and pub is not None:
                before = cu.fold(self.text[max(self.body[0], m.start - 25):m.start]).split()
                after = cu.fold(self.text[m.end:m.end + 25]).split()
                cue_b = before[-1] if before else ""
                cue_a = after[0] if after else ""
                if cue_b in cu.WINDOW_BEFORE[self.lang] or any(
                        cue_a.startswith(w) for w in cu.WINDOW_AFTER[self.lang]):
                    months = round(m.value * 12)
                    start = add_months(pub, -months)
                    label = (f"{MONTH_ABBR[start.month - 1]} {start.year} – "
                             f"{MONTH_ABBR[pub.month - 1]} {pub.year} (last {months} months)")
                    windows[i] = Period(start, pub, label, "inferred", "month",
                                        f"'{m.text}' with '{cue_b or cue_a}': the {months} "
                                        f"months before the published date {pub}",
                                        (m.start, m.end), "window")
        context_year = None
        for j, sent in enumerate(sents):
            find_periods(self.text, self.folded, sent, self.grammar, pub, context_year)
            for i, w in windows.items():
                if sent_of.get(i) == j:
                    sent.periods.append(w)
            sent.periods.sort(key=lambda p: p.span[0] if p.span else 0)
            for p in sent.periods:  # a year for later phrases without one ("за январь-июнь")
                if p.start and p.kind == "period":
                    context_year = p.start.year
        for i, m in enumerate(self.mentions):
            if i in windows:
                dismiss.append((m, f"Length of a period ({windows[i].label}), resolved as "
                                   f"{windows[i].why}; not a quantity of its own"))
                handled.add(i)
                continue
            if m.kind == "time":
                dismiss.append((m, "A time of day, not a figure"))
                handled.add(i)
                continue
            if m.kind != "quantity":
                continue
            j = sent_of.get(i)
            if j is None:
                dismiss.append((m, "Outside every sentence of the body"))
                handled.add(i)
                continue
            sent = sents[j]
            clause = next(((a, b) for a, b in sent.clauses if a <= m.start < b),
                          (sent.start, sent.end))
            inside = [p for p in sent.periods if p.span and p.kind != "window"
                      and p.span[0] <= m.start and m.end <= p.span[1]]
            if inside:
                dismiss.append((m, f"Part of the period phrase "
                                   f"'{self.text[inside[0].span[0]:inside[0].span[1]]}' "
                                   f"({inside[0].label}), not a quantity of its own"))
                handled.add(i)
                continue
            words = cu.fold(self.text[max(self.body[0], m.start - 12):m.start]).split()
            if (m.unit is None and m.value is not None and 1 <= m.value <= 31 and words
                    and len(words[-1]) >= 3 and _month(words[-1], self.lang)):
                dismiss.append((m, f"The day of a date ('{words[-1]} {m.text}'), not a "
                                   "quantity"))
                handled.add(i)
                continue
            if m.unit is None or m.value is None:
                dismiss.append((m, "A rank, ordinal or bare number with no unit, not a measured "
                                   "quantity"))
                handled.add(i)
                continue
            kind, kind_why = self.kind_of(m, clause, sent)
            ind, ind_why = self.indicator_of(m, kind, clause, sent)
            if ind is None and last_indicator is not None:
                refers = self.ref_rx.search(self.folded.text, clause[0], clause[1])
                if kind == "change" or refers:
                    ind, ind_why = last_indicator, (
                        f"indicator {last_indicator['indicator_id']}: the figure before it ("
                        + (f"'{refers.group(0)}' refers to it" if refers else "no cue of its own")
                        + ")")
            if ind is None:
                dismiss.append((m, "No indicator's cue words around it: a quantity the "
                                   "register does not track"))
                handled.add(i)
                continue
            why = [ind_why, kind_why, f"value/unit/qualifier/per: the scanner's reading of "
                                      f"'{m.text}'"]
            period, pwhy = self.period_for(m, kind, clause, sent, last_period)
            why.append(pwhy)
            base_label = None
            if kind == "change":
                base_label = self.base_label(sent, period)
                if base_label:
                    why.append(f"base period {base_label} from '{sent.bases[0].label}'")
            cited, side, bwhy = self.stat_body(sent, j)
            if bwhy:
                why.append(bwhy)
            who, wwhy = self.attribution(m.start, attributions, speaker)
            why.append(wwhy)
            quote, occurrence, qwhy = self.quote_for(m, clause, sent, period)
            why.append(qwhy)
            fid = self.unique_id(used_ids, f"{self.source_id}-{ind['indicator_id']}"
                                 + (f"-{kind}" if kind != "observed" else "")
                                 + (f"-{_slug(re.sub(r'[(].*?[)]', '', period.label))}"
                                    if period.start or period.end
                                    else ""))
            note = None
            if period.basis == "inferred":
                note = f"Period: {period.why}."
            values = {
                "figure_id": fid, "source_id": self.source_id,
                "indicator_id": ind["indicator_id"], "kind": kind, "value": _num(m.value),
                "value_high": _num(m.value_high), "unit": m.unit if m.unit else ind["unit"],
                "per": m.per, "qualifier": m.qualifier,
                "period_start": period.start.isoformat() if period.start else None,
                "period_end": period.end.isoformat() if period.end else None,
                "period_label": period.label, "period_basis": period.basis,
                "attributed_to": who, "cited_body": cited, "reporting_side": side,
                "base_period_label": base_label, "quote": quote, "occurrence": occurrence,
                "note": note,
            }
            if m.unit is None and ind["unit"] in BARE_UNITS:
                values["unit"] = ind["unit"]
            self.name_in_languages(values, "attributed_to", who)
            rec = _record("figures", values, why, self.lang)
            figures.append(rec)
            handled.add(i)
            if period.kind != "open":
                last_period = period
            last_indicator = ind
        flag_conflicts(figures)
        # dates and years: events or dismissals
        fig_spans = [self._span(r) for r in figures]
        event_quotes: set[str] = set()
        for i, m in enumerate(self.mentions):
            if i in handled or m.kind not in ("year", "date"):
                continue
            j = sent_of.get(i)
            sent = sents[j] if j is not None else None
            deadline = sent is not None and (m.qualifier == "up_to" or any(
                p.kind == "deadline" and p.span and p.span[0] <= m.start < p.span[1]
                for p in sent.periods))
            if any(s <= m.start and m.end <= e for s, e in fig_spans) and not deadline:
                continue  # the build registers it to that figure as its period
            ev = self.event_for(m, sent) if sent else None
            if ev is None:
                dismiss.append((m, "A year or date with no event cue and no figure next to it"))
                continue
            if ev["quote"] in event_quotes:
                continue
            event_quotes.add(ev["quote"])
            ev["event_id"] = self.unique_id(used_ids, ev["event_id"])
            events.append(ev)
        # relative dates with no number ("keçən ilin mart ayında", "bu ay") next to an event cue
        date_spans = [(m.start, m.end) for m in self.mentions if m.kind in ("year", "date")]
        for sent in sents:
            for p in sent.periods:
                if (p.span is None or p.start is None or p.basis != "inferred"
                        or p.kind not in ("period", "ongoing")
                        or any(s < p.span[1] and p.span[0] < e for s, e in date_spans)):
                    continue
                pseudo = Mention(p.span[0], p.span[1], self.text[p.span[0]:p.span[1]], None,
                                 None, None, "exact", None, "period")
                ev = self.event_for(pseudo, sent, p)
                if ev is None or ev["quote"] in event_quotes:
                    continue
                event_quotes.add(ev["quote"])
                ev["event_id"] = self.unique_id(used_ids, ev["event_id"])
                events.append(ev)
        ev_spans = [self._span(r) for r in events]
        dismiss = [(m, r) for m, r in dismiss if not (
            m.kind in ("year", "date", "time")
            and any(s <= m.start and m.end <= e for s, e in ev_spans + fig_spans))]
        dismissals = self.dismissal_records(dismiss)
        return Draft(self.source_record(), figures, events, dismissals, self.mentions,
                     self.body, self.article)

    def period_for(self, m: Mention, kind: str, clause: tuple[int, int], sent: Sentence,
                   last: Period | None) -> tuple[Period, str]:
        cands = [p for p in sent.periods if p.span and p.kind != "ongoing" and not (
            p.span[0] <= m.start and m.end <= p.span[1] and p.kind != "window")]
        in_clause = [p for p in cands if clause[0] <= p.span[0] and p.span[1] <= clause[1]]
        pick = None
        if in_clause:
            pick = min(in_clause, key=lambda p: abs(p.span[0] - m.start))
        elif cands:
            before = [p for p in cands if p.span[1] <= m.start]
            pick = before[-1] if before else cands[0]
        if pick is not None:
            return pick, f"period {pick.label}: {pick.why}"
        if (sent.anaphora or kind == "change") and last is not None:
            return last, f"period {last.label}: the period of the figure before it"
        pub = self.published
        if kind == "observed" and pub is not None:
            p = Period(None, pub, f"as of {MONTH_ABBR[pub.month - 1]} {pub.year}", "inferred",
                       "day", f"no period phrase: a stock at the published date {pub}",
                       kind="stock")
            return p, f"period {p.label}: {p.why}"
        label = {"target": "no deadline stated", "agreement": "agreement, no period stated",
                 "forecast": "no horizon stated"}.get(kind, "no period stated")
        return (Period(None, None, label, "stated", "unknown", "no period phrase", kind="open"),
                f"period: none stated ({label})")

    def base_label(self, sent: Sentence, period: Period) -> str | None:
        if not sent.bases:
            return None
        b = cu.fold(sent.bases[0].label)
        years = re.findall(r"(?:19|20)\d\d", b)
        if period.start is None:
            return sent.bases[0].label
        if years:
            return re.sub(r"(?:19|20)\d\d", years[0], period.label, count=1)
        return shifted_label(period, -1)

    def stat_body(self, sent: Sentence, j: int) -> tuple[str | None, str | None, str]:
        for cue, rx, (body, side) in self.body_rx:
            if self.folded.find(rx, sent.start, sent.end):
                return body, side, f"cited body and side {side}: '{cue}'"
        return None, None, ""

    def attribution(self, pos: int, attributions: list[tuple[int, str]],
                    speaker: str | None) -> tuple[str, str]:
        para_start = self.text.rfind("\n", 0, pos) + 1
        para_end = self.text.find("\n", pos)
        para_end = len(self.text) if para_end < 0 else para_end
        same = [a for a in attributions if para_start <= a[0] < para_end]
        if same:
            name = min(same, key=lambda a: abs(a[0] - pos))[1]
            return name, f"attributed_to: speech verb near '{name}' in the same paragraph"
        before = [a for a in attributions if a[0] < pos]
        if before:
            return before[-1][1], f"attributed_to: the last speaker named before ({before[-1][1]})"
        if speaker:
            return speaker, "attributed_to: the article's main speaker"
        return "TODO: who is quoted", "attributed_to: no attribution found"

    def quote_for(self, m: Mention, clause: tuple[int, int], sent: Sentence,
                  period: Period) -> tuple[str, int | None, str]:
        """The shortest run of clauses holding the number (and its period phrase, when that
        phrase is in the same sentence), checked the way the build checks it."""
        a, b = clause
        spans = [period.span] if period.span else []
        spans += [s for _, rx, _ in self.body_rx for s in self.folded.find(rx, sent.start,
                                                                             sent.end)]
        for span in spans:
            if sent.start <= span[0] and span[1] <= sent.end:
                for ca, cb in sent.clauses:
                    if ca <= span[0] < cb or ca < span[1] <= cb:
                        a, b = min(a, ca), max(b, cb)
        tries = [(a, b), (sent.start, sent.end)]
        for qa, qb in tries:
            quote = self.text[qa:qb].strip()
            words = quote.split()
            if len(words) > 3 and cu.fold(words[-1]) in cu.TRAILING_WORDS[self.lang]:
                quote = quote[:quote.rstrip().rfind(" ")].rstrip()
            qa = self.text.find(quote, qa)
            hits = find_all(self.text, quote, *self.body)
            occurrence = None if len(hits) == 1 else hits.index(qa) + 1
            try:
                s, e = locate_quote(self.text, *self.body, quote, occurrence)
            except ArticleError:
                continue
            inside = [x for x in self.mentions if s <= x.start and x.end <= e]
            probe = {"value": _num(m.value), "value_high": _num(m.value_high),
                     "unit": m.unit or "count", "qualifier": m.qualifier, "per": m.per}
            if any(_matches(x, probe) for x in inside):
                what = "clause" if (qa, qb) != (sent.start, sent.end) else "sentence"
                return quote, occurrence, (f"quote: the {what} holding the number "
                                           f"(offsets {s}..{e}, verified)")
        raise DraftError(f"no verifiable quote for {m.text!r} at offset {m.start}")

    def _span(self, rec: Record) -> tuple[int, int]:
        return locate_quote(self.text, *self.body, rec["quote"], rec.get("occurrence"))

    def event_for(self, m: Mention, sent: Sentence,
                  period: Period | None = None) -> Record | None:
        """An event for a date, year or (``period``) a relative date phrase next to an event
        cue; ``None`` when no cue stands near it."""
        clause = next(((a, b) for a, b in sent.clauses if a <= m.start < b),
                      (sent.start, sent.end))
        kind = None
        cue_where = None
        deadline = m.qualifier == "up_to" or any(
            p.kind == "deadline" and p.span and p.span[0] <= m.start < p.span[1]
            for p in sent.periods)
        if deadline:
            kind, cue_where = "deadline", (m.start, m.end)
            why_kind = f"kind deadline: '{m.text}' is a deadline"
        else:
            order = [(k, rx) for k in cu.EVENT_ORDER for rx in self.event_rx[k]]
            best = None
            for k, (cue, rx) in order:
                for s, e in self.folded.find(rx, sent.start, sent.end):
                    dist = 0 if clause[0] <= s < clause[1] else abs(s - m.start)
                    if best is None or dist < best[0]:
                        best = (dist, k, cue, (s, e))
            if best is None or best[0] > 120:
                return None
            _, kind, cue, cue_where = best
            why_kind = f"kind {kind}: cue '{cue}'"
        # the date as precise as the text gives it
        date = m.date
        basis, note = "stated", None
        if period is not None and period.start is not None:
            start, prec = period.start, period.precision
            end = period.end if prec == "year" and period.end.year != start.year else None
            if period.basis == "inferred":
                basis, note = "inferred", f"Date: {period.why}."
        elif m.kind == "date" and date and len(date) == 10:
            start, prec, end = dt.date.fromisoformat(date), "day", None
        elif m.kind == "date" and date and len(date) == 7:
            y, mo = map(int, date.split("-"))
            start, prec, end = dt.date(y, mo, 1), "month", None
        elif m.kind == "date" and date and "/" in date:
            a, b = date.split("/")
            y, mo = map(int, a.split("-"))
            y2, mo2 = map(int, b.split("-"))
            start, prec, end = dt.date(y, mo, 1), "month", month_end(y2, mo2)
        elif m.kind == "year" and m.value is not None:
            y = int(m.value)
            start, prec = dt.date(y, 1, 1), "year"
            end = dt.date(int(m.value_high), 12, 31) if m.value_high else None
            month = self._month_before(m)
            prev = [x for x in self.mentions if x.kind == "date" and x.date is None
                    and 0 <= m.start - x.end <= 2]
            day = re.match(r"\d{1,2}", prev[0].text) if prev else None
            dm = _month(cu.fold(prev[0].text.split()[-1]), self.lang) if prev else None
            after = self.day_after(m)
            if after:
                start, prec = dt.date(y, after[0], after[1]), "day"
            elif day and dm:
                start, prec = dt.date(y, dm, int(day.group(0))), "day"
            elif month:
                start, prec = dt.date(y, month, 1), "month"
            if kind == "deadline":
                end = dt.date(y, 12, 31)
        else:
            return None
        a = min(clause[0], cue_where[0]) if cue_where else clause[0]
        b = max(clause[1], cue_where[1]) if cue_where else clause[1]
        for ca, cb in sent.clauses:
            if ca <= a < cb:
                a = ca
            if ca < b <= cb:
                b = cb
        quote = self.text[a:b].strip()
        hits = find_all(self.text, quote, *self.body)
        occurrence = None if len(hits) <= 1 else hits.index(self.text.find(quote, a)) + 1
        values = {
            "event_id": f"{self.source_id}-{kind}-{start.isoformat()[:7 if prec != 'year' else 4]}",
            "source_id": self.source_id, "kind": kind, "date_start": start.isoformat(),
            "date_end": end.isoformat() if end else None, "precision": prec,
            "date_basis": basis, "quote": quote, "occurrence": occurrence, "note": note,
        }
        why = [why_kind, f"date {start} ({prec} precision) from '{m.text}'"
               + (f" ({period.why})" if period is not None else ""),
               "quote: the clauses holding the date and the cue", "titles: to write"]
        return _record("events", values, why, self.lang)

    def day_after(self, m: Mention) -> tuple[int, int] | None:
        """(month, day) written right after a year: "2024-cü il iyulun 3-də"."""
        rest = cu.fold(self.text[m.end:m.end + 24])
        hit = re.match(r"\s*(\w+)\s+(\d{1,2})(?!\d)", rest)
        if not hit:
            return None
        month = _month(hit.group(1), self.lang) if len(hit.group(1)) >= 3 else None
        day = int(hit.group(2))
        if month is None or not 1 <= day <= 31:
            return None
        try:
            dt.date(int(m.value or 0), month, day)
        except ValueError:
            return None
        return month, day

    def _month_before(self, m: Mention) -> int | None:
        words = cu.fold(self.text[max(0, m.start - 15):m.start]).split()
        if words:
            return _month(words[-1], self.lang) if len(words[-1]) >= 3 else None
        return None

    def dismissal_records(self, dismiss: list[tuple[Mention, str]]) -> list[Record]:
        counts = Counter(m.text for m in self.mentions)
        out, seen = [], set()
        for m, reason in sorted(dismiss, key=lambda d: d[0].start):
            context = None
            if counts[m.text] > 1:
                a = self.text.rfind(" ", self.body[0], max(self.body[0], m.start - 30)) + 1
                b = self.text.find(" ", min(m.end + 30, self.body[1] - 1), self.body[1])
                b = self.body[1] if b < 0 else b
                context = self.text[max(a, self.body[0]):b].strip()
            key = (m.text, context)
            if key in seen:
                continue
            seen.add(key)
            values = {"source_id": self.source_id, "text": m.text, "context": context,
                      "reason": reason}
            out.append(_record("dismissals", values, [f"rule: {reason.split(':')[0]}"],
                               self.lang))
        return out

    @staticmethod
    def unique_id(used: set[str], base: str) -> str:
        rid, n = base, 2
        while rid in used:
            rid, n = f"{base}-{n}", n + 1
        used.add(rid)
        return rid


def flag_conflicts(figures: list[Record]) -> None:
    """Two proposals the build would call conflicting (same indicator, period, kind, side, body
    and per, different values) say so in ``why``, so the editor fixes one before accepting."""
    seen: dict[tuple, Record] = {}
    for rec in figures:
        key = tuple(rec[k] for k in ("indicator_id", "period_start", "period_end", "kind",
                                     "reporting_side", "cited_body", "per"))
        other = seen.setdefault(key, rec)
        if other is not rec and (other["value"], other["value_high"]) != (rec["value"],
                                                                           rec["value_high"]):
            for a, b in ((rec, other), (other, rec)):
                a["why"] += (f"; CONFLICT with {b['figure_id']} (same indicator, period and "
                             "kind, another value): the build refuses both as they stand")


def _num(v: float | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _slug(s: str) -> str:
    s = s.lower().replace("–", "-")
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")[:30]


# --- files ----------------------------------------------------------------------------------------


def yaml_rt() -> YAML:
    """ruamel.yaml round-trip settings that reproduce the register files byte for byte."""
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=2, offset=0)
    y.representer.add_representer(
        type(None), lambda r, d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    y.representer.add_representer(str, _represent_str)
    return y


_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _represent_str(representer: Any, value: str) -> Any:
    """Plain unless the register's loader (PyYAML, YAML 1.1) would read the plain scalar as
    something else: ``on``, ``yes``, ``2025-10-21`` and ``1_000`` are quoted."""
    tag = _YAML11.resolve(yaml.nodes.ScalarNode, value, (True, False))
    style = '"' if tag != _STR_TAG else None
    return representer.represent_scalar(_STR_TAG, value, style=style)


def default_source_id(path: Path, published: dt.date | None) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:24] or "article"
    return f"{published.isoformat() if published else 'undated'}-{stem}"


def registered_elsewhere(root: Path, path: Path, sha256: str, source_id: str) -> str | None:
    """Why the article is already in the register, or ``None``."""
    reg = load_register(root)
    for rec in reg["sources"]:
        if rec.get("source_id") == source_id:
            return f"source id {source_id!r} is already in data/sources.yaml"
        raw = rec.get("raw_path")
        if raw and (root / raw).resolve() == path.resolve():
            return f"{raw} is already registered as source {rec['source_id']!r}"
        if rec.get("sha256") == sha256:
            return f"the same bytes are already registered as source {rec['source_id']!r}"
        if raw and (root / raw).is_file():
            try:
                if load_article(root / raw, raw).sha256 == sha256:
                    return f"the same bytes are already registered as source {rec['source_id']!r}"
            except ArticleError:
                pass
    return None


def draft_article(root: Path, path: Path, source_id: str | None = None,
                  published: dt.date | None = None) -> Draft:
    """Draft the register entries for the article at ``path`` (not written anywhere)."""
    folder = (root / ARTICLES_DIR).resolve()
    if folder not in path.resolve().parents:
        raise DraftError(f"{path}: not inside {ARTICLES_DIR}/ of {root}; save the article "
                         f"there untouched first (raw articles live there, byte-identical)")
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    try:
        article = load_article(path, rel)
    except ArticleError as exc:
        raise DraftError(str(exc)) from None
    drafter = Drafter(root, article, source_id or "pending", published, rel)
    sid = source_id or default_source_id(path, drafter.published)
    drafter.source_id = sid
    why = registered_elsewhere(root, path, article.sha256, sid)
    if why:
        raise DraftError(f"{rel}: already in the register ({why}); nothing drafted")
    return drafter.run()


HEADER = """\
# Draft register entries for {sid}, proposed by
#   python -m etl draft {file}
# Review every record: correct it, replace each "{todo}" with the translation (and every
# other "TODO: ..."), then set `review: done` (or `rejected` to drop a proposal). Then
#   python -m etl accept {draft}
# moves the done records into data/*.yaml and runs the check; until then the register is
# unchanged. `why` says which cue words and rules produced each guess.
"""


def write_draft(root: Path, draft: Draft, force: bool = False) -> Path:
    sid = draft.source["source_id"]
    out = root / DRAFTS_DIR / f"{sid}.yaml"
    if out.exists() and not force:
        raise DraftError(f"{out.relative_to(root)} already exists (it may hold your review); "
                         "delete it or pass --force")
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(HEADER.format(sid=sid, file=draft.source["raw_path"], todo=TODO,
                            draft=out.relative_to(root).as_posix()))
    yaml_rt().dump(draft.as_yaml_data(), buf)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(out)
    return out


def main_draft(root: Path, file: str, source_id: str | None, published: str | None,
               force: bool = False) -> int:
    pub = None
    if published:
        try:
            pub = dt.date.fromisoformat(published)
        except ValueError:
            print(f"etl draft: --published {published!r} is not a date YYYY-MM-DD",
                  file=sys.stderr)
            return 1
    try:
        draft = draft_article(root, Path(file), source_id, pub)
        out = write_draft(root, draft, force)
    except DraftError as exc:
        print(f"etl draft: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out.relative_to(root)}: {len(draft.figures)} figures, {len(draft.events)} "
          f"events, {len(draft.dismissals)} dismissals (all review: pending)")
    return 0


