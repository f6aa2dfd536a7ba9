"""Register and scanner input written to hurt: alias bombs, list keys, huge values, endless files.

Each one must end quickly in a listed problem naming file and line (issue 8, defects 2 and 6),
never in a hang, an exhausted memory or a traceback, and leave the last good tables untouched.
"""

from __future__ import annotations

import subprocess
import sys
import time

from tests.conftest import ROOT, Corpus
from tests.test_bad_input import fails_with


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """One event whose ``note`` expands to ``width ** levels`` strings through nested aliases."""
    lines = ['- event_id: fx-bomb', '  a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    lines.append(f"  note: *a{levels}")
    return "\n".join(lines) + "\n"


def next_line(corpus: Corpus, rel: str) -> int:
    """The line number the next appended line of register file ``rel`` will have."""
    return len(corpus.path(rel).read_text(encoding="utf-8").splitlines()) + 1


def test_alias_bomb_is_refused_at_once_with_file_and_line(corpus: Corpus):
    at = next_line(corpus, "events.yaml") + 1  # the line of the first anchor
    corpus.append("events.yaml", alias_bomb())
    started = time.perf_counter()
    err = fails_with(corpus, f"data/events.yaml:{at}:", "anchors and aliases are not allowed",
                     f"line {at}, column 7")
    assert time.perf_counter() - started < 2
    assert len(err) < 2000


def test_alias_bomb_through_the_cli_check_finishes_quickly(corpus: Corpus):
    at = next_line(corpus, "events.yaml") + 1
    corpus.append("events.yaml", alias_bomb())
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "etl", "check", "--root", str(corpus.root)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 1
    assert f"data/events.yaml:{at}:" in proc.stderr and "Traceback" not in proc.stderr
    assert elapsed < 10  # the interpreter's start-up included; the check itself is instant


def test_a_single_alias_is_refused_too(corpus: Corpus):
    corpus.replace("events.yaml", "  title_en: First meeting", "  title_en: &t First meeting")
    corpus.replace("events.yaml", "  title_az: Ali Dövlətlərarası Şuranın ilk iclası",
                   "  title_az: *t")
    fails_with(corpus, "data/events.yaml:8:", "an anchor (&t)", "write the value out in full")


def test_a_list_used_as_a_field_name_is_a_listed_problem(corpus: Corpus):
    at = next_line(corpus, "events.yaml") + 1
    corpus.append("events.yaml", "- event_id: fx-key\n  ? [a, b]\n  : 1\n")
    fails_with(corpus, f"data/events.yaml:{at}:", "a field name must be plain text",
               "found a list used as a key", f"line {at}, column 5")


def test_a_mapping_used_as_a_field_name_is_a_listed_problem(corpus: Corpus):
    at = next_line(corpus, "events.yaml") + 1
    corpus.append("events.yaml", "- event_id: fx-key\n  ? {a: b}\n  : 1\n")
    fails_with(corpus, f"data/events.yaml:{at}:", "found a mapping used as a key")


def test_an_endless_number_is_a_listed_problem(corpus: Corpus):
    corpus.replace("figures.yaml", "value: 400000000", "value: " + "4" * 5000)
    fails_with(corpus, "data/figures.yaml:", "a whole number of 5000 characters is too long")


def test_huge_values_are_cut_in_messages(corpus: Corpus):
    # A value that is a large list (no aliases) and a long text where a field wants another type
    # or a vocabulary word: the message shows the start of each, never the whole.
    corpus.replace("figures.yaml", "value: 400000000",
                   "value: [" + ", ".join(["[1, 2, 3, 4, 5, 6]"] * 20000) + "]")
    corpus.replace("figures.yaml", "  unit: t\n", "  unit: " + "t" * 200_000 + "\n")
    started = time.perf_counter()
    err = fails_with(corpus, "figure 'fx-turnover-2024'", "field 'value'",
                     "expected a number, got [[1, 2, 3, 4, ...], ", "field 'unit'",
                     "is not in the vocabulary")
    assert time.perf_counter() - started < 10
    assert max(len(line) for line in err.splitlines()) < 400


def test_scan_of_an_endless_file_stops_at_the_size_limit():
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "etl", "scan", "/dev/zero"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - started < 20
    assert proc.returncode == 2
    assert "/dev/zero is larger than" in proc.stderr and "MAX_ARTICLE_BYTES" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_scan_refuses_a_large_file_by_its_size_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB that cost nothing to write
    proc = subprocess.run([sys.executable, "-m", "etl", "scan", str(big)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "is 52.4 MB; articles are limited to" in proc.stderr
