"""Custom Leaflet elements in folium's plugin shape: a template and an ``__init__`` that stores options.

Every element's JavaScript is our own code, inlined in its template, so that it needs no plugin
from a CDN (only Leaflet itself and, for clustered points, Leaflet.markercluster, both served
locally by :mod:`geo.assets`). Text from data is never written into HTML by these elements: the
payload travels as JSON (with ``<``, ``>``, ``&`` and ``'`` escaped so it cannot close the
``<script>``) and the browser builds every popup, tooltip and legend with ``textContent``.

>>> import folium
>>> m = folium.Map(tiles=None, max_zoom=18)
>>> _ = Fullscreen().add_to(m)
>>> "requestFullscreen" in m.get_root().render()
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

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

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_GLYPH = re.compile(r"fa-[a-z0-9-]+")

# Shared JS helpers, inlined into each element's closure (no globals, no innerHTML of data).
_JS_HELPERS = """
  function faEl(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function faCss(id, css) {
    if (document.getElementById(id)) { return; }
    var s = document.createElement('style');
    s.id = id;
    s.textContent = css;
    document.head.appendChild(s);
  }
"""

# Our CSS, injected from JS so that it also exists when streamlit-folium only runs the script
# of a feature group (it drops the header of elements added through `feature_group_to_add`).
_POPUP_CSS = (
    ".fa-pop{font:13px/1.35 system-ui,sans-serif;max-width:300px}"
    ".fa-pop-title{font-weight:600;margin-bottom:4px}"
    ".fa-pop dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:1px 8px}"
    ".fa-pop dt{font-weight:600;color:#444}.fa-pop dd{margin:0;overflow-wrap:anywhere}"
    ".fa-pop a{display:inline-block;margin-top:4px}"
    ".fa-sym{background:none;border:none}"
    ".fa-sym-badge{display:flex;align-items:center;justify-content:center;width:20px;"
    "height:20px;border-radius:50%;border:2px solid #1a1a1a;color:#fff;font-size:10px;"
    "box-sizing:border-box;box-shadow:0 0 0 1px #fff}"
    ".fa-label{background:none;border:none;white-space:nowrap;font:11px system-ui,sans-serif;"
    "color:#333;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
    ".fa-label-country{font-size:13px;font-weight:600;letter-spacing:.08em;color:#666;"
    "text-transform:uppercase}"
    ".fa-labels-minor-hidden .fa-label-minor{display:none}"
)


def script_json(obj: object) -> str:
    """Serialise ``obj`` as compact JSON that is safe inside an inline ``<script>``.

    ``<``, ``>``, ``&`` and ``'`` become ``\\u00XX`` escapes, so a string such as
    ``</script><script>alert(1)</script>`` cannot end the script element.

    >>> script_json({"d": "</script>"})
    '{"d":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _check_colour(colour: str) -> str:
    if not isinstance(colour, str) or not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"colour must be '#rrggbb', got {colour!r}")
    return colour


def _check_glyph(glyph: str) -> str:
    if not isinstance(glyph, str) or not _GLYPH.fullmatch(glyph):
        raise ValueError(f"glyph must be a Font Awesome class like 'fa-bomb', got {glyph!r}")
    return glyph


