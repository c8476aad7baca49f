"""What the data folder lacks or gets wrong, said above the map: never a silently empty map.

The same ``file:row: reason`` lines as ``python -m geo validate``: an error when nothing could
be shown (no events and no control claims), a warning with the rows left out, a note for
what is only missing (no ``factions.csv``, no ``control.csv``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from ui.text import md_text

if TYPE_CHECKING:
    from pathlib import Path

    from geo.atlas.join import AtlasData

__all__ = ["MAX_PROBLEMS_SHOWN", "render_data_problems"]

MAX_PROBLEMS_SHOWN = 200


def _line(issue: object) -> str:
    return md_text(str(issue))


def render_data_problems(atlas: AtlasData, *, folder: Path) -> None:
    """Say what is missing or wrong in ``folder`` (nothing at all when everything loaded)."""
    issues = list(atlas.issues)
    errors = [i for i in issues if i.severity == "error"]
    notes = [i for i in issues if i.row is None and i.reason.startswith("not in ")]
    if atlas.events.empty and atlas.control.empty:
        reasons = "; ".join(_line(i) for i in errors[:5]) or "no events.csv or control.csv rows"
        st.error(f"Nothing to show from {md_text(folder)}: {reasons}")
    elif errors:
        st.warning(
            f"{len(errors):,} problem(s) in {md_text(folder)}: those rows were left out "
            f"(first: {_line(errors[0])})."
        )
    for note in notes[:5]:
        st.caption(_line(note))
    if errors:
        with st.expander(f"Problems in the data folder ({len(errors):,})"):
            st.text("\n".join(str(i) for i in errors[:MAX_PROBLEMS_SHOWN]))
