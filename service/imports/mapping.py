"""Column mapping: checking one against the file's header, and pre-filling one (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from schemas.imports import ColumnMap, ImportDefaults, ImportMappingIn
from service.errors import AppError
from service.text import fold

REQUIRED = ("occurred_on",)
PLACE_FIELDS = ("commune", "district")

# Headers agencies use in their registers (folded), and the field each names.
SYNONYMS: dict[str, str] = {
    "loai vu viec": "kind",
    "loai": "kind",
    "kind": "kind",
    "ngay": "occurred_on",
    "ngay vi pham": "occurred_on",
    "ngay xay ra": "occurred_on",
    "ngay kiem tra": "occurred_on",
    "ngay lap bien ban": "occurred_on",
    "occurred": "occurred_on",
    "date": "occurred_on",
    "ngay phat hien": "detected_on",
    "so bien ban": "record_number",
    "so bb": "record_number",
    "bien ban so": "record_number",
    "record number": "record_number",
    "hang hoa": "goods_description",
    "ten hang": "goods_description",
    "ten hang hoa": "goods_description",
    "mat hang": "goods_description",
    "hang hoa vi pham": "goods_description",
    "goods": "goods_description",
    "nhan hieu": "goods_mark",
    "nhan hieu bi xam pham": "goods_mark",
    "mark": "goods_mark",
    "so luong": "goods_quantity",
    "sl": "goods_quantity",
    "quantity": "goods_quantity",
    "don vi tinh": "goods_unit",
    "dvt": "goods_unit",
    "don gia": "goods_unit_price",
    "unit price": "goods_unit_price",
    "tri gia": "goods_total_value",
    "tong tri gia": "goods_total_value",
    "gia tri": "goods_total_value",
    "thanh tien": "goods_total_value",
    "tri gia hang hoa": "goods_total_value",
    "value": "goods_total_value",
    "xa": "commune",
    "xa/phuong": "commune",
    "xa, phuong": "commune",
    "xa, phuong, thi tran": "commune",
    "xa/phuong/thi tran": "commune",
    "dia ban": "commune",
    "commune": "commune",
    "huyen": "district",
    "huyen/thanh pho": "district",
    "huyen, thanh pho": "district",
    "district": "district",
    "doi tuong": "violator_name",
    "ten doi tuong": "violator_name",
    "nguoi vi pham": "violator_name",
    "to chuc, ca nhan vi pham": "violator_name",
    "violator": "violator_name",
    "loai doi tuong": "violator_type",
    "dia chi": "violator_address",
    "dia chi doi tuong": "violator_address",
    "doi": "team",
    "to cong tac": "team",
    "doan kiem tra": "team",
    "team": "team",
    "hanh vi": "infringement_acts",
    "hanh vi vi pham": "infringement_acts",
    "doi tuong quyen": "subject_matter",
    "loai quyen": "subject_matter",
    "ghi chu": "notes",
    "noi dung": "notes",
    "tom tat": "notes",
    "notes": "notes",
}


class MappingInvalid(AppError):
    code = "import.mapping.unknown_column"


class ColumnMappedTwice(AppError):
    code = "import.mapping.column_twice"


class FieldMappedTwice(AppError):
    code = "import.mapping.field_twice"


class FieldUnmapped(AppError):
    code = "import.mapping.missing"


@dataclass(frozen=True)
class Plan:
    """A checked mapping: the column index of each mapped field, and the defaults."""

    columns: dict[str, int]
    headers: list[str]
    defaults: ImportDefaults

    def header(self, field: str) -> str | None:
        """The file's name for the column a field comes from."""
        index = self.columns.get(field)
        return None if index is None else self.headers[index]


def check(headers: list[str], mapping: ImportMappingIn) -> Plan:
    """Each column of the file at most once, each field at most once, the date and a place mapped."""
    columns: dict[str, int] = {}
    used: dict[str, str] = {}
    for position, pair in enumerate(mapping.columns):
        if pair.column not in headers:
            raise MappingInvalid(field=f"columns[{position}].column", column=pair.column)
        if pair.column in used:
            raise ColumnMappedTwice(field=f"columns[{position}].column", column=pair.column)
        if pair.field in columns:
            first = headers[columns[pair.field]]
            raise FieldMappedTwice(
                field=f"columns[{position}].field", target=pair.field, first=first, second=pair.column
            )
        used[pair.column] = pair.field
        columns[pair.field] = headers.index(pair.column)
    for required in REQUIRED:
        if required not in columns:
            raise FieldUnmapped(field="columns", target=required)
    if not any(name in columns for name in PLACE_FIELDS):
        raise FieldUnmapped(field="columns", target=" | ".join(PLACE_FIELDS))
    return Plan(columns, headers, mapping.defaults)


def suggest(headers: list[str], remembered: dict[str, str], defaults: dict[str, Any] | None) -> ImportMappingIn:
    """A first mapping: the agency's last one for headers it has seen, else the usual header names."""
    pairs: list[ColumnMap] = []
    taken: set[str] = set()
    for header in headers:
        key = fold(header)
        field = remembered.get(key) or SYNONYMS.get(key)
        if field and field not in taken:
            taken.add(field)
            pairs.append(ColumnMap(column=header, field=field))  # type: ignore[arg-type]
    kept = msgspec.convert(defaults or {}, ImportDefaults) if defaults else ImportDefaults()
    return ImportMappingIn(columns=pairs, defaults=kept)


def remembered_columns(mapping: ImportMappingIn) -> dict[str, str]:
    """What an agency's next upload is pre-filled from: folded header -> field."""
    return {fold(pair.column): pair.field for pair in mapping.columns}
