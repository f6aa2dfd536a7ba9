"""Every reader-facing string, in every language of ``etl.schema.LANGS``.

The strings live in ``i18n/locales/<lang>.yaml``: one flat mapping per language with the same
keys in every file (tests/test_i18n.py checks). Besides interface texts a locale file holds the
language's formatting rules as data (``fmt_*``, ``unit_*``, ``per_*``: see ``i18n/fmt.py``), so
adding a language is one locale file plus one entry in ``LANGS``; no code branches on a
language code.

``t`` looks a key up and fills ``{placeholders}`` with ``str.format``. ``localized`` picks a
table row's text in the reader's language (``note_ru`` beside ``note``).

Default language: Azerbaijani (``az``, the first of ``LANGS``). The articles, the newsroom and
most readers of the embeds are Azerbaijani; other readers add ``?lang=en`` / ``?lang=ru`` (or
use the switch), and the choice then stays in the address bar.

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

import yaml
from babel import Locale

from etl.schema import LANGS

DEFAULT_LANG: str = LANGS[0]
# The language of the register's unsuffixed editor texts (``note``, ``base_period_label``):
# a row without a text in the reader's language falls back to this one.
REGISTER_LANG = "en"

LOCALE_DIR = Path(__file__).resolve().parent / "locales"


def locale_path(lang: str) -> Path:
    """The locale file of ``lang``."""
    return LOCALE_DIR / f"{lang}.yaml"


@cache
def strings(lang: str) -> dict[str, str]:
    """All strings of one language, read once from ``i18n/locales/<lang>.yaml``."""
    path = locale_path(lang)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of key: string")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{path}: values must be strings, not for keys {bad}")
    return data


def parse_lang(value: object) -> str:
    """Language code from an untrusted value (query parameter); anything unknown -> default.

    A list (repeated query keys) takes its last element, as ``st.query_params`` does.

    >>> parse_lang(["az", "ru"]), parse_lang(" RU ")
    ('ru', 'ru')
    """
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if isinstance(value, str):
        v = value.strip().lower()[:8]
        if v in LANGS:
            return v
    return DEFAULT_LANG


def t(key: str, lang: str, **kw: object) -> str:
    """The string ``key`` in ``lang`` with ``{name}`` placeholders filled from ``kw``.

    Raises ``KeyError`` naming the key and locale file when a string is missing, so a gap in a
    translation fails the tests instead of showing a blank label.
    """
    lang = parse_lang(lang)
    try:
        text = strings(lang)[key]
    except KeyError:
        raise KeyError(f"i18n/locales/{lang}.yaml has no key {key!r}") from None
    return text.format(**kw) if kw else text


def has(key: str, lang: str) -> bool:
    """True when ``lang``'s locale file defines ``key`` (optional keys such as plural forms)."""
    return key in strings(parse_lang(lang))


def babel_locale(lang: str) -> Locale:
    """The Babel locale of ``lang`` (the locale file's ``fmt_babel_locale``)."""
    return _babel(parse_lang(lang))


@cache
def _babel(lang: str) -> Locale:
    return Locale.parse(t("fmt_babel_locale", lang))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def localized(row: Mapping[str, object], field: str, lang: str) -> str | None:
    """The text ``field`` of a table row in ``lang``: ``row[field + "_" + lang]``, else the
    unsuffixed ``row[field]``, else the English ``row[field + "_en"]``.

    For translated table columns (``etl.schema.TRANSLATED``): ``note`` / ``note_az`` /
    ``note_ru``, ``title_az`` / ``title_en`` / ``title_ru``, ``label_*``. A row (or an older
    table) without the reader's language falls back to the register's own text. Missing
    values (None, NaN, empty) count as unset; ``None`` when nothing is set.

    Example:
        >>> row = {"note": "Year uncertain.", "note_az": "İl qeyri-müəyyəndir."}
        >>> localized(row, "note", "az"), localized(row, "note", "en")
        ('İl qeyri-müəyyəndir.', 'Year uncertain.')
        >>> localized({"note": "Year uncertain.", "note_az": None}, "note", "az")
        'Year uncertain.'
        >>> localized({"title_en": "Visit", "title_ru": "Визит"}, "title", "ru")
        'Визит'
    """
    lang = parse_lang(lang)
    for key in (f"{field}_{lang}", field, f"{field}_{REGISTER_LANG}"):
        value = _text(row.get(key))
        if value is not None:
            return value
    return None


def quote_rendering(row: Mapping[str, object], lang: str) -> tuple[str, str] | None:
    """The rendering of a verbatim ``quote`` shown beside it to a reader of ``lang``, with the
    key of its label: ``quote_<lang>`` ("In Russian") when the row has one, else the English
    ``quote_en`` ("In English"). None when the row has neither.

    >>> quote_rendering({"quote": "q", "quote_en": "e", "quote_ru": "р"}, "ru")
    ('р', 'quote_own_label')
    >>> quote_rendering({"quote": "q", "quote_en": "e"}, "az")
    ('e', 'quote_en_label')
    """
    english = f"quote_{REGISTER_LANG}"
    for key in dict.fromkeys((f"quote_{parse_lang(lang)}", english)):
        value = _text(row.get(key))
        if value is not None:
            return value, ("quote_en_label" if key == english else "quote_own_label")
    return None
