#!/usr/bin/env python3
"""One entry point for a newcomer with nothing but Python 3.11+.

    python3 tasks.py run     # set up .venv, build the tables if needed, serve on :8501
    python3 tasks.py test    # set up .venv (+ Debian chromium when root), run the whole suite
    python3 tasks.py test --fast   # the same without the browser and nginx tests
    python3 tasks.py bench   # print the benchmarks' figures
    python3 tasks.py shots   # screenshots for review into artifacts/shots/

Only the standard library is used here, because this file runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
REGISTER = [ROOT / "data" / n for n in ("sources.yaml", "indicators.yaml", "figures.yaml",
                                         "derived.yaml", "events.yaml", "dismissals.yaml")]
TABLES = ROOT / "data" / "tables"
# Debian packages the browser tests and the scale-out test need; the load benchmark adds wrk.
DEBIAN = {"/usr/bin/chromium": "chromium", "/usr/sbin/nginx": "nginx"}
DEBIAN_BENCH = {**DEBIAN, "/usr/bin/wrk": "wrk"}


def sh(*cmd: str | Path, **kw) -> None:
    """Run a command, echoing it; stop with its exit code when it fails."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    rc = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)
    if rc != 0:
        sys.exit(rc)


def ensure_venv(extra: str | None) -> None:
    """Create .venv and install the project (editable) when pyproject.toml changed."""
    if not PY.exists():
        sh(sys.executable, "-m", "venv", VENV)
    spec = "." if extra is None else f".[{extra}]"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if want in have:
        return
    sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", spec)
    # A full install ("test") also satisfies the plain one.
    stamps = {want}
    if extra is not None:
        stamps.add(hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + b".").hexdigest())
    STAMP.write_text("\n".join(sorted(stamps | set(have))))


def ensure_debian(packages: dict[str, str] = DEBIAN) -> None:
    """Install the Debian packages the tests drive, when missing and we may (root + apt-get)."""
    missing = [pkg for path, pkg in packages.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Missing Debian packages {missing}: install them (apt-get install -y "
                 f"{' '.join(missing)}) and run again.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def tables_stale() -> bool:
    """True when the built tables are missing or older than the register or the articles."""
    stamp = TABLES / "datapackage.json"
    if not stamp.exists():
        return True
    inputs = [p for p in REGISTER if p.exists()]
    inputs += list((ROOT / "data" / "raw" / "articles").glob("*"))
    return any(p.stat().st_mtime > stamp.stat().st_mtime for p in inputs)


def cmd_run(args: argparse.Namespace) -> None:
    ensure_venv(None)
    if tables_stale():
        sh(PY, "-m", "etl", "build")
    os.execv(PY, [str(PY), "-m", "web", "--host", args.host, "--port", str(args.port)])


def cmd_test(args: argparse.Namespace) -> None:
    ensure_venv("test")
    if not args.fast:
        ensure_debian()
    sh(PY, "-m", "ruff", "check", ".")
    sh(BIN / "lint-imports", "--no-cache")  # the layers (pyproject.toml [tool.importlinter])
    extra = args.pytest_args[1:] if args.pytest_args[:1] == ["--"] else args.pytest_args
    if args.fast:
        extra = ["-m", "not browser and not nginx", *extra]
    sh(PY, "-m", "pytest", *extra)


def cmd_bench(args: argparse.Namespace) -> None:
    ensure_venv("test")
    ensure_debian(DEBIAN_BENCH)
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        if not args.only or any(o in script.name for o in args.only):
            sh(PY, script)


def cmd_shots(args: argparse.Namespace) -> None:
    ensure_venv("test")
    ensure_debian()
    if tables_stale():
        sh(PY, "-m", "etl", "build")
    sh(PY, "-m", "harness.shots", *args.shots_args)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="set up, build tables if needed, serve the dashboard")
    r.add_argument("--host", default=os.environ.get("AZKZ_HOST", "127.0.0.1"))
    r.add_argument("--port", type=int, default=int(os.environ.get("AZKZ_PORT", "8501")))
    r.set_defaults(func=cmd_run)
    t = sub.add_parser("test", help="set up and run the whole test suite")
    t.add_argument("--fast", action="store_true",
                   help="lint, layers and the tests without Chromium or nginx")
    t.add_argument("pytest_args", nargs=argparse.REMAINDER, help="extra arguments for pytest")
    t.set_defaults(func=cmd_test)
    b = sub.add_parser("bench", help="run the benchmarks in bench/")
    b.add_argument("only", nargs="*", help="substrings of benchmark file names")
    b.set_defaults(func=cmd_bench)
    s = sub.add_parser("shots", help="screenshots for review (360/1440 px, light/dark) into "
                                     "artifacts/shots/")
    s.add_argument("shots_args", nargs=argparse.REMAINDER,
                   help="options of python -m harness.shots (--lang, --out)")
    s.set_defaults(func=cmd_shots)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
