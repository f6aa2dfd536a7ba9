"""Load the curated YAML register and validate each record's fields.

Each register file is a YAML list of mappings (data/README.md). Loading keeps the line number of
every record, so problems name ``file:line``; dates stay strings until validated here, so an
impossible date such as 2025-02-30 is reported, not crashed on. Cross-record checks that need the
articles or the scanner (quotes, values, mentions) live in :mod:`etl.tables`.

Example:
    >>> reg = Register(); spec = SPECS["indicators"]
    >>> rec = {"indicator_id": "x", "label_en": "X", "label_az": "X", "unit": "t",
    ...        "category": "trade", "description_en": "d", "__line__": 3}
    >>> validate_record(rec, spec, "data/indicators.yaml", reg.problems)["unit"]
    't'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from etl.errors import Problem, brief
from etl.schema import (
    BASES,
    CATEGORIES,
    DEFINITIONS,
    EVENT_KINDS,
    FIGURE_KINDS,
    GRADES,
    PRECISIONS,
    QUALIFIERS,
    REFERENCE_KINDS,
    REPORT_BASES,
    REPORTING_SIDES,
    TRANSLATED,
    UNITS,
    Translated,
    language_name,
)

Record = dict[str, Any]
LINE = "__line__"
DUPLICATE_KEYS = "__duplicate_keys__"

PERS = ("year", "month", "day", "week", "quarter")
QUOTED_KINDS = tuple(k for k in FIGURE_KINDS if k != "derived")
CHANGE_UNITS = ("percent", "times")


@dataclass(frozen=True)
class FieldSpec:
    """One register field: its type, whether it must be given, and its vocabulary if any."""

    name: str
    type: str  # str | float | int | date | cues (language -> phrases)
    required: bool = True  # False: may be omitted or null
    vocab: tuple[str, ...] | None = None
    default: Any = None


def _f(name: str, typ: str = "str", required: bool = True,
       vocab: tuple[str, ...] | None = None, default: Any = None) -> FieldSpec:
    return FieldSpec(name, typ, required, vocab, default)


@dataclass(frozen=True)
class RecordSpec:
    """How a register file's records look: the id field, a label, and the fields."""

    file: str
    label: str  # used in messages: "figure 'id'"
    id_field: str | None
    fields: tuple[FieldSpec, ...]
    optional_file: bool = False


