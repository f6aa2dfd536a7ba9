"""Every kind of bad input fails the build with a message naming file, record and field, and
leaves the last good tables byte-identical."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from etl.store import LOCK_NAME, PACKAGE, read_tables, table_build_id
from tests.conftest import ROOT, Corpus


def fails_with(corpus: Corpus, *needles: str) -> str:
    """Build, expect failure, check every needle is in the message and the tables unchanged."""
    result = corpus.build()
    assert result.code == 1, result.out
    for needle in needles:
        assert needle in result.err, f"{needle!r} missing from:\n{result.err}"
    assert "Traceback" not in result.err
    assert "previous tables are unchanged" in result.err
    assert corpus.unchanged()
    return result.err


def test_quote_not_in_article(corpus):
    corpus.replace("figures.yaml", "400 milyon dollar təşkil edib", "400 milyon dollar olub")
    fails_with(corpus, "data/figures.yaml:", "figure 'fx-turnover-2024'", "field 'quote'",
               "not found verbatim", "data/raw/articles/a.txt")


def test_quote_differing_only_in_whitespace_gets_a_hint(corpus):
    corpus.replace("raw/articles/a.txt", "400 milyon dollar", "400\u00a0milyon dollar")
    err = fails_with(corpus, "figure 'fx-turnover-2024'", "field 'quote'")
    assert "if whitespace is ignored" in err and "U+00A0 NO-BREAK SPACE" in err


def test_quote_that_says_another_number(corpus):
    corpus.replace("figures.yaml", "value: 400000000", "value: 450000000")
    fails_with(corpus, "figure 'fx-turnover-2024'", "field 'value'",
               "the quote does not say the registered figure", "value=4.5e+08")


def test_unknown_indicator(corpus):
    corpus.replace("figures.yaml", "indicator_id: middle_corridor_volume",
                   "indicator_id: middle_corridor")
    fails_with(corpus, "data/figures.yaml:1:", "figure 'fx-corridor-2024'",
               "field 'indicator_id'", "unknown indicator 'middle_corridor'")


def test_unknown_source(corpus):
    corpus.replace("figures.yaml", "source_id: fx-deputat", "source_id: fx-nobody")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'source_id'",
               "unknown source 'fx-nobody'")


def test_duplicate_id(corpus):
    corpus.replace("figures.yaml", "figure_id: fx-companies", "figure_id: fx-corridor-2024")
    fails_with(corpus, "data/figures.yaml:", "figure 'fx-corridor-2024'", "field 'figure_id'",
               "duplicate id 'fx-corridor-2024' (first defined at data/figures.yaml:1)")


def test_duplicate_id_across_quoted_and_derived(corpus):
    corpus.replace("derived.yaml", "figure_id: fx-derived-turnover-2023",
                   "figure_id: fx-turnover-2024")
    fails_with(corpus, "data/derived.yaml:1:", "derived figure 'fx-turnover-2024'",
               "field 'figure_id'", "duplicate id")


def test_unit_that_does_not_fit_the_indicator(corpus):
    corpus.replace("figures.yaml", "  unit: t\n", "  unit: km\n")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'unit'",
               "unit 'km' does not fit indicator 'middle_corridor_volume' (expected t)")


def test_change_figure_needs_percent_or_times(corpus):
    corpus.replace("figures.yaml", "  unit: percent\n", "  unit: USD\n")
    fails_with(corpus, "figure 'fx-turnover-growth-2024'", "field 'unit'", "percent or times")


def test_unit_outside_vocabulary(corpus):
    corpus.replace("figures.yaml", "  unit: t\n", "  unit: tonnes\n")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'unit'",
               "'tonnes' is not in the vocabulary")


def test_malformed_yaml_names_file_and_line(corpus):
    corpus.replace("figures.yaml", "- figure_id: fx-turnover-2024",
                   "- figure_id: [fx-turnover-2024")
    err = fails_with(corpus, "data/figures.yaml:", "malformed YAML")
    line = next(ln for ln in err.splitlines() if "malformed YAML" in ln)
    assert "line " in line


def test_article_not_utf8_names_byte_offset(corpus):
    path = corpus.path("raw/articles/b.txt")
    data = path.read_bytes()
    path.write_bytes(data[:50] + b"\xff" + data[50:])
    fails_with(corpus, "data/sources.yaml:", "source 'fx-service'", "field 'raw_path'",
               "data/raw/articles/b.txt is not valid UTF-8", "byte offset 50")


def test_empty_article(corpus):
    corpus.path("raw/articles/b.txt").write_bytes(b"")
    fails_with(corpus, "source 'fx-service'", "field 'raw_path'",
               "data/raw/articles/b.txt is empty")


def test_binary_article(corpus):
    corpus.path("raw/articles/b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    fails_with(corpus, "source 'fx-service'", "field 'raw_path'",
               "NUL byte at byte offset 8", "binary file")


def test_huge_article_is_rejected_with_a_size_limit(corpus):
    path = corpus.path("raw/articles/b.txt")
    original = path.read_text(encoding="utf-8")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(original)
        line = "Ticarət 123 milyon dollar, nəqliyyat 4,5 milyon ton. " * 100 + "\n"
        while fh.tell() < 20 * 1024 * 1024:
            fh.write(line)
    started = time.perf_counter()
    fails_with(corpus, "source 'fx-service'", "field 'raw_path'", "data/raw/articles/b.txt is",
               "MB; articles are limited to")
    assert time.perf_counter() - started < 30


def test_register_referencing_a_deleted_article(corpus):
    corpus.path("raw/articles/b.txt").unlink()
    fails_with(corpus, "data/sources.yaml:", "source 'fx-service'", "field 'raw_path'",
               "data/raw/articles/b.txt does not exist")


def test_article_outside_the_articles_folder(corpus):
    corpus.replace("sources.yaml", "raw_path: data/raw/articles/b.txt",
                   "raw_path: data/raw/articles/../../sources.yaml")
    fails_with(corpus, "source 'fx-service'", "field 'raw_path'",
               "is not inside data/raw/articles/")


def test_unwritable_output_gives_a_message_not_a_traceback(corpus, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = corpus.cli("build", "--out", str(blocker / "tables"))
    assert result.code == 1
    assert "build failed" in result.err and str(blocker) in result.err
    assert "Traceback" not in result.err


def test_article_without_a_source(corpus):
    corpus.path("raw/articles/c.txt").write_text("Yeni məqalə 5 faiz.", encoding="utf-8")
    fails_with(corpus, "data/raw/articles/c.txt", "not registered in data/sources.yaml")


def test_impossible_date(corpus):
    corpus.replace("figures.yaml", "period_end: 2024-12-31", "period_end: 2024-02-30")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'period_end'",
               "'2024-02-30' is not a valid date")


def test_period_end_before_start(corpus):
    corpus.replace("figures.yaml", "period_end: 2024-12-31", "period_end: 2023-12-31")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'period_end'",
               "before period_start")


def test_missing_required_field(corpus):
    corpus.replace("figures.yaml", "  attributed_to: Test Deputat\n", "")
    fails_with(corpus, "data/figures.yaml:1:", "figure 'fx-corridor-2024'",
               "field 'attributed_to'", "required field is missing")


def test_unknown_field_is_reported(corpus):
    corpus.replace("figures.yaml", "  period_label: \"2024\"\n", "  perod_label: \"2024\"\n")
    fails_with(corpus, "figure 'fx-corridor-2024'", "field 'perod_label'", "unknown field")


def test_inferred_date_needs_a_note(corpus):
    corpus.replace("figures.yaml", "  note: A stock to date; the publication month is inferred.\n",
                   "")
    fails_with(corpus, "figure 'fx-companies'", "field 'note'",
               "required when period_basis is inferred")


def test_note_without_its_azerbaijani_translation(corpus):
    corpus.replace("figures.yaml", "  note_az: Bu günədək olan həcmdir; dərc ayı ehtimal edilir.\n",
                   "")
    fails_with(corpus, "data/figures.yaml:", "figure 'fx-companies'", "field 'note_az'",
               "required when note is given")


def test_azerbaijani_note_without_the_english_one(corpus):
    corpus.replace("events.yaml", "  note: null\n", "  note: null\n  note_az: Yalnız il.\n")
    fails_with(corpus, "data/events.yaml:", "field 'note_az'", "given without note")


def test_published_note_without_its_azerbaijani_translation(corpus):
    corpus.replace("sources.yaml",
                   "  published_note_az: Test üçün xəbər verdiyi iclasdan ehtimal edilib.\n", "")
    fails_with(corpus, "data/sources.yaml:", "field 'published_note_az'",
               "required when published_note is given")


def test_note_without_its_russian_translation(corpus):
    corpus.replace("figures.yaml",
                   "  note_ru: Число на сегодняшний день; месяц публикации установлен косвенно.\n",
                   "")
    fails_with(corpus, "data/figures.yaml:", "figure 'fx-companies'", "field 'note_ru'",
               "required when note is given", "Russian")


def test_russian_note_without_the_english_one(corpus):
    corpus.replace("events.yaml", "  note: null\n", "  note: null\n  note_ru: Только год.\n")
    fails_with(corpus, "data/events.yaml:", "event 'fx-council-2024-03'", "field 'note_ru'",
               "given without note")


def test_published_note_without_its_russian_translation(corpus):
    corpus.replace("sources.yaml", "  published_note_ru: Для теста установлена по заседанию, "
                   "о котором сообщается.\n", "")
    fails_with(corpus, "data/sources.yaml:", "source 'fx-service'", "field 'published_note_ru'",
               "required when published_note is given")


@pytest.mark.parametrize(("rel", "line", "record", "field"), [
    ("figures.yaml", "  quote_ru: Перевозки по Среднему коридору в 2024 году превысили 3,5 млн "
     "тонн\n", "figure 'fx-corridor-2024'", "quote_ru"),
    ("events.yaml", "  title_ru: Первое заседание Высшего межгосударственного совета\n",
     "event 'fx-council-2024-03'", "title_ru"),
    ("events.yaml", "  quote_en: The first meeting of the Supreme Interstate Council was held in "
     "Baku in March 2024\n", "event 'fx-council-2024-03'", "quote_en"),
    ("indicators.yaml", "  label_ru: Товарооборот\n", "indicator 'trade_turnover'",
     "label_ru"),
    ("sources.yaml", "  speaker_role_ru: Депутат парламента\n", "source 'fx-deputat'",
     "speaker_role_ru"),
])
def test_missing_required_translation(corpus, rel, line, record, field):
    corpus.replace(rel, line, "")
    fails_with(corpus, f"data/{rel}:", record, f"field '{field}'", "required field is missing")


def test_unreviewed_mention(corpus):
    corpus.replace("raw/articles/a.txt", "Bunu deputat deyib.", "Bunu 7 deputat deyib.")
    corpus.replace("sources.yaml", "body_ends_with: \"deputat deyib.\"",
                   "body_ends_with: \"7 deputat deyib.\"")
    fails_with(corpus, "data/raw/articles/a.txt:2:", "source 'fx-deputat'",
               "unreviewed numeric expression '7'", "Bunu [7] deputat")


def test_unreviewed_mention_is_reported_beside_a_failing_figure(corpus):
    corpus.replace("raw/articles/a.txt", "Bunu deputat deyib.", "Bunu 7 deputat deyib.")
    corpus.replace("sources.yaml", "body_ends_with: \"deputat deyib.\"",
                   "body_ends_with: \"7 deputat deyib.\"")
    corpus.replace("figures.yaml", "value: 400000000", "value: 450000000")
    err = fails_with(corpus, "unreviewed numeric expression '7'", "figure 'fx-turnover-2024'")
    # the failing figure's own numbers are not reported a second time as unreviewed
    assert "unreviewed numeric expression '400 milyon dollar'" not in err
    assert "input figure 'fx-turnover-2024' failed its own checks" in err
    assert err.splitlines()[0] == "3 problems found:"


def test_stale_dismissal(corpus):
    corpus.append("dismissals.yaml", "- source_id: fx-service\n  text: \"99 gün\"\n"
                  "  reason: Nothing.\n")
    fails_with(corpus, "data/dismissals.yaml:4:", "dismissal #2", "field 'text'",
               "stale dismissal", "'99 gün'")


def test_dismissal_of_a_registered_expression_is_stale(corpus):
    corpus.append("dismissals.yaml", "- source_id: fx-service\n  text: \"250-dən artıq\"\n"
                  "  reason: Oops.\n")
    fails_with(corpus, "dismissal #2", "stale dismissal", "already registered to 'fx-companies'")


def test_quote_spanning_the_body_boundary(corpus):
    corpus.replace("events.yaml", "quote: \"Ali Dövlətlərarası Şuranın ilk iclası",
                   "quote: \"mərhələ\\nAli Dövlətlərarası Şuranın ilk iclası")
    fails_with(corpus, "data/events.yaml:1:", "event 'fx-council-2024-03'", "field 'quote'",
               "crosses the body boundary")


def test_quote_in_page_chrome(corpus):
    corpus.replace("events.yaml", "quote: \"Ali Dövlətlərarası Şuranın ilk iclası "
                   "2024-cü ilin martında Bakıda keçirilib\"", "quote: \"Xətanı gördünüz?\"")
    fails_with(corpus, "event 'fx-council-2024-03'", "field 'quote'",
               "found only outside the article body")


def test_repeated_quote_needs_occurrence(corpus):
    corpus.replace("events.yaml", "quote: \"Ali Dövlətlərarası Şuranın ilk iclası "
                   "2024-cü ilin martında Bakıda keçirilib\"", "quote: \"Bakıda\"")
    fails_with(corpus, "event 'fx-council-2024-03'", "field 'quote'",
               "quote occurs 2 times inside the body", "occurrence")


def test_conflicting_duplicate_figures(corpus):
    corpus.replace("raw/articles/a.txt", " Bunu deputat deyib.",
                   " Başqa hesabla dövriyyə 2024-cü ildə 450 milyon dollar olub. Bunu deputat "
                   "deyib.")
    corpus.append("figures.yaml", """- figure_id: fx-turnover-2024-other
  source_id: fx-deputat
  indicator_id: trade_turnover
  kind: observed
  value: 450000000
  unit: USD
  qualifier: exact
  period_start: 2024-01-01
  period_end: 2024-12-31
  period_label: "2024"
  period_basis: stated
  attributed_to: Test Deputat
  attributed_to_az: Test Deputat
  attributed_to_ru: Тест Депутат
  reporting_side: AZ
  quote: "dövriyyə 2024-cü ildə 450 milyon dollar olub"
  quote_en: turnover was 450 million dollars in 2024
  quote_ru: оборот в 2024 году составил 450 млн долларов
