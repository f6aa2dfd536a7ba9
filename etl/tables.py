"""Register records + raw articles + scanner → verified tidy tables (DataFrames per etl/schema.py).

Every check appends a :class:`~etl.errors.Problem`; :func:`build_frames` raises one
:class:`~etl.errors.BuildError` listing all of them, so an author fixes the register in one pass.

Checks: articles load (UTF-8, not empty/binary/huge), body markers, quotes verbatim inside the
body at their offsets, the scanner reads the registered value/unit/qualifier/per inside each
figure's quote, units fit indicators, unknown ids, conflicting duplicates, derived formulas, and
the mentions review (every numeric expression in a body is registered or dismissed; no dismissal
is stale).

Derived figures (kind ``derived``) have no quote of their own: ``quote`` holds the input figures'
distinct quotes joined by `` … `` (so the row still shows what the number rests on, verbatim),
``quote_start``/``quote_end`` are null, ``formula`` and ``inputs`` say how it was computed,
``source_id`` is the first input's source and ``attributed_to`` is ``"derived"``.

Example:
    >>> evaluate_formula("a-1 / (1 + b / 100)", {"a-1": 150.0, "b": 50.0})
    (100.0, ['a-1', 'b'])
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.articles import (
    Article,
    ArticleError,
    context,
    find_all,
    find_body,
    load_article,
    locate_quote,
)
from etl.checks import build_checks
from etl.errors import BuildError, Problem, brief
from etl.numbers import Mention
from etl.reference import reference_rows
from etl.register import LINE, SPECS, Record, Register, record_name
from etl.schema import MENTION_STATUSES, TABLES, TRANSLATED

Scanner = Callable[[str], Sequence[Mention]]

# Units a scanner may leave out: a bare number ("250-dən artıq kommersiya strukturu") counts things.
BARE_UNITS = ("count", "persons")
CHANGE_UNITS = ("percent", "times")
DATE_KINDS = ("year", "date", "time")
REL_TOL = 1e-9
DERIVED_JOIN = " … "
# A derived row's texts in every language: renderings of the quote (unless the record gives its
# own) joined from the inputs like the quote itself; the attribution is the marker "derived".
_FIGURE_TEXTS = {tr.name: tr for tr in TRANSLATED["figures"]}
QUOTE_RENDERINGS = tuple(c for c in _FIGURE_TEXTS["quote"].columns if c != "quote")
ATTRIBUTIONS = _FIGURE_TEXTS["attributed_to"].columns


@dataclass
class SourceText:
    """A loaded article and where its body lies."""

    source_id: str
    article: Article
    body_start: int
    body_end: int
    mentions: list[Mention]


def scan_body(scan: Scanner, text: str, body_start: int, body_end: int) -> list[Mention]:
    """Run the scanner over the body only and shift its offsets into raw-text coordinates."""
    body = text[body_start:body_end]
    out = []
    for m in scan(body):
        out.append(replace(m, start=m.start + body_start, end=m.end + body_start))
    return sorted(out, key=lambda m: (m.start, m.end))


def close(a: float | None, b: float | None) -> bool:
    """Float equality with a relative tolerance; ``None`` only equals ``None``."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)


def mention_matches(m: Mention, fig: Record) -> bool:
    """Whether the scanner's reading equals the registered value/value_high/unit/qualifier/per."""
    unit_ok = m.unit == fig["unit"] or (m.unit is None and fig["unit"] in BARE_UNITS)
    return (close(m.value, fig["value"]) and close(m.value_high, fig["value_high"]) and unit_ok
            and m.qualifier == fig["qualifier"] and (m.per or None) == (fig["per"] or None))


def describe(m: Mention) -> str:
    """A scanner reading as the register would spell it, for messages."""
    parts = [f"{m.text!r} → value={m.value:g}" if m.value is not None else f"{m.text!r}"]
    if m.value_high is not None:
        parts.append(f"value_high={m.value_high:g}")
    parts.append(f"unit={m.unit}")
    parts.append(f"qualifier={m.qualifier}")
    if m.per:
        parts.append(f"per={m.per}")
    return " ".join(parts)


