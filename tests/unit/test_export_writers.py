"""The exports' column-wise writers write exactly what writing cell by cell writes, tricky texts included (pure)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from service.exports import xlsx
from service.exports.columns import Cell, CellType
from service.exports.writers import csv_columns, csv_lines

PLAIN = ["Hộ kinh doanh Lò Văn A", 'Số 3 đường Trần Phú, "tổ" 4', None, "", "Mường Tè; Sìn Hồ", "a\nb"]
TRICKY = [
    "=SUM(A1)", "+84 912", "-5", "@user", "\tindented", "\rreturn", "A & B", "<r>rich</r>", "1 > 0", " edge",
    "edge ", "\xa0nbsp", "ideographic\u3000", "line\n", "\nline", "ctl\x01char", "_x0041_", "a\x1fb", "a\x1f=b",
    "x" * 20_000, "line \nnext",
]  # fmt: skip


@pytest.mark.parametrize("texts", [PLAIN, PLAIN + TRICKY, TRICKY], ids=["plain", "mixed", "tricky"])
def test_a_text_column_is_escaped_as_cell_by_cell(texts: list[Cell]):
    numbers = range(2, 2 + len(texts))
    expected = ["" if t is None else xlsx._inline(f"C{n}", str(t)) for n, t in zip(numbers, texts, strict=True)]
    assert xlsx._texts("C", numbers, texts) == expected


@pytest.mark.parametrize("texts", [[t] for t in TRICKY], ids=range(len(TRICKY)))
def test_one_tricky_text_among_plain_ones_is_escaped(texts: list[Cell]):
    column = [*PLAIN, *texts, *PLAIN]
    numbers = range(2, 2 + len(column))
    expected = ["" if t is None else xlsx._inline(f"B{n}", str(t)) for n, t in zip(numbers, column, strict=True)]
    assert xlsx._texts("B", numbers, column) == expected


def test_a_csv_batch_written_by_column_equals_the_same_rows_written_by_row():
    texts = [*PLAIN, *TRICKY]
    count = len(texts)
    days: list[Cell] = [date(2026, 3, i % 28 + 1) if i % 3 else None for i in range(count)]
    numbers: list[Cell] = [i * 1_000_000 if i % 2 else None for i in range(count)]
    mixed: list[Cell] = [i if i % 4 == 0 else f"={i}" for i in range(count)]  # not only text in a text column
    types: list[CellType] = ["text", "date", "money", "text", "text"]
    columns = [texts, days, numbers, mixed, list(reversed(texts))]
    rows = list(zip(*columns, strict=True))
    assert csv_columns(types, columns) == csv_lines(rows)
    assert csv_columns(types[:1], [PLAIN]) == csv_lines([(t,) for t in PLAIN])


def test_the_sheet_keeps_dates_numbers_and_texts(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    sheet = xlsx.StreamingSheet(path, "Vụ việc", ["Ngày", "Tiền", "Tên"], ["date", "money", "text"])
    sheet.write_columns([[date(2026, 3, 2), None, date(2026, 3, 3)], [32_000_000, None, 1.5], PLAIN[:3]])
    sheet.close()
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A2" s="2"><v>46083</v></c>' in xml and '<c r="A4" s="2"><v>46084</v></c>' in xml
    assert '<c r="B2" s="3"><v>32000000</v></c>' in xml and '<c r="B4" s="3"><v>1.5</v></c>' in xml
    assert '<c r="C2" t="inlineStr"><is><t>Hộ kinh doanh Lò Văn A</t></is></c>' in xml and 'r="C4"' not in xml
