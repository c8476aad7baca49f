"""Timing machinery: warm medians in this process, cold runs and peak memory in fresh children.

Warm figures are the median of ``repeat`` calls after ``warmup`` untimed calls, timed with
:func:`time.perf_counter`. Cold figures and peak memory come from fresh Python processes: each
workload runs in a child of a small, fresh wrapper process, which reports
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` once its only child has exited, so the
number belongs to that workload alone (a long-lived parent would report the largest child of
the whole run).

>>> from bench.harness import time_call
>>> timing = time_call(lambda: sum(range(1000)), repeat=3, warmup=1)
>>> len(timing.runs_s), timing.median_s > 0
(3, True)
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = [
    "ROOT",
    "BenchSkipped",
    "ChildFailed",
    "ChildResult",
    "Timing",
    "machine_info",
    "run_child",
    "time_call",
    "time_children",
]

ROOT = Path(__file__).resolve().parents[1]

# Runs ``python -c CODE`` as its only child and reports that child's peak RSS (KiB on Linux).
_WRAPPER = """
import json, resource, subprocess, sys, time
code = sys.stdin.read()
start = time.perf_counter()
done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
                  "wall_s": wall, "maxrss_kb": usage.ru_maxrss}))
"""


class BenchSkipped(Exception):
    """A case cannot run yet (its module has not landed, or lacks the public function)."""


class ChildFailed(RuntimeError):
    """A benchmark child process exited with an error; the message holds its stderr tail."""


@dataclass(frozen=True, slots=True)
class Timing:
    """Repeated timings of one call: the median and every run, in seconds.

    ``cpu_runs_s`` holds this process's CPU time per run (``time.process_time``), which tells
    contention on a busy machine apart from slow code (empty for runs in children).
    """

    median_s: float
    runs_s: tuple[float, ...]
    warmup: int
    cpu_runs_s: tuple[float, ...] = ()

    @property
    def cpu_median_s(self) -> float | None:
        """Median CPU time per run, if measured."""
        return statistics.median(self.cpu_runs_s) if self.cpu_runs_s else None


@dataclass(frozen=True, slots=True)
class ChildResult:
    """What a fresh child reported: its JSON payload, peak RSS and wall time."""

    payload: Mapping[str, object]
    peak_rss_mb: float
    wall_s: float


def time_call(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """Median wall time of ``fn()`` over ``repeat`` runs after ``warmup`` untimed runs.

    Before each run, garbage is collected and the objects still alive are frozen
    (:func:`gc.freeze`), so the collector does not walk what earlier cases left in this process
    (the million shapely points of a 1M-event frame make every full collection slow). The code
    being timed still runs with the collector on, as it does in the app.

    Examples
    --------
    >>> time_call(lambda: None, repeat=2, warmup=0).warmup
    0
    """
    if repeat < 1 or warmup < 0:
        raise ValueError(f"repeat must be >= 1 and warmup >= 0, got {repeat=} {warmup=}")
    for _ in range(warmup):
        fn()
    runs, cpu = [], []
    for _ in range(repeat):
        gc.collect()
        gc.freeze()
        try:
            cpu_start = time.process_time()
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
        finally:
            gc.unfreeze()
    return Timing(statistics.median(runs), tuple(runs), warmup, tuple(cpu))


def run_child(
    code: str, *, timeout_s: float = 300.0, env: Mapping[str, str] | None = None
) -> ChildResult:
    """Run ``code`` in a fresh Python process; return the JSON its last stdout line printed.

    The child runs in the repository root with ``PYTHONPATH`` including it, so ``import geo``
    and ``import bench`` work.

    Examples
    --------
    >>> result = run_child("import json; print(json.dumps({'x': 1}))")
    >>> result.payload["x"], result.peak_rss_mb > 1
    (1, True)
    """
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), child_env.get("PYTHONPATH", "")) if p
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER],
            input=code,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=child_env,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise ChildFailed(f"benchmark child timed out after {timeout_s} s") from err
    if done.returncode != 0:
        raise ChildFailed(f"benchmark wrapper failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report["returncode"] != 0:
        raise ChildFailed(
            f"benchmark child exited {report['returncode']}: {report['stderr'][-2000:]}"
        )
    lines = [line for line in report["stdout"].splitlines() if line.strip()]
    if not lines:
        raise ChildFailed("benchmark child printed nothing; it must print one JSON line last")
    try:
        payload = json.loads(lines[-1])
    except json.JSONDecodeError as err:
        raise ChildFailed(f"benchmark child's last line is not JSON: {lines[-1][:200]!r}") from err
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return ChildResult(payload, report["maxrss_kb"] / scale, float(report["wall_s"]))


def time_children(
    code: str,
    *,
    key: str,
    repeat: int,
    cpu_key: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Timing:
    """Median of ``payload[key]`` over ``repeat`` fresh children running ``code`` (cold runs).

    With ``cpu_key``, the children's own CPU times (``payload[cpu_key]``) are kept beside.
    """
    payloads = [run_child(code, env=env).payload for _ in range(repeat)]
    runs = tuple(float(p[key]) for p in payloads)  # type: ignore[arg-type]
    cpu = tuple(float(p[cpu_key]) for p in payloads) if cpu_key else ()  # type: ignore[arg-type]
    return Timing(statistics.median(runs), runs, 0, cpu)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


_PACKAGES = (
    "numpy", "pandas", "geopandas", "shapely", "pyproj", "pyarrow", "pyogrio", "folium",
    "streamlit", "streamlit-folium", "rapidfuzz", "geotext",
)  # fmt: skip


def machine_info() -> dict[str, object]:
    """CPU model, cores, RAM, OS, Python and the versions of the packages that matter."""
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
    }
