"""Interface strings: every language complete, every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from etl.schema import EVENT_KINDS, FIGURE_KINDS, LANGS, PRECISIONS, UNITS
from i18n.fmt import PART_FORMS, YEAR_FORMS
from i18n.text import DEFAULT_LANG, localized, parse_lang, quote_rendering, strings, t

ROOT = Path(__file__).resolve().parents[1]
CODE = [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("web/*.py"),
        *ROOT.glob("charts/*.py"), *ROOT.glob("i18n/*.py"), ROOT / "dashboard.py"]
REFERENCE = "en"
# Optional per language: CLDR plural variants of a unit ("unit_years_few").
PLURAL_KEY = re.compile(r"^unit_\w+_(zero|one|two|few|many|other)$")
UNIT_FIELDS = {"num", "sign", "abs"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def untranslated(lang: str) -> list[str]:
    """Keys of the reference locale that ``lang`` lacks, plus keys only ``lang`` has (bar
    plural variants)."""
    ref, own = set(strings(REFERENCE)), set(strings(lang))
    extra = {k for k in own - ref if not PLURAL_KEY.match(k)}
    return sorted(ref - own) + sorted(f"(extra) {k}" for k in extra)


@pytest.mark.parametrize("lang", LANGS)
def test_untranslated_keys_per_language(lang):
    """Zero untranslated keys in every language of etl.schema.LANGS."""
    assert untranslated(lang) == []


def test_every_language_has_a_locale_file_and_nothing_else_does():
    files = {p.stem for p in (ROOT / "i18n" / "locales").glob("*.yaml")}
    assert files == set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_the_reference(lang):
    bad = {}
    for k, ref in strings(REFERENCE).items():
        own = placeholders(strings(lang)[k])
        if k.startswith("unit_"):  # a unit template picks its fields from {num, sign, abs}
            if not own <= UNIT_FIELDS or not ({"num"} <= own or {"abs"} <= own):
                bad[k] = own
        elif own != placeholders(ref):
            bad[k] = (own, placeholders(ref))
    assert not bad


def test_no_empty_string():
    empty = [(lang, k) for lang in LANGS for k, v in strings(lang).items() if not v.strip()]
    assert not empty


def test_every_literal_key_used_in_code_exists():
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
    used = {(path.name, key) for path in CODE for key in pattern.findall(path.read_text())}
    assert used, "the scan found no t() calls: the pattern is broken"
    missing = sorted((f, k, lang) for f, k in used for lang in LANGS if k not in strings(lang))
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_vocabulary_keys_exist(lang):
    keys = ([f"kind_{k}" for k in FIGURE_KINDS] + [f"evkind_{k}" for k in EVENT_KINDS]
            + [f"precision_{p}" for p in PRECISIONS] + ["side_AZ", "side_KZ", "side_unknown"]
            + [f"unit_{u}" for u in UNITS if u != "percent"] + [f"lang_{x}" for x in LANGS])
    assert [k for k in keys if k not in strings(lang)] == []


@pytest.mark.parametrize("lang", LANGS)
def test_format_rules_name_known_forms(lang):
    assert t("fmt_year", lang) in YEAR_FORMS
    assert t("fmt_part", lang) in PART_FORMS
    assert t("fmt_thousands", lang) in ("short", "long")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("az", "az"), ("ru", "ru"), ("EN", "en"), (" az ", "az"), ("RU", "ru"),
     ("fr", DEFAULT_LANG), ("<script>alert(1)</script>", DEFAULT_LANG), ("../en", DEFAULT_LANG),
     ("", DEFAULT_LANG), (None, DEFAULT_LANG), (["az", "en"], "en"), ([], DEFAULT_LANG),
     ("e" * 10_000, DEFAULT_LANG), (42, DEFAULT_LANG)],
)
def test_parse_lang(value, expected):
    assert parse_lang(value) == expected


def test_t_fills_placeholders_and_names_missing_keys():
    assert t("card_period", "en", period="H1 2025") == "Period: H1 2025"
    assert t("card_period", "az", period="H1 2025") == "Dövr: H1 2025"
    assert t("card_period", "ru", period="H1 2025") == "Период: H1 2025"
    with pytest.raises(KeyError, match="no_such_key"):
        t("no_such_key", "en")


@pytest.mark.parametrize("lang", [x for x in LANGS if x != REFERENCE])
def test_languages_differ(lang):
    same = [k for k in strings(REFERENCE) if strings(REFERENCE)[k] == strings(lang)[k]
            and not k.startswith(("lang_", "download_", "fmt_", "unit_", "per_", "period_year",
                                  "embed_quote_rendering"))]
    # a few strings are legitimately identical; most must be translated
    assert len(same) < 0.1 * len(strings(REFERENCE)), same


@pytest.mark.parametrize("lang", LANGS)
def test_localized_reads_the_language_column(lang):
    row = {"note": "english", "note_az": "az", "note_ru": "ru", "title_en": "E",
           "title_az": "A", "title_ru": "R"}
    assert localized(row, "note", lang) == {"en": "english"}.get(lang, lang)
    assert localized(row, "title", lang) == {"az": "A", "en": "E", "ru": "R"}[lang]


def test_quote_rendering_per_language():
    row = {"quote": "sitat", "quote_en": "quote", "quote_ru": "цитата"}
    assert quote_rendering(row, "ru") == ("цитата", "quote_own_label")
    assert quote_rendering(row, "en") == ("quote", "quote_en_label")
    assert quote_rendering(row, "az") == ("quote", "quote_en_label")
    assert quote_rendering({"quote": "sitat"}, "ru") is None
