"""The dashboard's Streamlit settings (``.streamlit/config.toml``), as ``streamlit run`` reads them."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def _server() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]


def test_the_server_does_not_watch_the_project_folder_which_cost_seconds_at_every_start():
    # watchdog's recursive watch of the project (its .venv included) overflowed at every start
    assert _server()["fileWatcherType"] == "none"


def test_leaflet_is_served_from_the_static_folder_so_the_map_works_offline():
    assert _server()["enableStaticServing"] is True