class PointSymbols(JSCSSMixin, MacroElement):
    """Many point symbols drawn from one columnar payload (events, crossings).

    The payload is built by :func:`geo.maplayers.point_payload`: coordinates as integers
    (``lat * scale``), an icon code per row into an icon table, and text columns as codes into
    tables of unique strings. Markers, popups and tooltips are created in the browser; popups
    and tooltips are built lazily on first click/hover, with ``textContent`` only.

    Parameters
    ----------
    payload : Mapping
        Columnar data (see :func:`geo.maplayers.point_payload`); icon colours and glyphs are
        validated here.
    cluster : bool
        Group markers with Leaflet.markercluster (needs the map to have ``max_zoom``).

    Examples
    --------
    >>> p = {"scale": 10000, "lat": [350000], "lon": [400000], "icon": [0],
    ...      "icons": [{"glyph": "fa-bomb", "colour": "#0072B2", "border": "solid"}],
    ...      "title": {"codes": [0], "values": ["x"]}, "tip": {"codes": [0], "values": ["x"]},
    ...      "fields": [], "link": None}
    >>> PointSymbols(p, cluster=False).cluster
    False
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
  faCss('fa-atlas-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  var group = {% if this.cluster %}L.markerClusterGroup({chunkedLoading: true,
      showCoverageOnHover: false, maxClusterRadius: 45}){% else %}L.featureGroup(){% endif %};
  var icons = d.icons.map(function (ic) {
    return L.divIcon({className: 'fa-sym', iconSize: [20, 20], iconAnchor: [10, 10],
      popupAnchor: [0, -10], tooltipAnchor: [10, 0],
      html: '<span class="fa-sym-badge" style="background:' + ic.colour + ';border-style:' +
        ic.border + '"><i class="fa-solid ' + ic.glyph + '"></i></span>'});
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
})();
{% endmacro %}
"""
    )

    def __init__(self, payload: Mapping[str, object], *, cluster: bool = True) -> None:
        super().__init__()
        self._name = "PointSymbols"
        for icon in payload["icons"]:  # type: ignore[union-attr]
            _check_colour(icon["colour"])
            _check_glyph(icon["glyph"])
            if icon["border"] not in _BORDER_STYLES:
                raise ValueError(f"border must be one of {_BORDER_STYLES}, got {icon['border']!r}")
        self.cluster = bool(cluster)
        self.payload_json = script_json(payload)
        self.css_json = script_json(_POPUP_CSS)
        if self.cluster:
            self.default_js = list(MarkerCluster.default_js)
            self.default_css = list(MarkerCluster.default_css)
        else:
            self.default_js = []
            self.default_css = []


_BORDER_STYLES = ("solid", "dashed", "dotted", "double")


class HexBinLayer(MacroElement):
    """Hexagon bins (counts per faction and event type), one SVG path per non-empty cell.

    Parameters
    ----------
    payload : Mapping
        Built by :func:`geo.maplayers.hexbin_payload`: Web-Mercator centres ``x``/``y`` (metres),
        the hexagon circumradius ``size``, colour class per bin, the colour ramp, sparse
        per-bin counts by faction and event type with their label tables, and the zoom range
        ``minZoom`` (inclusive) to ``maxZoom`` (exclusive) in which the cells are shown.

    Examples
    --------
    >>> HexBinLayer({"x": [], "y": [], "size": 1000.0, "cls": [], "ramp": [], "count": [],
    ...              "by": [], "minZoom": 0, "maxZoom": 9}).zoom_range
    (0, 9)
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
  faCss('fa-atlas-css', {{ this.css_json }});
  var d = {{ this.payload_json }};
  var parent = {{ this._parent.get_name() }};
  // SVG (Leaflet's default renderer): cells stay above the control areas drawn before them,
  // and areas remain clickable between cells (a canvas would swallow those clicks).
  var group = L.featureGroup();
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
  group.on('click', function (e) {
    if (e.layer.faRow === undefined) { return; }
    L.popup({maxWidth: 320}).setLatLng(e.latlng).setContent(content(e.layer.faRow))
      .openOn(group._map);
  });
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
})();
{% endmacro %}
"""
    )

    def __init__(self, payload: Mapping[str, object]) -> None:
        super().__init__()
        self._name = "HexBinLayer"
        self.edges = list(payload.get("edges", ()))  # type: ignore[union-attr]
        self.zoom_range = (int(payload.get("minZoom", 0)), int(payload.get("maxZoom", 99)))  # type: ignore[union-attr]
        for colour in payload["ramp"]:  # type: ignore[union-attr]
            _check_colour(colour)
        self.payload_json = script_json(payload)
        self.css_json = script_json(_POPUP_CSS)


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

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
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
})();
{% endmacro %}
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
        self.css_json = script_json(_POPUP_CSS)