# --- formulas -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s+|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<id>[A-Za-z_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?)"
    r"|(?P<op>[-+*/()])")
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def evaluate_formula(formula: str, values: dict[str, float]) -> tuple[float, list[str]]:
    """Evaluate arithmetic (``+ - * / ( )``, numbers) over figure ids without ``eval``.

    Figure ids may contain hyphens, so subtraction needs spaces around the minus sign. Returns the
    value and the ids used, in order of first appearance. ``ValueError`` on anything else.
    """
    pieces, names, pos = [], [], 0
    while pos < len(formula):
        m = _TOKEN.match(formula, pos)
        if not m:
            raise ValueError(f"unexpected character {formula[pos]!r} at position {pos}")
        pos = m.end()
        if m.group("id"):
            fid = m.group("id")
            if fid not in values:
                hint = " (subtraction needs spaces around the minus sign)" if "-" in fid else ""
                raise ValueError(f"unknown figure id {brief(fid)}{hint}")
            if fid not in names:
                names.append(fid)
            pieces.append(f"_v{names.index(fid)}")
        else:
            pieces.append(m.group(0))
    if not names:
        raise ValueError("formula uses no figure ids")
    try:
        tree = ast.parse("".join(pieces), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not a valid arithmetic expression ({exc.msg})") from None

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ValueError("division by zero")
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](ev(node.operand))
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id.startswith("_v"):
            return values[names[int(node.id[2:])]]
        raise ValueError(f"only + - * / ( ), numbers and figure ids are allowed, "
                         f"not {type(node).__name__}")

    return ev(tree), names


# --- the build ----------------------------------------------------------------------------------


