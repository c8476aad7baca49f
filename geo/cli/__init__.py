"""The ``python -m geo`` command line: one module per subcommand, each with ``register()``.

Each subcommand module defines ``register(subparsers)`` which adds its parser and sets
``func`` to a callable taking the parsed namespace and returning an exit code.

>>> from geo.cli import build_parser
>>> build_parser().prog
'python -m geo'
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from geo import __version__
from geo.errors import GeoError

__all__ = ["build_parser", "main"]

# Subcommand modules, in the order `--help` lists them.
_COMMAND_MODULES = (
    "geocode",
    "validate",
    "importer",
    "borders",
    "control",
    "mapcmd",
    "geoparse",
    "assets",
    "db",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Frontline Atlas: geocode, validate, compute control and frontlines, map.",
    )
    parser.add_argument("--version", action="version", version=f"frontline-atlas {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"geo.cli._{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
