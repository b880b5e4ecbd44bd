"""Importing past spreadsheets over HTTP, real PostgreSQL: the 40-row register, bad files, commit all or nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from service.app import create_app
from service.imports.models import ImportedRow, IncidentImport
from service.incidents.models import Incident, IncidentEvent
from service.settings import Settings
from tests.builders import logged_in
from tests.conftest import TEST_SECRET
from tests.import_fixtures import (
    BAD_DATE_ROW,
    CSV_ROWS,
    DOTTED_VALUE_ROW,
    MAPPING,
    MISSPELT_ROW,
    UNKNOWN_UNIT_ROW,
    WORKBOOK_ROWS,
    big_csv,
    build_workbook,
    csv_text,
    expected_total,
    to_cp1258,
    workbook_with,
)

Client = AsyncTestClient[Litestar]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = {"Accept": "text/html,application/xhtml+xml"}


async def upload(client: Client, headers: dict[str, str], content: bytes, name: str = "so_theo_doi.xlsx") -> Any:
    """POST the file as multipart field `file`, as the page's form does."""
    return await client.post("/api/imports", files={"file": (name, content, XLSX)}, headers=headers)


async def mapped(client: Client, headers: dict[str, str], content: bytes, name: str = "so_theo_doi.xlsx") -> str:
    """Upload and map a register the way an officer would; the import's id."""
    response = await upload(client, headers, content, name)
    assert response.status_code == 201, response.text
    import_id = response.json()["id"]
    mapping = await client.put(f"/api/imports/{import_id}/mapping", json=MAPPING, headers=headers)
    assert mapping.status_code == 200, mapping.text
    return str(import_id)


async def count(db: AsyncSession, model: Any) -> int:
    return await db.scalar(select(func.count()).select_from(model)) or 0


def problems(rows: list[dict[str, Any]], kind: str) -> dict[int, list[tuple[str, str]]]:
    return {r["row"]: [(p["field"], p["code"]) for p in r[kind]] for r in rows if r[kind]}


def assert_names_field(body: dict[str, Any], field: str) -> None:
    """A refusal that names the field in Vietnamese and in English."""
    assert body["field"] == field
    assert f"`{field}`" in body["message_vi"] and f"`{field}`" in body["message_en"]
    assert body["message_vi"] != body["message_en"]


