"""Custom Leaflet elements in folium's plugin shape: a template and an ``__init__`` that stores options.

Every element's JavaScript is our own code, inlined in its template, so that it needs no plugin
from a CDN (only Leaflet itself and, for clustered points, Leaflet.markercluster, both served
locally by :mod:`geo.maps.assets`). Text from data is never written into HTML by these elements: the
payload travels as JSON (with ``<``, ``>``, ``&`` and ``'`` escaped so it cannot close the
``<script>``) and the browser builds every popup, tooltip and legend with ``textContent``.

The shared pieces (safe JSON, JS helpers, option checks) live in :mod:`geo.maps._leaflet`; the map
controls (:class:`Legend`, :class:`Fullscreen`, :class:`Measure`) in :mod:`geo.maps.controls`,
re-exported here.
>>> import folium
>>> m = folium.Map(tiles=None, max_zoom=18)
>>> _ = Fullscreen().add_to(m)
>>> "requestFullscreen" in m.get_root().render()
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Literal

from branca.element import MacroElement
from folium.elements import JSCSSMixin

from geo.maps._leaflet import (
    BORDER_STYLES,
    FA_EL_JS,
    POPUP_CSS,
    check_colour,
    check_glyph,
    script_json,
    script_template,
)
from geo.maps.controls import Fullscreen, Legend, Measure

# folium.plugins.MarkerCluster's resource names: geo.maps.assets.localize() swaps them for the
# local Leaflet.markercluster files. Naming them here avoids importing folium.plugins
# (a quarter of a second at every cold start) for two constants.
_MARKERCLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"
_MARKERCLUSTER_JS = (("markerclusterjs", f"{_MARKERCLUSTER_CDN}/leaflet.markercluster.js"),)
_MARKERCLUSTER_CSS = (
    ("markerclustercss", f"{_MARKERCLUSTER_CDN}/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{_MARKERCLUSTER_CDN}/MarkerCluster.Default.css"),
)

__all__ = [
    "Fullscreen",
    "HexBinLayer",
    "Legend",
    "Measure",
    "PointSymbols",
    "TextLabels",
    "feature_text_js",
    "script_json",
]


class PointSymbols(JSCSSMixin, MacroElement):
    """Many point symbols drawn from one columnar payload (events, crossings).

    The payload is built by :func:`geo.maps.layers.point_payload`: coordinates as integers
    (``lat * scale``), an icon code per row into an icon table, and text columns as codes into
    tables of unique strings. Markers, popups and tooltips are created in the browser; popups
    and tooltips are built lazily on first click/hover, with ``textContent`` only.

    Parameters
    ----------
    payload : Mapping
        Columnar data (see :func:`geo.maps.layers.point_payload`); icon colours and glyphs are
        validated here.
    cluster : bool
        Group markers with Leaflet.markercluster (needs the map to have ``max_zoom``).
    role : {"events", None}
        ``"events"``: the group is ``window.faEventGroup``, whose ``faMarkers`` the feed
        (:mod:`geo.maps.layers.feed`) opens by row.

    Examples
    --------
    >>> p = {"scale": 10000, "lat": [350000], "lon": [400000], "icon": [0],
    ...      "icons": [{"glyph": "fa-bomb", "colour": "#0072B2", "border": "solid"}],
    ...      "title": {"codes": [0], "values": ["x"]}, "tip": {"codes": [0], "values": ["x"]},
    ...      "fields": [], "link": None}
    >>> PointSymbols(p, cluster=False).cluster
    False
    """

    _template = script_template(
        """
  faCss('fa-atlas-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  var group = {% if this.cluster %}L.markerClusterGroup({chunkedLoading: true,
      showCoverageOnHover: false, maxClusterRadius: 45}){% else %}L.featureGroup(){% endif %};
  var icons = d.icons.map(function (ic) {
    return L.divIcon({className: 'fa-sym', iconSize: [20, 20], iconAnchor: [10, 10],
      popupAnchor: [0, -10], tooltipAnchor: [10, 0],
      html: '<span class="fa-sym-badge' + (ic.inferred ? ' fa-sym-inf' : '') +
        '" style="background:' + ic.colour + ';border-style:' + ic.border +
        '"><i class="fa-solid ' + ic.glyph + '"></i></span>'});
  });
  function val(col, i) {
    var c = col.codes[i];
    return (c === null || c < 0) ? '' : col.values[c];
  }
  function content(i) {
    var root = faEl('div', 'fa-pop');
    root.appendChild(faEl('div', 'fa-pop-title', val(d.title, i)));
    var dl = faEl('dl');
    d.fields.forEach(function (f) {
      var v = val(f, i);
      if (v === '') { return; }
      dl.appendChild(faEl('dt', null, f.label));
      dl.appendChild(faEl('dd', null, v));
    });
    root.appendChild(dl);
    if (d.link) {
      var url = val(d.link.url, i), text = val(d.link.text, i);
      if (/^https?:\\/\\//i.test(url)) {
        var a = faEl('a', null, text || url);
        a.href = url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        root.appendChild(a);
      } else if (text) {
        root.appendChild(faEl('div', 'fa-pop-src', 'Source: ' + text));
        root.appendChild(faEl('div', 'fa-pop-nolink', 'No link to the report'));
      }
    }
    return root;
  }
  var n = d.lat.length, markers = new Array(n);
  for (var i = 0; i < n; i++) {
    var m = L.marker([d.lat[i] / d.scale, d.lon[i] / d.scale],
                     {icon: icons[d.icon[i]], keyboard: false});
    m.faRow = i;
    markers[i] = m;
  }
  if (group.addLayers) { group.addLayers(markers); }
  else { markers.forEach(function (mk) { group.addLayer(mk); }); }
  group.on('click', function (e) {
    var mk = e.layer;
    if (mk.faRow === undefined || mk.getPopup()) { return; }
    mk.bindPopup(function () { return content(mk.faRow); }, {maxWidth: 320});
    mk.openPopup();
  });
  group.on('mouseover', function (e) {
    var mk = e.layer;
    if (mk.faRow === undefined || mk.getTooltip()) { return; }
    mk.bindTooltip(function () { return faEl('span', null, val(d.tip, mk.faRow)); },
                   {direction: 'right'});
    mk.openTooltip();
  });
  group.addTo(parent);
  window.faAtlasLayers = window.faAtlasLayers || {};
  window.faAtlasLayers[{{ this.get_name()|tojson }}] = group;
  group.faMarkers = markers;
  {% if this.role %}window.faEventGroup = group;{% endif %}