""")
    fails_with(corpus, "figure 'fx-turnover-2024-other'", "field 'value'",
               "conflicts with figure 'fx-turnover-2024'", "4.5e+08 vs 4e+08")


def test_bad_formula(corpus):
    corpus.replace("derived.yaml", "fx-turnover-2024 / (1 +", "__import__('os') / (1 +")
    fails_with(corpus, "data/derived.yaml:1:", "derived figure 'fx-derived-turnover-2023'",
               "field 'formula'")


def test_every_problem_is_listed_at_once(corpus):
    corpus.replace("figures.yaml", "indicator_id: middle_corridor_volume",
                   "indicator_id: nowhere")
    corpus.replace("figures.yaml", "value: 400000000", "value: 1")
    corpus.replace("events.yaml", "precision: month", "precision: weekly")
    err = fails_with(corpus, "unknown indicator 'nowhere'", "fx-turnover-2024",
                     "'weekly' is not in the vocabulary",
                     "input figure 'fx-turnover-2024' failed its own checks")
    assert err.splitlines()[0] == "4 problems found:"


def test_build_refuses_while_another_build_holds_the_lock(corpus):
    fd = os.open(corpus.tables / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        corpus.replace("dismissals.yaml", "Length of a visit", "Length of the visit")
        result = corpus.build()
    finally:
        os.close(fd)
    assert result.code == 2
    assert "another build is running" in result.err
    assert corpus.unchanged()
    assert corpus.build().code == 0  # the lock is free again
    assert not corpus.unchanged()


def test_two_concurrent_builds_never_mix_tables(corpus, tmp_path):
    # Two registers that differ only in a dismissal reason, built into the same folder at once.
    other = tmp_path / "other"
    import shutil

    shutil.copytree(corpus.root, other, ignore=shutil.ignore_patterns("tables"))
    p = other / "data" / "dismissals.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("Length of a visit", "A visit's length"),
                 encoding="utf-8")
    out = tmp_path / "shared-out"
    cmd = [sys.executable, "-m", "etl", "build", "--out", str(out), "--root"]
    for _ in range(3):
        procs = [subprocess.Popen([*cmd, str(r)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for r in (corpus.root, other)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        for code, err in results:
            assert "Traceback" not in err
            if code == 2:
                assert "another build is running" in err
        package_id = __import__("json").loads((out / PACKAGE).read_text())["build_id"]
        ids = {table_build_id(f) for f in out.glob("*.parquet")}
        assert ids == {package_id}
        frames = read_tables(out)
        reasons = set(frames["mentions"]["reason"].dropna())
        assert len(reasons) == 1 and reasons <= {"Length of a visit, not an indicator.",
                                                 "A visit's length, not an indicator."}
        assert not list(out.glob(".build-*"))


@pytest.mark.parametrize("command", ["build", "check"])
def test_cli_prints_no_traceback_for_bad_register(corpus, command):
    corpus.replace("figures.yaml", "value: 400000000", "value: 2")
    proc = subprocess.run([sys.executable, "-m", "etl", command, "--root", str(corpus.root)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "figure 'fx-turnover-2024'" in proc.stderr
    assert corpus.unchanged()
    pd.testing.assert_frame_equal(read_tables(corpus.tables)["figures"],
                                  pd.read_parquet(corpus.tables / "figures.parquet"))
