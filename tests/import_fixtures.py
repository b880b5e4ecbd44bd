"""Hand-made spreadsheets of past incidents, built in code so every planted error is reviewable.

`WORKBOOK_ROWS` is a QLTT register of 40 seizures (2023-2025) written the way agencies wrote them before
ipcoord: 2024 commune and district names (some without diacritics, some with `TT`/`P.`/`H.`), dates in
several formats, values as numbers or as "1.250.000". Each row carries the units it must be stored
under, taken by hand from maps/data/lai_chau_old_to_new_2025.csv.

Planted in the file as received (row numbers as Excel shows them; the header is row 1):
- row 12: "Xã Hòa Bình" is no unit of Lai Châu               -> error  import.unit.unknown (commune)
- row 28: "15.03.2024" is not an accepted date format          -> error  import.value.date_format (occurred_on)
- row 32: "Khổng Làoo" is a misspelling of Xã Khổng Lào       -> warning import.unit.fuzzy (commune), to confirm
- row 31: "1.250.000" uses dots between thousands             -> accepted: 1,250,000 VND
- `build_workbook(formula=True)`: cell H6 holds "=F6*300000"   -> refused at upload, import.formula
The fixed file corrects rows 12 and 28; row 32 is confirmed at commit.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl

HEADERS = [
    "STT",
    "Ngày kiểm tra",
    "Số biên bản",
    "Hàng hóa",
    "Nhãn hiệu",
    "Số lượng",
    "ĐVT",
    "Trị giá",
    "Xã/Phường",
    "Huyện",
    "Đối tượng",
    "Đội",
    "Ghi chú",
]
# The mapping an officer would choose (the STT column is left out).
MAPPING = {
    "columns": [
        {"column": "Ngày kiểm tra", "field": "occurred_on"},
        {"column": "Số biên bản", "field": "record_number"},
        {"column": "Hàng hóa", "field": "goods_description"},
        {"column": "Nhãn hiệu", "field": "goods_mark"},
        {"column": "Số lượng", "field": "goods_quantity"},
        {"column": "ĐVT", "field": "goods_unit"},
        {"column": "Trị giá", "field": "goods_total_value"},
        {"column": "Xã/Phường", "field": "commune"},
        {"column": "Huyện", "field": "district"},
        {"column": "Đối tượng", "field": "violator_name"},
        {"column": "Đội", "field": "team"},
        {"column": "Ghi chú", "field": "notes"},
    ],
    "defaults": {"subject_matter": ["NHAN_HIEU"], "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"]},
}
GOODS = [
    ("Sâm Lai Châu đóng hộp", "Sâm Lai Châu", "hộp"),
    ("Chè Đông phương mỹ nhân", "Chè Tam Đường", "gói"),
    ("Gạo Séng Cù", "Gạo Séng Cù Than Uyên", "bao"),
    ("Mật ong", "Mật ong Pa Ủ", "chai"),
    ("Giày thể thao", "Nike", "đôi"),
    ("Phân bón NPK", "Đầu Trâu", "bao"),
    ("Bột giặt", "OMO", "gói"),
    ("Miến dong", "Miến dong Bình Lư", "kg"),
]
VIOLATORS = ["Hộ kinh doanh Lò Văn A", "Cửa hàng tạp hóa Tòng Thị B", "Hộ kinh doanh Vàng A Chư", "Lý Văn C"]


def excel_serial(day: date) -> int:
    """The day as Excel's 1900 date system numbers it."""
    return (day - date(1899, 12, 30)).days


@dataclass(frozen=True)
class Row:
    """One incident of the register and where it must land: (2024 commune, 2024 district, 2025 unit)."""

    occurred: Any  # as written in the cell
    commune: str
    district: str
    expected: tuple[str | None, str | None, str]
    total: Any = None  # the value cell; None: quantity × 300.000


