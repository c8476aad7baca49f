"""The atlas: annotations joined to places, the one value the map and the CLI work from.

- :mod:`geo.atlas.join` joins validated annotations to geocoded places
  (:class:`~geo.atlas.join.AtlasData`, :func:`~geo.atlas.join.join_annotations`);
- :mod:`geo.atlas.cache` keeps the joined atlas of a data folder on disk;
- :mod:`geo.atlas.load` reads a data folder through that cache (:func:`~geo.atlas.load.load_atlas`).
"""

__all__: list[str] = []
