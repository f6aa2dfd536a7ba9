"""Property tests: the scanner is total, ordered, faithful to its offsets and linear in time.

``scan`` must hold on any ``str`` (lone surrogates, control characters, no-break spaces), on
random mixes of the pieces it parses (digits, separators, scale words, suffixes, qualifiers,
months, word numerals), and on long repetitive input built to provoke backtracking. Time is
bounded with Hypothesis' per-example ``deadline`` (generous, as the machine is shared), not a
wall-clock assertion: a quadratic reader would take minutes on the long cases.
"""

from __future__ import annotations

import math
from datetime import timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.lexicon import QUALIFIERS_AFTER, QUALIFIERS_BEFORE, TIME_UNITS, UNITS
from etl.numbers import scan
from etl.schema import QUALIFIERS as CONTRACT_QUALIFIERS
from etl.schema import UNITS as CONTRACT_UNITS

PIECES = [
    "0", "1", "7", "12", "155", "598", "2024", "1999", "47", "000", "31", " ", " ", "\u00a0",
    "\u202f", ",", ".", "-", "–", "—", ":", "/", "%", "$", "€", "₼", "'", "’", "\n", "(", ")",
    "\"", "milyon", "milyard", "min", "mln", "mlrd", "млн", "млрд", "тыс.", "thousand",
    "million", "bn", "m", "k", "dən", "-dən", "-cü", "-ci", "cı", "-yə", "-a", "ya", "dolları",
    "dollar", "ton", "tonu", "tona", "km", "km-lik", "TEU", "nəfər", "dəfə", "dəfədən", "raz",
    "раз", "в", "от", "до", "times", "təxminən", "artıq", "çox", "yaxın", "keçmişdir", "qədər",
    "ildə", "il", "ilin", "illər", "ilədək", "ay", "gün", "yarım", "iki", "yüz", "əlli", "bir",
    "on", "otuz", "dörd", "one", "пять", "mart", "Yanvar", "dekabr", "марта", "March", "May",
    "up to", "more than", "a year", "per year", "в год", "около", "свыше", "İ", "I", "ı",
    "artaraq", "COVID", "see", "a", "the", "və",
]
mixes = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
spaced = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)

ADVERSARIAL = [
    "1,", "1.", "1 ", "1 000 ", "1-", "1–", "1-1-", "12:", "1:00 ", "2024-cü ", "iki ", "bir ",
    "yüz ", "min ", "milyon ", "1 milyon ", "1 milyon 1 min ", "a1", "1a", "-1", "%", "$1",
    "təxminən ", "dəfə ", "5 dəfə ", ") ", "1 ) ", "от 1 до ", "iki yüz ", "ildə ", "mart ",
    "1 mart ", "2024 ", "İ", "\u00a0", "1\u00a0", "1\u202f000", "...", "0", "9" * 50 + " ",
    "1,000,", "1.000.", "1,2,", "x" * 60 + " ", "dolları ", "tonu keçmişdir ",
]


def check(text: str) -> None:
    found = scan(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.kind in ("quantity", "year", "date", "time")
        assert m.unit is None or m.unit in CONTRACT_UNITS
        assert m.qualifier in CONTRACT_QUALIFIERS
        for v in (m.value, m.value_high):
            assert v is None or math.isfinite(v)
        if m.value_high is not None:
            assert m.qualifier == "range" and m.value is not None and m.value_high > m.value
    for a, b in pairwise(found):
        assert a.end <= b.start


def test_lexicon_speaks_the_contract_vocabulary():
    # the tables may only produce CONTRACT units (plus "mult", resolved to times or count)
    units = {u for table in UNITS.values() for u in table.values()}
    assert units <= set(CONTRACT_UNITS) | {"mult"}
    units |= {u for table in TIME_UNITS.values() for u, _ in table.values() if u}
    assert units <= set(CONTRACT_UNITS) | {"mult"}
    quals = {q for table in QUALIFIERS_BEFORE.values() for q in table.values()}
    quals |= {q for table in QUALIFIERS_AFTER.values() for q, _ in table.values()}
    assert quals <= set(CONTRACT_QUALIFIERS)


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(any_text)
def test_any_text(text):
    check(text)


@settings(max_examples=400, deadline=timedelta(seconds=2))
@given(mixes)
def test_mixes_of_pieces(text):
    check(text)


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(spaced)
def test_spaced_pieces(text):
    check(text)


@settings(max_examples=40, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(ADVERSARIAL), min_size=1, max_size=3),
       st.integers(min_value=1_000, max_value=3_000))
def test_long_adversarial_input_stays_fast(unit, repeat):
    # 2k-90k characters of one repeated pattern: the scanner reads ~2 MB per CPU second, so
    # this takes well under a second even on a loaded machine, while a reader that
    # backtracks or rescans (quadratic) would blow the 10 s deadline by orders of magnitude
    check("".join(unit) * repeat)
