"""The yearly report as the administrative document SKHCN sends the Ministry's IP Office, signed (docs/documents.md).

Pure: a laid-out report (in Vietnamese) in, a documents Draft out. The body is the report's tables, each with
its notes; the maps stay in the plain PDF (`format=pdf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from service.documents import model
from service.documents.service import Draft
from service.reports.layout import Cell, Sheet, display

if TYPE_CHECKING:
    from service.reports.service import LaidOut

RECIPIENTS = (
    "Cục Sở hữu trí tuệ (Bộ Khoa học và Công nghệ);",
    "UBND tỉnh Lai Châu (để báo cáo);",
    "Lưu: VT.",
)


def _block(sheet: Sheet) -> model.TableBlock:
    def texts(row: Sequence[Cell]) -> list[str]:
        return [display(v, c, "vi") for v, c in zip(row, sheet.columns, strict=True)]

    return model.TableBlock(
        title=sheet.title,
        header=[c.header for c in sheet.columns],
        rows=[texts(row) for row in sheet.rows],
        total=texts(sheet.total) if sheet.total is not None else None,
        notes=list(sheet.notes),
        numeric=[c.type != "text" for c in sheet.columns],
    )


def yearly_draft(laid: LaidOut, year: int, agency_code: str, agency_name: str, signer: model.Signer) -> Draft:
    """The signed yearly report of ``year``: "Số: NN/BC-<agency>", to the IP Office, the tables as its body."""
    intro = (
        f"Thực hiện Kế hoạch số 3320/KH-UBND ngày 15/10/2021 của Ủy ban nhân dân tỉnh Lai Châu triển khai Chiến lược "
        f"sở hữu trí tuệ đến năm 2030, {agency_name} báo cáo kết quả công tác thực thi quyền sở hữu trí tuệ trên "
        f"địa bàn tỉnh năm {year} như sau (số liệu do hệ thống ipcoord tổng hợp):"
    )
    generation = laid.report.generation
    return Draft(
        subject=f"report:yearly:{year}:{generation}",
        symbol=f"BC-{agency_code}",
        kind="BÁO CÁO",
        summary=f"Kết quả công tác thực thi quyền sở hữu trí tuệ năm {year}",
        body=[model.Paragraph(intro), *(_block(sheet) for sheet in laid.sheets)],
        recipients=RECIPIENTS,
        signer=signer,
        superior="UBND tỉnh Lai Châu",
    )
