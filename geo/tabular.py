"""Robust reading of untrusted CSV: encodings, BOM, binary, size limits, per-row issues.

Everything here turns bytes into a frame of strings plus a list of :class:`Issue` records;
it never raises on bad content (only on a missing file). Rows that cannot be read are
reported with the line number a spreadsheet user sees (the header is row 1) and left out;
every other row is returned, with its row number in the ``row`` column.

>>> frame, issues = read_csv_bytes(b"a,b\\n1,2\\n3\\n", name="t.csv", columns=("a", "b"))
>>> frame[["row", "a", "b"]].values.tolist()
[[2, '1', '2']]
>>> [str(i) for i in issues]
['t.csv:3: 1 field(s), expected 2 (a,b)']
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from geo.errors import DataFileError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_FIELD_CHARS",
    "FORMULA_PREFIXES",
    "Issue",
    "decode_text",
    "issue_order",
    "issues_where",
    "neutralise_formulas",
    "read_bytes",
    "read_csv_bytes",
    "read_csv_file",
    "read_geojson_bytes",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 512 * 2**20
"""Largest file read (bytes); larger files are refused with a file-level issue."""

DEFAULT_MAX_FIELD_CHARS = 2000
"""Longest cell accepted (characters); rows with a longer cell are reported and left out."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheet programs."""

_REPLACEMENT = "\ufffd"
_FORMULA_START = "[" + re.escape("".join(FORMULA_PREFIXES)) + "]"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Issue:
    """One problem found in an input file.

    Parameters
    ----------
    file : str
        File name as the user knows it.
    row : int or None
        Row as a spreadsheet shows it (header = 1; GeoJSON: feature number from 1);
        ``None`` for a problem with the whole file.
    reason : str
        What is wrong, showing the bad value.
    severity : {"error", "warning"}
        Errors keep the row out of the tables; warnings do not.

    Examples
    --------
    >>> str(Issue("events.csv", 7, "impossible date '2024-02-30'"))
    "events.csv:7: impossible date '2024-02-30'"
    >>> str(Issue("events.csv", None, "empty file"))
    'events.csv: empty file'
    """

    file: str
    row: int | None
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return f"{where}: {self.reason}"


def issues_where(
    mask: pd.Series,
    reason: str,
    *,
    rows: pd.Series,
    file: str,
    severity: Literal["error", "warning"] = "error",
    values: pd.Series | pd.DataFrame | None = None,
) -> list[Issue]:
    """Return one :class:`Issue` per ``True`` in ``mask``; only the flagged rows are visited.

    ``reason`` is a :meth:`str.format` template: with a Series of ``values`` it gets ``v``;
    with a DataFrame, each column by name.

    >>> m = pd.Series([False, True]); r = pd.Series([2, 3]); v = pd.Series(["a", "b"])
    >>> [str(i) for i in issues_where(m, "bad {v!r}", rows=r, file="f.csv", values=v)]
    ["f.csv:3: bad 'b'"]
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    bad_rows = rows[mask].tolist()
    if values is None:
        texts = [reason] * len(bad_rows)
    elif isinstance(values, pd.DataFrame):
        texts = [reason.format(**rec) for rec in values[mask].to_dict("records")]
    else:
        texts = [reason.format(v=v) for v in values[mask].tolist()]
    return [Issue(file, int(r), t, severity) for r, t in zip(bad_rows, texts, strict=True)]


def read_bytes(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing files larger than ``max_bytes``.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or too large.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataFileError(
                f"{path.name}: file is {size} bytes, larger than the {max_bytes}-byte limit"
            )
        return path.read_bytes()
    except OSError as err:
        raise DataFileError(f"{path}: cannot read file ({err.strerror or err})") from err


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, *, name: str) -> tuple[str | None, list[Issue]]:
    """Decode file bytes as UTF-8 (with or without BOM); detect binary files.

    Text that is not UTF-8 (typically Windows-1252 or Windows-1256 from Excel) is *not*
    guessed: undecodable bytes become U+FFFD, a file-level warning names the first bad byte
    and its line, and :func:`read_csv_bytes` leaves out (and reports) each row that holds one.
    Binary data (NUL bytes or many control characters) returns ``None`` and an error.

    >>> decode_text("é".encode("utf-8-sig"), name="x.csv")
    ('é', [])
    >>> text, issues = decode_text("Homs,é".encode("cp1252"), name="x.csv")
    >>> print(issues[0])
    x.csv: not UTF-8: byte 0xe9 on line 1 (Windows-1252 or Windows-1256/Arabic?); re-save the file as UTF-8 — rows with undecodable bytes are left out
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, [Issue(name, None, f"binary file, not text (NUL byte at offset {nul})")]
    issues: list[Issue] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        issues.append(
            Issue(
                name,
                None,
                f"not UTF-8: byte 0x{bad:02x} on line {_line_of(data, err.start)} "
                "(Windows-1252 or Windows-1256/Arabic?); re-save the file as UTF-8 — "
                "rows with undecodable bytes are left out",
                "warning",
            )
        )
        text = data.decode("utf-8-sig", errors="replace")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        return None, [Issue(name, None, "binary file, not text (many control characters)")]
    return text, issues