def _rows() -> list[Row]:
    return [
        Row("12/01/2023", "Phường Quyết Thắng", "Thành phố Lai Châu", ("03386", "105", "03388")),
        Row(datetime(2023, 2, 3), "Đoàn Kết", "TP Lai Châu", ("03389", "105", "03388")),  # noqa: DTZ001 - a date cell
        Row("2023-02-20", "Xã San Thàng", "Thành phố Lai Châu", ("03409", "105", "03408")),
        Row(excel_serial(date(2023, 3, 8)), "Tân Phong", "TP. Lai Châu", ("03387", "105", "03408")),
        Row("5/4/23", "TT Tam Đường", "Huyện Tam Đường", ("03390", "106", "03390")),
        Row("18/04/2023", "Ban Bo", "Tam Duong", ("03424", "106", "03424")),
        Row("02/05/2023", "Xã Bản Hon", "Huyện Tam Đường", ("03421", "106", "03430")),
        Row(datetime(2023, 5, 27), "Nùng Nàng", "Tam Đường", ("03415", "106", "03408")),  # noqa: DTZ001 - a date cell
        Row("2023-06-14", "Xã Thèn Sin", "Huyện Tam Đường", ("03394", "106", "03394")),
        Row("21/06/2023", "Giang Ma", "H. Tam Đường", ("03405", "106", "03405")),
        Row("03/07/2023", "Xã Hòa Bình", "Huyện Tam Đường", ("03406", "106", "03405")),  # row 12: unknown
        Row("19/07/2023", "Thị trấn Mường Tè", "Huyện Mường Tè", ("03433", "107", "03433")),
        Row("08/08/2023", "Xã Mường Tè", "Huyện Mường Tè", ("03445", "107", "03445")),
        Row("1/9/23", "Ka Lang", "Muong Te", ("03439", "107", "03439")),
        Row("2023-09-15", "Xã Pa ủ", "Huyện Mường Tè", ("03442", "107", "03442")),
        Row("27/09/2023", "Vàng San", "Huyện Mường Tè", ("03467", "107", "03460")),
        Row("10/10/2023", "Xã Bum Nưa", "Huyện Mường Tè", ("03466", "107", "03466")),
        Row("24/10/2023", "Hua Bun", "Huyện Nậm Nhùn", ("03460", "112", "03460")),
        Row(excel_serial(date(2023, 11, 6)), "TT Nậm Nhùn", "Huyện Nậm Nhùn", ("03434", "112", "03434")),
        Row("20/11/2023", "Nậm Chà", "Huyện Nậm Nhùn", ("03473", "112", "03472")),
        Row("05/12/2023", "Xã Lê Lợi", "Huyện Nậm Nhùn", ("03481", "112", "03487")),
        Row("18/12/2023", "Trung Chải", "Nậm Nhùn", ("03503", "112", "03503")),
        Row("09/01/2024", "Thị trấn Sìn Hồ", "Huyện Sìn Hồ", ("03478", "108", "03478")),
        Row("23/01/2024", "Nam Cha", "Sin Ho", ("03526", "108", "03517")),
        Row("2024-02-19", "Xã Chăn Nưa", "Huyện Sìn Hồ", ("03487", "108", "03487")),
        Row("04/03/2024", "Pa Tần", "Huyện Sìn Hồ", ("03493", "108", "03503")),
        Row("15.03.2024", "Xã Hồng Thu", "Huyện Sìn Hồ", ("03499", "108", "03508")),  # row 28: bad date
        Row("28/03/2024", "Noong Hẻo", "Huyện Sìn Hồ", ("03532", "108", "03532")),
        Row("11/04/2024", "Xã Lả Nhì Thàng", "Huyện Phong Thổ", ("03391", "109", "03388")),
        Row("25/04/2024", "Ma Ly Pho", "Huyện Phong Thổ", ("03574", "109", "03549"), "1.250.000"),  # row 31
        Row("10/05/2024", "Khổng Làoo", "Huyện Phong Thổ", ("03583", "109", "03583")),  # row 32: misspelt
        Row("2024-05-29", "Xã Sin Suối Hồ", "Huyện Phong Thổ", ("03592", "109", "03394")),
        Row("12/06/2024", "Mù Sang", "Huyện Phong Thổ", ("03568", "109", "03571")),
        Row("26/06/2024", "Mường Than", "Huyện Than Uyên", ("03619", "110", "03595")),
        Row("10/07/2024", "Xã Phúc Than", "Huyện Than Uyên", ("03618", "110", "03618")),
        Row("24/07/2024", "Khoen On", "Huyện Than Uyên", ("03643", "110", "03640")),
        Row("07/08/2024", "Trung Đồng", "Huyện Tân Uyên", ("03605", "111", "03598")),
        Row("21/08/2024", "Hố Mít", "Huyện Tân Uyên", ("03607", "111", "03616")),
        # After the reform: 2025 names, no district column filled in.
        Row("12/08/2025", "Xã Bum Tở", "", (None, "107", "03433")),
        Row("2025-09-23", "Phường Tân Phong", "", (None, None, "03408")),  # straddles 105 and 106
    ]


