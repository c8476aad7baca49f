"""Places: from a name as written to a point on the map.

- :mod:`geo.places.normalize` folds spellings (Deir ez-Zor, Dayr al-Zawr, Deir Ezzor) to keys;
- :mod:`geo.places.gazetteer` is GeoNames plus the curated ``data/places.csv``, cached on disk;
- :mod:`geo.places.geocode` resolves names offline (:class:`~geo.places.geocode.Geocoder`);
- :mod:`geo.places.online` asks a geopy provider, opt-in, rate-limited and cached;
- :mod:`geo.places.result` is the record both return (:class:`~geo.places.result.GeocodeResult`).

The modules are imported one by one (nothing is re-exported here), so that a light caller such
as the normaliser does not pay for the gazetteer.
"""

__all__: list[str] = []
