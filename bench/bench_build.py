"""How long does `python -m etl build` take, and how does it grow with the corpus?

Builds the real corpus, then synthetic corpora 10× and 100× larger (every article and register
record replicated under new ids in a temporary folder), and prints the median wall time of a full
build (verify + write Parquet + datapackage) and of a check (verify only).

    .venv/bin/python bench/bench_build.py [--repeat 5] [--scales 1 10 100]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.build import run  # noqa: E402

ID_FIELDS = {"sources.yaml": ["source_id"], "figures.yaml": ["figure_id", "source_id"],
             "derived.yaml": ["figure_id"], "events.yaml": ["event_id", "source_id"],
             "dismissals.yaml": ["source_id"]}


def _load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def replicate(src: Path, dst: Path, copies: int) -> None:
    """Write a corpus of ``copies`` × the register under ``src`` into ``dst``."""
    (dst / "data" / "raw" / "articles").mkdir(parents=True)
    shutil.copy(src / "data" / "indicators.yaml", dst / "data" / "indicators.yaml")
    records = {name: _load(src / "data" / name) for name in ID_FIELDS}
    figure_ids = sorted({r["figure_id"] for n in ("figures.yaml", "derived.yaml")
                         for r in records[n]}, key=len, reverse=True)
    id_rx = re.compile("|".join(map(re.escape, figure_ids)) or "(?!)")
    out: dict[str, list[dict]] = {name: [] for name in ID_FIELDS}
    for k in range(copies):
        suffix = f"-r{k}"
        for name, recs in records.items():
            for rec in recs:
                rec = dict(rec)
                for f in ID_FIELDS[name]:
                    rec[f] += suffix
                if name == "sources.yaml":
                    article = Path(rec["raw_path"])
                    new = f"data/raw/articles/r{k}_{article.name}"
                    shutil.copy(src / rec["raw_path"], dst / new)
                    rec["raw_path"] = new
                if name == "derived.yaml":
                    rec["formula"] = id_rx.sub(lambda m, s=suffix: m.group(0) + s,
                                               rec["formula"])
                out[name].append(rec)
    for name, recs in out.items():
        (dst / "data" / name).write_text(yaml.safe_dump(recs, allow_unicode=True,
                                                        sort_keys=False), encoding="utf-8")


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    args = ap.parse_args()
    print(f"{'corpus':>8} {'articles':>9} {'figures':>8} {'mentions':>9} "
          f"{'build s':>8} {'check s':>8} {'ms/article':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            root = Path(tmp) / f"x{scale}"
            replicate(ROOT, root, scale)
            out = root / "data" / "tables"
            result = run(root, out)  # warm-up, and the row counts
            n_art = len(result.frames["sources"])
            build = median_seconds(lambda r=root, o=out: run(r, o), args.repeat)
            check = median_seconds(lambda r=root: run(r, write=False), args.repeat)
            print(f"{scale:>7}× {n_art:>9} {len(result.frames['figures']):>8} "
                  f"{len(result.frames['mentions']):>9} {build:>8.3f} {check:>8.3f} "
                  f"{1000 * build / n_art:>11.1f}", flush=True)
    print(f"median of {args.repeat} runs each; machine-dependent, compare the growth")


if __name__ == "__main__":
    main()
