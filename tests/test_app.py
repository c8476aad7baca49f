"""The dashboard through Streamlit's AppTest: filters, the URL, downloads and uploads.

AppTest runs ``streamlit_app.py`` in-process on the bundled data (it cannot see inside the
``st_folium`` iframe; the browser tests do that). Expected values are derived from the app's own
downloads and from the data, never typed in.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def _module_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One annotation store for this file's tests (seeded from data/ on first use).

    What a test stores is a draft with ids of its own: other tests' maps (reviewed rows)
    never show it.
    """
    return str(tmp_path_factory.mktemp("store") / "store.sqlite")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, _module_store: str) -> None:
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    monkeypatch.setenv("FRONTLINE_DB", _module_store)
    monkeypatch.delenv("FRONTLINE_EVENTS_PARQUET", raising=False)
    monkeypatch.delenv("FRONTLINE_DATA_DIR", raising=False)


def run_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if query:
        app.query_params.update(query)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def rerun(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def events_shown(app: AppTest) -> int:
    (metric,) = [m for m in app.metric if m.label == "Events"]
    return int(str(metric.value).replace(",", ""))


def show_drafts(app: AppTest, on: bool = True) -> AppTest:
    """Switch "Show drafts" (the store's rows not yet reviewed join this session's map)."""
    app.sidebar.toggle(key="show_drafts").set_value(on)
    return rerun(app)


def downloaded_csv(app: AppTest) -> pd.DataFrame:
    """The bytes the "Events (CSV)" button serves (the same deferred callable), as a frame."""
    button = app.get("download_button")
    assert any(b.proto.label == "Events (CSV)" and b.proto.deferred_file_id for b in button)
    data = app.session_state["downloads"]["csv"]()
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def shown_text(element) -> str:
    """What a markdown element displays: its source without the escaping backslashes."""
    return re.sub(r"\\(.)", r"\1", element.value)


def table_with(app: AppTest, *columns: str) -> pd.DataFrame:
    """The one table shown whose columns start with ``columns`` (AppTest drops dataframe keys)."""
    (frame,) = [d.value for d in app.dataframe if tuple(d.value.columns[: len(columns)]) == columns]
    return frame


def widget(app: AppTest, kind: str, key: str):
    return getattr(app.sidebar, kind)(key=key)


@pytest.fixture(scope="module")
def first_view() -> AppTest:
    return run_app()


def test_the_dashboard_opens_on_the_bundled_data_with_events_and_area_figures(first_view):
    assert events_shown(first_view) > 0
    labels = [m.label for m in first_view.metric]
    assert "Places changed hands" in labels
    assert len(labels) > 2, "area per faction is missing from the key figures"


def test_the_events_metric_counts_exactly_the_rows_of_the_csv_download(first_view):
    assert len(downloaded_csv(first_view)) == events_shown(first_view)


def test_choosing_one_faction_shows_only_its_events_and_fewer_of_them():
    app = run_app()
    total = events_shown(app)
    factions = widget(app, "multiselect", "factions")
    faction_id = downloaded_csv(app)["faction"].value_counts().index[0]  # the busiest
    assert faction_id in factions.value
    factions.set_value([faction_id])
    rerun(app)
    shown = downloaded_csv(app)
    assert 0 < events_shown(app) < total
    assert len(shown) == events_shown(app)
    assert ((shown["faction"] == faction_id) | (shown.get("faction2") == faction_id)).all()


def test_narrowing_the_event_window_keeps_only_events_inside_it():
    app = run_app()
    total = events_shown(app)
    window = widget(app, "slider", "window")
    first, last = window.value
    middle = first + (last - first) / 2
    window.set_value((first, middle))
    rerun(app)
    dates = pd.to_datetime(downloaded_csv(app)["date"]).dt.date
    assert events_shown(app) < total
    assert dates.max() <= middle


def test_an_event_type_filter_shows_only_that_type():
    app = run_app()
    total = events_shown(app)
    types = widget(app, "multiselect", "event_types")
    chosen = types.options[0]
    types.set_value([chosen])
    rerun(app)
    shown = downloaded_csv(app)
    assert events_shown(app) < total
    assert set(shown["event_type"]) == {chosen}


def test_a_country_filter_shows_only_that_country():
    app = run_app()
    total = events_shown(app)
    countries = widget(app, "multiselect", "countries")
    if len(countries.options) < 2:
        pytest.fail(f"the bundled events should span Syria and Iraq, got {countries.options}")
    chosen = countries.options[-1]
    countries.set_value([chosen])
    rerun(app)
    assert 0 < events_shown(app) < total
    assert set(downloaded_csv(app)["country"]) == {chosen}


def test_free_text_search_narrows_to_matching_events():
    app = run_app()
    total = events_shown(app)
    place = downloaded_csv(app)["place"].value_counts().index[0]
    widget(app, "text_input", "text").set_value(place)
    rerun(app)
    shown = downloaded_csv(app)
    assert 0 < events_shown(app) < total
    haystack = shown[["place", "description", "source"]].agg(" ".join, axis=1).str.casefold()
    assert haystack.str.contains(place.casefold(), regex=False).all()


def test_the_border_filter_keeps_fewer_events_and_more_with_a_wider_band():
    app = run_app()
    total = events_shown(app)
    widget(app, "checkbox", "near_border").check()
    rerun(app)  # the distance field is enabled once the box is ticked
    widget(app, "number_input", "border_km").set_value(25)
    rerun(app)
    narrow = events_shown(app)
    widget(app, "number_input", "border_km").set_value(150)
    rerun(app)
    wide = events_shown(app)
    assert narrow < total
    assert narrow <= wide <= total


def test_nothing_selected_shows_no_events_and_no_exception():
    app = run_app()
    all_factions = widget(app, "multiselect", "factions").value
    widget(app, "multiselect", "factions").set_value([])
    rerun(app)
    assert events_shown(app) == 0
    assert len(downloaded_csv(app)) == 0
    widget(app, "multiselect", "factions").set_value(all_factions)
    widget(app, "multiselect", "event_types").set_value([])
    widget(app, "multiselect", "countries").set_value([])
    rerun(app)
    assert events_shown(app) == 0


def test_an_empty_window_and_the_first_day_as_map_date_raise_nothing():
    app = run_app()
    window = widget(app, "slider", "window")
    first, _ = window.value
    window.set_value((first, first))
    widget(app, "slider", "map_date").set_value(first)  # the window starts on the first day
    rerun(app)
    dates = pd.to_datetime(downloaded_csv(app)["date"]).dt.date
    assert (dates == first).all()


def test_step_buttons_move_the_map_date_by_one_day():
    app = run_app()
    date = widget(app, "slider", "map_date")
    start = date.value
    app.sidebar.button(key="step_back").click()
    rerun(app)
    assert widget(app, "slider", "map_date").value == start - dt.timedelta(days=1)
    app.sidebar.button(key="step_forward").click()
    rerun(app)
    assert widget(app, "slider", "map_date").value == start


def test_play_steps_the_map_date_to_the_last_day_and_stops_there():
    app = run_app()
    date = widget(app, "slider", "map_date")
    last = date.value  # the dashboard opens on the last day
    date.set_value(last - dt.timedelta(days=1))
    rerun(app)
    app.sidebar.button(key="play").click()
    rerun(app)
    assert widget(app, "slider", "map_date").value == last
    assert app.session_state["playing"] is False
    assert app.sidebar.button(key="play").label == "▶ Play"


def test_the_query_parameters_restore_a_shared_view():
    probe = run_app()
    factions = widget(probe, "multiselect", "factions").value[:2]  # ids, all selected at first
    window = widget(probe, "slider", "window").value
    start = window[0] + dt.timedelta(days=2)
    end = window[1] - dt.timedelta(days=2)
    query = {
        "date": "2024-12-03",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "faction": ",".join(factions),
    }
    app = run_app(query)
    assert widget(app, "slider", "map_date").value == dt.date(2024, 12, 3)
    assert widget(app, "slider", "window").value == (start, end)
    assert widget(app, "multiselect", "factions").value == list(factions)
    shown = downloaded_csv(app)
    assert len(shown) == events_shown(app)
    assert pd.to_datetime(shown["date"]).dt.date.between(start, end).all()


def test_repeated_faction_parameters_work_like_comma_separated_ones():
    probe = run_app()
    factions = widget(probe, "multiselect", "factions").value[:2]
    repeated = run_app({"faction": list(factions)})
    commas = run_app({"faction": ",".join(factions)})
    assert widget(repeated, "multiselect", "factions").value == list(factions)
    assert events_shown(repeated) == events_shown(commas)


def test_changing_a_filter_writes_the_view_into_the_url():
    app = run_app()
    factions = widget(app, "multiselect", "factions")
    chosen = factions.value[:1]
    factions.set_value(chosen)
    types = widget(app, "multiselect", "event_types")
    types.set_value(types.options[:1])
    rerun(app)
    assert app.query_params["faction"] in (chosen[0], chosen)
    assert app.query_params["event_type"] in (types.options[0], types.options[:1])
    assert (
        dt.date.fromisoformat(app.query_params["date"]) == widget(app, "slider", "map_date").value
    )


def test_garbage_in_the_url_is_reported_and_the_default_view_is_shown(first_view):
    app = run_app({"date": "not-a-date", "faction": "martians", "start": "2099-01-01"})
    messages = " ".join(shown_text(w) for w in app.warning)
    assert "'not-a-date'" in messages
    assert "'martians'" in messages
    assert events_shown(app) <= events_shown(first_view)
    assert (
        widget(app, "multiselect", "factions").value
        == widget(first_view, "multiselect", "factions").value
    )


def test_the_geojson_download_holds_the_same_rows_as_the_csv():
    app = run_app()
    types = widget(app, "multiselect", "event_types")
    types.set_value(types.options[:1])
    rerun(app)
    csv_ids = downloaded_csv(app)["id"].tolist()
    doc = json.loads(app.session_state["downloads"]["geojson"]())
    assert [f["properties"]["id"] for f in doc["features"]] == csv_ids


@pytest.mark.slow
def test_the_map_download_is_a_standalone_html_page_with_no_cdn_links(first_view):
    html = first_view.session_state["downloads"]["html"]().decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "L.map(" in html
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "unpkg.com"):
        assert cdn not in html


