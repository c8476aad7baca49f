"""The dashboard (AppTest) on data folders of other regions and periods, made by ``geo import``:
a Sahel ACLED export with an ``atlas.toml``, a Ukraine ACLED export, a UCDP GED file of
1989-2024 on every continent, and a folder with nothing in it. Expected values come from the
files themselves and from an independent geodesic computation, never typed in."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from geo.synth.layouts import synthetic_acled, synthetic_ucdp_ged

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


def _import(kind: str, raw: pd.DataFrame, folder: Path) -> Path:
    folder.mkdir(parents=True)
    source = folder.parent / f"{folder.name}-source.csv"
    raw.to_csv(source, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "import", kind, str(source), "--out",
         str(folder / "events.csv")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("regions")
    sahel = _import(
        "acled", synthetic_acled(600, region="sahel", seed=11, start="2012-01-01"), root / "sahel"
    )
    (sahel / "atlas.toml").write_text(
        'title = "Sahel monitor"\n'
        'description = "Political violence in Mali, Burkina Faso and Niger."\n'
        'borders = [["ML", "BF"]]\n'
        'default_date = "2020-06-30"\n',
        encoding="utf-8",
    )
    ukraine = _import("acled", synthetic_acled(800, region="ukraine", seed=12), root / "ukraine")
    ucdp = _import("ucdp", synthetic_ucdp_ged(1_200, seed=13), root / "ucdp")
    (ucdp / "factions.csv").unlink()  # events.csv alone
    empty = root / "empty"
    empty.mkdir()
    return {"sahel": sahel, "ukraine": ukraine, "ucdp": ucdp, "empty": empty}


def _run(monkeypatch: pytest.MonkeyPatch, folder: Path) -> AppTest:
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(folder))
    monkeypatch.delenv("FRONTLINE_EVENTS_PARQUET", raising=False)
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _bounds(slider: object) -> tuple[dt.date, dt.date]:
    """A date slider's min and max (AppTest gives microseconds since 1970-01-01)."""
    epoch = dt.datetime(1970, 1, 1)
    return tuple(
        (epoch + dt.timedelta(microseconds=v)).date() if isinstance(v, float | int) else v
        for v in (slider.min, slider.max)
    )  # type: ignore[return-value]


def _events_shown(app: AppTest) -> int:
    (metric,) = [m for m in app.metric if m.label == "Events"]
    return int(str(metric.value).replace(",", ""))


def _dates(folder: Path) -> tuple[dt.date, dt.date]:
    events = pd.read_csv(folder / "events.csv", dtype="str", keep_default_na=False)
    days = pd.to_datetime(events["date"])
    ends = pd.to_datetime(events["end_date"].replace("", None)).dropna()
    return days.min().date(), max(days.max(), ends.max() if len(ends) else days.max()).date()


def test_a_sahel_folder_opens_with_its_title_range_default_date_and_every_event(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["sahel"])
    assert app.title[0].value == "Sahel monitor"
    assert "Mali, Burkina Faso and Niger" in app.caption[0].value
    first, last = _dates(folders["sahel"])
    slider = app.sidebar.slider(key="map_date")
    assert _bounds(slider) == (first, last)
    assert slider.value == dt.date(2020, 6, 30)
    assert app.sidebar.selectbox(key="step").value == "year"  # 13 years of data
    assert _events_shown(app) == 600
    assert app.sidebar.multiselect(key="borders").value == ["BF–ML"]
    assert any("No control data" in i.value for i in app.info)
    assert not app.error


def test_stepping_a_decade_long_map_date_moves_by_the_chosen_period(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["sahel"])
    app.sidebar.button(key="step_forward").click().run()
    assert app.sidebar.slider(key="map_date").value == dt.date(2021, 6, 30)
    app.sidebar.selectbox(key="step").set_value("month").run()
    app.sidebar.button(key="step_back").click().run()
    assert app.sidebar.slider(key="map_date").value == dt.date(2021, 5, 30)


def test_a_year_range_sets_the_event_window(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["sahel"])
    app.sidebar.slider(key="window_years").set_value((2015, 2016)).run()
    assert app.sidebar.slider(key="window").value == (dt.date(2015, 1, 1), dt.date(2016, 12, 31))
    events = pd.read_csv(folders["sahel"] / "events.csv", dtype="str", keep_default_na=False)
    expected = int(events["date"].str.slice(0, 4).isin(["2015", "2016"]).sum())
    assert _events_shown(app) == expected


def test_a_link_reopens_the_same_step_year_range_and_border_filter(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["sahel"])
    app.sidebar.selectbox(key="step").set_value("month").run()
    app.sidebar.slider(key="window_years").set_value((2015, 2016)).run()
    assert "Mali – Niger" in app.sidebar.multiselect(key="borders").options
    chosen = ["BF–ML", "ML–NE"]
    app.sidebar.multiselect(key="borders").set_value(chosen)
    app.sidebar.checkbox(key="near_border").check().run()
    app.sidebar.number_input(key="border_km").set_value(40).run()
    assert not app.exception
    link = {key: app.query_params[key] for key in app.query_params}
    assert link["step"] in ("month", ["month"]) and link["years"] in ("2015-2016", ["2015-2016"])
    assert "start" not in link and "end" not in link
    assert link["border"] == ["BF-ML", "ML-NE"] and link["border_km"] in ("40", ["40"])
    shown = _events_shown(app)

    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(folders["sahel"]))
    reopened = AppTest.from_file(APP, default_timeout=180)
    reopened.query_params.update(link)
    reopened.run()
    assert not reopened.exception and not reopened.warning
    side = reopened.sidebar
    assert side.selectbox(key="step").value == "month"
    assert side.slider(key="window").value == (dt.date(2015, 1, 1), dt.date(2016, 12, 31))
    assert side.slider(key="window_years").value == (2015, 2016)
    assert sorted(side.multiselect(key="borders").value) == sorted(chosen)
    assert side.checkbox(key="near_border").value and side.number_input(key="border_km").value == 40
    assert _events_shown(reopened) == shown


