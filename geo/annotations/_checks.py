"""The shared column checks of the annotation validators: one :class:`ColumnChecker` per frame.

Each check flags the rows whose cell is bad (an :class:`~geo.io.tabular.Issue` showing the value)
and returns the parsed column; rows with an ``error`` are collected in ``bad``.

>>> import pandas as pd
>>> frame = pd.DataFrame({"row": [2, 3], "confidence": ["0.5", "high"]})
>>> check = ColumnChecker(frame, "events.csv")
>>> check.number("confidence", low=0, high=1).tolist()[0], [str(i) for i in check.issues]
(0.5, ["events.csv:3: confidence 'high' is not a number"])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from geo.annotations.factions import map_factions
from geo.io.tabular import Issue, issue_order, issues_where
from geo.schema import INFERENCE_MAX_CONFIDENCE, INFERENCE_PREFIX, inferred

__all__ = ["ColumnChecker", "issue_order", "map_unique"]


def map_unique(values: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """``values.map(mapping)`` computed once per distinct value (NaN where unmapped)."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([mapping.get(v) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


def _to_float(values: pd.Series) -> pd.Series:
    """Parse numbers (NaN where empty or not a number), once per distinct string."""
    codes, uniques = pd.factorize(values)
    parsed = pd.to_numeric(pd.Series(uniques, dtype="object"), errors="coerce")
    table = np.append(parsed.to_numpy(dtype="float64", na_value=np.nan), np.nan)
    return pd.Series(table[codes], index=values.index, dtype="float64")


