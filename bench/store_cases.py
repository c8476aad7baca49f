"""The annotation store's figures: ``db import``, cold load and one write, SQLite and PostGIS.

A store of ``n`` synthetic events (100,000 in a full run; :mod:`bench.store_data`) is imported
with ``python -m geo db import`` in a fresh child, then loaded cold (a fresh child, no
materialised atlas on disk yet; the gazetteer's index cached, as for the file load it is
compared with: ``geo.atlas.load.load_atlas`` of the same folder with an empty atlas cache; the
two loads alternate, so that both see the same share of a shared machine, and their CPU times
are in the notes).
One write is an :meth:`geo.store.Store.edit` of one event (validated like a file row), and a
review (:meth:`~geo.store.Store.set_status`) of one row, median of in-process runs.
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import BenchSkipped, run_child, time_call, time_children

__all__ = ["STORE_FIGURES", "store_100k"]

STORE_FIGURES = (
    "store_import_100k_s",
    "file_load_100k_s",
    "store_cold_load_100k_s",
    "store_warm_load_100k_s",
    "store_edit_ms",
    "store_review_ms",
    "postgis_import_100k_s",
    "postgis_cold_load_100k_s",
    "postgis_edit_ms",
    "postgis_review_ms",
)

_IMPORT_CHILD = """
import json, time
from geo.store import open_store
open_store({url!r}, seed=False).close()
from geo.cli import main
start = time.perf_counter()
code = main(["db", "--db", {url!r}, "import", {folder!r}])
print(json.dumps({{"seconds": time.perf_counter() - start, "code": code}}))
"""

_STORE_LOAD_CHILD = """
import json, time
from pathlib import Path
start = time.perf_counter()
from geo.store import open_store
atlas = open_store({url!r}).load_atlas() if {cache!r} is None else open_store(
    {url!r}, cache_dir=Path({cache!r})).load_atlas()
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time(),
                  "rows": len(atlas.events)}}))
"""

_FILE_LOAD_CHILD = """
import json, tempfile, time
from pathlib import Path
start = time.perf_counter()
from geo.atlas.load import load_atlas
atlas = load_atlas({folder!r}, cache_dir=Path(tempfile.mkdtemp()))
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time(),
                  "rows": len(atlas.events)}}))
"""


def _figures(url: str, folder: Path, *, repeat: int, prefix: str, workdir: Path) -> dict[str, Any]:
    from geo.store import open_store

    done = run_child(_IMPORT_CHILD.format(url=url, folder=str(folder)), timeout_s=900)
    if done.payload["code"] != 0:
        raise BenchSkipped(f"db import exited {done.payload['code']}")
    out: dict[str, Any] = {f"{prefix}_import_100k_s": round(float(done.payload["seconds"]), 2)}
    fresh = [str(Path(tempfile.mkdtemp(dir=workdir))) for _ in range(repeat)]
    store_runs, file_runs = [], []
    for cache in fresh:  # alternate the two loads: both see the same share of the machine
        code = _FILE_LOAD_CHILD.format(folder=str(folder))
        file_runs.append(run_child(code, timeout_s=600).payload)
        code = _STORE_LOAD_CHILD.format(url=url, cache=cache)
        store_runs.append(run_child(code, timeout_s=600).payload)

    def median(runs: list[dict[str, Any]], key: str) -> float:
        return round(statistics.median(float(r[key]) for r in runs), 2)

    out[f"{prefix}_cold_load_100k_s"] = median(store_runs, "seconds")
    out[f"{prefix}_file_load_s"] = median(file_runs, "seconds")
    out[f"{prefix}_cpu"] = (median(store_runs, "cpu"), median(file_runs, "cpu"))
    if prefix == "store":  # the same store again: the materialised atlas is on disk now
        warm = time_children(
            _STORE_LOAD_CHILD.format(url=url, cache=fresh[0]), key="seconds", repeat=repeat
        )
        out["store_warm_load_100k_s"] = round(warm.median_s, 2)
    store = open_store(url)
    versions = itertools.count(1)

    def edit() -> None:
        store.edit(
            "events",
            "syn-0000005",
            expected_version=next(versions),
            changes={"confidence": 0.5},
            author="bench",
        )

    states = itertools.cycle(["rejected", "reviewed"])
    out[f"{prefix}_edit_ms"] = round(time_call(edit, repeat=7, warmup=2).median_s * 1000, 1)
    review = time_call(
        lambda: store.set_status("events", ["syn-0000007"], next(states), author="bench"),
        repeat=7,
        warmup=2,
    )
    out[f"{prefix}_review_ms"] = round(review.median_s * 1000, 1)
    store.close()
    return out


def store_100k(ctx: Any) -> Any:
    """The store of ``ctx.sizes.dashboard`` synthetic events on SQLite, then on PostGIS."""
    from bench.cases import CaseOutput
    from bench.postgis import fresh_database, temporary_postgis
    from bench.store_data import synthetic_folder

    n = ctx.sizes.dashboard
    folder = synthetic_folder(ctx.workdir / f"store_events_{n}", n, seed=ctx.seed)
    repeat = 3 if not ctx.quick else 1
    values: dict[str, Any] = {}
    sqlite = f"sqlite:///{ctx.workdir / f'store_{n}.sqlite'}"
    values |= _figures(sqlite, folder, repeat=repeat, prefix="store", workdir=ctx.workdir)
    skipped: dict[str, str] = {}
    try:
        if ctx.quick:
            raise FileNotFoundError("a quick run measures SQLite only; PostGIS in a full run")
        with temporary_postgis() as cluster:
            url = fresh_database(cluster, f"bench_{n}")
            values |= _figures(url, folder, repeat=repeat, prefix="postgis", workdir=ctx.workdir)
    except FileNotFoundError as err:
        for key in STORE_FIGURES:
            if key.startswith("postgis_"):
                values[key] = None
                skipped[key] = str(err)
    values["file_load_100k_s"] = values.pop("store_file_load_s")
    notes = [f"{n} synthetic events; median of {repeat} fresh children per load, file and store "
             "loads alternated"]  # fmt: skip
    for prefix in ("store", "postgis"):
        if f"{prefix}_cpu" in values:
            store_cpu, file_cpu = values.pop(f"{prefix}_cpu")
            wall = values[f"{prefix}_cold_load_100k_s"] - values.pop(
                f"{prefix}_file_load_s", values["file_load_100k_s"]
            )
            notes.append(
                f"{prefix}: cold load {wall:+.2f} s wall vs the file load beside it; CPU "
                f"{store_cpu:.2f} s vs {file_cpu:.2f} s"
            )
    return CaseOutput(values, notes="; ".join(notes), skipped=skipped)
