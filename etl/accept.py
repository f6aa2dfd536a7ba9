"""``python -m etl accept data/drafts/<source_id>.yaml``: move reviewed records into the register.

The draft (written by :mod:`etl.draft`) holds ``source``, ``figures``, ``events`` and
``dismissals``; each record carries ``review`` (``pending`` | ``done`` | ``rejected``) and
``why``. ``accept``:

1. refuses the draft while any record is ``pending`` or a ``done`` record still holds a
   translation to do (:data:`etl.draft.TODO`) or lacks a required text — every problem is listed,
   naming the draft file, the record and the field;
2. checks each quote against the article the way the build does (verbatim inside the body, the
   scanner reads the record's value in it), so a quote edited out of shape is named in the draft;
3. appends the ``done`` records (without ``review``/``why``) to ``data/sources.yaml``,
   ``figures.yaml``, ``events.yaml`` and ``dismissals.yaml`` with ruamel.yaml's round-trip mode,
   which keeps every existing record, its order and its comments byte for byte;
4. runs the build's check over the would-be register in a staging folder, and only when it passes
   replaces the register files (each written to a temporary file and renamed over the old one)
   and removes the draft. On any error the register is exactly as before.

Example:
    >>> [k for k in DRAFT_KINDS]
    ['sources', 'figures', 'events', 'dismissals']
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from etl.articles import ArticleError, find_body, load_article, locate_quote
from etl.build import DATA_DIR, run
from etl.draft import REVIEW_STATES, TODO, yaml_rt
from etl.errors import BuildError, Problem
from etl.numbers import scan
from etl.register import SPECS, TRANSLATED_FIELDS
from etl.schema import LANGS
from etl.tables import mention_matches as _matches
from etl.tables import scan_body

DRAFT_KINDS = {"sources": "source", "figures": "figures", "events": "events",
               "dismissals": "dismissals"}
DRAFT_ONLY = ("review", "why")


class AcceptError(Exception):
    """The draft cannot be accepted; ``problems`` lists why. Nothing was changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(BuildError(problems).report())


@dataclass
class AcceptResult:
    moved: dict[str, int]
    rejected: int
    check: str


def _load_draft(path: Path, display: str) -> CommentedMap:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AcceptError([Problem(display, None, None, "no such draft file")]) from None
    except UnicodeDecodeError as exc:
        raise AcceptError([Problem(display, None, None,
                                   f"not valid UTF-8 at byte offset {exc.start}")]) from None
    try:
        data = yaml_rt().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise AcceptError([Problem(display, None, None, f"malformed YAML: "
                                   f"{getattr(exc, 'problem', None) or exc}", line=line)]) from None
    if not isinstance(data, dict) or set(data) != set(DRAFT_KINDS.values()):
        raise AcceptError([Problem(display, None, None, "a draft is a mapping with exactly the "
                                   "keys source, figures, events, dismissals")])
    return data