SPECS: dict[str, RecordSpec] = {
    "sources": RecordSpec("sources.yaml", "source", "source_id", (
        _f("source_id"), _f("raw_path"), _f("title"), _f("outlet"), _f("via", required=False),
        _f("author", required=False), _f("speaker"), _f("speaker_role"), _f("language"),
        _f("url", required=False), _f("published", "date", required=False),
        _f("published_precision", vocab=PRECISIONS), _f("published_basis", vocab=BASES),
        _f("published_note", required=False), _f("body_starts_with"), _f("body_ends_with"),
        _f("note", required=False), _f("sha256", required=False),
        _f("note_az", required=False), _f("published_note_az", required=False),
    )),
    "indicators": RecordSpec("indicators.yaml", "indicator", "indicator_id", (
        _f("indicator_id"), _f("label_en"), _f("label_az"), _f("unit", vocab=UNITS),
        _f("category", vocab=CATEGORIES), _f("description_en"),
        _f("description_az", required=False),
        # cue words per language for `etl draft` ({az: [ticarət dövriyyəsi, ...], ru: [...]})
        _f("cues", "cues", required=False),
    )),
    "figures": RecordSpec("figures.yaml", "figure", "figure_id", (
        _f("figure_id"), _f("source_id"), _f("indicator_id"), _f("kind", vocab=QUOTED_KINDS),
        _f("value", "float"), _f("value_high", "float", required=False),
        _f("unit", vocab=UNITS), _f("per", required=False, vocab=PERS),
        _f("qualifier", vocab=QUALIFIERS), _f("period_start", "date", required=False),
        _f("period_end", "date", required=False), _f("period_label"),
        _f("period_basis", vocab=BASES), _f("attributed_to"),
        _f("cited_body", required=False),
        _f("reporting_side", required=False, vocab=REPORTING_SIDES),
        _f("base_period_label", required=False), _f("quote"),
        _f("occurrence", "int", required=False), _f("quote_en"), _f("note", required=False),
        _f("note_az", required=False), _f("definition", required=False, vocab=DEFINITIONS),
    )),
    "derived": RecordSpec("derived.yaml", "derived figure", "figure_id", (
        _f("figure_id"), _f("indicator_id"), _f("unit", vocab=UNITS),
        _f("per", required=False, vocab=PERS), _f("qualifier", vocab=QUALIFIERS),
        _f("formula"), _f("period_start", "date", required=False),
        _f("period_end", "date", required=False), _f("period_label"),
        _f("period_basis", required=False, vocab=BASES),
        _f("cited_body", required=False),
        _f("reporting_side", required=False, vocab=REPORTING_SIDES),
        _f("base_period_label", required=False), _f("quote_en", required=False),
        _f("note", required=False), _f("note_az", required=False),
    ), optional_file=True),
    "events": RecordSpec("events.yaml", "event", "event_id", (
        _f("event_id"), _f("source_id"), _f("kind", vocab=EVENT_KINDS),
        _f("date_start", "date"), _f("date_end", "date", required=False),
        _f("precision", vocab=PRECISIONS), _f("date_basis", vocab=BASES), _f("title_en"),
        _f("title_az"), _f("quote"), _f("occurrence", "int", required=False),
        _f("note", required=False), _f("note_az", required=False),
    ), optional_file=True),
    "dismissals": RecordSpec("dismissals.yaml", "dismissal", None, (
        _f("source_id"), _f("text"), _f("context", required=False), _f("reason"),
    ), optional_file=True),
    # Statistics to check claims against (etl.reference checks the rest; data/README.md).
    "reference": RecordSpec("reference.yaml", "reference", "reference_id", (
        _f("reference_id"), _f("indicator_id"), _f("kind", vocab=REFERENCE_KINDS),
        _f("value", "float"), _f("value_high", "float", required=False),
        _f("unit", vocab=UNITS), _f("per", required=False, vocab=PERS),
        _f("qualifier", vocab=QUALIFIERS), _f("period_start", "date", required=False),
        _f("period_end", "date"), _f("period_label"), _f("base_period_label", required=False),
        _f("reporting_side", required=False, vocab=REPORTING_SIDES),
        _f("definition", required=False, vocab=DEFINITIONS), _f("reported_by"),
        _f("basis", vocab=REPORT_BASES), _f("via", required=False), _f("url"),
        _f("page_date", "date"), _f("page_date_precision", vocab=PRECISIONS[:3]),
        _f("grade", vocab=GRADES), _f("note", required=False),
    ), optional_file=True),
}


# The reader-facing texts of each register file, one column per language (etl.schema.TRANSLATED).
# A derived figure may state its own renderings of the quote, caveats and base period, all
# optional (a missing quote rendering is taken from the inputs); its attribution is computed.
TRANSLATED_FIELDS: dict[str, tuple[Translated, ...]] = {
    **{kind: TRANSLATED[kind]
       for kind in ("sources", "indicators", "figures", "events", "reference")},
    "derived": tuple(replace(tr, required=False) for tr in TRANSLATED["figures"]
                     if tr.name != "attributed_to"),
}


def _with_languages(kind: str, spec: RecordSpec) -> RecordSpec:
    """``spec`` with one field per language of each translated text (the unsuffixed column
    stays as declared above), so the register's columns follow ``LANGS``."""
    generated = tuple(_f(col, required=tr.required)
                      for tr in TRANSLATED_FIELDS.get(kind, ()) for lang, col in tr.by_lang.items()
                      if lang != tr.plain)
    names = {f.name for f in generated}
    return replace(spec, fields=tuple(f for f in spec.fields if f.name not in names) + generated)


SPECS = {kind: _with_languages(kind, spec) for kind, spec in SPECS.items()}


# libyaml's parser when PyYAML was built with it: the pure-Python one dominates build time on
# large registers (bench/bench_build.py). Both give the same nodes, lines and errors.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe YAML loader that keeps dates as strings and records each mapping's line."""


