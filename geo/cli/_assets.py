"""``python -m geo assets``: copy the offline map assets where Streamlit serves them."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``assets`` subcommand."""
    parser = subparsers.add_parser(
        "assets",
        help="install Leaflet & co. from the XStatic packages into ./static/vendor",
        description="Copy Leaflet, Leaflet.markercluster and Font Awesome "
        "from their XStatic packages into STATIC_DIR/vendor, which Streamlit serves at "
        "/app/static/vendor. Nothing is downloaded.",
    )
    parser.add_argument("--static-dir", type=Path, default=Path("static"), metavar="DIR")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from geo.maps.assets import install_static, vendor_files

    target = install_static(args.static_dir)
    print(f"{len(vendor_files())} vendor files in {target}")
    return 0
