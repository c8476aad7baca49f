"""Untrusted GeoJSON FeatureCollections to a frame of string properties and raw geometries.

Never raises on bad content: a file that is not a FeatureCollection is one file-level
:class:`~geo.io.issues.Issue`; a bad feature is an issue for its number (from 1) and is left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from geo.io.decode import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD_CHARS, decode_text
from geo.io.issues import Issue

__all__ = ["read_geojson_bytes"]


def read_geojson_bytes(
    data: bytes,
    *,
    name: str,
    columns: Sequence[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> tuple[pd.DataFrame, list[object], list[Issue]]:
    """Parse an untrusted GeoJSON FeatureCollection into string properties and raw geometries.

    Returns ``(frame, geometries, issues)``: ``frame`` has ``row`` (feature number from 1)
    and ``columns`` as strings; ``geometries`` holds each kept feature's ``geometry`` member
    (a dict or ``None``), aligned with ``frame``.

    >>> doc = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":null}]}'
    >>> f, g, i = read_geojson_bytes(doc, name="x.geojson", columns=["a"])
    >>> f.to_dict("records"), g, i
    ([{'row': 1, 'a': '1'}], [None], [])
    """
    columns = list(columns)
    empty = pd.DataFrame(
        {"row": pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in columns}}
    )
    if len(data) > max_bytes:
        return (
            empty,
            [],
            [
                Issue(
                    name, None, f"file is {len(data)} bytes, larger than the {max_bytes}-byte limit"
                )
            ],
        )
    text, issues = decode_text(data, name=name)
    if text is None:
        return empty, [], issues
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        return empty, [], [*issues, Issue(name, None, f"not valid JSON ({err})")]
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        return (
            empty,
            [],
            [*issues, Issue(name, None, f"not a GeoJSON FeatureCollection (type {kind!r})")],
        )
    records: list[dict[str, str]] = []
    geometries: list[object] = []
    for number, feature in enumerate(features, start=1):  # small files: areas and uploads
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(props, dict | None):
            issues.append(Issue(name, number, "not a GeoJSON Feature with a properties object"))
            continue
        props = props or {}
        unknown = sorted(set(props) - set(columns))
        if unknown:
            issues.append(Issue(name, number, f"unknown properties {unknown} ignored", "warning"))
        record = {"row": number}
        for col in columns:
            value = props.get(col)
            record[col] = "" if value is None else str(value).strip()
        too_long = [c for c in columns if len(record[c]) > max_field_chars]
        if too_long:
            issues.append(
                Issue(
                    name,
                    number,
                    f"property {too_long[0]!r} is longer than {max_field_chars} characters",
                )
            )
            continue
        records.append(record)
        geometries.append(feature.get("geometry"))
    if not features:
        issues.append(Issue(name, None, "no features", "warning"))
    frame = pd.DataFrame(records, columns=["row", *columns]) if records else empty
    frame = frame.astype({"row": "int64", **dict.fromkeys(columns, "str")})
    return frame, geometries, issues
