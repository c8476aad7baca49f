"""The legend: factions (fill colour + dash pattern), lines, event icons, hexagon counts.

>>> import pandas as pd
>>> f = pd.DataFrame({"id": ["hts"], "name": ["<i>HTS</i>"], "colour": ["#0072B2"]})
>>> leg = legend(factions=f, faction_ids=["hts"], event_types=["Battles"], frontlines=True)
>>> [s["title"] for s in leg.sections]
['Factions', 'Lines', 'Event types']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from geo.maps.elements import Legend
from geo.maps.layers.points import COUNT_RAMP
from geo.maps.layers.style import event_glyph, faction_styles
from geo.maps.layers.vector import BORDER_STYLE, FRONTLINE_STYLE

__all__ = ["legend"]


def legend(
    *,
    factions: pd.DataFrame | None,
    faction_ids: Iterable[str] = (),
    event_types: Iterable[str] = (),
    frontlines: bool = False,
    borders: bool = False,
    crossings: bool = False,
    uncertain: bool = False,
    hex_edges: Sequence[int] | None = None,
    places: bool = False,
    inferred: bool = False,
) -> Legend:
    """Build the legend element for what the map shows.

    Parameters
    ----------
    factions : DataFrame or None
        The ``factions`` table (names, colours).
    faction_ids : iterable of str
        Factions present on the map; all factions of the table when empty.
    event_types : iterable of str
        Event types present (one icon row each).
    frontlines, borders, crossings, uncertain, places, inferred : bool
        Add the matching rows (``inferred``: how rows with no report of their own are drawn).
    hex_edges : sequence of int, optional
        Count class edges when events are drawn as hexagons.
    """
    ids = [str(i) for i in dict.fromkeys(faction_ids) if i is not None and str(i) != ""]
    styles = faction_styles(factions, extra_ids=ids)
    shown = ids or list(styles)
    sections: list[dict] = []
    faction_items = [
        {
            "label": styles[i].name,
            "kind": "fill",
            "colour": styles[i].colour,
            "dash": styles[i].dash,
            "opacity": 0.35,
        }
        for i in shown
    ]
    if uncertain:
        faction_items.append(
            {
                "label": "uncertain: contested, stale or inferred (lighter fill)",
                "kind": "fill",
                "colour": "#777777",
                "opacity": 0.12,
            }
        )
    if faction_items:
        sections.append({"title": "Factions", "items": faction_items})
    lines = []
    if frontlines:
        lines.append(
            {"label": "Frontline", "kind": "line", "colour": FRONTLINE_STYLE["color"], "weight": 4}
        )
    if borders:
        lines.append(
            {
                "label": "International border",
                "kind": "line",
                "colour": BORDER_STYLE["color"],
                "dash": BORDER_STYLE["dashArray"],
                "weight": 2.5,
            }
        )
    if crossings:
        for status, colour in (("open", "#009E73"), ("closed", "#D55E00"), ("unknown", "#777777")):
            lines.append(
                {
                    "label": f"Border crossing ({status})",
                    "kind": "icon",
                    "colour": colour,
                    "glyph": "fa-road-barrier",
                    "border": "solid",
                }
            )
    if lines:
        sections.append({"title": "Lines", "items": lines})
    marks = []
    if places:
        marks.append(
            {
                "label": "Place and who holds it (click: source)",
                "kind": "icon",
                "colour": "#555555",
                "glyph": "fa-flag",
                "border": "solid",
            }
        )
    if inferred:
        marks.append(
            {
                "label": "Inferred, no report of its own (faded, dashed ring)",
                "kind": "icon",
                "colour": "#555555",
                "glyph": "fa-flag" if places else "fa-circle-question",
                "border": "solid",
                "inferred": True,
            }
        )
    if marks:
        sections.append({"title": "Claims", "items": marks})
    types = sorted({str(t) for t in event_types if t is not None and str(t) not in ("", "nan")})
    if types and hex_edges is None:
        sections.append(
            {
                "title": "Event types",
                "items": [
                    {
                        "label": t,
                        "kind": "icon",
                        "colour": "#555555",
                        "glyph": event_glyph(t),
                        "border": "solid",
                    }
                    for t in types
                ],
            }
        )
    if hex_edges is not None and len(hex_edges) > 1:
        items = []
        for k in range(len(hex_edges) - 1):
            lo, hi = int(hex_edges[k]), int(hex_edges[k + 1])
            label = f"{lo:,}–{hi - 1:,} events" if hi - 1 > lo else f"{lo:,} events"
            if k == len(hex_edges) - 2:
                label = f"{lo:,} or more events"
            items.append(
                {
                    "label": label,
                    "kind": "swatch",
                    "colour": COUNT_RAMP[min(k, len(COUNT_RAMP) - 1)],
                    "opacity": 0.65,
                }
            )
        sections.append({"title": "Events per hexagon", "items": items})
    return Legend(sections)
