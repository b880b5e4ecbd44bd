"""Attaching photos and PDFs to an incident over HTTP: checked by content, stored by hash, scoped by agency."""

from __future__ import annotations

import gc
import hashlib
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.attachments.models import Attachment
from service.incidents.models import Incident, IncidentEvent
from service.settings import Settings
from tests.builders import csrf_headers, logged_in, login, make_incident, make_user
from tests.conftest import TEST_SECRET
from tests.unit.test_content_check import PROGRAM, pdf, photo

Client = AsyncTestClient[Litestar]


def _settings(database_url: str, data_dir: Path, **extra: str) -> Settings:
    env = {"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(data_dir)}
    return Settings.from_env(env | {"ATTACHMENTS_DIR": str(data_dir / "attachments")} | extra)


@pytest.fixture
def upload_settings(database_url: str, tmp_path: Path) -> Settings:
    """The test database, with attachments in this test's own folder and the default 20 MiB limit."""
    return _settings(database_url, tmp_path)


@pytest.fixture
def app(upload_settings: Settings) -> Litestar:
    """The app with the attachment routes (overrides conftest's `app`, so `client` uses it)."""
    return create_app(upload_settings)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def upload(
    client: Client, incident_id: Any, name: str, content: bytes, headers: dict[str, str], claimed: str = "image/jpeg"
) -> Any:
    """POST one file as multipart field `file`, the way a browser form sends it."""
    files = {"file": (name, content, claimed)}
    return await client.post(f"/api/incidents/{incident_id}/attachments", files=files, headers=headers)


async def _count_attachments(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(Attachment)) or 0


async def test_photo_upload_stores_its_hash_and_suggests_its_location_for_an_incident_without_gps(
    client: Client, db: AsyncSession, upload_settings: Settings
):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user, lon=None, lat=None, location_source="picked")
    content = photo()
    response = await upload(client, incident.id, "hien_truong.jpg", content, headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["content_type"] == "image/jpeg" and body["size_bytes"] == len(content)
    assert body["suggested_location"] == {"lon": pytest.approx(103.458), "lat": pytest.approx(22.396)}
    stored = await db.scalar(select(Attachment).where(Attachment.id == body["id"]))
    assert stored is not None and stored.sha256 == body["sha256"]
    assert (upload_settings.attachments_dir / stored.storage_key).read_bytes() == content
    await db.refresh(incident)
    assert incident.lon is None and incident.lat is None  # a suggestion only: the incident is unchanged


async def test_photo_location_is_not_suggested_when_the_incident_has_gps(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    body = (await upload(client, incident.id, "a.jpg", photo(), headers)).json()
    assert body["suggested_location"] is None
    assert (body["exif_lon"], body["exif_lat"]) == (pytest.approx(103.458), pytest.approx(22.396))


async def test_upload_is_in_the_incident_history_and_leaves_its_version_alone(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    body = (await upload(client, incident.id, "a.jpg", photo(), headers)).json()
    event = await db.scalar(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id))
    assert event is not None and event.action == "attachment_added" and event.actor_id == user.id
    assert event.changes == {"file_name": "a.jpg", "sha256": body["sha256"], "content_type": "image/jpeg"}
    assert await db.scalar(select(Incident.version).where(Incident.id == incident.id)) == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("so_do.png", photo(image_format="PNG", gps=None), "image/png"), ("bien_ban.pdf", pdf(), "application/pdf")],
)
async def test_png_and_pdf_are_accepted(client: Client, db: AsyncSession, name: str, content: bytes, content_type: str):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    response = await upload(client, incident.id, name, content, headers, claimed="application/octet-stream")
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == content_type and response.json()["file_name"] == name


async def test_program_renamed_jpg_is_refused_and_nothing_is_stored(
    client: Client, db: AsyncSession, upload_settings: Settings
):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    response = await upload(client, incident.id, "anh.jpg", PROGRAM, headers, claimed="image/jpeg")
    assert response.status_code == 415
    assert response.json()["code"] == "attachment.unsupported_type" and response.json()["field"] == "file"
    assert "JPEG" in response.json()["message_en"] and "JPEG" in response.json()["message_vi"]
    assert await _count_attachments(db) == 0
    assert _files(upload_settings.attachments_dir) == []


