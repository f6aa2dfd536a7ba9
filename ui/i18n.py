"""Interface strings in Azerbaijani and English.

The strings live in ``ui/locales/<lang>.yaml`` (one flat mapping per language, same keys in
both). ``t`` looks a key up and fills ``{placeholders}`` with ``str.format``.

Default language: Azerbaijani (``az``). The articles, the newsroom and most readers of the
embeds are Azerbaijani; English analysts add ``?lang=en`` (or use the switch), and the choice
then stays in the address bar.

Example:
    >>> t("page_trade", "en")
    'Trade'
    >>> parse_lang("EN"), parse_lang("<script>")
    ('en', 'az')
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

Lang = Literal["az", "en"]
LANGS: tuple[Lang, ...] = ("az", "en")
DEFAULT_LANG: Lang = "az"
BABEL_LOCALES = {"az": "az", "en": "en"}

_LOCALE_DIR = Path(__file__).parent / "locales"


@cache
def strings(lang: str) -> dict[str, str]:
    """All strings of one language, read once from ``ui/locales/<lang>.yaml``."""
    path = _LOCALE_DIR / f"{lang}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of key: string")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{path}: values must be strings, not for keys {bad}")
    return data


def parse_lang(value: object) -> Lang:
    """Language code from an untrusted value (query parameter); anything unknown -> default.

    A list (repeated query keys) takes its last element, as ``st.query_params`` does.
    """
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if isinstance(value, str):
        v = value.strip().lower()[:8]
        if v in LANGS:
            return v  # type: ignore[return-value]
    return DEFAULT_LANG


def localized(row: Mapping[str, object], field: str, lang: str) -> str | None:
    """``row[field + "_az"]`` when ``lang`` is az and it is set, else ``row[field]``.

    For bilingual table columns such as ``note`` / ``note_az``: Azerbaijani readers see the
    Azerbaijani text, and a row (or an older table) without it falls back to the English one.
    Missing values (None, NaN, empty) count as unset; ``None`` when neither is set.

    Example:
        >>> row = {"note": "Year uncertain.", "note_az": "İl qeyri-müəyyəndir."}
        >>> localized(row, "note", "az"), localized(row, "note", "en")
        ('İl qeyri-müəyyəndir.', 'Year uncertain.')
        >>> localized({"note": "Year uncertain.", "note_az": None}, "note", "az")
        'Year uncertain.'
    """
    keys = (f"{field}_az", field) if parse_lang(lang) == "az" else (field,)
    for key in keys:
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def t(key: str, lang: str, **kw: object) -> str:
    """The string ``key`` in ``lang`` with ``{name}`` placeholders filled from ``kw``.

    Raises ``KeyError`` naming the key and locale file when a string is missing, so a gap in a
    translation fails the tests instead of showing a blank label.
    """
    table = strings(parse_lang(lang))
    try:
        text = table[key]
    except KeyError:
        raise KeyError(f"ui/locales/{parse_lang(lang)}.yaml has no key {key!r}") from None
    return text.format(**kw) if kw else text
