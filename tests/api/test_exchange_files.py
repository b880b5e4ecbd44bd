"""Files a partner listed on a referral, on the receiver's referral page, with two real instances
(tests/exchange_nodes.py): name, size and SHA-256 listed; the download fetches through the receiver's own node with
a signed request, checks the hash and keeps the file once; other bytes than the hash names are refused, kept nowhere.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from service.attachments.models import Attachment
from service.attachments.service import AttachmentConfig
from tests.exchange_nodes import (
    A,
    B,
    Instance,
    database,
    deliver,
    nodes,
    paired,
    seizure_with_violator,
    signed_in,
)

__all__ = ["nodes"]  # the module-scoped fixture of the two instances


def pdf(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), colour).save(buffer, "PDF")
    return buffer.getvalue()


async def referred_with(nodes: dict[str, Instance], *files: tuple[str, bytes]) -> tuple[dict[str, Any], list[dict]]:
    """A referral from A's QLTT to B's with these files; delivered; B's copy of it, and A's attachments."""
    await paired(nodes)
    incident = await seizure_with_violator(nodes[A])
    async with signed_in(nodes[A], "agency_staff") as qltt_a:
        added = []
        for name, content in files:
            upload = {"file": (name, content, "application/pdf")}
            response = await qltt_a.post(f"/api/incidents/{incident.id}/attachments", files=upload)
            assert response.status_code == 201, response.text
            added.append(response.json())
        body = {
            "incident_id": str(incident.id),
            "to_agency": f"{B}:QLTT",
            "type": "PHOI_HOP_XAC_MINH",
            "message": f"Tệp {incident.id}",
            "attachment_ids": [a["id"] for a in added],
        }
        assert (await qltt_a.post("/api/referrals", json=body)).status_code == 201
    await deliver(nodes[A])
    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        inbox = (await qltt_b.get("/api/referrals/inbox")).json()
    return next(r for r in inbox if r["message"] == body["message"]), added


async def kept(instance: Instance, sha256: str) -> int:
    async with database(instance) as session:
        stmt = select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256)
        return await session.scalar(stmt) or 0


async def test_the_receiver_lists_the_partners_files_and_downloads_one_through_its_node_once(
    nodes: dict[str, Instance],
):
    content = pdf("white")
    digest = hashlib.sha256(content).hexdigest()
    arrived, _ = await referred_with(nodes, ("bien_ban_tam_giu.pdf", content))
    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        page = await qltt_b.get(f"/referrals/{arrived['id']}")
        assert page.status_code == 200
        assert "bien_ban_tam_giu.pdf" in page.text and digest in page.text
        assert f"/referrals/{arrived['id']}/incoming/{digest}" in page.text
        before = await kept(nodes[B], digest)
        for _ in range(2):  # the second download is served from the copy kept here
            download = await qltt_b.get(f"/referrals/{arrived['id']}/incoming/{digest}")
            assert download.status_code == 200, download.text
            assert download.content == content and download.headers["content-type"].startswith("application/pdf")
            assert "bien_ban_tam_giu.pdf" in download.headers["content-disposition"]
        assert await kept(nodes[B], digest) == before + 1
        again = await qltt_b.get(f"/referrals/{arrived['id']}")
        assert "đã lưu tại đây" in again.text
        unlisted = await qltt_b.get(f"/referrals/{arrived['id']}/incoming/{'0' * 64}")
        assert unlisted.status_code == 404


async def test_bytes_that_do_not_match_the_listed_hash_are_refused_and_kept_nowhere(nodes: dict[str, Instance]):
    content = pdf("black")
    digest = hashlib.sha256(content).hexdigest()
    arrived, [added] = await referred_with(nodes, ("anh_kho.pdf", content))
    async with database(nodes[A]) as session:  # A's stored file was changed behind its back
        stored = await session.get(Attachment, added["id"])
        assert stored is not None
        path = AttachmentConfig.from_settings(nodes[A].settings).store.path_of(stored.storage_key)  # type: ignore[attr-defined]
        path.chmod(0o600)
        path.write_bytes(pdf("red"))
    async with signed_in(nodes[B], "agency_staff") as qltt_b:
        refused = await qltt_b.get(f"/referrals/{arrived['id']}/incoming/{digest}")
        assert refused.status_code == 502
        assert "không khớp mã SHA-256" in refused.text
        assert refused.headers["content-type"].startswith("text/html")
    assert await kept(nodes[B], digest) == 0
