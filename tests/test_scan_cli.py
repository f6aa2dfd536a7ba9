"""``python -m etl scan`` run as a reader would run it: a subprocess on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "raw" / "articles" / "001_3182613a78d8a00f.txt"
KEYS = {"file", "start", "end", "text", "value", "value_high", "unit", "qualifier", "per",
        "kind"}


def run_scan(*paths: str | Path, env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "etl", "scan", *map(str, paths)], cwd=ROOT,
                          capture_output=True, timeout=120, env={**os.environ, **(env or {})})


def lines(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_article_prints_one_json_object_per_expression():
    res = run_scan(ARTICLE)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr == b""
    rows = lines(res.stdout)
    text = ARTICLE.read_text(encoding="utf-8")
    assert len(rows) >= 10
    for row in rows:
        assert KEYS <= row.keys()
        assert row["file"] == str(ARTICLE)
        assert text[row["start"]:row["end"]] == row["text"]
    turnover = next(r for r in rows if r["text"] == "598,47 milyon dollar")
    assert (turnover["value"], turnover["unit"], turnover["qualifier"]) == (598470000.0, "USD",
                                                                            "exact")
    near = next(r for r in rows if r["text"] == "150-yə yaxın")
    assert (near["value"], near["unit"], near["qualifier"]) == (150.0, "count", "approx")


def test_non_ascii_is_printed_as_characters_whatever_the_locale():
    res = run_scan(ARTICLE, env={"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"})
    assert res.returncode == 0, res.stderr.decode()
    assert "dörd dəfə".encode() in res.stdout
    assert b"\\u" not in res.stdout


def test_bad_utf8_is_named_with_its_byte_offset_and_other_files_still_scanned(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Dövriyye 5 milyon".encode("cp1254"))  # ö is byte 0xf6 at offset 1
    res = run_scan(bad, ARTICLE)
    assert res.returncode == 2
    err = res.stderr.decode()
    assert str(bad) in err and "not valid UTF-8" in err and "byte 1" in err
    assert "Traceback" not in err
    rows = lines(res.stdout)
    assert rows and {r["file"] for r in rows} == {str(ARTICLE)}


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.txt"
    res = run_scan(missing)
    assert res.returncode == 2
    assert f"{missing}: no such file" in res.stderr.decode()
    assert res.stdout == b""


def test_no_file_given_is_a_usage_error():
    res = run_scan()
    assert res.returncode == 2
    assert b"FILE" in res.stderr and b"Traceback" not in res.stderr
