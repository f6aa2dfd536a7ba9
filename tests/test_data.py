"""etl.store and ui.data: tables are read from one build only (keyed on datapackage.json's
build_id).

Two builds are made from the fixture frames, the second with an edited ``quote_en``; mixing
their files must be refused or re-read, never returned.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
import streamlit as st

from downloads.bundle import bundle_zip
from etl import store
from etl.schema import TABLE_ORDER
from etl.store import PACKAGE, MixedBuilds, TablesUnavailable, build_id, load_tables
from tests.fixtures import tables as fx
from ui.data import cached_tables

EDIT = " (second build)"


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    """(directory of build A, directory of build B); B differs in figures.quote_en."""
    a = fx.write_tables(tmp_path / "a")
    figures = fx.figures_frame()
    figures["quote_en"] = figures["quote_en"] + EDIT
    b = fx.write_tables(tmp_path / "b", {"figures": figures})
    assert build_id(a) != build_id(b)
    return a, b


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(store, "RETRY_SLEEP", 0.0)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _from_b(tables) -> bool:
    return tables.figures["quote_en"].str.endswith(EDIT).all()


def test_a_table_from_another_build_is_refused_by_name(builds):
    a, b = builds
    shutil.copy(b / "figures.parquet", a / "figures.parquet")  # a build killed mid-swap
    for read in (load_tables, cached_tables):
        with pytest.raises(MixedBuilds, match=r"figures\.parquet comes from build"):
            read(a)


def test_missing_datapackage_is_refused_with_the_build_command(builds):
    a, _ = builds
    (a / PACKAGE).unlink()
    with pytest.raises(TablesUnavailable, match=r"datapackage\.json is missing.*etl build"):
        load_tables(a)


@pytest.mark.parametrize("read", [load_tables, cached_tables], ids=["load", "cached"])
def test_a_swap_in_progress_is_reread_not_mixed(builds, monkeypatch, read):
    """Parquet files already from B, datapackage.json still A (etl.store swaps it in last):
    the reader retries and returns B whole once the swap finishes."""
    a, b = builds
    for name in TABLE_ORDER:
        shutil.copy(b / f"{name}.parquet", a / f"{name}.parquet")
    attempts = []
    real = store.build_id

    def finish_swap_on_second_look(directory=None):
        attempts.append(1)
        if len(attempts) == 2:
            shutil.copy(b / PACKAGE, a / PACKAGE)
        return real(directory)

    monkeypatch.setattr(store, "build_id", finish_swap_on_second_look)
    tables = read(a)
    assert len(attempts) >= 2, "the mixed state was noticed and re-read"
    assert _from_b(tables)
    assert json.loads((a / PACKAGE).read_text())["build_id"] == build_id(b)


def test_cached_tables_follow_a_rebuild_and_stay_whole(builds):
    a, b = builds
    assert not _from_b(cached_tables(a))
    # a complete rebuild: every file of B replaces A's, datapackage.json last
    for name in [*(f"{n}.parquet" for n in TABLE_ORDER), PACKAGE]:
        shutil.copy(b / name, a / name)
    assert _from_b(cached_tables(a))


def test_concurrent_swaps_never_give_a_mix(builds):
    """A thread keeps swapping A and B in (parquet first, package last) while readers read."""
    a, b = builds
    src = {"A": a.parent / "a-copy", "B": b}
    shutil.copytree(a, src["A"])
    stop = threading.Event()

    def swapper():
        which = "B"
        while not stop.is_set():
            for name in [*(f"{n}.parquet" for n in TABLE_ORDER), PACKAGE]:
                tmp = a / f".{name}.tmp"
                shutil.copy(src[which] / name, tmp)
                tmp.replace(a / name)
            which = "A" if which == "B" else "B"
            # Each complete build stays for a while that varies (1 ms to 0.1 s), so some reads
            # fall inside one build and others straddle a swap, on a fast or a loaded machine.
            time.sleep(next(pauses))

    pauses = itertools.cycle([0.001, 0.003, 0.01, 0.03, 0.1])
    thread = threading.Thread(target=swapper, daemon=True)
    thread.start()
    seen = set()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(seen) < 2:
            for read in (load_tables, cached_tables):
                try:
                    tables = read(a)
                except MixedBuilds:
                    continue  # refused: allowed, a mix is not
                marks = set(tables.figures["quote_en"].str.endswith(EDIT))
                assert len(marks) == 1, "figures from one build"
                seen.add(marks.pop())
    finally:
        stop.set()
        thread.join()
    assert seen, "at least one consistent read"


def test_the_download_bundle_never_mixes_builds(builds):
    """/downloads/bundle.zip and the Data page's zip hold one build, or are refused by name."""
    a, b = builds
    whole = zipfile.ZipFile(io.BytesIO(bundle_zip(a)))
    package = json.loads(whole.read(PACKAGE))
    assert package["build_id"] == build_id(a)
    assert EDIT not in whole.read("figures.csv").decode("utf-8")

    shutil.copy(b / "figures.parquet", a / "figures.parquet")  # a build killed mid-swap
    with pytest.raises(MixedBuilds, match=r"figures\.parquet comes from build"):
        bundle_zip(a)
