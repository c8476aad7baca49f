"""Rows as the store keeps them: the file's text cells, checked by the data folder's validators.

A frame of any kind (strings read from a file, or typed values from an upload) becomes
*cells*: a ``row`` column (the spreadsheet row) and the kind's file columns as text. The same
validators that read a data folder check the cells (:func:`check_cells`), so a row the store
accepts is a row ``load_atlas`` would load, and reading the store back re-runs them on the
stored text.

>>> import pandas as pd
>>> cells = as_cells("control", pd.DataFrame({"place": ["Homs"], "confidence": [0.9],
...     "valid_from": pd.to_datetime(["2024-12-07"])}))
>>> cells[["row", "place", "valid_from", "confidence", "lat"]].values.tolist()
[[2, 'Homs', '2024-12-07', '0.9', '']]
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from geo.annotations import (
    Issue,
    read_areas_bytes,
    read_factions_file,
    validate_control,
    validate_events,
)
from geo.errors import DataFileError
from geo.places.gazetteer import read_places_table
from geo.store.tables import DATA_COLUMNS

__all__ = ["FILE_NAMES", "areas_geojson", "as_cells", "check_cells", "row_ids", "write_csv"]

FILE_NAMES = {
    "factions": "factions.csv",
    "places": "places.csv",
    "events": "events.csv",
    "control": "control.csv",
    "areas": "control_areas.geojson",
}
"""The file of the ``data/`` layout each kind is read from and exported to."""

Unknown = Literal["error", "warning", "keep"]
_BAD_LINE = re.compile(r":(\d+): (.*)$", re.S)


def _text(values: pd.Series) -> pd.Series:
    """One column as file text: ISO days, plain numbers, ``true``/``false``, "" for missing."""
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_bool_dtype(values):
        out = values.map({True: "true", False: "false"})
    elif pd.api.types.is_float_dtype(values):
        out = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
    else:
        out = values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
    return out.fillna("").astype("str")


def as_cells(
    kind: str, frame: pd.DataFrame, *, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """``frame`` as cells of ``kind``: ``row`` then every file column as text (missing: "").

    ``columns`` converts only those (an edit's changed columns), in that order.
    """
    n = len(frame)
    rows = frame["row"] if "row" in frame.columns else pd.Series(np.arange(2, n + 2))
    out = {"row": pd.Series(rows.to_numpy(), dtype="int64")}
    for col in DATA_COLUMNS[kind] if columns is None else columns:
        values = frame[col] if col in frame.columns else pd.Series([""] * n, dtype="str")
        out[col] = pd.Series(_text(values.reset_index(drop=True)).to_numpy(), dtype="str")
    return pd.DataFrame(out)


def write_csv(cells: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    """Write ``cells`` as a CSV file of ``columns`` (the ``data/`` layout)."""
    cells.loc[:, list(columns)].to_csv(path, index=False, lineterminator="\n")


def areas_geojson(cells: pd.DataFrame, geometries: list[object]) -> bytes:
    """A GeoJSON FeatureCollection of area cells and their shapely geometries."""
    import shapely.geometry

    features = [
        {
            "type": "Feature",
            "properties": {c: (rec[c] if rec[c] != "" else None) for c in DATA_COLUMNS["areas"]},
            "geometry": None if geom is None else shapely.geometry.mapping(geom),
        }
        for rec, geom in zip(cells.to_dict("records"), geometries, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def check_cells(
    kind: str,
    cells: pd.DataFrame,
    *,
    factions: pd.DataFrame,
    name: str,
    unknown: Unknown = "error",
    geometries: list[object] | None = None,
) -> tuple[np.ndarray, pd.DataFrame, list[Issue]]:
    """Validate ``cells``; return which rows are valid, their typed rows (in order) and issues.

    The typed rows are what the data folder's reader returns (``validate_events``...).
    """
    if kind == "events":
        typed, issues = validate_events(
            cells, factions=factions, name=name, unknown_factions=unknown
        )
    elif kind == "control":
        typed, issues = validate_control(cells, factions=factions, name=name)
    elif kind == "areas":
        typed, issues = read_areas_bytes(
            areas_geojson(cells, geometries or [None] * len(cells)), name=name, factions=factions
        )
        typed = typed.assign(row=cells["row"].to_numpy()[typed["row"].to_numpy() - 1])
    elif kind == "factions":
        typed, issues = _via_file(cells, kind, name=name)
    else:
        typed, issues = _places(cells, name=name)
    keep = (
        cells["row"].isin(set(typed["row"])) if "row" in typed.columns else _same_ids(cells, typed)
    )
    return keep.to_numpy(), typed.reset_index(drop=True), issues


def _same_ids(cells: pd.DataFrame, typed: pd.DataFrame) -> pd.Series:
    return cells["id"].isin(set(typed["id"]))


def _via_file(cells: pd.DataFrame, kind: str, *, name: str) -> tuple[pd.DataFrame, list[Issue]]:
    with tempfile.TemporaryDirectory(prefix="frontline-store-") as folder:
        path = Path(folder) / name
        write_csv(cells, path, DATA_COLUMNS[kind])
        typed, issues = read_factions_file(path)
    return typed, issues


def _places(cells: pd.DataFrame, *, name: str) -> tuple[pd.DataFrame, list[Issue]]:
    """``places.csv`` fails as a whole on a bad row: drop each bad row and report it."""
    issues: list[Issue] = []
    rows = cells
    with tempfile.TemporaryDirectory(prefix="frontline-store-") as folder:
        path = Path(folder) / name
        while True:
            write_csv(rows, path, DATA_COLUMNS["places"])
            try:
                table = read_places_table(path)
            except DataFileError as err:
                found = _BAD_LINE.search(str(err))
                if not found or len(rows) == 0:
                    return rows.iloc[0:0].assign(id=[]), [*issues, Issue(name, None, str(err))]
                line = int(found.group(1))
                bad = rows.iloc[line - 2]
                issues.append(Issue(name, int(bad["row"]), found.group(2)))
                rows = rows.drop(rows.index[line - 2])
                continue
            return rows.assign(id=rows["id"].to_numpy())[["row", "id"]].assign(
                name=table["name"].to_numpy()
            ), issues


def row_ids(
    kind: str, cells: pd.DataFrame, typed: pd.DataFrame, geometries: list[object]
) -> pd.Series:
    """The identity of each valid row across its versions (``cells`` and ``typed`` aligned).

    Events, factions and places: their ``id``; control claims: ``place|valid_from|faction``
    (the claim's key in ``control.csv``); areas: a digest of faction, start and polygon.
    """
    if kind in ("events", "factions", "places"):
        return cells["id"].astype("str")
    if kind == "control":
        day = typed["valid_from"].dt.strftime("%Y-%m-%d").to_numpy()
        return pd.Series(
            [f"{p}|{d}|{f}" for p, d, f in zip(cells["place"], day, typed["faction"], strict=True)],
            dtype="str",
        )
    import shapely

    wkb = [b"" if g is None else shapely.to_wkb(g) for g in geometries]
    keys = [
        "area-" + hashlib.sha1(f"{f}|{d}|".encode() + w, usedforsecurity=False).hexdigest()[:12]
        for f, d, w in zip(cells["faction"], cells["valid_from"], wkb, strict=True)
    ]
    return pd.Series(keys, dtype="str")
