"""Control areas, frontlines and change at any date: the public face of the territory modules.

The work is split by stage: :mod:`geo.territory.claims` (claims in force and derived areas),
:mod:`geo.territory.frontlines` (where areas of different factions meet) and :mod:`geo.territory.change`
(gains, losses, places that changed hands, area series). This module re-exports them and adds
:mod:`geo.territory.snapshot` (the three layers of one day in one call, and their disk cache).

"""

from __future__ import annotations

from geo.territory.change import ChangeReport, area_series, change_between, changed_hands
from geo.territory.claims import (
    DEFAULT_COUNTRIES,
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_OPTIONS,
    DEFAULT_RADIUS_KM,
    UNCERTAIN_STATUSES,
    TerritoryOptions,
    control_areas,
    control_at,
)
from geo.territory.crossings import border_crossings
from geo.territory.frontlines import frontlines
from geo.territory.snapshot import ControlSnapshot, cached_snapshot, control_snapshot

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_OPTIONS",
    "DEFAULT_RADIUS_KM",
    "UNCERTAIN_STATUSES",
    "ChangeReport",
    "ControlSnapshot",
    "TerritoryOptions",
    "area_series",
    "border_crossings",
    "cached_snapshot",
    "change_between",
    "changed_hands",
    "control_areas",
    "control_at",
    "control_snapshot",
    "frontlines",
]
