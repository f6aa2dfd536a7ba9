"""Leave-one-out scores of ``python -m etl draft`` over the five articles.

For each article: copy the register, take out the article's records (and derived figures built on
them), draft the article, and compare with what was taken out. A figure counts as recovered when
a drafted figure has the same indicator, kind, value, unit, qualifier, period start and end.
Events count when kind, start date and precision agree. Then every proposal is accepted as is
(to-do texts filled with stand-ins) and the build's check runs on the result: "check" says
whether every numeric expression of the body ended up a figure, event or dismissal with every
quote verified. The two fixture articles (Russian, English) are drafted and checked the same way.

    .venv/bin/python bench/bench_draft.py
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# after the path tweak, so it runs from a checkout
from etl.accept import AcceptError, accept  # noqa: E402
from etl.draft import draft_article, write_draft, yaml_rt  # noqa: E402
from etl.register import load_register  # noqa: E402

KEYS = ("indicator_id", "kind", "value", "unit", "qualifier", "period_start", "period_end")
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "drafts").glob("*.txt"))


def key(rec: dict) -> tuple:
    return tuple(float(rec[k]) if k == "value" else
                 (rec[k].isoformat() if isinstance(rec[k], dt.date) else rec[k]) for k in KEYS)


def copy_without(tmp: Path, sid: str | None) -> Path:
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("tables", "drafts"))
    if sid is None:
        return tmp
    y = yaml_rt()
    ids = {f["figure_id"] for f in load_register(tmp)["figures"] if f["source_id"] == sid}
    for path in (tmp / "data").glob("*.yaml"):
        seq = y.load(path.read_text(encoding="utf-8"))
        if not isinstance(seq, list):
            continue
        keep = [r for r in seq if not (isinstance(r, dict) and (
            r.get("source_id") == sid or any(i in str(r.get("formula", "")) for i in ids)))]
        if len(keep) == len(seq):
            continue
        seq.clear()
        seq.extend(keep)
        buf = io.StringIO()
        y.dump(seq, buf)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return tmp


def accept_all(root: Path, out: Path) -> str:
    y = yaml_rt()
    data = y.load(out.read_text(encoding="utf-8"))
    for rec in [data["source"], *data["figures"], *data["events"], *data["dismissals"]]:
        for k, v in list(rec.items()):
            if isinstance(v, str) and v.startswith("TODO"):
                rec[k] = f"[{k}]"
        rec["review"] = "done"
    buf = io.StringIO()
    y.dump(data, buf)
    out.write_text(buf.getvalue(), encoding="utf-8")
    try:
        accept(root, out)
    except AcceptError as exc:
        return f"FAILED ({len(exc.problems)} problems)"
    return "passed"


def row(name: str, root: Path, raw: Path, sid: str | None, published, want_f, want_e) -> str:
    t0 = time.perf_counter()
    draft = draft_article(root, raw, sid, published)
    ms = (time.perf_counter() - t0) * 1000
    got_f = {key(f) for f in draft.figures}
    hit_f = sum(key(w) in got_f for w in want_f)
    got_e = {(e["kind"], e["date_start"], e["precision"]) for e in draft.events}
    hit_e = sum((e["kind"], e["date_start"], e["precision"]) in got_e for e in want_e)
    score = f"{hit_f}/{len(want_f)} = {100 * hit_f / len(want_f):.0f} %" if want_f else "—"
    events = f"{hit_e}/{len(want_e)}" if want_e else "—"
    check = accept_all(root, write_draft(root, draft))
    return (f"| {name} | {len(draft.mentions)} | {score} | {len(draft.figures)} | {events} | "
            f"{len(draft.events)} | {len(draft.dismissals)} | {check} | {ms:.0f} |")


def main() -> int:
    reg = load_register(ROOT)
    print("| article | expressions in body | figures recovered | figures proposed | events "
          "recovered | events proposed | dismissals | check after accept | draft ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for src in reg["sources"]:
        sid = src["source_id"]
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_without(Path(tmp), sid)
            want_f = [f for f in reg["figures"] if f["source_id"] == sid]
            want_e = [e for e in reg["events"] if e["source_id"] == sid]
            print(row(sid, root, root / src["raw_path"], sid, src["published"], want_f, want_e))
    for fx in FIXTURES:
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_without(Path(tmp), None)
            raw = root / "data" / "raw" / "articles" / f"900_{fx.name}"
            shutil.copy(fx, raw)
            print(row(f"fixture {fx.name}", root, raw, None, None, [], []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
