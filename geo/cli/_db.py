"""``python -m geo db init|import|export|history``: the durable annotation store.

The store is ``$FRONTLINE_DB`` (a path, ``sqlite:///...`` or ``postgresql://...``), else the
data folder's own SQLite file (``--db`` overrides both). Exit code 0 on success, 1 on an error
(a bad row in an import: the valid rows are stored and each bad one printed), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.store import Store

__all__ = ["register"]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a day YYYY-MM-DD: {text!r}") from err


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` subcommand and its ``init``, ``import``, ``export``, ``history``."""
    parser = subparsers.add_parser(
        "db",
        help="the annotation store: init, import, export, history",
        description="The durable annotation store ($FRONTLINE_DB, else one SQLite file per "
        "data folder in the user's data folder).",
    )
    parser.add_argument("--db", default=None, help="store path or URL (default $FRONTLINE_DB)")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="folder a fresh store is seeded from"
    )
    commands = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    init = commands.add_parser("init", help="create (or migrate) the store, seeded from data/")
    init.set_defaults(func=_init)
    imp = commands.add_parser("import", help="import a data folder, ACLED or UCDP files")
    imp.add_argument("folder", type=Path, metavar="DIR")
    imp.add_argument("--author", default=None, help="who imports (default: the user name)")
    imp.add_argument("--status", choices=("reviewed", "draft"), default="reviewed")
    imp.set_defaults(func=_import)
    exp = commands.add_parser("export", help="write the store back to the data/ file layout")
    exp.add_argument("folder", type=Path, metavar="DIR")
    exp.add_argument("--as-of", type=_day, default=None, help="as known on this day (YYYY-MM-DD)")
    exp.add_argument("--format", choices=("csv", "gpkg"), default="csv")
    exp.add_argument("--drafts", action="store_true", help="include draft rows")
    exp.set_defaults(func=_export)
    hist = commands.add_parser("history", help="every version of a place, event, claim...")
    hist.add_argument("row_id", metavar="PLACE_OR_EVENT_ID")
    hist.set_defaults(func=_history)


def _open(args: argparse.Namespace, *, seed: bool = True) -> Store:
    from geo.store import open_store

    return open_store(args.db, data_dir=args.data_dir, seed=seed)


def _init(args: argparse.Namespace) -> int:
    store = _open(args)
    counts = {k: len(store.rows(k)) for k in ("events", "control", "places", "areas")}
    print(
        f"store {store.url}: revision {store.revision()}, "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    if not args.folder.exists():
        print(f"{args.folder}: no such file or folder", file=sys.stderr)
        return 1
    store = _open(args)
    report = store.import_folder(
        args.folder, author=args.author or getpass.getuser(), status=args.status
    )
    for issue in report.issues:
        print(issue if issue.severity == "error" else f"warning: {issue}")
    print(f"{store.url}: {report.summary()}; revision {report.revision}", file=sys.stderr)
    return 1 if report.errors else 0


def _export(args: argparse.Namespace) -> int:
    store = _open(args)
    paths = store.export(args.folder, as_of=args.as_of, fmt=args.format, include_drafts=args.drafts)
    for path in paths:
        print(path)
    return 0


def _history(args: argparse.Namespace) -> int:
    store = _open(args)
    entries = store.history(args.row_id)
    if not entries:
        print(f"no row named {args.row_id!r} in {store.url}", file=sys.stderr)
        return 1
    for entry in entries:
        print(entry.line())
    return 0
