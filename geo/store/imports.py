"""Files to batches of checked cells: our ``data/`` layout, uploads, ACLED and UCDP exports.

A :class:`Batch` is one file's valid rows of one kind, with their ids, ready to be appended
as versions; its issues say what was left out (``file:row: reason``).

>>> batches, issues = read_folder(Path("data"), factions=None)
>>> [b.kind for b in batches]
['factions', 'places', 'events', 'control', 'areas']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.annotations import Issue, read_factions_file
from geo.annotations.importers import import_acled_bytes, import_ucdp_bytes
from geo.annotations.uploads import upload_kind
from geo.errors import DataFileError
from geo.io.tabular import read_bytes, read_csv_bytes
from geo.schema import CONTROL_REQUIRED, DATA_DIR, EVENT_REQUIRED
from geo.store.rows import FILE_NAMES, Unknown, as_cells, check_cells, row_ids
from geo.store.tables import DATA_COLUMNS

__all__ = ["Batch", "batch_of_frame", "read_folder"]

_SMALL_BATCH = 50  # rows checked as Python strings rather than Arrow strings
_MAX_FIELD_CHARS = 2000  # as load_annotations reads a data folder
_REQUIRED = {"events": EVENT_REQUIRED, "control": CONTROL_REQUIRED, "factions": ("id", "name")}


@dataclass(frozen=True)
class Batch:
    """Valid rows of one kind from one file: cells, ids, polygons (areas) and the file name."""

    kind: str
    cells: pd.DataFrame
    ids: pd.Series
    geometries: list[object] | None
    name: str


def batch_of_frame(
    kind: str,
    cells: pd.DataFrame,
    *,
    factions: pd.DataFrame,
    name: str,
    unknown: Unknown = "error",
    geometries: list[object] | None = None,
) -> tuple[Batch, list[Issue]]:
    """Check ``cells`` of ``kind`` and keep the valid rows as a :class:`Batch`.

    A few rows (an edit, a form) are checked as Python strings: Arrow's per-call overhead
    is most of a one-row check, and the batch keeps the cells themselves either way.
    """
    checked = cells
    if len(cells) <= _SMALL_BATCH:
        checked = cells.astype({c: object for c in cells.columns if c != "row"})
    keep, typed, issues = check_cells(
        kind, checked, factions=factions, name=name, unknown=unknown, geometries=geometries
    )
    valid = cells[keep].reset_index(drop=True)
    geoms = (
        [g for g, k in zip(geometries, keep, strict=True) if k] if geometries is not None else None
    )
    ids = row_ids(kind, valid, typed, geoms or [])
    dup = ids.duplicated(keep="first").to_numpy()
    issues += [
        Issue(name, int(r), f"{kind} row {i!r} appears twice; the first is kept")
        for r, i in zip(valid["row"][dup], ids[dup], strict=True)
    ]
    if dup.any():
        valid, ids = valid[~dup].reset_index(drop=True), ids[~dup].reset_index(drop=True)
        geoms = [g for g, d in zip(geoms, dup, strict=True) if not d] if geoms is not None else None
    return Batch(kind, valid, ids, geoms, name), issues


def _file_cells(kind: str, path: Path) -> tuple[pd.DataFrame, list[object] | None, list[Issue]]:
    data = read_bytes(path)
    if kind != "areas":
        cells, issues = read_csv_bytes(
            data,
            name=path.name,
            columns=DATA_COLUMNS[kind],
            required=_REQUIRED.get(kind, ()),
            max_field_chars=_MAX_FIELD_CHARS,
        )
        return cells, None, issues
    import shapely

    from geo.io.tabular import read_geojson_bytes

    cells, geometries, issues = read_geojson_bytes(data, name=path.name, columns=DATA_COLUMNS[kind])
    shapes: list[object] = []
    for g in geometries:
        try:
            shapes.append(None if not isinstance(g, dict) else shapely.from_geojson(json.dumps(g)))
        except (shapely.errors.GEOSException, ValueError, TypeError):
            shapes.append(None)
    return cells, shapes, issues


def _imported(path: Path, kind: str, factions: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    reader = import_acled_bytes if kind == "acled" else import_ucdp_bytes
    frame, issues = reader(read_bytes(path), name=path.name, factions=factions)
    return as_cells("events", frame), issues


def read_folder(path: Path, *, factions: pd.DataFrame | None) -> tuple[list[Batch], list[Issue]]:
    """Read a data folder (or one file) into batches; ``factions``: the store's, if any.

    Our files (``factions.csv``, ``places.csv``, ``events.csv``, ``control.csv``,
    ``control_areas.geojson``) are read by name; any other CSV or GeoJSON file is taken for
    what its header says (an ACLED or UCDP export, events, control, areas).

    Raises
    ------
    DataFileError
        If ``path`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: no such file or folder")
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    issues: list[Issue] = []
    batches: list[Batch] = []
    unknown: Unknown = "error"
    by_name = {p.name: p for p in files}
    if "factions.csv" in by_name:
        table, more = read_factions_file(by_name["factions.csv"])
        issues += more
        cells = as_cells("factions", table)
        batches.append(Batch("factions", cells, cells["id"], None, "factions.csv"))
        factions = table
    elif factions is None or not len(factions):
        table, _ = read_factions_file(DATA_DIR / "factions.csv")
        cells = as_cells("factions", table)
        batches.append(Batch("factions", cells, cells["id"], None, "factions.csv"))
        factions, unknown = table, "keep"
    else:
        unknown = "keep"
    for kind in ("places", "events", "control", "areas"):
        file = by_name.get(FILE_NAMES[kind])
        if file is None:
            continue
        cells, geometries, more = _file_cells(kind, file)
        batch, found = batch_of_frame(
            kind, cells, factions=factions, name=file.name, unknown=unknown, geometries=geometries
        )
        batches.append(batch)
        issues += more + found
    ours = set(FILE_NAMES.values())
    for file in files:
        if file.name in ours or file.suffix.lower() not in (".csv", ".geojson", ".json"):
            continue
        try:
            head = read_bytes(file)
        except DataFileError as err:
            issues.append(Issue(file.name, None, str(err)))
            continue
        kind = upload_kind(file.name, head)
        if kind in ("acled", "ucdp"):
            cells, more = _imported(file, kind, factions)
            batch, found = batch_of_frame(
                "events", cells, factions=factions, name=file.name, unknown="keep"
            )
        elif kind in ("events", "control", "areas"):
            cells, geometries, more = _file_cells(kind, file)
            batch, found = batch_of_frame(
                kind,
                cells,
                factions=factions,
                name=file.name,
                unknown="warning",
                geometries=geometries,
            )
        else:
            issues.append(
                Issue(
                    file.name,
                    None,
                    "not an events, control, areas, ACLED or UCDP file; skipped",
                    "warning",
                )
            )
            continue
        batches.append(batch)
        issues += more + found
    return batches, issues
