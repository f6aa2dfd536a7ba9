"""Shared fixtures.

``browser``: headless Chromium for the browser tests (one per module).

``corpus``: a private copy of the tiny fixture corpus (``tests/fixtures/corpus``) with its tables
already built once, plus helpers to edit the register or an article, rebuild through the CLI and
check that the last good tables were left byte-identical.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from charts.bundle import SERVED_ENV, plotly_path
from etl.__main__ import main
from etl.store import LOCK_NAME
from harness.cluster import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
# AppTest runs the dashboard in this process as the project's server does (web/app.py sets the
# variable): charts drawn by ui.plot's component. tests/test_plot.py also runs it without.
os.environ.setdefault(SERVED_ENV, plotly_path())
FIXTURE_CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@dataclass
class Corpus:
    """A writable copy of the fixture corpus and the snapshot of its last good tables."""

    root: Path
    capsys: pytest.CaptureFixture
    snapshot: dict[str, bytes]

    @property
    def tables(self) -> Path:
        return self.root / "data" / "tables"

    def path(self, rel: str) -> Path:
        return self.root / "data" / rel

    def replace(self, rel: str, old: str, new: str, count: int = 1) -> None:
        """Edit a register file or article in place; the old text must be there."""
        p = self.path(rel)
        text = p.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        p.write_text(text.replace(old, new, count), encoding="utf-8")

    def append(self, rel: str, text: str) -> None:
        with open(self.path(rel), "a", encoding="utf-8") as fh:
            fh.write(text)

    def cli(self, *args: str) -> CliResult:
        self.capsys.readouterr()
        code = main([*args, "--root", str(self.root)])
        cap = self.capsys.readouterr()
        return CliResult(code, cap.out, cap.err)

    def build(self) -> CliResult:
        return self.cli("build")

    def files(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.tables.iterdir())
                if p.name != LOCK_NAME}

    def unchanged(self) -> bool:
        """True when the tables folder holds exactly the last good build, byte for byte."""
        return self.files() == self.snapshot


@pytest.fixture
def corpus(tmp_path: Path, capsys: pytest.CaptureFixture) -> Corpus:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, root)
    c = Corpus(root, capsys, {})
    result = c.build()
    assert result.code == 0, result.err
    c.snapshot = c.files()
    assert set(c.snapshot) == {"datapackage.json", "sources.parquet", "indicators.parquet",
                               "figures.parquet", "events.parquet", "mentions.parquet",
                               "reference.parquet", "checks.parquet"}
    return c


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium with the project's launch settings, one per test module."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
