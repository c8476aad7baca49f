"""The dashboard's map frame: a side panel beside the map and the one opening view.

:class:`MapFrame` is added to the base map once (it runs when the map is mounted, never again
on a rerun). It lays the map out beside a side panel (the feed, :mod:`geo.maps.layers.feed`)
on a wide frame, or gives the panel a toggle over the map on a narrow one (a phone), and then
fits the data's extent, with padding that leaves room for the legend in its corner. It is the
only thing that sets the opening view: the base map it is added to must not fit bounds itself
(:func:`geo.maps.build.build_map` with ``location=`` and ``frame=``).

The frame's state is ``window.faFrame``: ``{wide, extent, panel}`` (``extent`` as
``[[south, west], [north, east]]``), read by the feed and by the browser tests.

>>> import folium
>>> m = folium.Map(tiles=None)
>>> _ = MapFrame(extent=(38.0, 32.0, 43.0, 37.5)).add_to(m)
>>> "faFrame" in m.get_root().render()
True
"""

from __future__ import annotations

import math

from branca.element import MacroElement

from geo.errors import ConfigError
from geo.maps._leaflet import script_json, script_template

__all__ = ["LEGEND_ROOM_PX", "NARROW_PX", "SIDE_PANEL_PX", "MapFrame"]

#: Width of the side panel on a wide frame.
SIDE_PANEL_PX = 320
#: Below this frame width the panel is a toggle over the map (and the legend starts folded).
NARROW_PX = 760
#: The room kept free for the legend (bottom right) when the data's extent is fitted:
#: (right, bottom) in pixels on a wide map, and on a narrow one where the legend is folded.
LEGEND_ROOM_PX = {"wide": (280, 24), "narrow": (16, 56)}

_CSS = (
    "html,body{margin:0;padding:0}"
    ".fa-side{position:absolute;top:0;right:0;box-sizing:border-box;background:#fff;"
    "border-left:1px solid #ccc;font:13px/1.35 system-ui,sans-serif;overflow:hidden;"
    "display:flex;flex-direction:column;z-index:500}"
    ".fa-side.fa-narrow{left:0;right:0;top:auto;bottom:0;border-left:0;"
    "border-top:2px solid #888;display:none;z-index:1100;box-shadow:0 -2px 8px rgba(0,0,0,.3)}"
    ".fa-side.fa-narrow.fa-open{display:flex}"
    ".fa-panel-btn{width:auto!important;padding:0 8px;font:600 13px system-ui,sans-serif}"
)


class MapFrame(MacroElement):
    """Lay out the map and its side panel, then fit the data's extent (once, at mount).

    Parameters
    ----------
    extent : (west, south, east, north) or None
        The data's extent (:func:`geo.atlas.config.data_extent`); ``None`` keeps the map's
        own centre and zoom.
    side_panel : bool
        Make room for a side panel (the feed) beside the map.
    max_zoom : int
        The fit never zooms closer than this (a single place is not a street map).

    Examples
    --------
    >>> MapFrame(extent=None, side_panel=False).side_px
    0
    >>> MapFrame(extent=(50.0, 10.0, 40.0, 20.0))
    Traceback (most recent call last):
    ...
    geo.errors.ConfigError: extent must be (west, south, east, north) with west <= east and south <= north, got (50.0, 10.0, 40.0, 20.0)
    """

    _template = script_template(
        """
  faCss('fa-frame-css', {{ this.css_json }});
  var map = {{ this._parent.get_name() }};
  var c = map.getContainer();
  var wide = c.clientWidth >= {{ this.narrow_px }};
  var side = {{ this.side_px }};
  var panel = null;
  if (side) {
    panel = faEl('div', 'fa-side' + (wide ? '' : ' fa-narrow'));
    panel.id = 'fa-side';
    if (wide) {
      c.style.width = 'calc(100% - ' + side + 'px)';
      panel.style.width = side + 'px';
      panel.style.height = c.clientHeight + 'px';
    } else {
      panel.style.height = Math.round(c.clientHeight * 0.55) + 'px';
    }
    c.parentNode.style.position = 'relative';
    c.parentNode.appendChild(panel);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    map.invalidateSize({animate: false});
  }
  var ext = {{ this.extent_json }};
  var room = {{ this.room_json }}[wide ? 'wide' : 'narrow'];
  window.faFrame = {wide: wide, extent: ext, panel: panel, map: map};
  if (ext) {
    map.fitBounds(ext, {paddingTopLeft: [48, 16], paddingBottomRight: room,
                        maxZoom: {{ this.max_zoom }}, animate: false});
  }
"""
    )

    def __init__(
        self,
        *,
        extent: tuple[float, float, float, float] | None,
        side_panel: bool = True,
        max_zoom: int = 10,
    ) -> None:
        super().__init__()
        self._name = "MapFrame"
        box = None
        if extent is not None:
            west, south, east, north = (float(v) for v in extent)
            if not all(math.isfinite(v) for v in (west, south, east, north)) or (
                west > east or south > north
            ):
                raise ConfigError(
                    "extent must be (west, south, east, north) with west <= east and "
                    f"south <= north, got {tuple(extent)!r}"
                )
            box = [[south, west], [north, east]]  # Leaflet's (lat, lon) order
        self.extent_json = script_json(box)
        self.side_px = SIDE_PANEL_PX if side_panel else 0
        self.narrow_px = NARROW_PX
        self.max_zoom = int(max_zoom)
        self.room_json = script_json({k: list(v) for k, v in LEGEND_ROOM_PX.items()})
        self.css_json = script_json(_CSS)
