"""Throughput of the numeric-expression scanner (``etl.numbers.scan``).

Scans the five articles, then synthetic corpora 10x and 100x larger (the articles repeated,
joined by blank lines, scanned as one text so any super-linear cost would show), and prints
the median of several runs per corpus.

    .venv/bin/python bench/bench_scan.py [--runs 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.numbers import scan  # noqa: E402 - after the path tweak, so it runs from a checkout

ARTICLES = sorted((ROOT / "data" / "raw" / "articles").glob("*.txt"))


def timed(texts: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds to scan all texts, and the number of mentions found.

    CPU time is reported beside wall time because the machine may be shared: on a loaded host
    the wall figure measures the neighbours as much as the scanner.
    """
    walls, cpus, found = [], [], 0
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        found = sum(len(scan(t)) for t in texts)
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return statistics.median(walls), statistics.median(cpus), found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per corpus (median reported)")
    args = ap.parse_args()
    articles = [p.read_text(encoding="utf-8") for p in ARTICLES]
    joined = "\n\n".join(articles)
    corpora = [("5 articles", articles, args.runs),
               ("10x (one text)", ["\n\n".join([joined] * 10)], args.runs),
               ("100x (one text)", ["\n\n".join([joined] * 100)], max(3, args.runs // 2))]
    print(f"scanner throughput, Python {platform.python_version()}, {platform.machine()}")
    header = (f"{'corpus':<16} {'chars':>10} {'MB':>7} {'mentions':>9} {'runs':>4} "
              f"{'wall s':>8} {'cpu s':>8} {'MB/s':>6} {'mentions/s':>10}")
    print(header)
    print("-" * len(header))
    for name, texts, runs in corpora:
        chars = sum(map(len, texts))
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        wall, cpu, found = timed(texts, runs)
        print(f"{name:<16} {chars:>10,} {mb:>7.3f} {found:>9,} {runs:>4} {wall:>8.4f} "
              f"{cpu:>8.4f} {mb / cpu:>6.2f} {found / cpu:>10,.0f}")
    print("MB/s and mentions/s are per CPU second (median of runs); MB counts UTF-8 bytes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
