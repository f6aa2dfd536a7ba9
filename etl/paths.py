"""The repository's folders, defined once (every layer imports them from here).

Example:
    >>> (ROOT / "etl" / "paths.py").is_file(), TABLES_DIR.relative_to(ROOT).as_posix()
    (True, 'data/tables')
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ARTICLES_DIR = DATA_DIR / "raw" / "articles"
TABLES_DIR = DATA_DIR / "tables"
SITE_DIR = ROOT / "site"  # the static embeds (python -m web.export)
