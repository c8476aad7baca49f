"""Who may write to the store: until accounts exist, a client on this machine (loopback).

The one check every write path of the dashboard goes through; accounts and roles slot in here.

>>> may_write("127.0.0.1"), may_write("::1"), may_write("203.0.113.9"), may_write(None)
(True, True, False, False)
"""

from __future__ import annotations

import ipaddress

__all__ = ["may_write", "read_only_reason"]


def may_write(client_host: str | None) -> bool:
    """True when the client at ``client_host`` may change the store (a loopback address).

    ``localhost`` counts; an unknown host (``None``), a name or any other address does not.
    """
    if not client_host:
        return False
    host = client_host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def read_only_reason(client_host: str | None) -> str:
    """Why a client sees a read-only atlas (for the page), or ``""`` if it may write.

    >>> read_only_reason("10.0.0.5")[:40]
    'Read-only: changes are accepted only fro'
    """
    if may_write(client_host):
        return ""
    return (
        "Read-only: changes are accepted only from this machine (loopback) until accounts "
        f"exist; your address is {client_host or 'unknown'}."
    )
