"""A temporary PostgreSQL + PostGIS cluster on loopback (Debian's packages): store tests, bench.

``initdb`` refuses to run as root: as root the cluster is made and run by the ``postgres``
user (``runuser -u postgres --``) in a temporary folder it owns. The server listens on a free
loopback port with its socket in that folder, and is stopped and deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.loopback import free_port

__all__ = ["fresh_database", "pg_bin", "temporary_postgis"]


def pg_bin() -> Path | None:
    """The folder of ``initdb``/``pg_ctl`` (Debian: /usr/lib/postgresql/<ver>/bin), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _postgis_installed(binaries: Path) -> bool:
    version = binaries.parts[-2]
    return Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()


@contextmanager
def temporary_postgis() -> Iterator[str]:
    """Start a cluster; yield the URL of a database ``atlas`` with PostGIS; stop and delete it.

    Raises
    ------
    FileNotFoundError
        If PostgreSQL or PostGIS is not installed.
    """
    import psycopg

    binaries = pg_bin()
    if binaries is None or not _postgis_installed(binaries):
        raise FileNotFoundError(
            "PostgreSQL + PostGIS not installed (apt-get install postgresql postgis)"
        )
    folder = Path(tempfile.mkdtemp(prefix="frontline-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, cwd=folder)

    run(
        str(binaries / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    options = (
        f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    )
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(folder / "log"),
        "-w",
        "start",
    )
    try:
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE atlas")
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname=atlas", autocommit=True
        ) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield f"postgresql://postgres@127.0.0.1:{port}/atlas"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=folder,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new database ``name`` copied from the cluster's ``atlas`` (PostGIS in it); its URL."""
    import psycopg

    base = url.replace("postgresql://", "postgresql://", 1)
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE atlas')
    return base.rsplit("/", 1)[0] + f"/{name}"