WORKBOOK_ROWS = _rows()
UNKNOWN_UNIT_ROW, BAD_DATE_ROW, DOTTED_VALUE_ROW, MISSPELT_ROW = 12, 28, 31, 32
FIXES = {UNKNOWN_UNIT_ROW: {"commune": "Xã Hồ Thầu"}, BAD_DATE_ROW: {"occurred": "15/03/2024"}}


def quantity(index: int) -> int:
    """Quantities 2, 5, 8, … so every total divides evenly."""
    return 2 + 3 * (index % 7)


def cells(index: int, row: Row, fixed: bool) -> list[Any]:
    """The cells of the register's row `index` (0-based), as the agency typed them."""
    fixes = FIXES.get(index + 2, {}) if fixed else {}
    description, mark, unit = GOODS[index % len(GOODS)]
    count = 5 if row.total is not None else quantity(index)
    return [
        index + 1,
        fixes.get("occurred", row.occurred),
        f"{index + 1:02d}/BB-QLTT",
        description,
        mark,
        count,
        unit,
        row.total if row.total is not None else count * 300_000,
        fixes.get("commune", row.commune),
        row.district or None,
        VIOLATORS[index % len(VIOLATORS)],
        f"Đội QLTT số {1 + index % 3}",
        "Dữ liệu demo",
    ]


def expected_total(index: int) -> int:
    """The goods value the row must be stored with."""
    row = WORKBOOK_ROWS[index]
    return 1_250_000 if row.total is not None else quantity(index) * 300_000


def build_workbook(*, fixed: bool = False, formula: bool = False) -> bytes:
    """The 40-row register as XLSX; `fixed` corrects the planted errors, `formula` plants one in H6."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "So theo doi 2023-2025"
    sheet.append(HEADERS)
    for index, row in enumerate(WORKBOOK_ROWS):
        sheet.append(cells(index, row, fixed))
    for cell in sheet["B"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy"
    if formula:
        sheet["H6"] = "=F6*300000"
    return _save(book)


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_with(*, second_sheet: str | None = None, merged: str | None = None) -> bytes:
    """A small valid register with one more sheet, or with merged cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(cells(0, WORKBOOK_ROWS[0], fixed=True))
    if second_sheet:
        book.create_sheet(second_sheet).append(["Tổng hợp"])
    if merged:
        sheet.insert_rows(1)
        sheet["A1"] = "SỔ THEO DÕI VỤ VIỆC"
        sheet.merge_cells(merged)
    return _save(book)


# A few rows as a CSV, to read in two encodings.
CSV_ROWS = [
    ["Ngày kiểm tra", "Xã/Phường", "Huyện", "Hàng hóa", "Trị giá"],
    ["12/01/2023", "Phường Quyết Thắng", "Thành phố Lai Châu", "Sâm Lai Châu đóng hộp", "1.250.000"],
    ["26/06/2024", "Mường Than", "Huyện Than Uyên", "Gạo Séng Cù", "600.000"],
    ["10/05/2024", "Xã Khổng Lào", "Huyện Phong Thổ", "Mật ong Pa Ủ; chai 500 ml", "2.400.000"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    """Rows as CSV text with Windows line ends, as Excel writes them."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed (ư, â, ơ…), tones combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out += base.encode("cp1258") + "".join(p for p in parts if p in _TONES).encode("cp1258")
    return bytes(out)


def big_csv(rows: int) -> bytes:
    """A register of `rows` data rows (the same row again and again)."""
    line = "12/01/2023,Phường Quyết Thắng,Thành phố Lai Châu,Sâm Lai Châu,1.250.000\r\n"
    return (csv_text(CSV_ROWS[:1]) + line * rows).encode("utf-8")