class Legend(MacroElement):
    """A collapsible legend control; every label is set with ``textContent``.

    Parameters
    ----------
    sections : sequence of mapping
        ``{"title": str, "items": [{"label": str, "kind": "fill"|"line"|"icon"|"swatch",
        "colour": "#rrggbb", "dash": str, "opacity": float, "glyph": "fa-...",
        "border": "solid"|...}]}``.
    position : {"bottomright", "bottomleft", "topright", "topleft"}

    Examples
    --------
    >>> Legend([{"title": "Events", "items": [{"label": "<b>x</b>", "kind": "swatch",
    ...          "colour": "#0072B2"}]}]).position
    'bottomright'
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
  faCss('fa-legend-css', {{ this.css_json }});
  var sections = {{ this.payload_json }};
  var map = {{ this._parent.get_name() }};
  var NS = 'http://www.w3.org/2000/svg';
  function swatch(it) {
    if (it.kind === 'icon') {
      var b = faEl('span', 'fa-sym-badge');
      b.style.background = it.colour;
      b.style.borderStyle = it.border || 'solid';
      b.appendChild(faEl('i', 'fa-solid ' + it.glyph));
      return b;
    }
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', '28'); svg.setAttribute('height', '16');
    var s;
    if (it.kind === 'line') {
      s = document.createElementNS(NS, 'line');
      s.setAttribute('x1', '1'); s.setAttribute('y1', '8');
      s.setAttribute('x2', '27'); s.setAttribute('y2', '8');
      s.setAttribute('stroke-width', String(it.weight || 3));
    } else {
      s = document.createElementNS(NS, 'rect');
      s.setAttribute('x', '2'); s.setAttribute('y', '2');
      s.setAttribute('width', '24'); s.setAttribute('height', '12');
      s.setAttribute('fill', it.colour);
      s.setAttribute('fill-opacity', String(it.opacity === undefined ? 0.4 : it.opacity));
      s.setAttribute('stroke-width', it.kind === 'swatch' ? '0.5' : '2');
    }
    s.setAttribute('stroke', it.kind === 'swatch' ? '#333' : it.colour);
    if (it.dash) { s.setAttribute('stroke-dasharray', it.dash); }
    svg.appendChild(s);
    return svg;
  }
  var ctl = L.control({position: {{ this.position|tojson }}});
  ctl.onAdd = function () {
    var box = faEl('div', 'leaflet-control fa-legend');
    var btn = faEl('button', 'fa-legend-toggle', 'Legend');
    btn.type = 'button';
    btn.setAttribute('aria-expanded', 'true');
    var body = faEl('div', 'fa-legend-body');
    btn.onclick = function () {
      var open = body.style.display !== 'none';
      body.style.display = open ? 'none' : '';
      btn.setAttribute('aria-expanded', open ? 'false' : 'true');
    };
    sections.forEach(function (sec) {
      body.appendChild(faEl('div', 'fa-legend-title', sec.title));
      sec.items.forEach(function (it) {
        var row = faEl('div', 'fa-legend-row');
        row.appendChild(swatch(it));
        row.appendChild(faEl('span', null, it.label));
        body.appendChild(row);
      });
    });
    box.appendChild(btn);
    box.appendChild(body);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    if (this._map && this._map.getSize().x < 600) { btn.onclick(); }  // phones: start folded
    return box;
  };
  // The legend may live in a feature group (filter-driven, swapped by the dashboard): it is
  // shown while its group is on the map.
  if (map instanceof L.Map) { ctl.addTo(map); }
  else {
    map.on('add', function () { ctl.addTo(map._map); });
    map.on('remove', function () { ctl.remove(); });
    if (map._map) { ctl.addTo(map._map); }
  }
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        sections: Sequence[Mapping[str, object]],
        *,
        position: Literal["bottomright", "bottomleft", "topright", "topleft"] = "bottomright",
    ) -> None:
        super().__init__()
        self._name = "Legend"
        if position not in ("bottomright", "bottomleft", "topright", "topleft"):
            raise ValueError(f"legend position not understood: {position!r}")
        for section in sections:
            for item in section["items"]:  # type: ignore[union-attr]
                _check_colour(item["colour"])
                if item.get("kind") == "icon":
                    _check_glyph(item["glyph"])
        self.position = position
        self.sections = [dict(section) for section in sections]
        self.payload_json = script_json(self.sections)
        self.css_json = script_json(
            _POPUP_CSS
            + ".fa-legend{background:rgba(255,255,255,.93);padding:4px 8px;border-radius:4px;"
            "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px system-ui,sans-serif;max-height:45vh;"
            "overflow:auto;max-width:260px}"
            ".fa-legend-toggle{border:0;background:none;font-weight:700;padding:0;cursor:pointer}"
            ".fa-legend-title{font-weight:600;margin-top:4px}"
            ".fa-legend-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".fa-legend-row .fa-sym-badge{width:18px;height:18px}"
            ".fa-legend-row svg,.fa-legend-row .fa-sym-badge{flex:0 0 auto}"
        )


class Fullscreen(MacroElement):
    """A fullscreen toggle (the Fullscreen API, with a CSS fallback inside sandboxed iframes).

    Examples
    --------
    >>> Fullscreen().position
    'topleft'
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
  faCss('fa-fullscreen-css', '.fa-pseudo-fullscreen{position:fixed!important;top:0;left:0;' +
        'width:100%!important;height:100%!important;z-index:99999}' +
        '.fa-ctl-btn{width:30px;height:30px;border:0;background:#fff;cursor:pointer;font-size:15px}');
  var map = {{ this._parent.get_name() }};
  var ctl = L.control({position: {{ this.position|tojson }}});
  ctl.onAdd = function () {
    var box = faEl('div', 'leaflet-bar leaflet-control');
    var btn = faEl('button', 'fa-ctl-btn fa-fullscreen-btn');
    btn.type = 'button';
    btn.title = 'Full screen';
    btn.setAttribute('aria-label', 'Full screen');
    btn.appendChild(faEl('i', 'fa-solid fa-expand'));
    var c = map.getContainer();
    function isFull() {
      return document.fullscreenElement === c || L.DomUtil.hasClass(c, 'fa-pseudo-fullscreen');
    }
    btn.onclick = function () {
      if (isFull()) {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        L.DomUtil.removeClass(c, 'fa-pseudo-fullscreen');
      } else if (c.requestFullscreen && document.fullscreenEnabled) {
        c.requestFullscreen().catch(function () { L.DomUtil.addClass(c, 'fa-pseudo-fullscreen'); });
      } else {
        L.DomUtil.addClass(c, 'fa-pseudo-fullscreen');
      }
      setTimeout(function () { map.invalidateSize(); }, 200);
    };
    document.addEventListener('fullscreenchange', function () { map.invalidateSize(); });
    L.DomEvent.disableClickPropagation(box);
    box.appendChild(btn);
    return box;
  };
  ctl.addTo(map);
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        *,
        position: Literal["bottomright", "bottomleft", "topright", "topleft"] = "topleft",
    ) -> None:
        super().__init__()
        self._name = "Fullscreen"
        self.position = position


