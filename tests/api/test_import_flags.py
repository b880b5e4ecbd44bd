"""Likely-duplicate flags of an import's commit, real PostgreSQL: the rows of one batch are compared with other
agencies' incidents as recording them one by one compares them, and only the pairs that look alike are flagged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.cases.models import DuplicateFlag
from service.clock import LOCAL_TZ
from service.imports import units
from service.incidents.models import Incident
from service.incidents.placing import bundled_crosswalk
from tests.builders import logged_in, make_incident, make_user
from tests.import_fixtures import HEADERS, MAPPING, csv_text

Client = AsyncTestClient[Litestar]
COMMUNE, DISTRICT = "Phường Quyết Thắng", "Thành phố Lai Châu"
TAM, CHU = "Hộ kinh doanh Lò Văn Tám", "Hộ kinh doanh Vàng A Chư"


def _row(number: int, day: str, goods: tuple[str, str, int], violator: str) -> list[str]:
    description, mark, quantity = goods
    return [str(number), day, f"{number}/BB-QLTT", description, mark, str(quantity), "đôi",
            f"{quantity * 300_000}", COMMUNE, DISTRICT, violator, "Đội 1", ""]  # fmt: skip


def _place() -> dict[str, Any]:
    """The units the import stores the rows under (a 2024 commune, through the crosswalk)."""
    commune = units.find_commune(COMMUNE, date(2024, 3, 5), units.find_district(DISTRICT)).unit.code
    links = bundled_crosswalk()
    return {"unit_2025": links.commune_successor[commune], "commune_2024": commune,
            "district_2024": links.commune_district[commune], "lon": None, "lat": None,
            "location_source": "crosswalk"}  # fmt: skip


async def _stored(db: AsyncSession, user: Any, day: datetime, violator: str, mark: str, quantity: int) -> Incident:
    goods = [{"description": "Giày", "infringed_mark": mark, "quantity": quantity, "unit": "đôi",
              "unit_price_vnd": 300_000}]  # fmt: skip
    payload = {"kind": "seizure", "occurred_at": day.isoformat(), "record_number": f"{violator}-{day:%j}",
               "subject_matter": ["NHAN_HIEU"], "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"], "goods": goods,
               "violator": {"type": "household", "name": violator}}  # fmt: skip
    return await make_incident(db, user, occurred_at=day, payload=payload, **_place())


async def test_a_batch_flags_exactly_the_rows_that_duplicate_another_agencys_incidents(
    client: Client, db: AsyncSession
) -> None:
    police = await make_user(db, agency="CA", role="agency_staff")
    customs = await make_user(db, agency="HQ", role="agency_staff")
    tam = await _stored(db, police, datetime(2024, 3, 5, tzinfo=LOCAL_TZ), TAM, "Nike", 10)
    chu = await _stored(db, customs, datetime(2024, 6, 10, tzinfo=LOCAL_TZ), CHU, "Adidas", 4)
    await _stored(db, police, datetime(2023, 3, 5, tzinfo=LOCAL_TZ), TAM, "Nike", 10)  # a year before: not near
    rows = [
        HEADERS,
        _row(2, "06/03/2024", ("Giày thể thao", "Nike", 10), TAM),  # the police's seizure, recorded again
        _row(3, "10/06/2024", ("Giày thể thao", "Adidas", 4), CHU),  # two near-duplicate rows of the file,
        _row(4, "11/06/2024", ("Giày thể thao", "Adidas", 4), CHU),  # both the customs' seizure
        _row(5, "05/03/2024", ("Bột giặt", "OMO", 2), "Cửa hàng tạp hóa Tòng Thị B"),  # same place and days only
    ]
    _, headers = await logged_in(client, db, role="agency_staff")
    upload = await client.post(
        "/api/imports", files={"file": ("so.csv", csv_text(rows).encode("utf-8"), "text/csv")}, headers=headers
    )
    assert upload.status_code == 201, upload.text
    import_id = upload.json()["id"]
    mapping = await client.put(f"/api/imports/{import_id}/mapping", json=MAPPING, headers=headers)
    assert mapping.status_code == 200, mapping.text
    done = await client.post(f"/api/imports/{import_id}/commit", json={"confirm": []}, headers=headers)
    assert done.status_code == 200, done.text
    row2, row3, row4, _ = done.json()["incident_ids"]

    flags = {
        frozenset((str(f.incident_a_id), str(f.incident_b_id))): f for f in await db.scalars(select(DuplicateFlag))
    }
    assert set(flags) == {
        frozenset((row2, str(tam.id))),
        frozenset((row3, str(chu.id))),
        frozenset((row4, str(chu.id))),
    }  # not the rows with each other: one agency's register, as recording them one by one
    for flag in flags.values():
        assert flag.status == "open"
        assert {"same_violator", "same_goods", "nearby_place", "close_dates"} <= set(flag.reasons)
    assert flags[frozenset((row2, str(tam.id)))].days_apart == 1
    assert flags[frozenset((row3, str(chu.id)))].days_apart == 0
    assert flags[frozenset((row4, str(chu.id)))].days_apart == 1