# Dates are validated by us (with a message naming the record), not by PyYAML, which raises a
# bare ValueError for 2025-02-30 and silently turns 2025-10-21 into a date object.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Record:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    dups: list[str] = []
    for key_node, _ in node.value:
        # A field name is plain text; `? [a, b]` would be a list key (unhashable in Python).
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise yaml.constructor.ConstructorError(
                None, None, f"a field name must be plain text, found a {kind} used as a key",
                key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            dups.append(_field_name(key))
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    if dups:
        mapping[DUPLICATE_KEYS] = dups
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    # Python refuses to convert integers of more than 4300 digits (a ValueError, not YAML's).
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"a whole number of {len(node.value)} characters is too long",
            node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


@dataclass
class Register:
    """The validated register: records per kind (dicts keyed by field name) and problems."""

    root: Path = Path()
    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # kind -> display path
    raw_bytes: dict[str, bytes] = field(default_factory=dict)  # display path -> file bytes

    def __getitem__(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])


def _field_name(key: Any) -> str:
    """A mapping key as messages show it: the text itself, cut to 60 characters."""
    return key[:60] if isinstance(key, str) else brief(key)


def _first_anchor(text: str) -> yaml.Event | None:
    """The first event that defines an anchor (``&name``) or uses an alias (``*name``).

    Aliases let a few lines stand for an exponentially large value (the "billion laughs");
    the register never needs them, so any is refused before a value is built.
    """
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event
    finally:
        loader.dispose()
    return None


def load_yaml_list(path: Path, display: str, problems: list[Problem]) -> list[Record] | None:
    """Parse a YAML file that must hold a list of mappings; report problems instead of raising.

    Anchors and aliases, and keys that are not plain text, are refused as problems naming the
    line.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(display, None, None,
                                f"not valid UTF-8 at byte offset {exc.start}"))
        return None
    try:
        anchor = _first_anchor(text)
        if anchor is not None:
            mark = anchor.start_mark
            what = (f"an alias (*{anchor.anchor[:40]})" if isinstance(anchor, yaml.AliasEvent)
                    else f"an anchor (&{anchor.anchor[:40]})")
            problems.append(Problem(
                display, None, None,
                f"YAML anchors and aliases are not allowed in the register: {what} at "
                f"line {mark.line + 1}, column {mark.column + 1}; write the value out in full",
                line=mark.line + 1))
            return None
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 — a safe loader (no Python tags)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        ctx = getattr(exc, "context", None)
        msg = f"malformed YAML: {what}" + (f" ({ctx})" if ctx else "")
        if mark is not None:
            msg += f" at line {mark.line + 1}, column {mark.column + 1}"
        problems.append(Problem(display, None, None, msg, line=line))
        return None
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(display, None, None,
                                f"must be a YAML list of records, got {type(data).__name__}"))
        return None
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(Problem(display, f"record #{i + 1}", None,
                                    f"must be a mapping of fields, got {brief(item)}"))
            continue
        item["__index__"] = i + 1
        out.append(item)
    return out


def record_name(rec: Record, spec: RecordSpec) -> str:
    """How messages name a record: ``figure 'id'`` or ``dismissal #3``."""
    rid = rec.get(spec.id_field) if spec.id_field else None
    if isinstance(rid, str) and rid:
        return f"{spec.label} '{rid}'"
    return f"{spec.label} #{rec.get('__index__', '?')}"


