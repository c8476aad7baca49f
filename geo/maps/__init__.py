"""Maps: folium maps of control, frontlines, borders and events, offline assets included.

- :mod:`geo.maps.build` composes one map from one builder per layer (:mod:`geo.maps.layers`);
- :mod:`geo.maps.elements` and :mod:`geo.maps.controls` are custom Leaflet elements in folium's
  plugin shape (point symbols, hexagon layer, legend, fullscreen, measure);
- :mod:`geo.maps.hexbins` aggregates many events into hexagons;
- :mod:`geo.maps.assets` serves Leaflet and friends from installed packages, never a CDN.
"""

__all__: list[str] = []