class ColumnChecker:
    """Accumulates issues and the mask of rows with errors for one frame."""

    def __init__(self, frame: pd.DataFrame, name: str) -> None:
        self.frame = frame
        self.name = name
        self.issues: list[Issue] = []
        self.bad = pd.Series(False, index=frame.index)

    def flag(
        self,
        mask: pd.Series,
        reason: str,
        *,
        severity: Literal["error", "warning"] = "error",
        values: pd.Series | pd.DataFrame | None = None,
    ) -> None:
        mask = mask if mask.dtype == bool else mask.fillna(False).astype(bool)
        if not mask.any():  # the common case: nothing to report, nothing to mark
            return
        self.issues += issues_where(
            mask, reason, rows=self.frame["row"], file=self.name, severity=severity, values=values
        )
        if severity == "error":
            self.bad |= mask

    def valid_rows(self, out: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
        """The rows of ``out`` without errors (tagged with the file name) and sorted issues."""
        out = out[~self.bad].reset_index(drop=True)
        out.attrs["file"] = self.name
        return out, sorted(self.issues, key=issue_order)

    def required(self, columns: Sequence[str]) -> None:
        for col in columns:
            self.flag(self.frame[col] == "", f"{col} is empty")

    def date(self, col: str) -> pd.Series:
        s = self.frame[col]
        filled = s != ""
        parsed = pd.to_datetime(s.where(filled), format="%Y-%m-%d", errors="coerce")
        bad = filled & parsed.isna()
        shaped = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        self.flag(bad & shaped, f"impossible {col} {{v!r}} (no such day)", values=s)
        self.flag(bad & ~shaped, f"unparseable {col} {{v!r}} (expected YYYY-MM-DD)", values=s)
        return parsed.astype("datetime64[ns]")

    def number(self, col: str, *, low: float, high: float) -> pd.Series:
        s = self.frame[col]
        filled = s != ""
        value = _to_float(s.where(filled))
        finite = np.isfinite(value)
        self.flag(filled & ~finite, f"{col} {{v!r}} is not a number", values=s)
        out = finite & ((value < low) | (value > high))
        self.flag(out, f"{col} {{v}} is outside {low:g}..{high:g}", values=s)
        return value.where(finite)

    def choice(self, col: str, allowed: Sequence[str], *, default: str) -> pd.Series:
        s = self.frame[col].str.lower().replace("", default)
        self.flag(
            ~s.isin(allowed),
            f"{col} {{v!r}} is not one of {', '.join(allowed)}",
            values=self.frame[col],
        )
        return s

    def lat_lon(self) -> tuple[pd.Series, pd.Series]:
        """``lat``/``lon`` as floats; a pair whose swap is certain is swapped, with a warning.

        The swap is certain only when ``|lat| > 90`` and ``|lon| <= 90``: no point of the
        Earth has such a latitude, and swapped, the pair is valid. Any other pair is kept
        where it is, wherever in the world that is.
        """
        raw_lat = _to_float(self.frame["lat"].where(self.frame["lat"] != ""))
        raw_lon = _to_float(self.frame["lon"].where(self.frame["lon"] != ""))
        certain = (raw_lat.abs() > 90) & (raw_lat.abs() <= 180) & (raw_lon.abs() <= 90)
        self.flag(
            certain,
            "lat={lat}, lon={lon} are swapped (no latitude exceeds 90); read as "
            "lat={lon}, lon={lat}",
            severity="warning",
            values=self.frame[["lat", "lon"]],
        )
        frame = self.frame
        self.frame = frame.assign(
            lat=frame["lat"].where(~certain, frame["lon"]),
            lon=frame["lon"].where(~certain, frame["lat"]),
        )
        lat = self.number("lat", low=-90, high=90)
        lon = self.number("lon", low=-180, high=180)
        self.frame = frame
        self.flag(
            (self.frame["lat"] == "") != (self.frame["lon"] == ""),
            "give both lat and lon, or neither",
        )
        return lat, lon

    def faction(
        self, col: str, factions: pd.DataFrame, *, unknown: Literal["error", "warning", "keep"]
    ) -> pd.Series:
        """Faction ids for ``col``; ``unknown="keep"`` (imports) maps aliases and keeps the
        rest as raw text, silently (:func:`geo.annotations.actors.group_actors` reports them)."""
        s = self.frame[col]
        filled = s != ""
        mapped = map_factions(s, factions)
        if unknown == "keep":
            return mapped.where(mapped.notna(), s).astype("str")
        exact = s.isin(set(factions["id"]))
        alias = filled & ~exact & mapped.notna()
        self.flag(
            alias,
            f"{col} {{given!r}} is an alias of faction {{id!r}}; use the id",
            severity="warning",
            values=pd.DataFrame({"given": s, "id": mapped}),
        )
        missing = filled & mapped.isna()
        self.flag(
            missing,
            f"unknown {col} {{v!r}} (not an id, name or alias in factions.csv)",
            severity=unknown,
            values=s,
        )
        return mapped.where(mapped.notna(), s).astype("str")

    def url(self, col: str) -> None:
        """Refuse anything but an absolute http(s) URL with a host: no ``javascript:``, no
        spaces or quotes (the value becomes a link's ``href``)."""
        s = self.frame[col]
        self.flag(
            (s != "") & ~s.str.fullmatch(r"https?://[^\s/?#<>\"'`\\]+[^\s<>\"'`\\]*"),
            f"{col} {{v!r}} is not an http(s) URL",
            values=s,
        )

    def inference(self, confidence: pd.Series) -> None:
        """Warn where a row whose ``source`` says it is an inference claims more confidence
        than an inference may (:data:`geo.schema.INFERENCE_MAX_CONFIDENCE`)."""
        self.flag(
            inferred(self.frame["source"]) & (confidence > INFERENCE_MAX_CONFIDENCE),
            f"an inferred row (source starts with {INFERENCE_PREFIX!r}) has confidence "
            f"{{v}} above {INFERENCE_MAX_CONFIDENCE}",
            severity="warning",
            values=self.frame["confidence"],
        )

    def duplicates(self, keys: pd.Series, label: pd.Series, what: str) -> None:
        dup = keys.duplicated(keep="first") & keys.notna()
        if not dup.any():
            return
        first_row = self.frame["row"].groupby(keys).transform("first")
        values = pd.DataFrame({"label": label, "first": first_row})
        self.flag(dup, f"duplicate {what} {{label!r}} (first on row {{first}})", values=values)


# ---------------------------------------------------------------- events and control
