"""``python -m bench [--json OUT.json] [--quick] [--only KEY...]``: run the benchmarks.

Prints a markdown table (figure, value, goal, met?, notes) and, with ``--json``, writes the
figures, the skipped cases with their reasons, the sizes and the machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from bench.cases import CASES, FIGURE_KEYS, GOALS, Context, Sizes
from bench.harness import BenchSkipped, ChildFailed, machine_info

log = logging.getLogger("bench")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m bench`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Frontline Atlas benchmarks: speed, memory and scale vs the naive approaches.",
    )
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the figures here")
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, fewer repeats (figures marked quick)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="KEY",
        help="run only these cases (a case name such as map_10k, or any JSON key it fills)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the event counts by this factor (the smoke test uses 0.01)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    return parser


def _selected(only: Sequence[str] | None) -> set[str]:
    if not only:
        return {case.name for case in CASES}
    known = {case.name for case in CASES} | set(FIGURE_KEYS)
    unknown = sorted(set(only) - known)
    if unknown:
        raise SystemExit(f"python -m bench: unknown case or key {unknown}; known: {sorted(known)}")
    return {case.name for case in CASES if case.name in only or set(case.keys) & set(only)}


def run(
    *, quick: bool, only: Sequence[str] | None = None, scale: float = 1.0, seed: int = 0
) -> dict[str, object]:
    """Run the selected cases and return the JSON document (figures at the top level)."""
    sizes = Sizes.for_run(quick=quick, scale=scale)
    selected = _selected(only)
    figures: dict[str, object] = dict.fromkeys(FIGURE_KEYS)
    skipped: dict[str, str] = {}
    notes: dict[str, str] = {}
    runs: dict[str, list[float]] = {}
    cpu: dict[str, float] = {}
    load_before = _load_average()
    durations: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as tmp:
        ctx = Context(sizes=sizes, quick=quick, workdir=Path(tmp), seed=seed)
        for case in CASES:
            if case.name not in selected:
                for key in case.keys:
                    skipped[key] = "not selected (--only)"
                continue
            print(f"bench: {case.name} ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                output = case.run(ctx)
            except BenchSkipped as err:
                for key in case.keys:
                    skipped[key] = str(err)
                print(f"bench: {case.name} skipped: {err}", file=sys.stderr)
                continue
            except (ChildFailed, Exception) as err:  # noqa: BLE001 - one failing case must not end the run
                reason = f"failed: {type(err).__name__}: {err}"
                for key in case.keys:
                    skipped[key] = reason[:500]
                traceback.print_exc()
                continue
            finally:
                durations[case.name] = round(time.perf_counter() - t0, 2)
            for key in case.keys:
                figures[key] = output.values.get(key)
                if figures[key] is None:
                    skipped[key] = output.skipped.get(key, "the case did not report it")
                if output.notes:
                    notes[key] = output.notes
            for key, timing in output.timings.items():
                runs[key] = [round(r, 4) for r in timing.runs_s]
                if timing.cpu_median_s is not None:
                    cpu[key] = round(timing.cpu_median_s, 4)
    met = {
        key: (goal.check(figures) if goal.check and figures.get(key) is not None else None)
        for key, goal in GOALS.items()
    }
    return {
        **figures,
        "quick": quick,
        "scale": scale,
        "sizes": {name: getattr(sizes, name) for name in sizes.__slots__},
        "skipped": skipped,
        "goals": {key: goal.text for key, goal in GOALS.items()},
        "met": met,
        "notes": notes,
        "runs": runs,
        "cpu_median_s": cpu,
        "load_average": {"before": load_before, "after": _load_average()},
        "case_wall_s": durations,
        "total_wall_s": round(time.perf_counter() - started, 1),
        "command": "python -m " + " ".join(["bench", *sys.argv[1:]]),
        "machine": machine_info(),
        "git": _git_state(),
    }


def _git_state() -> dict[str, object] | None:
    """The commit measured, and whether the work tree had uncommitted changes."""
    import subprocess

    from bench.harness import ROOT

    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": head, "uncommitted_changes": bool(status.strip())}


def _load_average() -> list[float] | None:
    """1, 5 and 15-minute load averages: timings on a busy machine are not comparable."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _format_value(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key == "geoparse_quality":
        return _format_quality(value)
    if key.endswith("_bytes"):
        return f"{int(value):,} B ({int(value) / 1e6:.2f} MB)"  # type: ignore[call-overload]
    if key.endswith("_mb"):
        return f"{float(value):,.0f} MB"  # type: ignore[arg-type]
    if key.endswith("_s"):
        seconds = float(value)  # type: ignore[arg-type]
        return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return str(value)


def _format_quality(value: object) -> str:
    if not isinstance(value, dict):
        return str(value)
    parts = []
    for name, scores in value.items():
        if isinstance(scores, dict):
            shown = ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                for k, v in scores.items()
                if k in {"recall", "precision", "f1"}
            )
            parts.append(f"{name}: {shown}")
        else:
            parts.append(f"{name}: {scores}")
    return "; ".join(parts)


def markdown_table(document: dict[str, object]) -> str:
    """The run as a markdown table: figure, value, goal, met?, notes."""
    met = document["met"]
    skipped = document["skipped"]
    notes = document["notes"]
    lines = ["| figure | value | goal | met? | notes |", "|---|---|---|---|---|"]
    previous_note = ("", "")
    case_of = {key: case.name for case in CASES for key in case.keys}
    for key in FIGURE_KEYS:
        value = document.get(key)
        verdict = met.get(key)  # type: ignore[union-attr]
        shown_met = "—" if verdict is None else ("yes" if verdict else "**no**")
        note = skipped.get(key) if value is None else notes.get(key, "")  # type: ignore[union-attr]
        note = (note or "").replace("|", "/").replace("\n", " ")
        if note and (note, case_of[key]) == previous_note:
            note = "(as above)"
        else:
            previous_note = (note, case_of[key])
        cpu = document.get("cpu_median_s", {}).get(key)  # type: ignore[union-attr]
        if value is not None and cpu is not None:
            note = f"CPU {_format_value(key, cpu)}" + (f"; {note}" if note else "")
        goal = GOALS[key].text
        lines.append(f"| `{key}` | {_format_value(key, value)} | {goal} | {shown_met} | {note} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table, write the JSON; exit 0 unless the run broke."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.scale <= 0:
        raise SystemExit(f"python -m bench: --scale must be positive, got {args.scale}")
    document = run(quick=args.quick, only=args.only, scale=args.scale, seed=args.seed)
    machine = document["machine"]
    print(
        f"\nFrontline Atlas benchmarks{' (quick)' if args.quick else ''} - "
        f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, "  # type: ignore[index]
        f"Python {machine['python']}, {document['total_wall_s']} s; load average before/after "
        f"{document['load_average']}\n"  # type: ignore[index]
    )
    print(markdown_table(document))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
