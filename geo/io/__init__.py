"""Files in and out: untrusted bytes to tables with row-level issues, formats, exports.

- :mod:`geo.io.decode` reads bytes (size limits, UTF-8, binary detection);
- :mod:`geo.io.tabular` turns CSV / GeoJSON bytes into tables and :class:`~geo.io.issues.Issue`
  records (``file:row: reason``), with :mod:`geo.io.issues` for the records themselves;
- :mod:`geo.io.formats` reads and writes events as CSV, GeoJSON, GeoPackage and (Geo)Parquet;
- :mod:`geo.io.exports` writes what the dashboard shows (CSV with formulas neutralised, GeoJSON).
"""

__all__: list[str] = []