def _line(rec: Any) -> int | None:
    lc = getattr(rec, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def _name(kind: str, rec: dict, i: int) -> str:
    spec = SPECS[kind]
    rid = rec.get(spec.id_field) if spec.id_field else None
    return f"{spec.label} '{rid}'" if rid else f"{spec.label} #{i + 1}"


def _records(data: CommentedMap, display: str,
             problems: list[Problem]) -> list[tuple[str, int, CommentedMap]]:
    out = []
    src = data["source"]
    if not isinstance(src, dict):
        problems.append(Problem(display, "source", None, "must be a mapping of fields"))
    else:
        out.append(("sources", 0, src))
    for kind in ("figures", "events", "dismissals"):
        seq = data[kind] or []
        if not isinstance(seq, list):
            problems.append(Problem(display, kind, None, "must be a list of records"))
            continue
        for i, rec in enumerate(seq):
            if not isinstance(rec, dict):
                problems.append(Problem(display, f"{kind} #{i + 1}", None,
                                        "must be a mapping of fields", line=_line(seq)))
                continue
            out.append((kind, i, rec))
    return out


def review_problems(records: list[tuple[str, int, CommentedMap]], display: str) -> list[Problem]:
    """Pending records, unknown review states, translations still to do, missing texts."""
    problems = []
    for kind, i, rec in records:
        name = _name(kind, rec, i)
        line = _line(rec)
        state = rec.get("review")
        if state not in REVIEW_STATES:
            problems.append(Problem(display, name, "review", f"must be one of "
                                    f"{', '.join(REVIEW_STATES)}, got {state!r}", line=line))
            continue
        if state == "pending":
            problems.append(Problem(display, name, "review", "still pending: review the record "
                                    "and set review: done (or rejected)", line=line))
            continue
        if state == "rejected":
            continue
        for key, value in rec.items():
            if isinstance(value, str) and value.startswith("TODO"):
                what = "translation" if value == TODO else "text"
                problems.append(Problem(display, name, str(key), f"{what} still to do "
                                        f"({value!r})", line=line))
        for tr in TRANSLATED_FIELDS.get(kind, ()):
            cols = [tr.column(lang) for lang in LANGS]
            given = [c for c in cols if rec.get(c)]
            for col in cols:
                if col in rec and not rec.get(col) and (tr.required or given):
                    when = "always" if tr.required else f"when {given[0]} is given"
                    problems.append(Problem(display, name, col, f"translation missing "
                                            f"(required {when})", line=line))
    return problems


def quote_problems(root: Path, records: list[tuple[str, int, CommentedMap]],
                   display: str) -> list[Problem]:
    """Each done figure's and event's quote, checked against the article as the build does."""
    src = next((r for k, _, r in records if k == "sources"), None)
    if src is None or not src.get("raw_path"):
        return []
    try:
        art = load_article(root / src["raw_path"], src["raw_path"])
        body = find_body(art.text, src.get("body_starts_with") or "",
                         src.get("body_ends_with") or "")
    except ArticleError as exc:
        return [Problem(display, "source", "raw_path", str(exc), line=_line(src))]
    mentions = scan_body(scan, art.text, *body)
    problems = []
    for kind, i, rec in records:
        if kind not in ("figures", "events") or rec.get("review") != "done":
            continue
        name = _name(kind, rec, i)
        try:
            s, e = locate_quote(art.text, *body, rec.get("quote") or "", rec.get("occurrence"))
        except ArticleError as exc:
            problems.append(Problem(display, name, "quote", f"{exc} (in {art.path})",
                                    line=_line(rec)))
            continue
        if kind == "figures" and rec.get("value") is not None:
            probe = {k: rec.get(k) for k in ("value", "value_high", "unit", "qualifier", "per")}
            inside = [m for m in mentions if s <= m.start and m.end <= e]
            if not any(_matches(m, probe) for m in inside):
                problems.append(Problem(display, name, "value", "the quote does not say this "
                                        "figure: the scanner reads "
                                        + ("; ".join(m.text for m in inside) or "no number")
                                        + " in it", line=_line(rec)))
    return problems


def _clean(rec: CommentedMap) -> CommentedMap:
    for key in DRAFT_ONLY:
        if key in rec:
            del rec[key]
    for key, value in list(rec.items()):
        if isinstance(value, dt.datetime):
            rec[key] = value.date()
    return rec


def merged_texts(root: Path, data: CommentedMap,
                 records: list[tuple[str, int, CommentedMap]],
                 draft_name: str) -> tuple[dict[str, str], dict[str, int]]:
    """The new text of each register file that gains records (nothing is written)."""
    y = yaml_rt()
    texts, moved = {}, {}
    for kind in DRAFT_KINDS:
        done = [rec for k, _, rec in records if k == kind and rec.get("review") == "done"]
        if not done:
            continue
        path = root / DATA_DIR / SPECS[kind].file
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        seq = y.load(old) if old.strip() else None
        if seq is None:
            seq = CommentedSeq()
        first = len(seq)
        for rec in done:
            seq.append(_clean(rec))
        sid = data["source"].get("source_id")
        seq.yaml_set_comment_before_after_key(
            first, before=f"\n--- {sid} (accepted from {draft_name}) ---")
        for k in range(first + 1, len(seq)):
            seq.yaml_set_comment_before_after_key(k, before="\n")
        buf = io.StringIO()
        y.dump(seq, buf)
        texts[kind] = buf.getvalue()
        moved[kind] = len(done)
    return texts, moved


def staged_check(root: Path, texts: dict[str, str]) -> str:
    """Run the build's check over the register as it would be; ``BuildError`` when it fails."""
    with tempfile.TemporaryDirectory(prefix="etl-accept-") as tmp:
        stage = Path(tmp)
        data = root / DATA_DIR
        (stage / DATA_DIR).mkdir(parents=True)
        for entry in data.iterdir():
            target = stage / DATA_DIR / entry.name
            if entry.name in {SPECS[k].file for k in texts}:
                continue
            if entry.is_file():
                shutil.copy2(entry, target)
            else:
                target.symlink_to(entry.resolve(), target_is_directory=True)
        for kind, text in texts.items():
            (stage / DATA_DIR / SPECS[kind].file).write_text(text, encoding="utf-8")
        result = run(stage, write=False)
        return ", ".join(f"{len(df)} {name}" for name, df in result.frames.items())


def replace_files(texts: dict[Path, str]) -> None:
    """Write every file next to its target, then rename each over its target; if a rename fails,
    the files already replaced get their old bytes back, so the register is never half new."""
    old = {path: path.read_bytes() if path.exists() else None for path in texts}
    tmps: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for target, text in texts.items():
            tmp = target.with_name(f".{target.name}.accept.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmps.append((tmp, target))
        for tmp, target in tmps:
            os.replace(tmp, target)
            done.append(target)
    except OSError:
        for target in done:
            before = old[target]
            if before is None:
                target.unlink(missing_ok=True)
            else:
                back = target.with_name(f".{target.name}.accept.back")
                back.write_bytes(before)
                os.replace(back, target)
        raise
    finally:
        for tmp, _ in tmps:
            tmp.unlink(missing_ok=True)


def accept(root: Path, draft_path: Path) -> AcceptResult:
    """Move the draft's done records into the register; :class:`AcceptError` changes nothing."""
    try:
        display = draft_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        display = str(draft_path)
    data = _load_draft(draft_path, display)
    problems: list[Problem] = []
    records = _records(data, display, problems)
    problems += review_problems(records, display)
    src = data.get("source")
    if isinstance(src, dict) and src.get("review") == "rejected" and any(
            r.get("review") == "done" for k, _, r in records if k != "sources"):
        problems.append(Problem(display, "source", "review", "rejected, but records of this "
                                "article are done: they need their source"))
    if problems:
        raise AcceptError(problems)
    problems += quote_problems(root, records, display)
    if problems:
        raise AcceptError(problems)
    rejected = sum(1 for _, _, r in records if r.get("review") == "rejected")
    texts, moved = merged_texts(root, data, records, display)
    try:
        summary = staged_check(root, texts)
    except BuildError as exc:
        raise AcceptError([*exc.problems, Problem(display, None, None, "the check failed on the "
                           "register with these records added: nothing was changed")]) from None
    replace_files({root / DATA_DIR / SPECS[kind].file: text for kind, text in texts.items()})
    draft_path.unlink()
    return AcceptResult(moved, rejected, summary)


def main_accept(root: Path, draft: str) -> int:
    try:
        result = accept(root, Path(draft))
    except AcceptError as exc:
        print(f"etl accept: {exc}", file=sys.stderr)
        print("etl accept: nothing was changed", file=sys.stderr)
        return 1
    except OSError as exc:  # unwritable data/, full disk: the register keeps its old bytes
        print(f"etl accept: {exc.strerror or exc}: {exc.filename or ''}; nothing was changed",
              file=sys.stderr)
        return 1
    moved = ", ".join(f"{n} {k}" for k, n in result.moved.items()) or "nothing"
    print(f"accepted {moved} ({result.rejected} rejected); check passed: {result.check}; "
          f"removed {draft}")
    return 0
