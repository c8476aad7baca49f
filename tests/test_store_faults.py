"""Faults of the store: a killed import, an older schema, a newer schema (SQLite file)."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.store_data import synthetic_folder
from geo.errors import StoreVersionError
from geo.store import open_store
from geo.store.engine import make_engine
from geo.store.migrate import HEAD, head_revision, upgrade

ROOT = Path(__file__).resolve().parents[1]


def _count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.exec_driver_sql("select count(*) from events").scalar_one()
    engine.dispose()
    return int(n)


def test_an_import_killed_midway_leaves_all_of_it_or_none(tmp_path: Path):
    folder = synthetic_folder(tmp_path / "big", 20_000)
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path}"
    open_store(url, seed=False).close()
    child = subprocess.Popen(
        [sys.executable, "-m", "geo", "db", "--db", url, "import", str(folder)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 256 * 1024:  # the insert is under way
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert _count(url) in (0, 20_000)
    store = open_store(url)  # reopens cleanly after the crash, and imports again
    assert store.import_folder(folder, author="ana").errors == ()
    assert _count(url) == 20_000


def test_a_store_from_an_older_schema_version_is_migrated_and_keeps_its_rows(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, target="0001")
    with engine.begin() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("events")}
        assert "reason" not in columns  # schema 0001 has no reason column
        conn.exec_driver_sql(
            "insert into store_meta (key, value) values ('revision', '7'), ('store_id', 'old'), "
            "('seeded_from', '')"
        )
        conn.exec_driver_sql(
            "insert into factions (row_id, version, seq, file_row, recorded_at, author, retracted, "
            "added_by, added_at, prov_outlet, prov_date, prov_url, status, d_id, d_name, "
            "d_aliases, d_colour, d_description) values ('hts', 1, 1, 2, '2025-01-01 00:00:00', "
            "'ana', 0, 'ana', '2025-01-01 00:00:00', '', '', '', 'reviewed', 'hts', 'HTS', '', "
            "'#009E73', '')"
        )
    engine.dispose()
    store = open_store(url)
    history = store.history("hts")
    assert [(v.author, v.reason) for v in history] == [("ana", "")]
    assert store.revision() == 7


def test_a_store_from_a_newer_program_is_refused_with_a_clear_message_and_left_untouched(
    tmp_path: Path,
):
    path = tmp_path / "new.sqlite"
    url = f"sqlite:///{path}"
    open_store(url, seed=False).close()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("update alembic_version set version_num = '0099'")
    with engine.connect() as conn:
        conn.exec_driver_sql("pragma wal_checkpoint(truncate)")
    engine.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreVersionError, match="'0099' is unknown to this program"):
        open_store(url)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_schema_version_a_store_is_opened_at_without_alembic_is_alembics_head():
    assert head_revision() == HEAD


_WRITER = """
import sys
import pandas as pd
from geo.store import open_store

store = open_store(sys.argv[1], seed=False)
n = 0
while True:  # one committed write after another, each reported once it is committed
    n += 1
    row = pd.DataFrame([{"id": f"w-{n}", "date": "2024-12-08", "place": "Homs", "lat": "34.73",
        "lon": "36.72", "faction": "hts", "event_type": "Battles",
        "sub_event_type": "Armed clash", "source": "test", "confidence": "0.5"}])
    store.add_rows("events", row, author="writer", status="draft")
    print(n, flush=True)
"""


def test_a_writer_killed_mid_write_leaves_every_committed_row_and_no_half_written_one(
    tmp_path: Path,
):
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path}"
    open_store(url).close()  # seeded with the bundled data
    before = _count(url)
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    reported = 0
    assert child.stdout is not None
    for line in child.stdout:  # kill it while it writes, after some commits
        reported = int(line)
        if reported >= 25:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        ids = {
            r[0] for r in conn.exec_driver_sql("select row_id from events where row_id like 'w-%'")
        }
    engine.dispose()
    numbers = sorted(int(i.split("-")[1]) for i in ids)
    assert numbers == list(range(1, len(numbers) + 1)), "no gap: every write is whole or absent"
    assert len(numbers) >= reported, "every reported (committed) write is there"
    assert len(numbers) <= reported + 1, "at most the write in flight, and only whole"
    store = open_store(url)
    assert len(store.rows("events", statuses=["draft"])) == len(numbers)
    assert _count(url) >= before + len(numbers)
