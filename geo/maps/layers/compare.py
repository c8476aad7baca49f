"""Two dates on one map: control on date A left of a swipe, on date B right of it, and the
areas that changed hands between them, hatched (gained: stripes rising, solid outline; lost:
stripes falling, dashed outline), in the colour of the faction that gained or lost them.

The areas of each date are drawn in their own Leaflet pane, clipped at the swipe's position;
the hatched areas are drawn above both, unclipped. Every label is set with ``textContent``.

>>> import geopandas as gpd, pandas as pd, shapely
>>> box = gpd.GeoDataFrame({"faction": ["x"], "area_km2": [1.0]},
...                        geometry=[shapely.box(40, 34, 41, 35)], crs=4326)
>>> changed = box.assign(change=["gained"])
>>> group = compare_layer(areas_a=box, areas_b=box, changes=changed, factions=None,
...                       label_a="2024-11-27", label_b="2024-12-08")
>>> group.layer_name
'Changed hands (2024-11-27 → 2024-12-08)'
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement

from geo.maps._leaflet import script_json, script_template
from geo.maps.layers.style import faction_styles
from geo.maps.layers.vector import feature_collection

__all__ = ["CompareSwipe", "compare_layer"]


def _areas_json(areas: gpd.GeoDataFrame | None, styles: dict) -> dict:
    if areas is None or areas.empty:
        return {"type": "FeatureCollection", "features": []}
    faction = areas["faction"].astype("str")
    colours = [styles[f].colour if f in styles else "#777777" for f in faction]
    return feature_collection(
        areas.geometry,
        pd.DataFrame({"faction": faction.map(lambda f: styles[f].name if f in styles else f)}),
        styles=[{"colour": c} for c in colours],
    )


class CompareSwipe(MacroElement):
    """The swipe between the two dates' areas and the hatched changes (see the module).

    Examples
    --------
    >>> empty = {"type": "FeatureCollection", "features": []}
    >>> CompareSwipe(a=empty, b=empty, changes=empty, label_a="A", label_b="B").label_a
    'A'
    """

    _template = script_template(
        """
  var d = {{ this.payload_json }};
  var group = {{ this._parent.get_name() }};
  faCss('fa-compare-css', '.fa-swipe{position:absolute;top:0;bottom:0;width:0;z-index:650;' +
    'border-left:3px solid #222;pointer-events:none}' +
    '.fa-swipe-knob{position:absolute;top:50%;left:-13px;width:22px;height:34px;' +
    'margin-top:-17px;background:#fff;border:2px solid #222;border-radius:5px;' +
    'cursor:ew-resize;pointer-events:auto;touch-action:none}' +
    '.fa-swipe-tag{position:absolute;top:8px;padding:1px 6px;background:rgba(255,255,255,.9);' +
    'font:600 12px system-ui,sans-serif;border-radius:3px;white-space:nowrap}' +
    '.fa-swipe-a{right:8px}.fa-swipe-b{left:8px}');
  function start(map) {
    var NS = 'http://www.w3.org/2000/svg';
    ['faCmpA', 'faCmpB', 'faCmpChange'].forEach(function (name, i) {
      if (!map.getPane(name)) { map.createPane(name).style.zIndex = String(410 + i * 5); }
    });
    var rA = L.svg({pane: 'faCmpA'}), rB = L.svg({pane: 'faCmpB'});
    var rC = L.svg({pane: 'faCmpChange'});
    function style(f) {
      return {color: f.properties.style.colour, fillColor: f.properties.style.colour,
              weight: 1, fillOpacity: 0.35, interactive: false};
    }
    var a = L.geoJSON(d.a, {style: style, renderer: rA, pane: 'faCmpA'});
    var b = L.geoJSON(d.b, {style: style, renderer: rB, pane: 'faCmpB'});
    var c = L.geoJSON(d.changes, {renderer: rC, pane: 'faCmpChange', style: function (f) {
      var p = f.properties;
      return {color: p.colour, weight: 2, dashArray: p.change === 'lost' ? '5 4' : null,
              fillColor: 'url(#fa-hatch-' + p.pattern + ')', fillOpacity: 1};
    }, onEachFeature: function (f, layer) {
      var p = f.properties;
      layer.bindTooltip(function () {
        return faEl('span', null, p.faction + ' ' + p.change + ' ' + p.km2 + ' km²');
      }, {sticky: true});
      layer.on('add', function () {
        if (layer._path) { layer._path.setAttribute('data-change', p.change); }
      });
    }});
    [a, b, c].forEach(function (l) { group.addLayer(l); });
    var svg = rC._container;
    if (svg && !svg.querySelector('defs.fa-hatch')) {
      var defs = document.createElementNS(NS, 'defs');
      defs.setAttribute('class', 'fa-hatch');
      d.patterns.forEach(function (p, i) {
        var pat = document.createElementNS(NS, 'pattern');
        pat.setAttribute('id', 'fa-hatch-' + i);
        pat.setAttribute('patternUnits', 'userSpaceOnUse');
        pat.setAttribute('width', '8'); pat.setAttribute('height', '8');
        pat.setAttribute('patternTransform', 'rotate(' + (p.change === 'lost' ? -45 : 45) + ')');
        var line = document.createElementNS(NS, 'line');
        line.setAttribute('x1', '0'); line.setAttribute('y1', '0');
        line.setAttribute('x2', '0'); line.setAttribute('y2', '8');
        line.setAttribute('stroke', p.colour); line.setAttribute('stroke-width', '3');
        pat.appendChild(line);
        defs.appendChild(pat);
      });
      svg.insertBefore(defs, svg.firstChild);
    }
    var c0 = map.getContainer(), ratio = 0.5;
    var ext = window.faFrame && window.faFrame.extent;
    if (ext) {  // the swipe starts in the middle of the data, not of the frame
      var mid = map.latLngToContainerPoint(L.latLngBounds(ext).getCenter());
      ratio = Math.min(0.9, Math.max(0.1, mid.x / map.getSize().x));
    }
    var bar = faEl('div', 'fa-swipe'), knob = faEl('div', 'fa-swipe-knob');
    knob.setAttribute('role', 'slider');
    knob.setAttribute('aria-label', 'Swipe between ' + d.label_a + ' and ' + d.label_b);
    bar.appendChild(knob);
    bar.appendChild(faEl('div', 'fa-swipe-tag fa-swipe-a', d.label_a));
    bar.appendChild(faEl('div', 'fa-swipe-tag fa-swipe-b', d.label_b));
    c0.appendChild(bar);
    L.DomEvent.disableClickPropagation(bar);
    function clip() {
      var size = map.getSize(), x = Math.round(size.x * ratio);
      var nw = map.containerPointToLayerPoint([0, 0]);
      var se = map.containerPointToLayerPoint(size);
      var cx = nw.x + x;
      map.getPane('faCmpA').style.clip =
        'rect(' + [nw.y, cx, se.y, nw.x].join('px,') + 'px)';
      map.getPane('faCmpB').style.clip =
        'rect(' + [nw.y, se.x, se.y, cx].join('px,') + 'px)';
      bar.style.left = x + 'px';
    }
    function drag(e) {
      var r = c0.getBoundingClientRect();
      var px = (e.touches ? e.touches[0].clientX : e.clientX) - r.left;
      ratio = Math.min(0.98, Math.max(0.02, px / r.width));
      clip();
      if (e.preventDefault) { e.preventDefault(); }
    }
    function stop() {
      document.removeEventListener('pointermove', drag);
      document.removeEventListener('pointerup', stop);
      map.dragging.enable();
    }
    knob.addEventListener('pointerdown', function (e) {
      map.dragging.disable();
      document.addEventListener('pointermove', drag);
      document.addEventListener('pointerup', stop);
      e.preventDefault();
    });
    map.on('move zoom resize', clip);
    clip();
    window.faCompare = {ratio: function () { return ratio; },
                        setRatio: function (r) { ratio = r; clip(); }, labels: [d.label_a, d.label_b]};
    group.on('remove', function () {
      map.off('move zoom resize', clip);
      bar.remove();
      ['faCmpA', 'faCmpB'].forEach(function (n) { map.getPane(n).style.clip = ''; });
      window.faCompare = null;
    });
  }
  if (group._map) { start(group._map); } else { group.once('add', function () { start(group._map); }); }
