"""Map controls in folium's plugin shape: the legend, a fullscreen toggle and a distance ruler.

Each is a template (our own JavaScript, no CDN plugin) and an ``__init__`` that checks and
stores options; labels from data are set with ``textContent``.

>>> import folium
>>> m = folium.Map(tiles=None)
>>> _ = Measure(position="topright").add_to(m)
>>> "fa-measure-btn" in m.get_root().render()
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from branca.element import MacroElement

from geo.maps._leaflet import (
    POPUP_CSS,
    Position,
    check_colour,
    check_glyph,
    check_position,
    script_json,
    script_template,
)

__all__ = ["Fullscreen", "Legend", "Measure"]


class _Control(MacroElement):
    """A control in a corner of the map; subclasses give the template."""

    def __init__(self, *, position: Position) -> None:
        super().__init__()
        self._name = type(self).__name__
        self.position = check_position(position, what=type(self).__name__.lower())


class Legend(_Control):
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

    _template = script_template(
        """
  faCss('fa-legend-css', {{ this.css_json }});
  var sections = {{ this.payload_json }};
  var map = {{ this._parent.get_name() }};
  var NS = 'http://www.w3.org/2000/svg';
  function swatch(it) {
    if (it.kind === 'icon') {
      var b = faEl('span', it.inferred ? 'fa-sym-badge fa-sym-inf' : 'fa-sym-badge');
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
"""
    )

    def __init__(
        self,
        sections: Sequence[Mapping[str, object]],
        *,
        position: Position = "bottomright",
    ) -> None:
        super().__init__(position=position)
        for section in sections:
            for item in section["items"]:  # type: ignore[union-attr]
                check_colour(item["colour"])
                if item.get("kind") == "icon":
                    check_glyph(item["glyph"])
        self.sections = [dict(section) for section in sections]
        self.payload_json = script_json(self.sections)
        self.css_json = script_json(
            POPUP_CSS
            + ".fa-legend{background:rgba(255,255,255,.93);padding:4px 8px;border-radius:4px;"
            "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px system-ui,sans-serif;max-height:45vh;"
            "overflow:auto;max-width:260px}"
            ".fa-legend-toggle{border:0;background:none;font-weight:700;padding:0;cursor:pointer}"
            ".fa-legend-title{font-weight:600;margin-top:4px}"
            ".fa-legend-row{display:flex;align-items:center;gap:6px;margin:2px 0}"
            ".fa-legend-row .fa-sym-badge{width:18px;height:18px}"
            ".fa-legend-row svg,.fa-legend-row .fa-sym-badge{flex:0 0 auto}"
        )


class Fullscreen(_Control):
    """A fullscreen toggle (the Fullscreen API, with a CSS fallback inside sandboxed iframes).

    Examples
    --------
    >>> Fullscreen().position
    'topleft'
    """

    _template = script_template(
        """
  faCss('fa-fullscreen-css', '.fa-pseudo-fullscreen{position:fixed!important;top:0;left:0;' +
        'width:100%!important;height:100%!important;z-index:99999}');
  var map = {{ this._parent.get_name() }};
  faControl(map, {{ this.position|tojson }}, function () {
    var box = faEl('div', 'leaflet-bar leaflet-control');
    var btn = faButton('fa-fullscreen-btn', 'Full screen', 'fa-expand');
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
    box.appendChild(btn);
    return box;
  });
""",
        control=True,
    )

    def __init__(self, *, position: Position = "topleft") -> None:
        super().__init__(position=position)


class Measure(_Control):
    """A measuring tool: click points on the map, read the great-circle length in km.

    Distances come from ``L.LatLng.distanceTo`` (haversine on Leaflet's 6,371 km sphere,
    within about 0.5 % of the WGS84 geodesic). Click the ruler to start, click it again to stop
    and clear.

    Examples
    --------
    >>> Measure().position
    'topleft'
    """

    _template = script_template(
        """
  faCss('fa-measure-css', '.fa-measure-out{background:#fff;padding:2px 6px;' +
        'font:12px system-ui,sans-serif;display:none}.fa-measure-on .fa-ctl-btn{background:#ffd}');
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
  faControl(map, {{ this.position|tojson }}, function () {
    box = faEl('div', 'leaflet-bar leaflet-control fa-measure');
    var btn = faButton('fa-measure-btn', 'Measure distance', 'fa-ruler');
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
    box.appendChild(btn);
    box.appendChild(out);
    return box;
  });
""",
        control=True,
    )

    def __init__(self, *, position: Position = "topleft") -> None:
        super().__init__(position=position)