class Measure(MacroElement):
    """A measuring tool: click points on the map, read the great-circle length in km.

    Distances come from ``L.LatLng.distanceTo`` (haversine on Leaflet's 6,371 km sphere,
    within about 0.5 % of the WGS84 geodesic). Click the ruler to start, click it again to stop
    and clear.

    Examples
    --------
    >>> Measure().position
    'topleft'
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
"""
        + _JS_HELPERS
        + """
  faCss('fa-fullscreen-css-measure', '.fa-measure-out{background:#fff;padding:2px 6px;' +
        'font:12px system-ui,sans-serif;display:none}.fa-measure-on .fa-ctl-btn{background:#ffd}' +
        '.fa-ctl-btn{width:30px;height:30px;border:0;background:#fff;cursor:pointer;font-size:15px}');
  var map = {{ this._parent.get_name() }};
  var pts = [], line = null, dots = L.layerGroup(), on = false, out, box;
  function total() {
    var m = 0;
    for (var i = 1; i < pts.length; i++) { m += pts[i - 1].distanceTo(pts[i]); }
    return m;
  }
  function show() {
    out.style.display = on ? 'block' : 'none';
    out.textContent = pts.length < 2 ? 'Click points to measure'
      : (total() / 1000).toFixed(1) + ' km (' + (pts.length - 1) + ' legs)';
  }
  function clear() {
    pts = [];
    dots.clearLayers();
    if (line) { map.removeLayer(line); line = null; }
  }
  function onClick(e) {
    pts.push(e.latlng);
    dots.addLayer(L.circleMarker(e.latlng, {radius: 3, color: '#000', interactive: false}));
    if (!line) { line = L.polyline(pts, {color: '#000', dashArray: '6 4', weight: 2,
                                          interactive: false}).addTo(map); }
    else { line.setLatLngs(pts); }
    show();
  }
  var ctl = L.control({position: {{ this.position|tojson }}});
  ctl.onAdd = function () {
    box = faEl('div', 'leaflet-bar leaflet-control fa-measure');
    var btn = faEl('button', 'fa-ctl-btn fa-measure-btn');
    btn.type = 'button';
    btn.title = 'Measure distance';
    btn.setAttribute('aria-label', 'Measure distance');
    btn.appendChild(faEl('i', 'fa-solid fa-ruler'));
    out = faEl('div', 'fa-measure-out');
    btn.onclick = function () {
      on = !on;
      if (on) {
        L.DomUtil.addClass(box, 'fa-measure-on');
        dots.addTo(map);
        map.on('click', onClick);
        map.getContainer().style.cursor = 'crosshair';
      } else {
        L.DomUtil.removeClass(box, 'fa-measure-on');
        map.off('click', onClick);
        clear();
        map.removeLayer(dots);
        map.getContainer().style.cursor = '';
      }
      show();
    };
    L.DomEvent.disableClickPropagation(box);
    box.appendChild(btn);
    box.appendChild(out);
    return box;
  };
  ctl.addTo(map);
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        *,
        position: Literal["bottomright", "bottomleft", "topright", "topleft"] = "topleft",
    ) -> None:
        super().__init__()
        self._name = "Measure"
        self.position = position


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
        "  function el(tag, cls, text) { var e = document.createElement(tag);"
        " if (cls) { e.className = cls; } if (text !== undefined && text !== null)"
        " { e.textContent = String(text); } return e; }\n"
        "  layer.bindTooltip(function () { return el('span', null, p[spec.title]); },"
        " {sticky: true});\n"
        "  layer.bindPopup(function () {\n"
        "    var root = el('div', 'fa-pop');\n"
        "    root.appendChild(el('div', 'fa-pop-title', p[spec.title]));\n"
        "    var dl = el('dl');\n"
        "    spec.fields.forEach(function (f) {\n"
        "      var v = p[f[0]];\n"
        "      if (v === undefined || v === null || v === '') { return; }\n"
        "      dl.appendChild(el('dt', null, f[1]));\n"
        "      dl.appendChild(el('dd', null, v));\n"
        "    });\n"
        "    root.appendChild(dl);\n"
        "    return root;\n"
        "  }, {maxWidth: 320});\n"
        "}"
    )
