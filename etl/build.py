"""The build: register + articles → verified tables, written atomically (or only checked).

Example (the CLI does exactly this):
    >>> result = run(ROOT, write=False)
    >>> sorted(result.frames)
    ['checks', 'events', 'figures', 'indicators', 'mentions', 'reference', 'sources']
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.numbers import scan
from etl.paths import ROOT
from etl.register import load_register
from etl.store import build_lock, write_tables
from etl.tables import Scanner, build_frames

DATA_DIR = "data"
ARTICLES_DIR = "data/raw/articles"
TABLES_DIR = "data/tables"


@dataclass(frozen=True)
class BuildResult:
    frames: dict[str, pd.DataFrame]
    build_id: str
    out: Path | None


def default_root() -> Path:
    """The repository root (the folder holding ``etl/`` and ``data/``)."""
    return ROOT


def default_scanner() -> Scanner:
    return scan


def build_digest(root: Path, raw_files: dict[str, bytes], articles: list[str],
                 frames: dict[str, pd.DataFrame]) -> str:
    """The tables' ``build_id``: a digest of every input byte and of the tables' content.

    Inputs are the register files and the articles; the content (each table as CSV text) makes
    the id change when only the code changed the output, so readers can key caches on it.
    """
    h = hashlib.sha256()
    for name in sorted(raw_files):
        h.update(name.encode() + b"\0" + hashlib.sha256(raw_files[name]).digest())
    for rel in sorted(articles):
        path = root / rel
        if path.is_file():
            h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for name in sorted(frames):
        text = frames[name].to_csv(index=False, lineterminator="\n")
        h.update(name.encode() + b"\0" + hashlib.sha256(text.encode()).digest())
    return h.hexdigest()[:16]


def run(root: Path, out: Path | None = None, write: bool = True,
        scan: Scanner | None = None) -> BuildResult:
    """Check the register under ``root``; when ``write``, replace the tables in ``out``.

    Raises :class:`etl.errors.BuildError` (every problem) or :class:`etl.errors.LockedError`.
    """
    root = root.resolve()
    scan = scan or default_scanner()
    if not write:
        frames, build_id = _frames(root, scan)
        return BuildResult(frames, build_id, None)
    out = (out or root / TABLES_DIR).resolve()
    with build_lock(out):
        frames, build_id = _frames(root, scan)
        write_tables(frames, out, build_id)
    return BuildResult(frames, build_id, out)


def _frames(root: Path, scan: Scanner) -> tuple[dict[str, pd.DataFrame], str]:
    reg = load_register(root, DATA_DIR)
    frames = build_frames(reg, scan, ARTICLES_DIR)
    build_id = build_digest(root, reg.raw_bytes, list(frames["sources"]["raw_path"]), frames)
    return frames, build_id