"""
    )

    def __init__(
        self, payload: Mapping[str, object], *, cluster: bool = True, role: str | None = None
    ) -> None:
        super().__init__()
        self._name = "PointSymbols"
        self.role = "events" if role == "events" else None
        for icon in payload["icons"]:  # type: ignore[union-attr]
            check_colour(icon["colour"])
            check_glyph(icon["glyph"])
            if icon["border"] not in BORDER_STYLES:
                raise ValueError(f"border must be one of {BORDER_STYLES}, got {icon['border']!r}")
            if not isinstance(icon.get("inferred", False), bool):
                raise ValueError(f"inferred must be true or false, got {icon['inferred']!r}")
        self.cluster = bool(cluster)
        self.payload_json = script_json(payload)
        self.css_json = script_json(POPUP_CSS)
        if self.cluster:
            self.default_js = list(_MARKERCLUSTER_JS)
            self.default_css = list(_MARKERCLUSTER_CSS)
        else:
            self.default_js = []
            self.default_css = []


class HexBinLayer(MacroElement):
    """Hexagon bins (counts per faction and event type), one SVG path per non-empty cell.

    Parameters
    ----------
    payload : Mapping
        Built by :func:`geo.maps.layers.hexbin_payload`: Web-Mercator centres ``x``/``y`` (metres),
        the hexagon circumradius ``size``, colour class per bin, the colour ramp, sparse
        per-bin counts by faction and event type with their label tables, and the zoom range
        ``minZoom`` (inclusive) to ``maxZoom`` (exclusive) in which the cells are shown.

    Examples
    --------
    >>> HexBinLayer({"x": [], "y": [], "size": 1000.0, "cls": [], "ramp": [], "count": [],
    ...              "by": [], "minZoom": 0, "maxZoom": 9}).zoom_range
    (0, 9)
    """

    _template = script_template(
        """
  faCss('fa-atlas-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  // SVG (Leaflet's default renderer): cells stay above the control areas drawn before them,
  // and areas remain clickable between cells (a canvas would swallow those clicks).
  // The cells of a payload are built (projected) once per page: a rerun that sends the same
  // payload again (a date step) reuses them; the previous layers were removed from the map.
  var kept = window.faHexCells = window.faHexCells || {};
  var key = {{ this.key_json }};
  var group = kept[key];
  var built = !group;
  if (built) {
    group = L.featureGroup();
    var proj = L.Projection.SphericalMercator;
    var off = [];
    for (var j = 0; j < 6; j++) {
      var a = Math.PI / 180 * (60 * j + 30);
      off.push([d.size * Math.cos(a), d.size * Math.sin(a)]);
    }
    for (var i = 0; i < d.x.length; i++) {
      var pts = off.map(function (o) { return proj.unproject(L.point(d.x[i] + o[0], d.y[i] + o[1])); });
      var p = L.polygon(pts, {color: '#333', weight: 0.5, opacity: 0.6,
                              fillColor: d.ramp[d.cls[i]], fillOpacity: 0.65});
      p.faRow = i;
      group.addLayer(p);
    }
    var keys = Object.keys(kept);
    if (keys.length >= 4) { delete kept[keys[0]]; }
    kept[key] = group;
  } else if (group._map) {
    group._map.removeLayer(group);
  }
  function content(i) {
    var root = faEl('div', 'fa-pop');
    root.appendChild(faEl('div', 'fa-pop-title', d.count[i] + ' events in this cell'));
    d.by.forEach(function (b) {
      var dl = faEl('dl');
      dl.appendChild(faEl('dt', null, b.label));
      dl.appendChild(faEl('dd', null, ''));
      for (var k = b.offsets[i]; k < b.offsets[i + 1]; k++) {
        dl.appendChild(faEl('dt', null, b.values[b.codes[k]]));
        dl.appendChild(faEl('dd', null, String(b.counts[k])));
      }
      root.appendChild(dl);
    });
    root.appendChild(faEl('div', 'fa-pop-src',
      'Narrow the filters or the date window to see single events and their sources.'));
    return root;
  }
  if (built) {
    group.on('click', function (e) {
      if (e.layer.faRow === undefined) { return; }
      L.popup({maxWidth: 320}).setLatLng(e.latlng).setContent(content(e.layer.faRow))
        .openOn(group._map);
    });
  }
  // Shown only between minZoom (inclusive) and maxZoom (exclusive): coarse cells when zoomed
  // out, finer ones when zoomed in.
  var hooked = null;
  function mapOf() { return (parent instanceof L.Map) ? parent : parent._map; }
  function sync() {
    var m = mapOf();
    if (!m) { return; }
    var z = m.getZoom(), want = z >= d.minZoom && z < d.maxZoom, has = parent.hasLayer(group);
    if (want && !has) { parent.addLayer(group); }
    if (!want && has) { parent.removeLayer(group); }
  }
  function attach() {
    var m = mapOf();
    if (!m || hooked === m) { return; }
    hooked = m;
    m.on('zoomend', sync);
    sync();
  }
  function detach() { if (hooked) { hooked.off('zoomend', sync); hooked = null; } }
  if (!(parent instanceof L.Map)) { parent.on('add', attach); parent.on('remove', detach); }
  if (mapOf()) { attach(); } else if (d.minZoom === 0) { parent.addLayer(group); }