def _records_slow(text: str, *, name: str) -> tuple[list[list[str]], list[Issue]]:
    """Split CSV text with the csv module; a csv error stops at the record where it happened."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        records.extend(reader)
    except csv.Error as err:
        reason = f"cannot parse CSV here ({err}); the rest of the file is left out"
        return records, [Issue(name, len(records) + 1, reason)]
    finally:
        csv.field_size_limit(old_limit)
    return records, []


def _split_slow(text: str, *, name: str) -> tuple[list[str], pd.DataFrame, list[Issue]]:
    records, issues = _records_slow(text, name=name)
    header = records[0] if records else []
    body = records[1:]
    ncols = len(header)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    rows = np.arange(2, len(body) + 2, dtype=np.int64)
    wrong = (lengths != ncols) & (lengths != 0)
    for row, n in zip(rows[wrong].tolist(), lengths[wrong].tolist(), strict=True):
        issues.append(Issue(name, row, f"{n} field(s), expected {ncols} ({','.join(header)})"))
    ok = lengths == ncols
    frame = pd.DataFrame(list(itertools.compress(body, ok)), columns=range(ncols), dtype="str")
    frame.insert(0, "row", rows[ok])
    return header, frame, issues


def _split_fast(
    text: str, *, name: str, utf8: bytes | None = None
) -> tuple[list[str], pd.DataFrame, list[Issue]] | None:
    """Split CSV text with pyarrow's parser; ``None`` when the slow path must decide."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        header = next(csv.reader(io.StringIO(text[:1_000_000], newline="")), [])
    except csv.Error:
        return None
    if not header:
        return None
    names = [f"f{i}" for i in range(len(header))]
    invalid: list[tuple[int | None, int]] = []

    def skip(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8") if utf8 is None else utf8),
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=False, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=skip
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if any(number is None for number, _ in invalid):
        return None
    keep = np.ones(table.num_rows + len(invalid), dtype=bool)
    bad = np.array([number for number, _ in invalid], dtype=np.int64) - 1
    if len(bad) and (bad.min() < 0 or bad.max() >= len(keep)):
        return None
    keep[bad] = False
    numbers = np.flatnonzero(keep) + 1
    if len(numbers) != table.num_rows or not len(numbers) or numbers[0] != 1:
        return None
    import pyarrow.compute as pac

    frame = pd.DataFrame(
        {
            i: pd.Series(pac.utf8_trim_whitespace(table.column(i)), dtype="str")
            for i in range(len(names))
        }
    ).iloc[1:]
    frame.insert(0, "row", numbers[1:])
    issues = [
        Issue(name, int(number), f"{n} field(s), expected {len(header)} ({','.join(header)})")
        for number, n in sorted(invalid)
        if n != 0
    ]
    return header, frame.reset_index(drop=True), issues


def read_csv_bytes(
    data: bytes,
    *,
    name: str,
    columns: Sequence[str],
    required: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse untrusted CSV bytes into a frame of stripped strings with a ``row`` column.

    Parameters
    ----------
    data : bytes
        The file content.
    name : str
        File name used in issues.
    columns : sequence of str
        Every known column (header names are matched case-insensitively after stripping).
        Known columns missing from the file are added empty; unknown ones are reported and
        ignored.
    required : sequence of str
        Columns that must be in the header; without one, no row is loaded.
    max_bytes, max_field_chars : int
        Size limits; a file over ``max_bytes`` loads nothing, a row with a longer cell is
        reported and left out.

    Returns
    -------
    frame : DataFrame
        ``row`` (int, spreadsheet row) followed by ``columns`` as strings (never NaN).
    issues : list of Issue

    Examples
    --------
    >>> f, i = read_csv_bytes(b"\\xef\\xbb\\xbfPlace , x\\nHoms,1\\n", name="c.csv", columns=["place"])
    >>> f.to_dict("records"), [str(x) for x in i]
    ([{'row': 2, 'place': 'Homs'}], ["c.csv:1: unknown column 'x' ignored"])
    """
    columns = list(columns)
    empty = pd.DataFrame(
        {"row": pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in columns}}
    )
    if len(data) > max_bytes:
        return empty, [
            Issue(name, None, f"file is {len(data)} bytes, larger than the {max_bytes}-byte limit")
        ]
    text, issues = decode_text(data, name=name)
    if text is None:
        return empty, issues
    if not text.strip():
        return empty, [*issues, Issue(name, None, "empty file (no header row)")]
    clean = not issues  # valid UTF-8: hand the bytes (minus a BOM) to the parser as they are
    utf8 = data.removeprefix(b"\xef\xbb\xbf") if clean else None
    fast = _split_fast(text, name=name, utf8=utf8)
    stripped = fast is not None  # the fast path trims cells while still in Arrow
    raw_header, body, split_issues = fast or _split_slow(text, name=name)
    issues.extend(split_issues)
    header = [h.strip().lower() for h in raw_header]
    if not any(header):
        return empty, [*issues, Issue(name, 1, "empty header row")]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        reason = f"duplicate column(s) {', '.join(map(repr, dupes))}; the file is not loaded"
        return empty, [*issues, Issue(name, 1, reason)]
    missing = [c for c in required if c not in header]
    if missing:
        reason = (
            f"missing required column(s) {', '.join(map(repr, missing))} "
            f"(header is {','.join(header)!r}); the file is not loaded"
        )
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            reason += " — it looks semicolon- or tab-separated; save it as comma-separated CSV"
        return empty, [*issues, Issue(name, 1, reason)]
    issues.extend(
        Issue(name, 1, f"unknown column {h!r} ignored", "warning")
        for h in header
        if h and h not in columns
    )
    if body.empty and not issues:
        return empty, [Issue(name, None, "no data rows (header only)", "warning")]
    body.columns = ["row", *header]
    kept = [c for c in header if c in columns]
    frame = body[["row", *kept]]
    frame = frame.assign(**{col: frame[col].str.strip() for col in kept if not stripped})
    all_empty = pd.Series(True, index=body.index)
    for col in header:
        all_empty &= (body[col] if stripped else body[col].str.strip()) == ""
    frame = frame[~all_empty]
    bad = pd.Series(False, index=frame.index)
    for col in kept:
        s = frame[col]
        long_mask = s.str.len() > max_field_chars
        reason = f"column {col!r} is longer than {max_field_chars} characters (unbalanced quote?)"
        issues.extend(issues_where(long_mask, reason, rows=frame["row"], file=name))
        undecodable = s.str.contains(_REPLACEMENT, regex=False) & ~long_mask
        issues.extend(
            issues_where(
                undecodable,
                f"column {col!r} holds undecodable bytes: {{v!r}}",
                rows=frame["row"],
                file=name,
                values=s.str.slice(0, 40),
            )
        )
        bad |= long_mask | undecodable
    frame = frame[~bad]
    for col in columns:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[["row", *columns]].astype({"row": "int64"}).reset_index(drop=True)
    return frame, sorted(issues, key=issue_order)


def read_csv_file(
    path: Path | str,
    *,
    columns: Sequence[str],
    required: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a CSV file with :func:`read_csv_bytes`; a missing file is a file-level issue.

    >>> f, i = read_csv_file("/nonexistent/events.csv", columns=["id"])
    >>> len(f), i[0].row, i[0].file
    (0, None, 'events.csv')
    """
    path = Path(path)
    try:
        data = read_bytes(path, max_bytes=max_bytes)
    except DataFileError as err:
        empty, _ = read_csv_bytes(b"", name=path.name, columns=columns)
        reason = str(err).removeprefix(f"{path.name}: ").removeprefix(f"{path}: ")
        return empty, [Issue(path.name, None, reason)]
    return read_csv_bytes(
        data,
        name=path.name,
        columns=columns,
        required=required,
        max_bytes=max_bytes,
        max_field_chars=max_field_chars,
    )


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


def neutralise_formulas(
    frame: pd.DataFrame, columns: Sequence[str], *, name: str
) -> tuple[pd.DataFrame, list[Issue]]:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``; warn per cell.

    >>> f = pd.DataFrame({"row": [2], "note": ["=HYPERLINK(1)"]})
    >>> out, issues = neutralise_formulas(f, ["note"], name="c.csv")
    >>> out["note"].tolist(), issues[0].severity
    (["'=HYPERLINK(1)"], 'warning')
    """
    out = frame.copy()
    issues: list[Issue] = []
    for col in columns:
        s = out[col]
        mask = s.str.match(_FORMULA_START)
        if not mask.any():
            continue
        reason = f"column {col!r} starts like a spreadsheet formula ({{v!r}}); neutralised with a leading '"
        issues.extend(
            issues_where(
                mask,
                reason,
                rows=out["row"],
                file=name,
                severity="warning",
                values=s.str.slice(0, 40),
            )
        )
        out.loc[mask, col] = "'" + s[mask]
    return out, issues


def issue_order(issue: Issue) -> tuple[str, int]:
    """Sort key of issues: by file, file-level issues (no row) first, then by row.

    >>> sorted([Issue("a.csv", 3, "x"), Issue("a.csv", None, "y")], key=issue_order)[0].row is None
    True
    """
    return issue.file, -1 if issue.row is None else issue.row