def _uploader(app: AppTest):
    (uploader,) = app.get("file_uploader")
    return uploader


def test_a_binary_upload_is_reported_and_the_loaded_data_stays():
    app = run_app()
    before = events_shown(app)
    _uploader(app).set_value(("events.csv", b"\x00\xff\xfe garbage \x00" * 50, "text/csv"))
    rerun(app)
    assert app.error, "a binary file must be reported"
    assert "events.csv" in shown_text(app.error[0])
    assert events_shown(app) == before


def test_an_upload_with_bad_rows_lists_them_and_adds_the_valid_ones():
    app = run_app()
    before = events_shown(app)
    source = downloaded_csv(app).iloc[:2].copy()
    source["id"] = ["upload-1", "upload-2"]
    source.loc[source.index[1], "date"] = "2024-02-30"  # impossible date: row 3 of the file
    data = source.to_csv(index=False).encode("utf-8")
    _uploader(app).set_value(("my_events.csv", data, "text/csv"))
    rerun(app)
    issues = table_with(app, "file", "row", "problem")
    assert (issues["row"] == 3).any()
    assert events_shown(app) == before, "an upload is a draft: off the map until reviewed"
    show_drafts(app)
    ids = set(downloaded_csv(app)["id"])
    assert "upload-1" in ids, "the valid row is stored"
    assert "upload-2" not in ids, "the row with an impossible date is left out"


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message():
    from ui.ingest import MAX_UPLOAD_BYTES

    app = run_app()
    before = events_shown(app)
    data = b"id,date,place\n" + b"x,2024-12-01,Homs\n" * (MAX_UPLOAD_BYTES // 17 + 10)
    _uploader(app).set_value(("huge.csv", data, "text/csv"))
    rerun(app)
    assert "limit" in shown_text(app.error[0])
    assert events_shown(app) == before


def test_an_empty_faction_selection_is_written_as_faction_none_and_survives_a_reload():
    app = run_app()
    widget(app, "multiselect", "factions").set_value([])
    rerun(app)
    assert app.query_params["faction"] in ("none", ["none"])
    reloaded = run_app({"faction": "none"})
    assert widget(reloaded, "multiselect", "factions").value == []
    assert events_shown(reloaded) == 0
    assert not reloaded.warning, [w.value for w in reloaded.warning]


# ---------------------------------------------------------------- what the map is sent


def map_args(app: AppTest) -> dict:
    """The arguments the st_folium component receives (AppTest cannot look inside the iframe)."""
    (component,) = [
        c for c in app.get("component_instance") if "st_folium" in c.proto.component_name
    ]
    return json.loads(component.proto.json_args)


def layer_names(app: AppTest) -> list[str]:
    """Overlay names listed by the map's layer control, in order."""
    control = map_args(app)["layer_control"] or ""
    overlays = control.split("overlays", 1)[1] if "overlays" in control else ""
    return [line.split('"')[1] for line in overlays.splitlines() if line.strip().startswith('"')]


def test_the_map_is_sent_areas_frontlines_and_the_events_shown_with_a_layer_control(first_view):
    names = layer_names(first_view)
    assert "Control areas" in names
    assert "Frontlines" in names
    assert "International borders" in names
    assert f"Events ({events_shown(first_view):,})" in names
    assert "feature_group_feature_group_0" in map_args(first_view)["feature_group"]


def test_unticking_a_map_layer_removes_it_from_the_map_and_keeps_the_others():
    app = run_app()
    widget(app, "checkbox", "layer_events").uncheck()
    rerun(app)
    names = layer_names(app)
    assert not [n for n in names if n.startswith("Events")]
    assert "Control areas" in names
    widget(app, "checkbox", "layer_areas").uncheck()
    widget(app, "checkbox", "layer_frontlines").uncheck()
    rerun(app)
    assert "Control areas" not in layer_names(app)
    assert "Frontlines" not in layer_names(app)


def test_ticking_places_draws_a_flag_per_place_whose_popup_links_its_source():
    control = pd.read_csv(ROOT / "data" / "control.csv", dtype=str, keep_default_na=False)
    idlib = control.loc[control["place"] == "Idlib", "source_url"].iloc[-1]
    assert idlib.startswith("https://")
    app = run_app()
    assert not [n for n in layer_names(app) if n.startswith("Places")], "off until ticked"
    assert json.dumps(idlib)[1:-1] not in map_args(app)["feature_group"]
    widget(app, "checkbox", "layer_places").check()
    rerun(app)
    places = [n for n in layer_names(app) if n.startswith("Places")]
    assert places and places[0].startswith("Places (")
    assert json.dumps(idlib)[1:-1] in map_args(app)["feature_group"], "Idlib's source link"


def test_the_map_date_and_the_faction_filter_change_what_the_map_draws():
    app = run_app()
    first_day = widget(app, "slider", "window").value[0]
    areas_last = map_args(app)["feature_group"]
    widget(app, "slider", "map_date").set_value(first_day)
    rerun(app)
    assert map_args(app)["feature_group"] != areas_last
    factions = widget(app, "multiselect", "factions")
    faction_id = downloaded_csv(app)["faction"].value_counts().index[-1]  # the quietest
    factions.set_value([faction_id])
    rerun(app)
    assert f"Events ({events_shown(app):,})" in layer_names(app)
    assert events_shown(app) < len(pd.read_csv(ROOT / "data" / "events.csv"))


def test_a_browsers_first_page_run_stops_after_the_map_and_the_next_run_draws_the_rest(
    monkeypatch: pytest.MonkeyPatch,
):
    import ui.runtime
    from ui.firstpaint import PENDING_TEXT

    monkeypatch.setattr(ui.runtime, "serving", lambda: True)  # as under `streamlit run`
    app = run_app()
    assert map_args(app)["feature_group"], "the map is drawn"
    assert events_shown(app) > 0
    assert [c.value for c in app.caption if c.value == PENDING_TEXT] == [PENDING_TEXT]
    assert not app.get("vega_lite_chart")
    assert not app.get("download_button")
    assert not app.get("file_uploader")
    first_map = map_args(app)

    rerun(app)  # what the map's report (or any click) asks for
    assert map_args(app) == first_map, "the map is sent unchanged: its iframe stays"
    assert len(app.get("vega_lite_chart")) == 2
    assert len(downloaded_csv(app)) == events_shown(app)
    assert app.get("file_uploader")
    assert not [c for c in app.caption if c.value == PENDING_TEXT]


# ---------------------------------------------------------------- pasting an article

# Our own wording of the kind of report the dashboard reads (not copied from any source).
ARTICLE = (
    "Rebel fighters led by Hayat Tahrir al-Sham seized Hama on Thursday after government "
    "troops pulled out of the city. On Friday the SDF clashed with Turkish-backed factions "
    "near Manbij."
)


def test_a_pasted_article_shows_places_factions_dates_and_adds_the_confirmed_events():
    app = run_app()
    before = events_shown(app)
    app.text_area(key="article_text").input(ARTICLE)
    app.date_input(key="article_published").set_value(dt.date(2024, 12, 7))
    app.text_input(key="article_source").input("Test wire, 2024-12-07")
    app.button(key="article_parse").click()
    rerun(app)
    places = table_with(app, "text", "resolved as")
    assert {"Hama", "Manbij"} <= set(places["text"])
    factions = table_with(app, "text", "faction")
    assert len(factions) >= 2
    dates = table_with(app, "text", "date", "precision")
    assert dt.date(2024, 12, 5) in set(pd.to_datetime(dates["date"]).dt.date)  # "Thursday"
    picked = app.multiselect(key="article_pick").value
    assert picked, "complete drafts (date, faction, place) are selected for review"
    assert events_shown(app) == before, "nothing is added before the analyst confirms"
    app.button(key="article_confirm").click()
    rerun(app)
    assert events_shown(app) == before, "confirmed events are drafts until reviewed"
    show_drafts(app)
    added = downloaded_csv(app)
    added = added[added["id"].isin(picked)]
    assert len(added) == len(picked)
    assert (added["source"] == "Test wire, 2024-12-07").all()


def test_confirming_without_a_parsed_article_reports_it_and_adds_nothing():
    app = run_app()
    before = events_shown(app)
    app.button(key="article_parse").click()
    rerun(app)
    assert any("Paste an article" in shown_text(e) for e in app.error)
    assert events_shown(app) == before


def test_the_geojson_download_uploaded_again_adds_its_rows_back():
    app = run_app()
    types = widget(app, "multiselect", "event_types")
    types.set_value(types.options[:1])
    rerun(app)
    doc = json.loads(app.session_state["downloads"]["geojson"]())
    doc["features"] = doc["features"][:3]
    for n, feature in enumerate(doc["features"]):
        feature["properties"]["id"] = f"again-{n}"
    _uploader(app).set_value(("again.geojson", json.dumps(doc).encode(), "application/json"))
    rerun(app)
    assert not app.error, [e.value for e in app.error]
    show_drafts(app)
    assert {f"again-{n}" for n in range(3)} <= set(downloaded_csv(app)["id"])


def test_an_acled_export_is_recognised_and_its_actors_become_factions():
    app = run_app()
    before = events_shown(app)
    export = pd.DataFrame(
        {
            "event_id_cnty": ["SYR900001", "SYR900002"],
            "event_date": ["2024-12-04", "2024-12-05"],
            "time_precision": ["1", "1"],
            "event_type": ["Battles", "Battles"],
            "sub_event_type": ["Armed clash", "Non-state actor overtakes territory"],
            "actor1": ["Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"],
            "actor2": ["Military Forces of Syria (2000-2024)", ""],
            "location": ["Hama", "Homs"],
            "latitude": ["35.1318", "34.7268"],
            "longitude": ["36.7578", "36.7234"],
            "country": ["Syria", "Syria"],
            "source": ["Test wire", "Test wire"],
            "notes": ["Our own test wording.", "Our own test wording."],
        }
    )
    _uploader(app).set_value(("acled.csv", export.to_csv(index=False).encode(), "text/csv"))
    rerun(app)
    assert "acled" in shown_text(app.success[0])
    assert events_shown(app) == before
    show_drafts(app)
    shown = downloaded_csv(app)
    added = shown[shown["description"] == "Our own test wording."]
    assert len(added) == len(export)
    assert set(added["faction"]) == {"hts"}


def test_markdown_in_a_link_parameter_is_shown_as_text_not_as_a_link():
    app = run_app({"faction": "[open me](https://example.invalid)"})
    (warning,) = [w for w in app.warning if "open me" in shown_text(w)]
    assert "[open me](https://example.invalid)" in shown_text(warning)
    assert "](" not in warning.value, "an unescaped markdown link would be clickable"