class _Checker:
    """Collects problems while turning the register into rows."""

    def __init__(self, reg: Register, scan: Scanner, articles_dir: str):
        self.reg, self.scan, self.articles_dir = reg, scan, articles_dir
        self.problems: list[Problem] = list(reg.problems)
        self.sources: dict[str, SourceText] = {}
        self.known_sources = {r["source_id"] for r in reg["sources"] if r["source_id"]}

    def bad(self, kind: str, rec: Record, fld: str | None, msg: str) -> None:
        self.problems.append(Problem(self.reg.files[kind], record_name(rec, SPECS[kind]), fld,
                                     msg, line=rec.get(LINE)))
        rec["__ok__"] = False

    # sources
    def load_sources(self) -> None:
        root = self.reg.root
        registered = set()
        for rec in self.reg["sources"]:
            raw_path = rec["raw_path"]
            if raw_path is None:
                continue
            path = root / raw_path
            folder = (root / self.articles_dir).resolve()
            if folder not in path.resolve().parents:
                self.bad("sources", rec, "raw_path", f"{brief(raw_path)} is not inside "
                         f"{self.articles_dir}/ (raw articles live there, byte-identical)")
                continue
            registered.add(path.resolve())
            try:
                art = load_article(path, raw_path)
            except ArticleError as exc:
                self.bad("sources", rec, "raw_path", str(exc))
                continue
            if rec["sha256"] is not None and rec["sha256"] != art.sha256:
                self.bad("sources", rec, "sha256", f"recorded {rec['sha256']} but the file's "
                         f"bytes hash to {art.sha256}: the raw article changed")
            if rec["body_starts_with"] is None or rec["body_ends_with"] is None:
                continue
            try:
                start, end = find_body(art.text, rec["body_starts_with"], rec["body_ends_with"])
            except ArticleError as exc:
                fld = "body_ends_with" if "body_ends_with" in str(exc) else "body_starts_with"
                self.bad("sources", rec, fld, f"{exc} (in {raw_path})")
                continue
            if rec["__ok__"] and rec["source_id"]:
                try:
                    mentions = scan_body(self.scan, art.text, start, end)
                except Exception as exc:  # a scanner bug is listed with the rest, not raised
                    self.bad("sources", rec, None,
                             f"the scanner failed on {raw_path}: {type(exc).__name__}: {exc}")
                    continue
                self.sources[rec["source_id"]] = SourceText(rec["source_id"], art, start, end,
                                                            mentions)
                rec["__body__"] = (start, end)
                rec["__sha256__"] = art.sha256
        folder = root / self.articles_dir
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith(".") \
                        and path.resolve() not in registered:
                    rel = f"{self.articles_dir}/{path.name}"
                    self.problems.append(Problem(
                        rel, None, None, f"article is not registered in "
                        f"{self.reg.files['sources']} (add a source whose raw_path is {rel})"))

    def locate(self, kind: str, rec: Record) -> tuple[int, int] | None:
        """Find the record's quote inside its source's body; report why not."""
        src = self.sources.get(rec["source_id"])
        if src is None or rec["quote"] is None:
            return None
        try:
            rec["__where__"] = locate_quote(src.article.text, src.body_start, src.body_end,
                                            rec["quote"], rec.get("occurrence"))
            return rec["__where__"]
        except ArticleError as exc:
            self.bad(kind, rec, "quote", f"{exc} (in {src.article.path})")
            return None

    def check_refs(self, kind: str, rec: Record, indicators: dict[str, Record]) -> None:
        sid = rec.get("source_id")
        if sid is not None and sid not in self.known_sources:
            self.bad(kind, rec, "source_id", f"unknown source {brief(sid)} (not in "
                     f"{self.reg.files['sources']})")
        elif sid is not None and sid not in self.sources:
            # The source exists but its article could not be read: already reported there.
            rec["__ok__"] = False
        iid = rec.get("indicator_id")
        if kind in ("figures", "derived") and iid is not None:
            ind = indicators.get(iid)
            if ind is None:
                self.bad(kind, rec, "indicator_id", f"unknown indicator {brief(iid)} (not in "
                         f"{self.reg.files['indicators']})")
            elif rec["unit"] is not None:
                if rec.get("kind") == "change":
                    allowed = set(CHANGE_UNITS)
                elif kind == "derived":  # a derived figure may also be a computed rate of change
                    allowed = {ind["unit"], *CHANGE_UNITS}
                else:
                    allowed = {ind["unit"]}
                if rec["unit"] not in allowed:
                    self.bad(kind, rec, "unit", f"unit {brief(rec['unit'])} does not fit indicator "
                             f"{brief(iid)} (expected {' or '.join(sorted(allowed))})")

    def figure_rows(self, indicators: dict[str, Record]) -> list[dict]:
        rows = []
        for rec in self.reg["figures"]:
            self.check_refs("figures", rec, indicators)
            span = self.locate("figures", rec)
            if span is None:
                continue
            src = self.sources[rec["source_id"]]
            inside = [m for m in src.mentions if span[0] <= m.start and m.end <= span[1]]
            if rec["value"] is not None and not any(mention_matches(m, rec) for m in inside):
                readings = "; ".join(describe(m) for m in inside) or "no numeric expression"
                want = (f"value={rec['value']:g}"
                        + (f" value_high={rec['value_high']:g}" if rec["value_high"] else "")
                        # vocabulary fields, possibly a long wrong word: cut
                        + f" unit={str(rec['unit'])[:40]} qualifier={str(rec['qualifier'])[:40]}"
                        + (f" per={str(rec['per'])[:40]}" if rec["per"] else ""))
                self.bad("figures", rec, "value", f"the quote does not say the registered "
                         f"figure: registered {want}; the scanner reads {readings}")
                continue
            if not rec["__ok__"]:
                continue
            rec["__span__"] = span
            rows.append(self._figure_row(rec, span))
        return rows

    def _figure_row(self, rec: Record, span: tuple[int, int] | None) -> dict:
        cols = TABLES["figures"].names
        row = {c: rec.get(c) for c in cols}
        row["quote_start"], row["quote_end"] = span if span else (None, None)
        return row

    def derived_rows(self, figures: list[dict], indicators: dict[str, Record]) -> list[dict]:
        by_id = {r["figure_id"]: r for r in figures}
        pending = {r["figure_id"]: r for r in self.reg["derived"] if r["figure_id"]}
        all_ids = {r["figure_id"] for r in self.reg["figures"]} | set(pending)
        rows: list[dict] = []
        failed: set[str] = set()

        def resolve(fid: str, stack: tuple[str, ...]) -> dict | None:
            if fid in by_id:
                return by_id[fid]
            if fid in failed or fid not in pending:
                return None
            rec = pending[fid]
            if fid in stack:
                self.bad("derived", rec, "formula", f"circular reference: "
                         f"{' → '.join((*stack, fid))}")
                failed.add(fid)
                return None
            self.check_refs("derived", rec, indicators)
            if rec["formula"] is None:
                failed.add(fid)
                return None
            try:
                _, names = evaluate_formula(rec["formula"], dict.fromkeys(all_ids, 1.0))
            except ValueError as exc:
                self.bad("derived", rec, "formula", str(exc))
                failed.add(fid)
                return None
            inputs = []
            for name in names:
                inp = resolve(name, (*stack, fid))
                if inp is None:
                    self.bad("derived", rec, "formula",
                             f"input figure {brief(name)} failed its own "
                             "checks, so this figure cannot be computed")
                    failed.add(fid)
                    return None
                inputs.append(inp)
            try:
                value, _ = evaluate_formula(rec["formula"],
                                            {i["figure_id"]: i["value"] for i in inputs})
            except ValueError as exc:
                self.bad("derived", rec, "formula", str(exc))
                failed.add(fid)
                return None
            if not rec["__ok__"]:
                failed.add(fid)
                return None
            first = inputs[0]
            bases = {i["period_basis"] for i in inputs}
            sides = {i["reporting_side"] for i in inputs}
            row = {c: rec.get(c) for c in TABLES["figures"].names}
            row.update(
                kind="derived", value=value, value_high=None, source_id=first["source_id"],
                **dict.fromkeys(ATTRIBUTIONS, "derived"),
                quote=DERIVED_JOIN.join(dict.fromkeys(i["quote"] for i in inputs)),
                quote_start=None, quote_end=None,
                **{c: rec[c] or DERIVED_JOIN.join(dict.fromkeys(i[c] for i in inputs))
                   for c in QUOTE_RENDERINGS},
                formula=rec["formula"], inputs=",".join(names),
                period_basis=rec["period_basis"] or ("inferred" if "inferred" in bases
                                                     else "stated"),
                reporting_side=rec["reporting_side"] or (sides.pop() if len(sides) == 1
                                                         else None),
            )
            by_id[fid] = row
            rows.append(row)
            return row

        for fid in pending:
            resolve(fid, ())
        return rows

    def conflicts(self, figures: list[dict]) -> None:
        """Same source, indicator, period, kind and reporter must not carry two values."""
        seen: dict[tuple, dict] = {}
        recs = {r["figure_id"]: r for r in self.reg["figures"]}
        for row in figures:
            key = (row["source_id"], row["indicator_id"], row["period_start"], row["period_end"],
                   row["kind"], row["reporting_side"], row["cited_body"], row["per"])
            other = seen.get(key)
            if other is None:
                seen[key] = row
                continue
            if not (close(row["value"], other["value"])
                    and close(row["value_high"], other["value_high"])):
                self.bad("figures", recs[row["figure_id"]], "value",
                         f"conflicts with figure {brief(other['figure_id'])}: same source, "
                         f"indicator, period and kind but value {row['value']:g} vs "
                         f"{other['value']:g}")

    def event_rows(self) -> list[dict]:
        rows = []
        for rec in self.reg["events"]:
            self.check_refs("events", rec, {})
            span = self.locate("events", rec)
            if span is None or not rec["__ok__"]:
                continue
            rec["__span__"] = span
            row = {c: rec.get(c) for c in TABLES["events"].names}
            row["quote_start"], row["quote_end"] = span
            rows.append(row)
        return rows

    def mention_rows(self) -> list[dict]:
        """Reconcile every scanner hit with the register (data/README.md, last section)."""
        rows = []
        figs_by_src: dict[str, list[Record]] = {}
        for rec in self.reg["figures"]:
            if "__span__" in rec:
                figs_by_src.setdefault(rec["source_id"], []).append(rec)
        events_by_src: dict[str, list[Record]] = {}
        for rec in self.reg["events"]:
            if "__span__" in rec:
                events_by_src.setdefault(rec["source_id"], []).append(rec)
        dis_by_src: dict[str, list[Record]] = {}
        for rec in self.reg["dismissals"]:
            if rec["source_id"] is None or rec["text"] is None:
                continue
            if rec["source_id"] not in self.known_sources:
                self.bad("dismissals", rec, "source_id",
                         f"unknown source {brief(rec['source_id'])}")
                continue
            dis_by_src.setdefault(rec["source_id"], []).append(rec)
        # Expressions inside the quote of a record that failed its checks are not reported again
        # as unreviewed: the record's own problem says what is wrong there.
        failed: dict[str, list[tuple[int, int]]] = {}
        for k in ("figures", "events"):
            for r in self.reg[k]:
                if not r["__ok__"] and "__where__" in r:
                    failed.setdefault(r["source_id"], []).append(r["__where__"])
        for sid in sorted(self.sources):
            src = self.sources[sid]
            figs = figs_by_src.get(sid, [])
            evs = events_by_src.get(sid, [])
            status: dict[int, dict] = {}
            for i, m in enumerate(src.mentions):
                within = [f for f in figs if f["__span__"][0] <= m.start
                          and m.end <= f["__span__"][1]]
                ev_within = [e for e in evs if e["__span__"][0] <= m.start
                             and m.end <= e["__span__"][1]]
                fid = eid = None
                if m.kind in DATE_KINDS:
                    if ev_within:
                        eid = ev_within[0]["event_id"]
                    elif within:
                        fid = within[0]["figure_id"]
                else:
                    match = [f for f in within if mention_matches(m, f)]
                    if match:
                        fid = match[0]["figure_id"]
                if fid or eid:
                    status[i] = {"status": "registered", "figure_id": fid, "event_id": eid}
            for d in dis_by_src.get(sid, []):
                hits = [i for i, m in enumerate(src.mentions) if m.text == d["text"]]
                if d["context"]:
                    spans = [(c, c + len(d["context"])) for c in
                             find_all(src.article.text, d["context"], src.body_start,
                                      src.body_end)]
                    if not spans:
                        self.bad("dismissals", d, "context", f"context {brief(d['context'])} not "
                                 f"found inside the body of {src.article.path}")
                        continue
                    hits = [i for i in hits if any(s <= src.mentions[i].start
                                                   and src.mentions[i].end <= e
                                                   for s, e in spans)]
                free = [i for i in hits if i not in status]
                if not free:
                    if hits:
                        owner = status[hits[0]]
                        what = owner["figure_id"] or owner["event_id"]
                        msg = (f"stale dismissal: {brief(d['text'])} is already registered to "
                               f"{brief(what)}; remove the dismissal")
                    else:
                        texts = sorted({m.text for m in src.mentions
                                        if d["text"] in m.text or m.text in d["text"]})
                        hint = f" (the scanner reports {', '.join(map(repr, texts))})" \
                            if texts else ""
                        msg = (f"stale dismissal: the scanner finds no {brief(d['text'])} in the "
                               f"body "
                               f"of {src.article.path}{hint}")
                    self.bad("dismissals", d, "text", msg)
                    continue
                for i in free:
                    status[i] = {"status": "dismissed", "reason": d["reason"]}
            for i, m in enumerate(src.mentions):
                st = status.get(i)
                if st is None:
                    if any(s <= m.start and m.end <= e for s, e in failed.get(sid, [])):
                        continue
                    line = src.article.text.count("\n", 0, m.start) + 1
                    self.problems.append(Problem(
                        src.article.path, f"source '{sid}'", None,
                        f"unreviewed numeric expression {m.text!r} at offset {m.start} "
                        f"({context(src.article.text, m.start, m.end)}): register it in "
                        "figures.yaml/events.yaml or dismiss it in dismissals.yaml",
                        line=line))
                    continue
                assert st["status"] in MENTION_STATUSES
                rows.append({"source_id": sid, "start": m.start, "end": m.end, "text": m.text,
                             "value": m.value, "value_high": m.value_high, "unit": m.unit,
                             "qualifier": m.qualifier, "status": st["status"],
                             "figure_id": st.get("figure_id"), "event_id": st.get("event_id"),
                             "reason": st.get("reason"), "mention_kind": m.kind})
        return rows