"""
    )

    def __init__(self, payload: Mapping[str, object]) -> None:
        super().__init__()
        self._name = "HexBinLayer"
        self.edges = list(payload.get("edges", ()))  # type: ignore[union-attr]
        self.zoom_range = (int(payload.get("minZoom", 0)), int(payload.get("maxZoom", 99)))  # type: ignore[union-attr]
        for colour in payload["ramp"]:  # type: ignore[union-attr]
            check_colour(colour)
        self.payload_json = script_json(payload)
        # Names the payload in the browser, where its cells are built once (see the template).
        self.key_json = script_json(hashlib.sha1(self.payload_json.encode()).hexdigest())
        self.css_json = script_json(POPUP_CSS)


class TextLabels(MacroElement):
    """Non-interactive text labels (place and country names) for the offline basemap.

    Labels of kind ``"minor"`` are hidden below ``minor_zoom``.

    Parameters
    ----------
    lat, lon : sequence of float
        Label anchors, (lat, lon) order as Leaflet expects.
    text : sequence of str
        Label text (set with ``textContent``).
    kind : sequence of {"country", "major", "minor"}

    Examples
    --------
    >>> TextLabels(lat=[33.5], lon=[36.3], text=["Damascus"], kind=["major"]).minor_zoom
    7
    """

    _template = script_template(
        """
  faCss('fa-atlas-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  var group = L.layerGroup();
  for (var i = 0; i < d.text.length; i++) {
    var span = faEl('span', 'fa-label fa-label-' + d.kind[i], d.text[i]);
    var icon = L.divIcon({className: 'fa-label-icon', html: span, iconSize: null});
    group.addLayer(L.marker([d.lat[i], d.lon[i]], {icon: icon, interactive: false,
                                                     keyboard: false}));
  }
  group.addTo(parent);
  function sync(map) {
    var c = map.getContainer();
    if (map.getZoom() < d.minorZoom) { L.DomUtil.addClass(c, 'fa-labels-minor-hidden'); }
    else { L.DomUtil.removeClass(c, 'fa-labels-minor-hidden'); }
  }
  group.on('add', function () { var mp = group._map; sync(mp); mp.on('zoomend', function () { sync(mp); }); });
  if (group._map) { sync(group._map); group._map.on('zoomend', function () { sync(group._map); }); }
"""
    )

    def __init__(
        self,
        *,
        lat: Sequence[float],
        lon: Sequence[float],
        text: Sequence[str],
        kind: Sequence[Literal["country", "major", "minor"]],
        minor_zoom: int = 7,
    ) -> None:
        super().__init__()
        self._name = "TextLabels"
        if not len(lat) == len(lon) == len(text) == len(kind):
            raise ValueError(
                f"lat, lon, text and kind differ in length: "
                f"{len(lat)}, {len(lon)}, {len(text)}, {len(kind)}"
            )
        bad = sorted({k for k in kind if k not in ("country", "major", "minor")})
        if bad:
            raise ValueError(f"label kind must be country, major or minor, got {bad!r}")
        self.minor_zoom = int(minor_zoom)
        self.payload_json = script_json(
            {
                "lat": [round(float(v), 4) for v in lat],
                "lon": [round(float(v), 4) for v in lon],
                "text": [str(t) for t in text],
                "kind": list(kind),
                "minorZoom": self.minor_zoom,
            }
        )
        self.css_json = script_json(POPUP_CSS)


def feature_text_js(*, title: str, fields: Sequence[tuple[str, str]]) -> str:
    """JavaScript for ``folium.GeoJson(on_each_feature=JsCode(...))``: safe tooltip and popup.

    The tooltip shows ``properties[title]``; the popup adds one ``label: value`` row per
    ``(property, label)`` in ``fields``. Values are set with ``textContent``, never parsed as
    HTML.

    >>> "textContent" in feature_text_js(title="name", fields=[("area", "Area")])
    True
    """
    spec = script_json({"title": title, "fields": [list(f) for f in fields]})
    return (
        "function (feature, layer) {\n"
        "  var spec = " + spec + ";\n"
        "  var p = feature.properties || {};\n"
        + FA_EL_JS
        + "  layer.bindTooltip(function () { return faEl('span', null, p[spec.title]); },"
        " {sticky: true});\n"
        "  layer.bindPopup(function () {\n"
        "    var root = faEl('div', 'fa-pop');\n"
        "    root.appendChild(faEl('div', 'fa-pop-title', p[spec.title]));\n"
        "    var dl = faEl('dl');\n"
        "    spec.fields.forEach(function (f) {\n"
        "      var v = p[f[0]];\n"
        "      if (v === undefined || v === null || v === '') { return; }\n"
        "      dl.appendChild(faEl('dt', null, f[1]));\n"
        "      dl.appendChild(faEl('dd', null, v));\n"
        "    });\n"
        "    root.appendChild(dl);\n"
        "    return root;\n"
        "  }, {maxWidth: 320});\n"
        "}"
    )