def parse_date(value: Any) -> dt.date:
    """An ISO date ``YYYY-MM-DD`` (string or date); ``ValueError`` with a readable reason."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"{brief(value)} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


def _coerce(value: Any, spec: FieldSpec) -> Any:
    if spec.type == "str":
        # A bare year (period_label: 2024) is a label, not a number; anything else must be text.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {type(value).__name__} {brief(value)}")
        if not value.strip():
            raise ValueError("is empty")
        return value
    if spec.type == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {brief(value)}")
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite number, got {value!r}")
        return float(value)
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {brief(value)}")
        return value
    if spec.type == "date":
        return parse_date(value)
    if spec.type == "cues":  # {language code: [phrase, ...]}
        if not isinstance(value, dict):
            raise ValueError(f"expected a mapping of language code to a list of phrases, "
                             f"got {brief(value)}")
        value = {k: v for k, v in value.items() if k not in (LINE, DUPLICATE_KEYS)}
        for lang, phrases in value.items():
            if not (isinstance(lang, str) and len(lang) == 2 and lang.isalpha()):
                raise ValueError(f"{brief(lang)} is not a language code such as 'az'")
            if not isinstance(phrases, list) or not all(
                    isinstance(p, str) and p.strip() for p in phrases):
                raise ValueError(f"cues for {brief(lang)} must be a list of non-empty phrases")
        return value
    raise AssertionError(spec.type)


def validate_record(rec: Record, spec: RecordSpec, display: str,
                    problems: list[Problem]) -> Record:
    """Check one record's fields against ``spec``; return the cleaned record.

    Reports missing required fields, unknown fields (typos), wrong types, values outside the
    vocabulary and impossible dates. The cleaned record holds every spec field (``None`` when
    absent) plus ``__line__``.
    """
    name = record_name(rec, spec)
    line = rec.get(LINE)

    def bad(fld: str | None, msg: str) -> None:
        problems.append(Problem(display, name, fld, msg, line=line))

    for key in rec.get(DUPLICATE_KEYS, []):
        bad(key, "given more than once in the same record")
    known = {f.name for f in spec.fields}
    for key in rec:
        if key in (LINE, DUPLICATE_KEYS, "__index__"):
            continue
        if key not in known:
            bad(_field_name(key),
                f"unknown field (expected one of: {', '.join(sorted(known))})")
    out: Record = {LINE: line, "__index__": rec.get("__index__"), "__ok__": True}
    for f in spec.fields:
        value = rec.get(f.name)
        if value is None:
            if f.required:
                bad(f.name, "required field is missing" if f.name not in rec
                    else "required field is null")
                out["__ok__"] = False
            out[f.name] = f.default
            continue
        try:
            value = _coerce(value, f)
        except ValueError as exc:
            bad(f.name, str(exc))
            out["__ok__"] = False
            out[f.name] = None
            continue
        if f.vocab is not None and value not in f.vocab:
            bad(f.name, f"{brief(value)} is not in the vocabulary ({' | '.join(f.vocab)})")
            out["__ok__"] = False
        out[f.name] = value
    return out


def load_register(root: Path, data_dir: str = "data") -> Register:
    """Read and field-validate every register file under ``root/data_dir``.

    Missing optional files (derived, events, dismissals) count as empty; a missing
    ``sources.yaml``, ``indicators.yaml`` or ``figures.yaml`` is a problem.
    """
    reg = Register(root=root)
    for kind, spec in SPECS.items():
        path = root / data_dir / spec.file
        display = f"{data_dir}/{spec.file}"
        reg.files[kind] = display
        if not path.exists():
            if not spec.optional_file:
                reg.problems.append(Problem(display, None, None, "register file is missing"))
            reg.records[kind] = []
            continue
        reg.raw_bytes[display] = path.read_bytes()
        raw = load_yaml_list(path, display, reg.problems)
        if raw is None:
            reg.records[kind] = []
            continue
        reg.records[kind] = [validate_record(r, spec, display, reg.problems) for r in raw]
    _check_ids(reg)
    _check_record_rules(reg)
    _check_languages(reg)
    return reg


def _check_ids(reg: Register) -> None:
    """Ids unique within their table; figure ids unique across quoted and derived figures."""
    groups = {"sources": ["sources"], "indicators": ["indicators"],
              "figures": ["figures", "derived"], "events": ["events"],
              "reference": ["reference"]}
    for kinds in groups.values():
        seen: dict[str, str] = {}
        for kind in kinds:
            spec = SPECS[kind]
            display = reg.files[kind]
            for rec in reg[kind]:
                rid = rec.get(spec.id_field)
                if rid is None:
                    continue
                where = f"{display}:{rec[LINE]}"
                if rid in seen:
                    reg.problems.append(Problem(
                        display, record_name(rec, spec), spec.id_field,
                        f"duplicate id {brief(rid)} (first defined at {seen[rid]})",
                        line=rec[LINE]))
                    rec["__ok__"] = False
                else:
                    seen[rid] = where


def _check_languages(reg: Register) -> None:
    """Every language carries every caveat: an optional text (a note, a published_note…) is
    given in all languages of ``LANGS`` or in none. Required texts are checked field by field."""
    for kind, texts in TRANSLATED_FIELDS.items():
        spec = SPECS[kind]
        names = {f.name for f in spec.fields}
        for rec in reg[kind]:
            for tr in texts:
                if tr.required:
                    continue
                cols = {lang: col for lang, col in sorted(  # the plain column first
                    tr.by_lang.items(), key=lambda kv, tr=tr: kv[0] != tr.plain) if col in names}
                given = [c for c in cols.values() if rec.get(c)]
                if not given or len(given) == len(cols):
                    continue
                listing = ", ".join(cols.values())
                for lang, col in cols.items():
                    if col in given:
                        continue
                    if lang == tr.plain:
                        msgs = [(g, f"given without {col}: add the {language_name(lang)} text "
                                    f"or drop {g} (all of {listing} or none)") for g in given]
                    else:
                        msgs = [(col, f"required when {given[0]} is given: the "
                                      f"{language_name(lang)} text shown to readers of the "
                                      f"{lang} pages (all of {listing} or none)")]
                    for fld, msg in msgs:
                        reg.problems.append(Problem(reg.files[kind], record_name(rec, spec),
                                                    fld, msg, line=rec[LINE]))
                        rec["__ok__"] = False


def _check_record_rules(reg: Register) -> None:
    """Rules inside one record: date order, inferred dates carry a note, ranges, precision."""
    for kind in ("sources", "figures", "derived", "events"):
        spec = SPECS[kind]
        display = reg.files[kind]
        for rec in reg[kind]:
            name = record_name(rec, spec)

            def bad(fld: str, msg: str, rec: Record = rec, name: str = name,
                    display: str = display) -> None:
                reg.problems.append(Problem(display, name, fld, msg, line=rec[LINE]))
                rec["__ok__"] = False

            if kind == "sources":
                if rec["published_basis"] == "inferred" and not rec["published_note"]:
                    bad("published_note", "required when published_basis is inferred: say how "
                        "the date was reached")
                if rec["published"] is None and rec["published_precision"] not in (None,
                                                                                  "unknown"):
                    bad("published_precision", "must be 'unknown' when published is null")
                lang = rec["language"]
                if lang is not None and (len(lang) != 2 or not lang.isalpha()
                                         or not lang.islower()):
                    bad("language", f"{brief(lang)} is not an ISO 639-1 code such as 'az'")
                continue
            if kind in ("figures", "derived"):
                ps, pe = rec["period_start"], rec["period_end"]
                if ps is not None and pe is not None and ps > pe:
                    bad("period_end", f"period_end {pe} is before period_start {ps}")
                if rec.get("period_basis") == "inferred" and not rec["note"]:
                    bad("note", "required when period_basis is inferred: say how the period "
                        "was resolved")
            if kind == "figures":
                q, vh, v = rec["qualifier"], rec["value_high"], rec["value"]
                if q == "range" and vh is None:
                    bad("value_high", "required when qualifier is range")
                elif q == "range" and v is not None and vh is not None and vh <= v:
                    bad("value_high", f"upper end {vh:g} must exceed value {v:g}")
                elif q is not None and q != "range" and vh is not None:
                    bad("value_high", f"must be null unless qualifier is range (got {q})")
                if rec["kind"] == "change" and rec["unit"] not in (None, *CHANGE_UNITS):
                    bad("unit", f"a figure of kind change has unit percent or times, "
                        f"not {rec['unit']!r}")
                if rec["occurrence"] is not None and rec["occurrence"] < 1:
                    bad("occurrence", "counts from 1")
            if kind == "events":
                ds, de, prec = rec["date_start"], rec["date_end"], rec["precision"]
                if ds is not None and de is not None and ds > de:
                    bad("date_end", f"date_end {de} is before date_start {ds}")
                if ds is not None and prec == "month" and ds.day != 1:
                    bad("date_start", f"precision month: use the first day of the month, "
                        f"not {ds}")
                if ds is not None and prec == "year" and (ds.month, ds.day) != (1, 1):
                    bad("date_start", f"precision year: use January 1st, not {ds}")
                if rec["date_basis"] == "inferred" and not rec["note"]:
                    bad("note", "required when date_basis is inferred: say how the date was "
                        "resolved")
