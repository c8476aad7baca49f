"""The feed beside the map: the window's events, newest first, each one click from the map.

Each item has the time, the place, the event type's icon (Font Awesome, served locally), the
factions, one line of text and the source link (``http(s)`` only, opened in a new tab; "No
link to the report" when there is none). Clicking an item centres the map on the event and
opens its popup, in the browser (no rerun); clicking a marker highlights its item. The items
travel as columnar JSON and are built with ``textContent``, like the markers
(:class:`geo.maps.elements.PointSymbols`).

The feed fills the side panel of :class:`geo.maps.frame.MapFrame`; on a narrow frame it is a
"Feed" toggle over the map.

>>> import pandas as pd
>>> ev = pd.DataFrame({"lat": [34.45, 35.0], "lon": [40.92, 38.0], "faction": ["sdf", "x"],
...     "event_type": ["Battles", "Riots"], "date": pd.to_datetime(["2024-12-01", "2024-12-03"]),
...     "source_url": ["javascript:alert(1)", "https://example.org/a"]})
>>> p = feed_payload(ev, drawn=ev, styles={})
>>> p["total"], p["row"], p["url"]
(2, [1, 0], ['https://example.org/a', None])
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement

from geo.maps._leaflet import POPUP_CSS, check_colour, check_glyph, script_json, script_template
from geo.maps.layers.points import _latlon
from geo.maps.layers.style import FactionStyle, event_glyph, faction_styles

__all__ = ["FEED_LIMIT", "Feed", "feed_layer", "feed_payload"]

#: The feed lists the newest this many events of the window (the table holds them all).
FEED_LIMIT = 300
_SCALE = 10_000


def _text(frame: pd.DataFrame, column: str) -> list[str | None]:
    if column not in frame:
        return [None] * len(frame)
    values = frame[column].astype("str").str.strip()
    return [None if pd.isna(v) or v == "" else str(v) for v in values]


def _drawable(frame: pd.DataFrame) -> np.ndarray:
    """Rows the event layer draws (finite coordinates in range), as it decides."""
    lat, lon = _latlon(frame, "events")
    return np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)


def feed_payload(
    events: pd.DataFrame,
    *,
    drawn: pd.DataFrame | None,
    styles: Mapping[str, FactionStyle],
    limit: int = FEED_LIMIT,
    bounds: bool = False,
) -> dict[str, object]:
    """The feed's JSON: the newest ``limit`` of ``events`` and, per item, its marker's row.

    ``drawn`` is the frame whose markers are on the map (``None``: none, e.g. hexagons); an
    item's ``row`` is its marker's position there, ``-1`` when it has no marker.
    ``bounds=True`` asks the map to report its bounds (the "only what the map shows" switch).
    """
    events = events[_drawable(events)] if len(events) else events
    total = len(events)
    if "date" in events and total:
        order = np.argsort(-pd.to_datetime(events["date"]).to_numpy("datetime64[ns]").view("i8"))
        items = events.iloc[order[:limit]]
    else:
        items = events.iloc[:limit]
    rows = [-1] * len(items)
    if drawn is not None and len(drawn) and drawn.index.is_unique:
        on_map = drawn[_drawable(drawn)]
        rows = on_map.index.get_indexer(items.index).tolist()
    lat, lon = _latlon(items, "events") if len(items) else (np.array([]), np.array([]))
    names = {fid: style.name for fid, style in styles.items()}
    faction = [names.get(f, f) if f else None for f in _text(items, "faction")]
    faction2 = [names.get(f, f) if f else None for f in _text(items, "faction2")]
    kinds = _text(items, "event_type")
    colours = [styles[f].colour if f in styles else "#777777" for f in _text(items, "faction")]
    dates = (
        pd.to_datetime(items["date"]).dt.strftime("%Y-%m-%d").tolist()
        if "date" in items
        else [None] * len(items)
    )
    urls = [
        u if u and u.lower().startswith(("http://", "https://")) else None
        for u in _text(items, "source_url")
    ]
    text = [(d or "").splitlines()[0][:160] if d else None for d in _text(items, "description")]
    return {
        "scale": _SCALE,
        "total": total,
        "bounds": bool(bounds),
        "lat": np.rint(lat * _SCALE).astype(np.int64).tolist(),
        "lon": np.rint(lon * _SCALE).astype(np.int64).tolist(),
        "row": [int(r) for r in rows],
        "date": [None if pd.isna(d) else d for d in dates],
        "place": _text(items, "place"),
        "type": kinds,
        "glyph": [check_glyph(event_glyph(k or "")) for k in kinds],
        "colour": [check_colour(c) for c in colours],
        "factions": [
            " vs ".join(n for n in (a, b) if n) or None
            for a, b in zip(faction, faction2, strict=True)
        ],
        "text": text,
        "source": _text(items, "source"),
        "url": urls,
    }


class Feed(MacroElement):
    """The feed in the map frame's side panel (see the module's docstring).

    Examples
    --------
    >>> Feed({"total": 0, "lat": []}).payload_json
    '{"total":0,"lat":[]}'
    """

    _template = script_template(
        """
  faCss('fa-feed-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var group = {{ this._parent.get_name() }};
  var frame = window.faFrame;
  if (!frame || !frame.panel) { return; }
  var map = frame.map, panel = frame.panel;
  var gd = window.__GLOBAL_DATA__;
  if (gd && gd.returned_objects) {  // the "only what the map shows" switch
    var has = gd.returned_objects.indexOf('bounds') >= 0;
    if (d.bounds && !has) { gd.returned_objects = gd.returned_objects.concat(['bounds']); }
    if (!d.bounds && has) {
      gd.returned_objects = gd.returned_objects.filter(function (k) { return k !== 'bounds'; });
    }
    if (d.bounds !== has) { setTimeout(function () { map.fire('moveend'); }, 0); }
  }
  while (panel.firstChild) { panel.removeChild(panel.firstChild); }
  var n = d.lat.length;
  var head = faEl('div', 'fa-feed-head',
    n < d.total ? 'Newest ' + n + ' of ' + d.total.toLocaleString('en') + ' events'
                : d.total.toLocaleString('en') + ' event' + (d.total === 1 ? '' : 's'));
  panel.appendChild(head);
  var list = faEl('ol', 'fa-feed-list');  // not 'fa-feed': a Font Awesome icon class
  panel.appendChild(list);
  if (!n) { list.appendChild(faEl('li', 'fa-feed-empty', 'No events in the window.')); }
  var items = new Array(n), byRow = {};
  function eventGroup() {
    var g = window.faEventGroup;
    return (g && map.hasLayer(g) && g.faMarkers) ? g : null;
  }
  function highlight(i, scroll) {
    items.forEach(function (li) { li.classList.remove('fa-feed-on'); });
    if (i === undefined || !items[i]) { return; }
    items[i].classList.add('fa-feed-on');
    if (scroll) { items[i].scrollIntoView({block: 'nearest'}); }
  }
  function popupContent(i) {
    var root = faEl('div', 'fa-pop');
    root.appendChild(faEl('div', 'fa-pop-title', d.type[i] || 'Event'));
    root.appendChild(faEl('div', null, [d.date[i], d.place[i]].filter(Boolean).join(' · ')));
    if (d.factions[i]) { root.appendChild(faEl('div', null, d.factions[i])); }
    if (d.text[i]) { root.appendChild(faEl('div', null, d.text[i])); }
    return root;
  }
  function focus(i) {
    var ll = L.latLng(d.lat[i] / d.scale, d.lon[i] / d.scale);
    var g = eventGroup(), mk = (g && d.row[i] >= 0) ? g.faMarkers[d.row[i]] : null;
    map.closePopup();
    highlight(i, false);
    function open() {
      map.setView(mk.getLatLng(), map.getZoom(), {animate: false});
      if (!mk.getPopup()) { mk.fire('click', {latlng: mk.getLatLng()}, true); }
      if (!mk.isPopupOpen()) { mk.openPopup(); }
    }
    if (mk && g.zoomToShowLayer) {
      map.setView(ll, Math.max(map.getZoom(), 8), {animate: false});
      g.zoomToShowLayer(mk, open);
    } else if (mk) {
      map.setView(ll, Math.max(map.getZoom(), 8), {animate: false});
      open();
    } else {
      map.setView(ll, Math.max(map.getZoom(), 10), {animate: false});
      L.popup({maxWidth: 300}).setLatLng(ll).setContent(popupContent(i)).openOn(map);
    }
  }
  for (var i = 0; i < n; i++) {
    var li = faEl('li', 'fa-feed-item');
    li.setAttribute('data-row', String(d.row[i]));
    li.tabIndex = 0;
    var top = faEl('div', 'fa-feed-top');
    var badge = faEl('span', 'fa-sym-badge');
    badge.style.background = d.colour[i];
    badge.appendChild(faEl('i', 'fa-solid ' + d.glyph[i]));
    top.appendChild(badge);
    top.appendChild(faEl('span', 'fa-feed-when', d.date[i] || '?'));
    top.appendChild(faEl('span', 'fa-feed-place', d.place[i] || ''));
    li.appendChild(top);
    li.appendChild(faEl('div', 'fa-feed-who',
      [d.type[i], d.factions[i]].filter(Boolean).join(' · ')));
    if (d.text[i]) { li.appendChild(faEl('div', 'fa-feed-text', d.text[i])); }
    if (d.url[i]) {
      var a = faEl('a', 'fa-feed-link', d.source[i] || 'Source');
      a.href = d.url[i];
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      li.appendChild(a);
    } else {
      li.appendChild(faEl('div', 'fa-feed-nolink', 'No link to the report'));
    }
    (function (k) {
      li.addEventListener('click', function (e) {
        if (e.target.closest('a')) { return; }
        focus(k);
      });
      li.addEventListener('keydown', function (e) { if (e.key === 'Enter') { focus(k); } });
    })(i);
    items[i] = li;
    if (d.row[i] >= 0) { byRow[d.row[i]] = i; }
    list.appendChild(li);
  }
  var g = eventGroup();
  if (g && !g.faFeedHooked) {
    g.faFeedHooked = true;
    g.on('click', function (e) {
      var f = window.faFeed;
      if (f && e.layer && e.layer.faRow !== undefined) { f.highlight(f.byRow[e.layer.faRow], true); }
    });
  }
  window.faFeed = {focus: focus, highlight: highlight, byRow: byRow, items: items};
  if (!frame.wide && !frame.toggle) {
    frame.toggle = L.control({position: 'topright'});
    frame.toggle.onAdd = function () {
      var box = faEl('div', 'leaflet-bar leaflet-control');
      var btn = faEl('button', 'fa-ctl-btn fa-panel-btn fa-feed-btn');
      btn.type = 'button';
      btn.setAttribute('aria-expanded', 'false');
      btn.appendChild(faEl('i', 'fa-solid fa-list'));
      btn.appendChild(document.createTextNode(' Feed'));
      btn.onclick = function () {
        var open = panel.classList.toggle('fa-open');
        btn.setAttribute('aria-expanded', open ? 'true' : 'false');
      };
      box.appendChild(btn);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    frame.toggle.addTo(map);
  }
"""
    )

    def __init__(self, payload: Mapping[str, object]) -> None:
        super().__init__()
        self._name = "Feed"
        self.payload_json = script_json(dict(payload))
        self.css_json = script_json(
            POPUP_CSS
            + ".fa-feed-head{padding:6px 10px;font-weight:600;border-bottom:1px solid #ddd}"
            ".fa-feed-list{list-style:none!important;margin:0;padding:0;overflow-y:auto;flex:1 1 auto}"
            ".fa-feed-list>li::marker{content:none}"
            ".fa-feed-item{display:block;padding:6px 10px;border-bottom:1px solid #eee;cursor:pointer}"
            ".fa-feed-item:hover{background:#f4f6fa}"
            ".fa-feed-on{background:#fff3c4!important;box-shadow:inset 3px 0 #d08c00}"
            ".fa-feed-top{display:flex;align-items:center;gap:6px}"
            ".fa-feed-top .fa-sym-badge{width:18px;height:18px;flex:0 0 auto;font-size:9px}"
            ".fa-feed-when{font-variant-numeric:tabular-nums;color:#444}"
            ".fa-feed-place{font-weight:600;overflow:hidden;text-overflow:ellipsis;"
            "white-space:nowrap}"
            ".fa-feed-who{color:#555;font-size:12px}"
            ".fa-feed-text{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
            ".fa-feed-link{font-size:12px;overflow-wrap:anywhere}"
            ".fa-feed-nolink{font-size:12px;color:#666;font-style:italic}"
            ".fa-feed-empty{padding:10px;color:#666}"
        )


def feed_layer(
    events: pd.DataFrame,
    *,
    drawn: pd.DataFrame | None,
    factions: pd.DataFrame | None,
    limit: int = FEED_LIMIT,
    bounds: bool = False,
) -> folium.FeatureGroup:
    """The feed as a feature group (not listed in the layer control), for the dashboard.

    >>> ev = pd.DataFrame({"lat": [34.4], "lon": [40.9], "event_type": ["Battles"]})
    >>> feed_layer(ev, drawn=None, factions=None).layer_name
    'Feed'
    """
    ids = [str(v) for v in pd.unique(events.get("faction", pd.Series(dtype="str")).dropna())]
    styles = faction_styles(factions, extra_ids=ids)
    group = folium.FeatureGroup(name="Feed", control=False)
    Feed(feed_payload(events, drawn=drawn, styles=styles, limit=limit, bounds=bounds)).add_to(group)
    return group
