"""The shared datasets: each a Core select of only the columns a partner may see (de-personalised)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import FromClause, Select, cast, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.sqltypes import Date

from service.auth.models import Agency
from service.incidents.models import Incident
from service.sanctions.models import SanctionDecision

LICENCE = "CC BY 4.0"
LEGAL_BASIS = "Nghị định 47/2020/NĐ-CP (sửa đổi bởi Nghị định 194/2025/NĐ-CP); Kế hoạch 3320/KH-UBND"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    vi: str
    en: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title_vi: str
    title_en: str
    frequency: str
    fields: tuple[Field, ...]
    select: Callable[[], Select[*tuple[Any, ...]]] | None
    key: str
    # Aggregated datasets (service/share/aggregates.py) are computed per request into a table of their fields.
    source: Callable[[AsyncSession], Awaitable[FromClause]] | None = None
    tiebreak: tuple[str, ...] = ("id",)  # makes the default order total, so pages never overlap


def _incidents() -> Select[*tuple[Any, ...]]:
    # No violator, goods description, address, free text or coordinates: the payload is never read.
    statement: Select[*tuple[Any, ...]] = (
        select(
            Incident.id.label("id"),
            Incident.kind.label("kind"),
            Incident.status.label("status"),
            cast(Incident.occurred_at, Date).label("occurred_on"),
            Agency.code.label("agency"),
            Incident.unit_2025.label("unit_2025"),
            Incident.district_2024.label("district_2024"),
            Incident.is_counterfeit.label("is_counterfeit"),
            Incident.goods_value_vnd.label("goods_value_vnd"),
        )
        .join(Agency, Agency.id == Incident.agency_id)
        .where(Incident.status != "withdrawn")
    )
    return statement


def _sanctions() -> Select[*tuple[Any, ...]]:
    # No violator, no decider's name: the agency, the sanction and where the incident happened.
    statement: Select[*tuple[Any, ...]] = (
        select(
            SanctionDecision.id.label("id"),
            SanctionDecision.decided_on.label("decided_on"),
            Agency.code.label("agency"),
            SanctionDecision.principal_sanction.label("principal_sanction"),
            SanctionDecision.fine_vnd.label("fine_vnd"),
            SanctionDecision.payment_status.label("payment_status"),
            Incident.kind.label("kind"),
            Incident.unit_2025.label("unit_2025"),
        )
        .join(Agency, Agency.id == SanctionDecision.agency_id)
        .join(Incident, Incident.id == SanctionDecision.incident_id)
    )
    return statement


_ID = Field("id", "Edm.Guid", "Mã định danh", "Identifier")
_KIND = Field("kind", "Edm.String", "Loại vụ việc", "Incident kind")
_AGENCY = Field("agency", "Edm.String", "Mã cơ quan", "Agency code")
_UNIT = Field("unit_2025", "Edm.String", "Mã xã/phường (2025)", "Commune or ward code (2025)")

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "incidents",
            "Vụ việc xâm phạm quyền SHTT (đã khử định danh)",
            "IP-infringement incidents (de-personalised)",
            "daily",
            (
                _ID,
                _KIND,
                Field("status", "Edm.String", "Trạng thái", "Status"),
                Field("occurred_on", "Edm.Date", "Ngày xảy ra", "Day it occurred"),
                _AGENCY,
                _UNIT,
                Field("district_2024", "Edm.String", "Mã huyện (2024)", "District code (2024)"),
                Field("is_counterfeit", "Edm.Boolean", "Hàng giả", "Counterfeit goods"),
                Field("goods_value_vnd", "Edm.Int64", "Trị giá hàng hóa (đồng)", "Goods value (VND)"),
            ),
            _incidents,
            "occurred_on",
        ),
        Dataset(
            "sanctions",
            "Quyết định xử phạt (đã khử định danh)",
            "Sanction decisions (de-personalised)",
            "daily",
            (
                _ID,
                Field("decided_on", "Edm.Date", "Ngày quyết định", "Day decided"),
                _AGENCY,
                Field("principal_sanction", "Edm.String", "Hình thức xử phạt chính", "Principal sanction"),
                Field("fine_vnd", "Edm.Int64", "Tiền phạt (đồng)", "Fine (VND)"),
                Field("payment_status", "Edm.String", "Tình trạng nộp phạt", "Payment status"),
                _KIND,
                _UNIT,
            ),
            _sanctions,
            "decided_on",
        ),
    )
}


async def table_of(db: AsyncSession, dataset: Dataset) -> FromClause:
    """The dataset's shared columns as one table: its select, or its aggregate computed now."""
    if dataset.source is not None:
        return await dataset.source(db)
    assert dataset.select is not None  # noqa: S101 - every dataset has one of the two
    return dataset.select().subquery(dataset.name)