async def test_register_of_40_past_seizures_dry_runs_with_exactly_the_planted_errors(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    import_id = await mapped(client, headers, build_workbook())
    response = await client.post(f"/api/imports/{import_id}/dry-run", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["ok"], body["warnings"], body["errors"], body["imported"]) == (40, 37, 1, 2, 0)
    assert problems(body["rows"], "errors") == {
        UNKNOWN_UNIT_ROW: [("commune", "import.unit.unknown")],
        BAD_DATE_ROW: [("occurred_on", "import.value.date_format")],
    }
    assert problems(body["rows"], "warnings") == {MISSPELT_ROW: [("commune", "import.unit.fuzzy")]}
    by_row = {r["row"]: r for r in body["rows"]}
    bad_date = by_row[BAD_DATE_ROW]["errors"][0]
    assert "15.03.2024" in bad_date["message_vi"] and "15.03.2024" in bad_date["message_en"]
    assert bad_date["column"] == "Ngày kiểm tra"
    assert "Xã Khổng Lào" in by_row[MISSPELT_ROW]["warnings"][0]["message_en"]
    assert by_row[DOTTED_VALUE_ROW]["status"] == "ok" and by_row[DOTTED_VALUE_ROW]["goods_value_vnd"] == 1_250_000
    assert by_row[7]["matches"][-1] == {
        "field": "commune",
        "written": "Ban Bo",
        "unit": "Xã Bản Bo",
        "generation": "2024",
        "code": "03424",
        "how": "folded",
    }
    assert await count(db, Incident) == 0


async def test_a_formula_is_refused_at_upload_naming_its_cell(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    response = await upload(client, headers, build_workbook(formula=True))
    assert response.status_code == 422
    assert response.json()["code"] == "import.formula"
    assert_names_field(response.json(), "file")
    assert "H6" in response.json()["message_vi"] and "H6" in response.json()["message_en"]


async def _commit_fixed(client: Client, headers: dict[str, str], content: bytes | None = None) -> dict[str, Any]:
    import_id = await mapped(client, headers, content or build_workbook(fixed=True))
    response = await client.post(f"/api/imports/{import_id}/commit", json={"confirm": [MISSPELT_ROW]}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_fixed_register_commits_all_40_under_their_2024_and_2025_units(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db, role="agency_staff")
    import_id = await mapped(client, headers, build_workbook(fixed=True))
    refused = await client.post(f"/api/imports/{import_id}/commit", json={}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["field"] == f"rows[{MISSPELT_ROW}].commune"
    assert f"Dòng {MISSPELT_ROW}" in refused.json()["errors"][0]["message_vi"]
    assert await count(db, Incident) == 0
    done = await client.post(f"/api/imports/{import_id}/commit", json={"confirm": [MISSPELT_ROW]}, headers=headers)
    assert done.status_code == 200, done.text
    assert (done.json()["stored"], done.json()["already_imported"]) == (40, 0)
    stored = {i.payload["record_number"]: i for i in await db.scalars(select(Incident))}
    assert len(stored) == 40
    for index, row in enumerate(WORKBOOK_ROWS):
        incident = stored[f"{index + 1:02d}/BB-QLTT"]
        assert (incident.commune_2024, incident.district_2024, incident.unit_2025) == row.expected, index + 2
        assert incident.goods_value_vnd == expected_total(index)
        assert incident.agency_id == user.agency_id
    assert stored["40/BB-QLTT"].district_2024_split is True


async def test_every_imported_incident_says_who_imported_it_from_which_file_and_row(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db, role="agency_staff")
    done = await _commit_fixed(client, headers)
    history = await client.get(f"/api/incidents/{done['incident_ids'][10]}/history", headers=headers)
    assert history.status_code == 200
    [created] = history.json()
    assert created["action"] == "created" and created["actor"] == user.username
    assert "so_theo_doi.xlsx" in created["reason"] and "dòng 12" in created["reason"] and "row 12" in created["reason"]
    assert created["changes"]["record_number"] == "11/BB-QLTT"


async def test_reimporting_the_same_file_stores_nothing_new(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    content = build_workbook(fixed=True)  # the same bytes twice (openpyxl stamps the time it saves)
    await _commit_fixed(client, headers, content)
    again = await upload(client, headers, content, "so_theo_doi (1).xlsx")
    assert again.status_code == 201
    import_id = again.json()["id"]
    assert again.json()["mapping_source"] == "remembered"
    await client.put(f"/api/imports/{import_id}/mapping", json=again.json()["mapping"], headers=headers)
    dry = (await client.post(f"/api/imports/{import_id}/dry-run", headers=headers)).json()
    assert dry["imported"] == 40 and {r["status"] for r in dry["rows"]} == {"imported"}
    done = await client.post(f"/api/imports/{import_id}/commit", json={}, headers=headers)
    assert done.status_code == 200, done.text
    assert (done.json()["stored"], done.json()["already_imported"]) == (0, 40)
    assert await count(db, Incident) == 40
    assert await count(db, ImportedRow) == 40


async def test_the_mapping_is_remembered_for_the_agencys_next_upload(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    await mapped(client, headers, build_workbook())
    reordered = [CSV_ROWS[0][::-1], *(row[::-1] for row in CSV_ROWS[1:])]
    response = await upload(client, headers, csv_text(reordered).encode(), "nam_2024.csv")
    body = response.json()
    assert body["mapping_source"] == "remembered"
    assert {(m["column"], m["field"]) for m in body["mapping"]["columns"]} == {
        ("Ngày kiểm tra", "occurred_on"),
        ("Xã/Phường", "commune"),
        ("Huyện", "district"),
        ("Hàng hóa", "goods_description"),
        ("Trị giá", "goods_total_value"),
    }
    assert body["mapping"]["defaults"]["subject_matter"] == ["NHAN_HIEU"]


async def test_another_agency_does_not_see_the_import(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    import_id = await mapped(client, headers, build_workbook())
    await client.post("/api/auth/logout", headers=headers)
    _, other = await logged_in(client, db, role="agency_head", agency="CA")
    assert (await client.get(f"/api/imports/{import_id}", headers=other)).status_code == 404
    assert (await client.post(f"/api/imports/{import_id}/dry-run", headers=other)).status_code == 404
    assert (await client.get("/api/imports", headers=other)).json() == []


@pytest.fixture
async def failing_insert(engine: AsyncEngine, db: AsyncSession) -> AsyncIterator[str]:
    """A trigger that makes PostgreSQL refuse one incident: a failure in the middle of a commit."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE FUNCTION refuse_incident() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'refused for the test'; END $$"
            )
        )
        await connection.execute(
            text(
                "CREATE TRIGGER refuse_incident BEFORE INSERT ON incidents FOR EACH ROW "
                "WHEN (NEW.payload->>'record_number' = '20/BB-QLTT') EXECUTE FUNCTION refuse_incident()"
            )
        )
    yield "20/BB-QLTT"
    await db.rollback()  # the test's reads hold a lock the DROP would wait for
    async with engine.begin() as connection:
        await connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        await connection.execute(text("DROP TRIGGER refuse_incident ON incidents"))
        await connection.execute(text("DROP FUNCTION refuse_incident()"))


async def test_a_commit_failing_midway_stores_nothing(client: Client, db: AsyncSession, failing_insert: str):
    _, headers = await logged_in(client, db, role="agency_staff")
    import_id = await mapped(client, headers, build_workbook(fixed=True))
    response = await client.post(f"/api/imports/{import_id}/commit", json={"confirm": [MISSPELT_ROW]}, headers=headers)
    assert response.status_code == 500
    assert await count(db, Incident) == 0
    assert await count(db, IncidentEvent) == 0
    assert await count(db, ImportedRow) == 0
    record = await db.scalar(select(IncidentImport).where(IncidentImport.id == import_id))
    assert record is not None and record.status == "mapped"


async def test_csv_in_windows_1258_and_in_utf8_with_bom_read_as_the_same_rows(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    source = csv_text(CSV_ROWS, delimiter=";")
    legacy = await upload(client, headers, to_cp1258(source), "cu.csv")
    modern = await upload(client, headers, b"\xef\xbb\xbf" + source.encode(), "moi.csv")
    assert (legacy.status_code, modern.status_code) == (201, 201)
    assert (legacy.json()["encoding"], modern.json()["encoding"]) == ("cp1258", "utf-8-sig")
    assert legacy.json()["delimiter"] == modern.json()["delimiter"] == ";"
    assert legacy.json()["preview"] == modern.json()["preview"]
    assert [c["header"] for c in legacy.json()["columns"]] == CSV_ROWS[0]
    assert legacy.json()["preview"][1]["cells"][1] == "Mường Than"


@pytest.mark.parametrize(
    ("content", "status", "code", "detail"),
    [
        (b"", 400, "import.empty", None),
        (workbook_with(second_sheet="Tổng hợp"), 422, "import.second_sheet", "Tổng hợp"),
        (workbook_with(merged="A1:M1"), 422, "import.merged_cells", "A1:M1"),
        (big_csv(100_000), 422, "import.too_many_rows", "100000"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, 415, "import.unsupported_type", None),
    ],
    ids=["empty", "second-sheet", "merged-header", "100000-rows", "legacy-xls"],
)
async def test_a_bad_file_is_refused_naming_the_field_in_both_languages(
    client: Client, db: AsyncSession, content: bytes, status: int, code: str, detail: str | None
):
    _, headers = await logged_in(client, db, role="agency_staff")
    response = await upload(client, headers, content)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert_names_field(response.json(), "file")
    if detail:
        assert detail in response.json()["message_vi"] and detail in response.json()["message_en"]
    assert await count(db, IncidentImport) == 0


async def test_a_file_over_the_size_limit_is_refused(database_url: str, tmp_path: Path, db: AsyncSession):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_path)}
    app = create_app(Settings.from_env(env | {"UPLOAD_MAX_BYTES": "4096"}))
    async with AsyncTestClient(app=app) as small:
        _, headers = await logged_in(small, db, role="agency_staff")
        response = await upload(small, headers, big_csv(100))
    assert response.status_code == 413
    assert response.json()["code"] == "import.too_large"
    assert_names_field(response.json(), "file")


@pytest.mark.parametrize(
    ("columns", "field", "code"),
    [
        ([("Huyện", "district"), ("Huyện", "commune")], "columns[2].column", "import.mapping.column_twice"),
        ([("Huyện", "district"), ("Xã/Phường", "district")], "columns[2].field", "import.mapping.field_twice"),
        ([("Huyện", "district")], "columns", "import.mapping.missing"),
    ],
    ids=["column-twice", "field-twice", "no-date"],
)
async def test_a_bad_mapping_is_refused_naming_the_entry(
    client: Client, db: AsyncSession, columns: list[tuple[str, str]], field: str, code: str
):
    _, headers = await logged_in(client, db, role="agency_staff")
    import_id = (await upload(client, headers, build_workbook())).json()["id"]
    body = {"columns": [{"column": c, "field": f} for c, f in [("Ngày kiểm tra", "occurred_on"), *columns]]}
    if code == "import.mapping.missing":
        body["columns"] = body["columns"][1:]
    response = await client.put(f"/api/imports/{import_id}/mapping", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    assert_names_field(response.json(), field)


async def test_a_year_in_the_future_is_an_error_of_its_row_and_the_commit_names_it(client: Client, db: AsyncSession):
    _, headers = await logged_in(client, db, role="agency_staff")
    rows = [CSV_ROWS[0], ["12/01/2031", *CSV_ROWS[1][1:]], CSV_ROWS[2]]
    import_id = (await upload(client, headers, csv_text(rows).encode(), "sai_nam.csv")).json()["id"]
    mapping = {
        "columns": [{"column": "Ngày kiểm tra", "field": "occurred_on"}, {"column": "Xã/Phường", "field": "commune"}]
    }
    await client.put(f"/api/imports/{import_id}/mapping", json=mapping, headers=headers)
    dry = (await client.post(f"/api/imports/{import_id}/dry-run", headers=headers)).json()
    assert ("occurred_on", "import.value.in_future") in problems(dry["rows"], "errors")[2]
    response = await client.post(f"/api/imports/{import_id}/commit", json={}, headers=headers)
    assert response.status_code == 422
    [error] = [e for e in response.json()["errors"] if e["field"] == "rows[2].occurred_on"]
    assert error["code"] == "import.value.in_future"
    assert "2031" in error["message_vi"] and "2031" in error["message_en"]
    assert "`occurred_on`" in error["message_vi"] and "`occurred_on`" in error["message_en"]


async def _form_token(client: Client, path: str) -> str:
    page = await client.get(path, headers=HTML)
    assert page.status_code == 200, page.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert token
    return token.group(1)


async def test_staff_import_through_the_pages_without_javascript(client: Client, db: AsyncSession):
    await logged_in(client, db, role="agency_staff")
    token = await _form_token(client, "/imports")
    files = {"file": ("so_theo_doi.xlsx", build_workbook(fixed=True), XLSX)}
    sent = await client.post("/imports", files=files, data={"_csrf_token": token}, headers=HTML, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    page = sent.headers["location"]
    form = {"_csrf_token": token, "default_subject_matter": "NHAN_HIEU", "default_infringement_acts": "KHAC"}
    form |= {f"col_{i}": field for i, field in enumerate(["", "occurred_on", "record_number", "goods_description"])}
    form |= {"col_4": "goods_mark", "col_5": "goods_quantity", "col_6": "goods_unit", "col_7": "goods_total_value"}
    form |= {"col_8": "commune", "col_9": "district"}
    assert (await client.post(f"{page}/mapping", data=form, headers=HTML, follow_redirects=False)).status_code == 303
    shown = await client.get(page, headers=HTML)
    assert "Xã Khổng Lào" in shown.text and f'name="confirm" value="{MISSPELT_ROW}"' in shown.text
    refused = await client.post(f"{page}/commit", data={"_csrf_token": token}, headers=HTML)
    assert refused.status_code == 422 and f"Dòng {MISSPELT_ROW}" in refused.text
    confirmed = {"_csrf_token": token, "confirm": str(MISSPELT_ROW)}
    done = await client.post(f"{page}/commit", data=confirmed, headers=HTML, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("stored=40")
    assert await count(db, Incident) == 40
