"""Reading past spreadsheets without a database: files, cells, place names and mappings."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from schemas.imports import ImportMappingIn
from service import labels
from service.errors import AppError
from service.imports import mapping, parsing, rows, units, values
from service.imports.values import CellError
from tests.import_fixtures import (
    CSV_ROWS,
    MAPPING,
    WORKBOOK_ROWS,
    big_csv,
    build_workbook,
    csv_text,
    to_cp1258,
    workbook_with,
)

LIMIT = 20 * 1024 * 1024
TODAY = date(2026, 11, 25)


def refusal(content: bytes, **kw: int) -> AppError:
    with pytest.raises(AppError) as caught:
        parsing.read_sheet(content, LIMIT, **kw)
    assert caught.value.field == "file"
    return caught.value


# Files.


def test_windows_1258_utf8_with_bom_and_plain_utf8_read_as_the_same_rows():
    text = csv_text(CSV_ROWS)
    sheets = [
        parsing.read_sheet(content, LIMIT)
        for content in (to_cp1258(text), b"\xef\xbb\xbf" + text.encode(), text.encode())
    ]
    assert [s.encoding for s in sheets] == ["cp1258", "utf-8-sig", "utf-8"]
    assert sheets[0].headers == sheets[1].headers == sheets[2].headers == CSV_ROWS[0]
    assert sheets[0].rows == sheets[1].rows == sheets[2].rows
    assert sheets[0].rows[1][2] == "Mường Than"  # tone marks composed (NFC), as typed elsewhere


def test_windows_1258_writes_tone_marks_as_combining_characters():
    assert to_cp1258("Mường") == b"M\xfd\xf5\xccng"  # ư ơ, then the grave accent as its own byte


def test_semicolons_are_found_as_the_delimiter_of_excel_with_vietnamese_settings():
    sheet = parsing.read_sheet(csv_text(CSV_ROWS, delimiter=";").encode(), LIMIT)
    assert sheet.delimiter == ";" and sheet.rows[0][1:] == [*CSV_ROWS[1][:4], "1.250.000"]


def test_rows_keep_the_numbers_the_file_gives_them_and_skip_empty_ones():
    text = csv_text([CSV_ROWS[0], CSV_ROWS[1], ["", "", "", "", ""], CSV_ROWS[2]])
    assert [row[0] for row in parsing.read_sheet(text.encode(), LIMIT).rows] == [2, 4]


def test_a_register_of_100000_rows_is_refused_naming_its_count():
    error = refusal(big_csv(100_000))
    assert error.code == "import.too_many_rows"
    assert error.params == {"count": 100_000, "limit": parsing.MAX_ROWS}


def test_a_workbook_over_the_row_limit_is_refused_without_reading_every_row():
    error = refusal(build_workbook(fixed=True), max_rows=5)
    assert error.code == "import.too_many_rows" and error.params["count"] == len(WORKBOOK_ROWS)


@pytest.mark.parametrize(
    ("content", "code", "params"),
    [
        (b"", "import.empty", {}),
        (b" \r\n", "import.empty", {}),
        (csv_text(CSV_ROWS[:1]).encode(), "import.no_rows", {}),
        (build_workbook(formula=True), "import.formula", {"cell": "H6"}),
        (workbook_with(second_sheet="Tổng hợp"), "import.second_sheet", {"sheet": "Tổng hợp", "count": 2}),
        (workbook_with(merged="A1:M1"), "import.merged_cells", {"range": "A1:M1"}),
        (b"%PDF-1.7\n\x00\x01binary", "import.unsupported_type", {}),
        (b"PK\x03\x04not really a zip", "import.unsupported_type", {}),
        ("Ngày,,Xã\n1/1/23,x,Bản Bo\n".encode(), "import.header_empty", {"column": "B"}),
        ("Ngày,Xã,NGAY\n1/1/23,Bản Bo,2\n".encode(), "import.header_duplicate", {"header": "NGAY", "columns": "A, C"}),
        ("Ngày,Xã\n1/1/23,Bản Bo,thừa\n".encode(), "import.header_empty", {"column": "C"}),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "formula",
        "second-sheet",
        "merged",
        "pdf",
        "broken-zip",
        "blank-header",
        "repeated-header",
        "data-past-header",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_saying_why(content: bytes, code: str, params: dict[str, object]):
    error = refusal(content)
    assert (error.code, error.params) == (code, params)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(AppError) as caught:
        parsing.read_sheet(b"x" * 2048, 1024)
    assert (caught.value.code, caught.value.status, caught.value.params) == (
        "import.too_large",
        413,
        {"limit_mb": "0.000977"},
    )


def test_workbook_cells_come_back_as_text_numbers_and_iso_dates():
    sheet = parsing.read_sheet(build_workbook(fixed=True), LIMIT)
    assert sheet.file_format == "xlsx" and len(sheet.rows) == len(WORKBOOK_ROWS)
    second = sheet.rows[1]
    assert second[:3] == [3, 2, "2023-02-03"]
    assert sheet.rows[3][2] == 44993  # an Excel serial day, kept as a number


# Cells.


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/01/2023", "2023-01-12T00:00:00"),
        ("5/4/23", "2023-04-05T00:00:00"),
        ("2023-02-20", "2023-02-20T00:00:00"),
        ("2023-02-20T09:30", "2023-02-20T09:30:00"),
        (44993, "2023-03-08T00:00:00"),
        ("44993", "2023-03-08T00:00:00"),
        (45123.5, "2023-07-16T12:00:00"),
    ],
)
def test_dates_are_read_in_the_accepted_formats(cell: values.Value, expected: str):
    assert values.read_moment(cell).isoformat() == expected  # local wall-clock time: the zone is added later


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("15.03.2024", "import.value.date_format"),
        ("March 5, 2023", "import.value.date_format"),
        ("2023", "import.value.date_format"),
        ("31/02/2023", "import.value.not_a_date"),
        ("12/13/2023", "import.value.not_a_date"),
    ],
)
def test_other_dates_are_reported_with_what_was_written(cell: str, code: str):
    with pytest.raises(CellError) as caught:
        values.read_moment(cell)
    assert caught.value.code == code and caught.value.params == {"value": cell}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.250.000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1 250 000 đ", 1_250_000),
        ("1.250.000 VNĐ", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1250000.00", 1_250_000),
        ("1.250", 1_250),
        (1_250_000, 1_250_000),
        (1_250_000.0, 1_250_000),
    ],
)
def test_amounts_with_thousands_separators_are_whole_dong(cell: values.Value, expected: int):
    assert values.read_whole(cell) == expected


@pytest.mark.parametrize("cell", ["1.5", "12,5", "-300000", "1.250.00", "một triệu", 12.5])
def test_amounts_that_are_not_whole_dong_are_reported(cell: values.Value):
    with pytest.raises(CellError) as caught:
        values.read_whole(cell)
    assert caught.value.code == "import.value.whole_number"


def test_kinds_and_codes_are_read_from_labels_in_either_language():
    assert values.read_kind("Kiểm tra, thu giữ hàng hóa vi phạm") == "seizure"
    assert values.read_kind("thu giu") == "seizure"
    with pytest.raises(CellError, match="kind_unsupported"):
        values.read_kind("Tranh chấp SHTT (dân sự/thương mại)")
    assert values.read_codes("Nhãn hiệu (thông thường); CHI_DAN_DIA_LY", labels.SUBJECT_MATTERS) == [
        "NHAN_HIEU",
        "CHI_DAN_DIA_LY",
    ]
    assert values.read_violator_type("Hộ kinh doanh") == "household_business"


# Place names.


def _found(written: str, district: str | None = None, on: date = date(2024, 1, 1)) -> units.Found:
    return units.find_commune(written, on, units.find_district(district) if district else None)


def test_an_old_commune_is_found_as_written_or_without_diacritics():
    assert _found("Xã Bản Hon").unit.code == "03421"
    assert (_found("ban hon").unit.code, _found("ban hon").how) == ("03421", "folded")


def test_a_misspelt_name_is_a_close_match_to_confirm():
    found = _found("Khổng Làoo", "Huyện Phong Thổ")
    assert (found.unit.full_name, found.how) == ("Xã Khổng Lào", "fuzzy")
    assert _found("Khogn Lao").how == "fuzzy"  # two letters swapped


def test_an_unknown_name_is_reported_with_similar_names():
    with pytest.raises(CellError) as caught:
        _found("Xã Hòa Bình", "Huyện Tam Đường")
    assert caught.value.code == "import.unit.unknown"
    assert caught.value.params["suggestions"] == "Xã Sơn Bình"


def test_the_written_kind_or_the_district_tells_apart_communes_of_the_same_name():
    with pytest.raises(CellError, match="ambiguous"):
        _found("Mường Tè", "Huyện Mường Tè")
    assert _found("TT Mường Tè").unit.code == "03433"
    assert _found("Xã Mường Tè").unit.code == "03445"
    with pytest.raises(CellError, match="ambiguous"):
        _found("Nam Cha")
    assert _found("Nam Cha", "Sìn Hồ").unit.code == "03526"


def test_a_commune_of_another_district_says_where_it_is():
    with pytest.raises(CellError) as caught:
        _found("Lả Nhì Thàng", "TP Lai Châu")
    assert caught.value.code == "import.unit.not_in_district"
    assert caught.value.params["actual"] == "Huyện Phong Thổ"


def test_the_incidents_date_picks_the_generation_of_a_name_both_have():
    assert (_found("Bum Tở").unit.generation, _found("Bum Tở").unit.code) == ("2024", "03454")
    after = _found("Bum Tở", on=date(2025, 8, 1))
    assert (after.unit.generation, after.unit.code) == ("2025", "03433")


def test_districts_are_found_with_their_usual_abbreviations():
    assert [units.find_district(n).unit.code for n in ("TP. Lai Châu", "H.Phong Thổ", "tam duong")] == [
        "105",
        "109",
        "106",
    ]


# Mappings and rows.


def _plan() -> mapping.Plan:
    headers = parsing.read_sheet(build_workbook(fixed=True), LIMIT).headers
    return mapping.check(headers, msgspec.convert(MAPPING, ImportMappingIn))


def test_the_usual_headers_are_guessed_and_the_serial_number_column_left_out():
    headers = parsing.read_sheet(build_workbook(fixed=True), LIMIT).headers
    guessed = mapping.suggest(headers, {}, None)
    assert {(p.column, p.field) for p in guessed.columns} == {(m["column"], m["field"]) for m in MAPPING["columns"]}


@pytest.mark.parametrize(
    ("pairs", "code", "field"),
    [
        ([("Huyện", "district"), ("Huyện", "commune")], "import.mapping.column_twice", "columns[2].column"),
        ([("Huyện", "district"), ("Xã/Phường", "district")], "import.mapping.field_twice", "columns[2].field"),
        ([("Không có", "district")], "import.mapping.unknown_column", "columns[1].column"),
        ([("Số biên bản", "record_number")], "import.mapping.missing", "columns"),
    ],
)
def test_a_mapping_with_a_column_or_field_twice_is_refused(pairs: list[tuple[str, str]], code: str, field: str):
    columns = [{"column": c, "field": f} for c, f in [("Ngày kiểm tra", "occurred_on"), *pairs]]
    with pytest.raises(AppError) as caught:
        mapping.check(_plan().headers, msgspec.convert({"columns": columns}, ImportMappingIn))
    assert (caught.value.code, caught.value.field) == (code, field)


def test_a_row_becomes_a_seizure_with_the_value_split_over_the_quantity():
    plan = _plan()
    read = rows.read_row(plan, parsing.read_sheet(build_workbook(fixed=True), LIMIT).rows[29], TODAY)
    assert read.errors == [] and read.data is not None
    assert read.data.unit is not None and (read.data.unit.generation, read.data.unit.code) == ("2024", "03574")
    line = read.data.goods[0]
    assert (line.quantity, line.unit_price_vnd) == (5, 250_000)


def test_a_future_date_and_a_detection_before_it_are_errors_of_their_fields():
    plan = mapping.Plan({"occurred_on": 0, "detected_on": 1, "commune": 2}, ["a", "b", "c"], _plan().defaults)
    read = rows.read_row(plan, [2, "01/01/2031", "01/01/2023", "Bản Bo"], TODAY)
    assert [(p.field, p.code) for p in read.errors][:1] == [("occurred_on", "import.value.in_future")]
    read = rows.read_row(plan, [2, "05/01/2023", "01/01/2023", "Bản Bo"], TODAY)
    assert ("detected_on", "import.value.detected_before_occurred") in [(p.field, p.code) for p in read.errors]