def test_a_link_keeps_every_border_chosen_where_atlas_toml_names_only_one(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["sahel"])
    assert "border" not in app.query_params  # the default (atlas.toml's BF–ML) needs no key
    every = ["BF–ML", "BF–NE", "ML–NE"]
    app.sidebar.multiselect(key="borders").set_value(every).run()
    link = {key: app.query_params[key] for key in app.query_params}
    assert sorted(link["border"]) == ["BF-ML", "BF-NE", "ML-NE"]
    reopened = AppTest.from_file(APP, default_timeout=180)
    reopened.query_params.update(link)
    reopened.run()
    assert sorted(reopened.sidebar.multiselect(key="borders").value) == every


def _border_km(lat: np.ndarray, lon: np.ndarray, pair: tuple[str, str]) -> np.ndarray:
    """Independent check: geodesic km to the nearest vertex of a densified border line."""
    import shapely

    from geo.borders import country_shapes

    shapes = country_shapes(list(pair)).set_index("iso2")["geometry"]
    line = shapely.intersection(shapes[pair[0]].boundary, shapes[pair[1]].boundary)
    coords = shapely.get_coordinates(shapely.segmentize(line, 0.005))  # (lon, lat)
    geod = Geod(ellps="WGS84")
    out = np.empty(len(lat))
    for i in range(len(lat)):  # a test's few hundred points, not a production path
        _, _, dist = geod.inv(np.full(len(coords), lon[i]), np.full(len(coords), lat[i]),
                              coords[:, 0], coords[:, 1])  # fmt: skip
        out[i] = dist.min() / 1000
    return out


def test_the_border_filter_keeps_what_is_near_the_russia_ukraine_border(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["ukraine"])
    assert "Russia – Ukraine" in app.sidebar.multiselect(key="borders").options
    app.sidebar.multiselect(key="borders").set_value(["RU–UA"])
    app.sidebar.checkbox(key="near_border").check().run()
    app.sidebar.number_input(key="border_km").set_value(30).run()
    assert not app.exception
    events = pd.read_csv(folders["ukraine"] / "events.csv", dtype="str", keep_default_na=False)
    km = _border_km(events["lat"].astype(float).to_numpy(), events["lon"].astype(float).to_numpy(),
                    ("RU", "UA"))  # fmt: skip
    sure_in, sure_out = int((km <= 29.5).sum()), int((km > 30.5).sum())
    shown = _events_shown(app)
    assert 0 < sure_in <= shown <= len(events) - sure_out < len(events)


def test_a_lone_ucdp_events_csv_shows_every_continent_and_35_years(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["ucdp"])
    assert _events_shown(app) == 1_200
    first, last = _dates(folders["ucdp"])
    slider = app.sidebar.slider(key="map_date")
    low, high = _bounds(slider)
    assert (low, high) == (first, last) and (low.year, high.year) == (1989, 2024)
    countries = set(app.sidebar.multiselect(key="countries").options)
    assert {"UA", "BA", "CD", "CO", "SY", "PH"} <= countries
    factions = app.sidebar.multiselect(key="factions").options
    assert len(factions) >= 5
    notes = [c.value.replace("\\", "") for c in app.caption]
    assert any("factions.csv" in n and "bundled factions are used" in n for n in notes), notes
    assert not app.error


def test_an_empty_folder_says_what_is_missing_instead_of_an_empty_map(
    monkeypatch: pytest.MonkeyPatch, folders: dict[str, Path]
) -> None:
    app = _run(monkeypatch, folders["empty"])
    (error,) = app.error
    text = error.value.replace("\\", "")
    assert "Nothing to show" in text and "events.csv: cannot read file" in text


def test_an_uploaded_sahel_export_adds_its_events_countries_and_grouped_factions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    monkeypatch.delenv("FRONTLINE_DATA_DIR", raising=False)
    monkeypatch.delenv("FRONTLINE_EVENTS_PARQUET", raising=False)
    app = AppTest.from_file(APP, default_timeout=180)
    app.run()
    before = _events_shown(app)
    export = synthetic_acled(120, region="sahel", seed=4, start="2024-11-28", end="2024-12-14")
    (uploader,) = app.get("file_uploader")
    uploader.set_value(("sahel.csv", export.to_csv(index=False).encode(), "text/csv"))
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert _events_shown(app) == before, "uploaded rows are drafts, off the map until reviewed"
    app.sidebar.toggle(key="show_drafts").set_value(True)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert _events_shown(app) == before + len(export)
    assert {"ML", "BF", "NE"} <= set(app.sidebar.multiselect(key="countries").value)
    assert "a-wagner-group" in app.sidebar.multiselect(key="factions").value