def frame(rows: list[dict], table: str) -> pd.DataFrame:
    """Rows → DataFrame with exactly the contract's columns, in order, typed via Arrow."""
    schema = TABLES[table].arrow_schema()
    arrow = pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows],
                                 schema=schema)
    return arrow.to_pandas()


def build_frames(reg: Register, scan: Scanner,
                 articles_dir: str = "data/raw/articles") -> dict[str, pd.DataFrame]:
    """Verify the whole register against the articles; return one DataFrame per table.

    Raises :class:`BuildError` listing every problem when anything fails.
    """
    ck = _Checker(reg, scan, articles_dir)
    ck.load_sources()
    indicators = {r["indicator_id"]: r for r in reg["indicators"] if r["indicator_id"]}
    figures = ck.figure_rows(indicators)
    derived = ck.derived_rows(figures, indicators)
    ck.conflicts(figures)
    events = ck.event_rows()
    mentions = ck.mention_rows()
    reference = reference_rows(reg, indicators, ck.problems)
    for kind, n in (("sources", len(reg["sources"])), ("indicators", len(reg["indicators"])),
                    ("figures", len(reg["figures"]))):
        if n == 0 and not any(p.file == reg.files[kind] for p in ck.problems):
            ck.problems.append(Problem(reg.files[kind], None, None, "holds no records"))
    if ck.problems:
        raise BuildError(sorted(ck.problems, key=lambda p: (p.file, p.line or 0)))

    sources = []
    for rec in reg["sources"]:
        row = {c: rec.get(c) for c in TABLES["sources"].names}
        row["sha256"] = rec["__sha256__"]
        row["body_start"], row["body_end"] = rec["__body__"]
        sources.append(row)
    sources.sort(key=lambda r: r["source_id"])
    indicator_rows = [{c: r.get(c) for c in TABLES["indicators"].names} for r in reg["indicators"]]
    figures.sort(key=lambda r: (r["source_id"], r["quote_start"], r["figure_id"]))
    derived.sort(key=lambda r: r["figure_id"])
    events.sort(key=lambda r: (r["date_start"], r["event_id"]))
    mentions.sort(key=lambda r: (r["source_id"], r["start"], r["end"]))
    frames = {
        "sources": frame(sources, "sources"),
        "indicators": frame(indicator_rows, "indicators"),
        "figures": frame(figures + derived, "figures"),
        "events": frame(events, "events"),
        "mentions": frame(mentions, "mentions"),
        "reference": frame(reference, "reference"),
    }
    frames["checks"] = build_checks(frames["figures"], frames["reference"], frames["mentions"])
    return frames


def raw_text(root: Path, raw_path: str) -> str:
    """The decoded raw article, for readers that verify ``raw[quote_start:quote_end]``."""
    return load_article(root / raw_path, raw_path).text
