"""Untrusted file bytes to text: size-limited reading, UTF-8 decoding, binary detection.

>>> text, issues = decode_text(b"\\xef\\xbb\\xbfplace\\nHoms\\n", name="x.csv")
>>> text.splitlines(), issues
(['place', 'Homs'], [])
"""

from __future__ import annotations

import re
from pathlib import Path

from geo.errors import DataFileError
from geo.io.issues import Issue

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_FIELD_CHARS", "decode_text", "read_bytes"]

DEFAULT_MAX_BYTES = 512 * 2**20
"""Largest file read (bytes); larger files are refused with a file-level issue."""

DEFAULT_MAX_FIELD_CHARS = 2000
"""Longest cell accepted (characters); rows with a longer cell are reported and left out."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