async def test_text_named_pdf_is_refused(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    text = b"%PDF-1.7\nthis is only text pretending to be a document\n"
    response = await upload(client, incident.id, "bien_ban.pdf", text, headers, claimed="application/pdf")
    assert response.status_code == 415 and response.json()["field"] == "file"


async def test_30_mb_upload_is_413_naming_the_file_and_the_limit(
    client: Client, db: AsyncSession, upload_settings: Settings
):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    huge = photo() + b"\x00" * (30 * 1024 * 1024)
    response = await upload(client, incident.id, "video.jpg", huge, headers)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "attachment.too_large" and body["field"] == "file"
    assert "20 MB" in body["message_en"] and "20 MB" in body["message_vi"]
    assert await _count_attachments(db) == 0
    assert _files(upload_settings.attachments_dir) == []


async def test_file_over_the_limit_by_a_few_bytes_is_413(database_url: str, db: AsyncSession, tmp_path: Path):
    # The request body fits within the multipart allowance; the file's own bytes are what is counted.
    settings = _settings(database_url, tmp_path, UPLOAD_MAX_BYTES="4096")
    async with AsyncTestClient(app=create_app(settings)) as client:
        user, headers = await logged_in(client, db)
        incident = await make_incident(db, user)
        fits = await upload(client, incident.id, "a.jpg", photo(), headers)
        too_big = await upload(client, incident.id, "b.jpg", photo() + b"\0" * 4096, headers)
    assert fits.status_code == 201, fits.text
    assert too_big.status_code == 413 and too_big.json()["code"] == "attachment.too_large"
    assert too_big.json()["field"] == "file" and "0.00391 MB" in too_big.json()["message_en"]


async def test_streamed_upload_without_content_length_is_stopped_at_the_limit(
    database_url: str, db: AsyncSession, tmp_path: Path
):
    # No Content-Length to trust: the bytes are counted as they arrive. (Litestar's test client cannot stream a
    # body, so this one goes through httpx's ASGI transport.)
    settings = _settings(database_url, tmp_path, UPLOAD_MAX_BYTES="4096")
    app = create_app(settings)
    user = await make_user(db)
    incident = await make_incident(db, user)
    path = f"/api/incidents/{incident.id}/attachments"
    form = httpx.Request("POST", path, files={"file": ("a.jpg", photo() + b"\0" * 200_000, "image/jpeg")})
    body = form.read()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 16_384):
            yield body[start : start + 16_384]

    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        assert (await login(client, user.username)).status_code == 200
        headers = await csrf_headers(client)
        with warnings.catch_warnings():
            # Litestar 2.25 leaves the spooled file of an aborted form to the garbage collector (ResourceWarning).
            warnings.simplefilter("ignore", ResourceWarning)
            response = await client.post(
                path, content=chunks(), headers=headers | {"content-type": form.headers["content-type"]}
            )
            gc.collect()
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and response.json()["code"] == "attachment.too_large"
    assert response.json()["field"] == "file"
    assert _files(settings.attachments_dir) == []


async def test_upload_without_a_file_part_names_the_field(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    note = {"note": ("note.txt", b"no photo today", "text/plain")}
    response = await client.post(f"/api/incidents/{incident.id}/attachments", files=note, headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert response.json()["code"] == "field.required"


async def test_download_returns_the_same_bytes_with_safe_headers(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    content = photo()
    created = (await upload(client, incident.id, "Ảnh hiện trường.jpg", content, headers)).json()
    response = await client.get(f"/api/incidents/{incident.id}/attachments/{created['id']}")
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Ảnh hiện trường.jpg', safe='')}" in disposition


async def test_list_shows_attachments_oldest_first(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    await upload(client, incident.id, "1.jpg", photo(), headers)
    await upload(client, incident.id, "2.pdf", pdf(), headers)
    listed = (await client.get(f"/api/incidents/{incident.id}/attachments")).json()
    assert [(a["file_name"], a["content_type"]) for a in listed] == [
        ("1.jpg", "image/jpeg"),
        ("2.pdf", "application/pdf"),
    ]


async def test_path_in_the_file_name_is_dropped_and_the_extension_follows_the_content(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    incident = await make_incident(db, user)
    response = await upload(client, incident.id, "C:\\Users\\thanh\\..\\evidence.exe", photo(), headers)
    assert response.json()["file_name"] == "evidence.exe.jpg"


async def test_inspector_does_not_see_other_agency_attachments(
    client: Client, db: AsyncSession, upload_settings: Settings
):
    owner, headers = await logged_in(client, db)
    incident = await make_incident(db, owner)
    created = (await upload(client, incident.id, "a.jpg", photo(), headers)).json()
    files_before = _files(upload_settings.attachments_dir)
    # A second app instance for the second user, as tests/api/test_auth.py does.
    async with AsyncTestClient(app=create_app(upload_settings)) as other:
        _, other_headers = await logged_in(other, db, agency="CA")
        refused = await upload(other, incident.id, "b.png", photo(image_format="PNG", gps=None), other_headers)
        listed = await other.get(f"/api/incidents/{incident.id}/attachments")
        download = await other.get(f"/api/incidents/{incident.id}/attachments/{created['id']}")
    assert (refused.status_code, listed.status_code, download.status_code) == (404, 404, 404)
    assert download.json()["code"] == "incident.not_found"
    assert await _count_attachments(db) == 1
    assert _files(upload_settings.attachments_dir) == files_before


async def test_attachment_of_another_incident_is_not_served_through_this_one(client: Client, db: AsyncSession):
    user, headers = await logged_in(client, db)
    first, second = await make_incident(db, user), await make_incident(db, user)
    created = (await upload(client, first.id, "a.jpg", photo(), headers)).json()
    response = await client.get(f"/api/incidents/{second.id}/attachments/{created['id']}")
    assert response.status_code == 404 and response.json()["code"] == "attachment.not_found"


async def test_openapi_documents_the_multipart_upload(client: Client):
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/api/incidents/{incident_id}/attachments"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "Đính kèm" in operation["summary"] + operation.get("description", "")
