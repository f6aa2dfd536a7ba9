"""Loading and field validation of the YAML register (etl/register.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import register, schema
from etl.register import (
    SPECS,
    TRANSLATED_FIELDS,
    load_register,
    load_yaml_list,
    parse_date,
    validate_record,
)
from etl.schema import LANGS
from tests.conftest import FIXTURE_CORPUS


def test_fixture_register_loads_clean():
    reg = load_register(FIXTURE_CORPUS)
    assert reg.problems == []
    assert [r["figure_id"] for r in reg["figures"]][:2] == ["fx-corridor-2024",
                                                          "fx-turnover-2024"]
    fig = reg["figures"][0]
    assert fig["period_start"] == dt.date(2024, 1, 1)
    assert fig["value"] == 3500000.0 and isinstance(fig["value"], float)
    assert fig["__line__"] == 1
    assert reg["figures"][1]["__line__"] == 18


def test_yaml_keeps_dates_as_text_and_lines(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("# c\n- a: 2025-02-30\n  b: 1\n- a: x\n", encoding="utf-8")
    problems = []
    recs = load_yaml_list(p, "x.yaml", problems)
    assert problems == []
    assert recs[0]["a"] == "2025-02-30" and recs[0]["__line__"] == 2
    assert recs[1]["__line__"] == 4


@pytest.mark.parametrize(("text", "needle", "line"), [
    ("- a: [1\n", "malformed YAML", 2),
    ("- a: 1\n  - b\n", "malformed YAML", 2),
    ("a: 1\n", "must be a YAML list of records", None),
])
def test_yaml_problems(tmp_path, text, needle, line):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    problems = []
    assert load_yaml_list(p, "x.yaml", problems) is None
    assert len(problems) == 1 and needle in problems[0].message
    assert problems[0].line == line
    assert problems[0].file == "x.yaml"


def test_non_mapping_record(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("- a: 1\n- just text\n", encoding="utf-8")
    problems = []
    assert len(load_yaml_list(p, "x.yaml", problems)) == 1
    assert "record #2" in str(problems[0]) and "must be a mapping" in str(problems[0])


@pytest.mark.parametrize(("value", "ok"), [
    ("2024-02-29", True), ("2025-02-29", False), ("2025-02-30", False), ("2025-13-01", False),
    ("2025-1-1", False), ("21.10.2025", False), (20251021, False),
])
def test_parse_date(value, ok):
    if ok:
        assert parse_date(value) == dt.date.fromisoformat(value)
    else:
        with pytest.raises(ValueError):
            parse_date(value)


def _indicator(**over):
    rec = {"indicator_id": "x", "unit": "t", "category": "trade", "__line__": 7,
           **{f"label_{lang}": "X" for lang in LANGS},
           **{f"description_{lang}": "d" for lang in LANGS}}
    rec.update(over)
    return rec


@pytest.mark.parametrize(("over", "field", "needle"), [
    ({"unit": "tons"}, "unit", "not in the vocabulary"),
    ({"category": "sport"}, "category", "not in the vocabulary"),
    ({"label_en": None}, "label_en", "required field is null"),
    ({"label_en": "  "}, "label_en", "is empty"),
    ({"label_en": ["a"]}, "label_en", "expected text"),
    ({"colour": "red"}, "colour", "unknown field"),
])
def test_validate_record_problems(over, field, needle):
    problems = []
    validate_record(_indicator(**over), SPECS["indicators"], "data/indicators.yaml", problems)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.line, p.record, p.field) == ("data/indicators.yaml", 7, "indicator 'x'",
                                                    field)
    assert needle in p.message


def test_missing_field_and_id_fallback_name():
    rec = _indicator()
    del rec["indicator_id"]
    rec["__index__"] = 3
    problems = []
    validate_record(rec, SPECS["indicators"], "f.yaml", problems)
    assert str(problems[0]) == "f.yaml:7: indicator #3: field 'indicator_id': required field is " \
                               "missing"


def test_value_types():
    spec = SPECS["figures"]
    problems = []
    rec = {"value": True, "occurrence": 1.5, "period_label": 2024, "__line__": 1}
    out = validate_record(rec, spec, "f.yaml", problems)
    fields = {p.field for p in problems}
    assert {"value", "occurrence"} <= fields
    assert out["period_label"] == "2024"


def test_duplicate_key_in_record(tmp_path):
    root = tmp_path
    (root / "data").mkdir()
    (root / "data" / "indicators.yaml").write_text(
        "- indicator_id: a\n  indicator_id: b\n  label_en: A\n  label_az: A\n  unit: t\n"
        "  category: trade\n  description_en: d\n", encoding="utf-8")
    reg = load_register(root)
    msgs = [str(p) for p in reg.problems]
    assert any("field 'indicator_id': given more than once" in m for m in msgs)
    assert any("data/sources.yaml: register file is missing" in m for m in msgs)
    assert any("data/figures.yaml: register file is missing" in m for m in msgs)
    assert not any("events.yaml" in m for m in msgs)  # optional files may be absent


def test_event_precision_rules(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.yaml").write_text(
        "- event_id: e\n  source_id: s\n  kind: meeting\n  date_start: 2024-03-05\n"
        "  precision: month\n  date_basis: inferred\n  title_en: t\n  title_az: t\n"
        "  quote: q\n", encoding="utf-8")
    msgs = [str(p) for p in load_register(tmp_path).problems if "events" in p.file]
    assert any("field 'date_start': precision month: use the first day" in m for m in msgs)
    assert any("field 'note': required when date_basis is inferred" in m for m in msgs)


def test_every_translated_text_has_one_field_per_language():
    for kind, texts in TRANSLATED_FIELDS.items():
        names = {f.name for f in SPECS[kind].fields}
        for tr in texts:
            wanted = {col for lang, col in tr.by_lang.items() if lang != tr.plain}
            assert len(wanted) >= len(LANGS) - 1
            assert wanted <= names, (kind, tr.name, wanted - names)
    assert {"quote_en", "quote_ru", "note_ru", "attributed_to_ru"} <= {
        f.name for f in SPECS["figures"].fields}
    assert {"title_ru", "quote_en", "quote_ru", "note_ru"} <= {
        f.name for f in SPECS["events"].fields}
    assert {"label_ru", "description_ru"} <= {f.name for f in SPECS["indicators"].fields}
    assert {"published_note_ru", "note_ru", "speaker_role_ru"} <= {
        f.name for f in SPECS["sources"].fields}


@pytest.mark.parametrize(("kind", "rec", "field", "needle"), [
    ("figures", {"note": "n", "note_az": "n"}, "note_ru",
     "required when note is given: the Russian text shown to readers of the ru pages"),
    ("figures", {"note": "n", "note_ru": "n"}, "note_az", "the Azerbaijani text"),
    ("figures", {"note_ru": "n"}, "note_ru", "given without note"),
    ("sources", {"published_note": "p", "published_note_az": "p"}, "published_note_ru",
     "required when published_note is given"),
    ("figures", {"cited_body": "b", "cited_body_az": "b"}, "cited_body_ru", "Russian"),
    ("derived", {"quote_en": "q"}, "quote_ru", "required when quote_en is given"),
])
def test_every_language_carries_every_caveat(kind, rec, field, needle):
    reg = register.Register(records={kind: [{"__line__": 4, **rec}]},
                            files={kind: f"data/{kind}.yaml"})
    register._check_languages(reg)
    problems = [p for p in reg.problems if p.field == field]
    assert len(problems) == 1, reg.problems
    assert problems[0].file == f"data/{kind}.yaml" and problems[0].line == 4
    assert needle in problems[0].message


def test_all_languages_or_none_is_clean():
    recs = [{"__line__": 1, "note": "n", "note_az": "n", "note_ru": "n"}, {"__line__": 2}]
    reg = register.Register(records={"figures": recs}, files={"figures": "data/figures.yaml"})
    register._check_languages(reg)
    assert reg.problems == []


def test_a_new_language_is_one_entry_in_langs(monkeypatch):
    """A fourth language in etl.schema.LANGS asks every register file and table for its
    columns, with problems naming the language."""
    monkeypatch.setattr(schema, "LANGS", (*LANGS, "kk"))
    specs = {kind: register._with_languages(kind, spec) for kind, spec in SPECS.items()}
    assert {"quote_kk", "note_kk", "attributed_to_kk"} <= {f.name for f in specs["figures"].fields}
    assert {"title_kk", "label_kk"} <= {f.name for f in specs["events"].fields} | {
        f.name for f in specs["indicators"].fields}
    table = schema._with_translations(schema.TABLES["events"])
    assert {"title_kk", "quote_kk", "note_kk"} <= set(table.names)
    monkeypatch.setattr(register, "SPECS", specs)
    msgs = [str(p) for p in load_register(FIXTURE_CORPUS).problems]
    assert any("figure 'fx-corridor-2024': field 'quote_kk': required field is missing" in m
               for m in msgs), msgs
    assert any("field 'note_kk': required when note is given: the Kazakh text shown to "
               "readers of the kk pages" in m for m in msgs), msgs
    assert not any("_ru'" in m for m in msgs)  # the fixture is complete in az, en and ru
