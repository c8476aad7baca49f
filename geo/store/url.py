"""Where the store lives: ``$FRONTLINE_DB``, or one SQLite file per data folder.

``FRONTLINE_DB`` may be a path (``atlas.sqlite``), an SQLAlchemy URL (``sqlite:///atlas.sqlite``)
or a team server (``postgresql://user@host/db``, driven by psycopg 3). Without it every data
folder gets its own SQLite file in the user's data folder (``$XDG_DATA_HOME`` or
``~/.local/share``): ``frontline-atlas/store-<hash of the resolved data folder>.sqlite``, so
that a different ``FRONTLINE_DATA_DIR`` is never shown another folder's store.

>>> store_url("/tmp/x.sqlite")
'sqlite:////tmp/x.sqlite'
>>> store_url("postgresql://u@localhost/atlas")
'postgresql+psycopg://u@localhost/atlas'
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from geo.errors import ConfigError
from geo.schema import DATA_DIR

__all__ = ["data_folder", "default_store_path", "redacted", "store_url"]


def data_folder(data_dir: Path | str | None = None) -> Path:
    """The annotations folder: ``data_dir``, ``$FRONTLINE_DATA_DIR`` or the bundled ``data/``.

    >>> data_folder().name
    'data'
    """
    chosen = data_dir if data_dir is not None else os.environ.get("FRONTLINE_DATA_DIR") or DATA_DIR
    return Path(chosen).expanduser().resolve()


def default_store_path(data_dir: Path | str | None = None) -> Path:
    """The default SQLite file of a data folder (one per resolved folder).

    >>> default_store_path("data") != default_store_path("tests")
    True
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    digest = hashlib.sha256(str(data_folder(data_dir)).encode()).hexdigest()[:12]
    return Path(base).expanduser() / "frontline-atlas" / f"store-{digest}.sqlite"


def store_url(url: str | None = None, *, data_dir: Path | str | None = None) -> str:
    """The SQLAlchemy URL of the store: ``url``, ``$FRONTLINE_DB`` or the default file.

    Raises
    ------
    ConfigError
        If the URL names a database other than SQLite or PostgreSQL.

    >>> store_url("sqlite:///a.sqlite")
    'sqlite:///a.sqlite'
    """
    text = (url or os.environ.get("FRONTLINE_DB") or "").strip()
    if not text:
        return f"sqlite:///{default_store_path(data_dir)}"
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith(("postgresql+psycopg://", "sqlite://")):
        return text
    if "://" in text:
        raise ConfigError(
            f"FRONTLINE_DB {redacted(text)!r}: use a path, sqlite:///PATH or postgresql://..."
        )
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def redacted(url: str) -> str:
    """``url`` without its password (for messages and cache keys).

    >>> redacted("postgresql+psycopg://u:secret@h/db")
    'postgresql+psycopg://u:***@h/db'
    """
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    cred, _, host = rest.rpartition("@")
    user = cred.split(":", 1)[0]
    return f"{head}://{user}:***@{host}" if ":" in cred else url