"""
    )

    def __init__(
        self, *, a: dict, b: dict, changes: dict, label_a: str, label_b: str, patterns=()
    ) -> None:
        super().__init__()
        self._name = "CompareSwipe"
        self.label_a = str(label_a)
        self.label_b = str(label_b)
        self.payload_json = script_json(
            {
                "a": a,
                "b": b,
                "changes": changes,
                "label_a": self.label_a,
                "label_b": self.label_b,
                "patterns": list(patterns),
            }
        )


def compare_layer(
    *,
    areas_a: gpd.GeoDataFrame | None,
    areas_b: gpd.GeoDataFrame | None,
    changes: gpd.GeoDataFrame,
    factions: pd.DataFrame | None,
    label_a: str,
    label_b: str,
) -> folium.FeatureGroup:
    """The compare view's group: the swipe between the dates' areas and the hatched changes.

    ``changes`` is :attr:`geo.territory.ChangeReport.polygons` (``faction, change,
    area_km2, geometry``) between the earlier and the later date.
    """
    ids = []
    for frame in (areas_a, areas_b, changes):
        if frame is not None and not frame.empty:
            ids += frame["faction"].astype("str").unique().tolist()
    styles = faction_styles(factions, extra_ids=list(dict.fromkeys(ids)))
    patterns: list[dict[str, str]] = []
    props = []
    for faction, change, km2 in zip(
        changes["faction"].astype("str"),
        changes["change"].astype("str"),
        changes["area_km2"],
        strict=True,
    ):
        colour = styles[faction].colour if faction in styles else "#777777"
        key = {"colour": colour, "change": change}
        if key not in patterns:
            patterns.append(key)
        props.append(
            {
                "faction": styles[faction].name if faction in styles else faction,
                "change": change,
                "colour": colour,
                "pattern": str(patterns.index(key)),
                "km2": f"{float(km2):,.0f}",
            }
        )
    change_json = feature_collection(
        changes.geometry,
        pd.DataFrame(props, columns=["faction", "change", "colour", "pattern", "km2"]),
    )
    group = folium.FeatureGroup(name=f"Changed hands ({label_a} → {label_b})")
    CompareSwipe(
        a=_areas_json(areas_a, styles),
        b=_areas_json(areas_b, styles),
        changes=change_json,
        label_a=label_a,
        label_b=label_b,
        patterns=patterns,
    ).add_to(group)
    return group
