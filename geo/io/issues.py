"""Problems found in input files: the :class:`Issue` record and the vectorised helpers that
make them (one per flagged row, the bad value in the reason), plus the spreadsheet-formula guard.

>>> import pandas as pd
>>> frame = pd.DataFrame({"row": [2, 3], "note": ["ok", "=cmd()"]})
>>> out, found = neutralise_formulas(frame, ["note"], name="c.csv")
>>> out["note"].tolist(), found[0].row
(['ok', "'=cmd()"], 3)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "Issue", "issue_order", "issues_where", "neutralise_formulas"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheet programs."""

_FORMULA_START = "[" + re.escape("".join(FORMULA_PREFIXES)) + "]"


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
