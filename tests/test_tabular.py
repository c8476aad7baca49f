"""Reading untrusted CSV: encodings, BOM, binary, size limits, per-row issues, never a traceback."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.io.tabular import decode_text, read_csv_bytes

COLUMNS = ("place", "note")


def _read(data: bytes, **options):
    return read_csv_bytes(data, name="c.csv", columns=COLUMNS, **options)


def test_utf8_with_and_without_bom_read_the_same() -> None:
    text = "place,note\nDayr az-Zawr,دير الزور\n"
    plain, _ = _read(text.encode("utf-8"))
    bom, issues = _read(text.encode("utf-8-sig"))
    assert issues == []
    assert bom.equals(plain)
    assert bom["note"].tolist() == ["دير الزور"]


def test_windows_1252_file_is_refused_row_by_row_naming_the_encoding() -> None:
    data = "place,note\nHoms,ok\nAléppo,bad\n".encode("cp1252")
    frame, issues = _read(data)
    assert frame["place"].tolist() == ["Homs"]
    file_issue = next(i for i in issues if i.row is None)
    assert "not UTF-8: byte 0xe9 on line 3" in file_issue.reason
    assert "Windows-1252 or Windows-1256" in file_issue.reason
    assert any(i.row == 3 and "undecodable" in i.reason for i in issues)


def test_windows_1256_arabic_rows_are_reported_not_garbled() -> None:
    data = "place,note\nحلب,x\nHama,y\n".encode("cp1256")
    frame, issues = _read(data)
    assert frame["place"].tolist() == ["Hama"]
    assert [i.row for i in issues if i.severity == "error"] == [2]


def test_binary_garbage_is_one_file_level_error() -> None:
    frame, issues = _read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert frame.empty
    assert len(issues) == 1 and issues[0].row is None and "binary file" in issues[0].reason


def test_control_character_noise_without_nul_is_binary_too() -> None:
    text, issues = decode_text(bytes(range(1, 32)) * 50, name="c.csv")
    assert text is None and "binary" in issues[0].reason


def test_file_over_the_size_limit_loads_nothing_and_says_the_limit() -> None:
    frame, issues = _read(b"place,note\n" + b"Homs,x\n" * 100, max_bytes=100)
    assert frame.empty and "larger than the 100-byte limit" in issues[0].reason


def test_row_with_too_many_or_too_few_fields_is_reported_and_skipped() -> None:
    frame, issues = _read(b"place,note\nHoms,a,b\nHama\nIdlib,c\n")
    assert frame["place"].tolist() == ["Idlib"] and frame["row"].tolist() == [4]
    assert [str(i) for i in issues] == [
        "c.csv:2: 3 field(s), expected 2 (place,note)",
        "c.csv:3: 1 field(s), expected 2 (place,note)",
    ]


def test_unbalanced_quote_swallowing_the_file_is_reported_as_too_long() -> None:
    data = b'place,note\nHoms,"oops\n' + b"Hama,x\n" * 400
    frame, issues = _read(data, max_field_chars=500)
    assert frame.empty
    assert "unbalanced quote?" in issues[0].reason and issues[0].row == 2


def test_header_is_matched_case_and_space_insensitively_and_missing_optional_columns_are_empty() -> (
    None
):
    frame, issues = _read(b" PLACE \nManbij\n")
    assert issues == [] and frame.to_dict("records") == [{"row": 2, "place": "Manbij", "note": ""}]


def test_duplicate_header_columns_load_nothing() -> None:
    frame, issues = _read(b"place,place\nA,B\n")
    assert frame.empty and "duplicate column(s) 'place'" in issues[0].reason


def test_blank_lines_keep_spreadsheet_row_numbers() -> None:
    frame, _ = _read(b"place,note\n\nHoms,x\n,\n")
    assert frame["row"].tolist() == [3]


def _rows_to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # "\r\n" terminator: cells holding \r are quoted
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    frame, issues = _read(data)
    assert list(frame.columns) == ["row", *COLUMNS]
    assert all(isinstance(i.reason, str) for i in issues)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=4), max_size=25))
def test_every_written_row_is_either_loaded_or_reported(rows: list[list[str]]) -> None:
    frame, issues = _read(_rows_to_csv(rows), max_field_chars=25)
    if any(i.row is None and i.severity == "error" for i in issues):
        return  # the whole file was refused (e.g. binary-looking text) and said so
    loaded = set(frame["row"])
    reported = {i.row for i in issues if i.severity == "error"}
    assert not loaded & reported
    for number, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row):
            assert number in loaded | reported, (number, row)


def test_semicolon_separated_file_gets_a_hint_to_save_as_comma_separated() -> None:
    frame, issues = read_csv_bytes(
        b"place;note\nHoms;x\n", name="c.csv", columns=COLUMNS, required=("place",)
    )
    assert frame.empty and "semicolon- or tab-separated" in issues[0].reason
