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
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataFileError
from geo.io._geojson import read_geojson_bytes
from geo.io.decode import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD_CHARS, decode_text, read_bytes
from geo.io.issues import FORMULA_PREFIXES, Issue, issue_order, issues_where, neutralise_formulas

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

_REPLACEMENT = "\ufffd"


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
