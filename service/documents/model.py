"""An outgoing administrative document as data (Decree 30/2020/NĐ-CP, Annex I): what the page shows, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (plain text; the layout justifies it and indents its first line)."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A heading inside the body (bold)."""

    text: str


@dataclass(frozen=True)
class TableBlock:
    """A table inside the body: a header row, rows of text, an optional bold total row, notes under it."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    total: Sequence[str] | None = None
    notes: Sequence[str] = ()
    numeric: Sequence[bool] = ()  # per column: right-aligned


Block = Paragraph | Heading | TableBlock


@dataclass(frozen=True)
class Signer:
    """Who signs: the authority line(s) ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC") and the signer's full name."""

    authority: Sequence[str]
    name: str


def number_and_symbol(number: int, symbol: str) -> str:
    """ "05/BC-SKHCN": the number and symbol as printed after "Số:" (numbers below 10 with a leading zero, Decree
    30/2020/NĐ-CP art. 8 and Annex I) and as the register, its API, headers and pages give it: one string."""
    return f"{number:02d}/{symbol}"


@dataclass(frozen=True)
class Document:
    """Everything Decree 30's layout places on the page, in Vietnamese.

    ``kind`` is the document kind in capitals ("BÁO CÁO"); None for an official letter (công văn), whose
    summary then stands under the number as "V/v …". ``seal_note`` is the visible line about the digital
    signature (signed by whom, or why the document is not signed).
    """

    superior: str | None  # the issuing agency's superior, e.g. "UBND TỈNH LAI CHÂU"
    agency: str  # e.g. "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number: int
    symbol: str  # e.g. "BC-SKHCN"
    place: str  # e.g. "Lai Châu"
    issued_on: date
    kind: str | None
    summary: str
    body: Sequence[Block]
    recipients: Sequence[str]
    signer: Signer
    seal_note: str = ""
    addressees: Sequence[str] = field(default_factory=tuple)  # "Kính gửi: …" lines of a letter

    @property
    def number_line(self) -> str:
        """ "Số: 05/BC-SKHCN": numbers below 10 get a leading zero (Decree 30, art. 8 and Annex I); a draft (number
        0) leaves the number blank, to be filled when it is issued."""
        return f"Số: {number_and_symbol(self.number, self.symbol)}" if self.number else f"Số:      /{self.symbol}"

    @property
    def place_and_date(self) -> str:
        """ "Lai Châu, ngày 05 tháng 01 năm 2026": days below 10 and months 1 and 2 get a leading zero."""
        day = f"{self.issued_on.day:02d}"
        month = f"{self.issued_on.month:02d}" if self.issued_on.month < 3 else str(self.issued_on.month)
        return f"{self.place}, ngày {day} tháng {month} năm {self.issued_on.year}"
