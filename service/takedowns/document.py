"""The written takedown request to a platform, as the agency's signed official letter (công văn; docs/documents.md).

``letter`` is pure: the request's facts (``views.document_facts``) in, a documents Draft out. ``signed_request``
produces it for a member of the recording agency, signed with that agency's certificate; a request not sent yet
comes out as an unnumbered, unsigned draft that says so.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from service import i18n
from service.auth.principal import Principal
from service.clock import LOCAL_TZ, local_day, now
from service.documents import model
from service.documents import service as documents
from service.settings import Settings
from service.takedowns import views
from service.takedowns.service import WrongAgency
from service.takedowns.views import TakedownDocument

RECIPIENTS = ("Như trên;", "Lưu: VT, hồ sơ vụ việc.")


def _moment(at: datetime | None) -> str:
    return f"{at.astimezone(LOCAL_TZ):%H:%M} ngày {at.astimezone(LOCAL_TZ):%d/%m/%Y}" if at else "–"


def _number(facts: TakedownDocument) -> tuple[int | None, str]:
    """ "03/2026/YCGG-QLTT" -> (3, "2026/YCGG-QLTT"); a draft has no number yet, the symbol it will have."""
    if facts.number:
        first, _, rest = facts.number.partition("/")
        return int(first), rest
    return None, f"{local_day(now()).year}/YCGG-{facts.agency_code}"


def _body(facts: TakedownDocument) -> list[model.Block]:
    measures = "; ".join(i18n.message(f"ui.takedown.measure.{code}", "vi").lower() for code in facts.measures)
    registration = f" (số đăng ký {facts.platform_registration})" if facts.platform_registration else ""
    blocks: list[model.Block] = [
        model.Paragraph(f"Căn cứ {facts.legal_basis};"),
        model.Paragraph(
            f"Qua kiểm tra, {facts.agency_name_vi} phát hiện các nội dung sau trên {facts.platform}{registration} có "
            f"dấu hiệu xâm phạm quyền sở hữu trí tuệ (hồ sơ vụ việc số {facts.incident_id}):"
        ),
        model.TableBlock(
            title="Danh sách đường dẫn",
            header=["STT", "Đường dẫn (URL)"],
            rows=[[str(i), url] for i, url in enumerate(facts.urls, start=1)],
            numeric=[True, False],
        ),
    ]
    if facts.seller_account:
        blocks.append(model.Paragraph(f"Tài khoản, gian hàng đăng tải: {facts.seller_account}."))
    blocks += [
        model.Paragraph(f"{facts.agency_name_vi} đề nghị {facts.platform} thực hiện các biện pháp sau: {measures}."),
        model.Paragraph(
            f"Thời hạn thực hiện: trước {_moment(facts.action_due_at)}; báo cáo kết quả trước "
            f"{_moment(facts.report_due_at)} (tính từ khi gửi yêu cầu, theo quy định về thời hạn đang áp dụng)."
        ),
        model.Paragraph(f"Kết quả thực hiện đề nghị gửi về {facts.agency_name_vi} qua địa chỉ liên hệ của cơ quan."),
    ]
    return blocks


def letter(facts: TakedownDocument, signer: model.Signer) -> documents.Draft:
    """The official letter: "V/v đề nghị …" under the number, to the platform, the URLs, measures and clocks."""
    number, symbol = _number(facts)
    return documents.Draft(
        subject=f"takedown:{facts.request_id}",
        symbol=symbol,
        kind=None,
        summary="đề nghị xử lý nội dung xâm phạm quyền sở hữu trí tuệ trên môi trường số",
        body=_body(facts),
        recipients=RECIPIENTS,
        signer=signer,
        addressees=(f"{facts.platform} ({facts.platform_contact})",),
        number=number,
        issued_on=facts.sent_on,
        is_draft=number is None,
    )


async def signed_request(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    takedown_id: uuid.UUID,
    signer: tuple[str, str | None],
) -> documents.Issued:
    """The request's letter, for members of its agency only (it is that agency's document and signature)."""
    facts = await views.document_facts(session, principal, takedown_id)
    if facts.agency_code != principal.agency_code:
        raise WrongAgency()
    name = signer[1] or await documents.user_name(session, principal.user_id)
    draft = letter(facts, model.Signer([signer[0]], name))
    agency, user = principal.agency_id, principal.user_id
    return await documents.issue(session, settings, agency_id=agency, user_id=user, draft=draft)


def file_name(issued: documents.Issued, takedown_id: uuid.UUID) -> str:
    """yeu-cau-go-bo_03-2026-YCGG-QLTT.pdf, or yeu-cau-go-bo_du-thao_<id>.pdf for a draft."""
    if issued.document_id is None:
        return f"yeu-cau-go-bo_du-thao_{takedown_id}.pdf"
    return f"yeu-cau-go-bo_{(issued.number or '').replace('/', '-')}.pdf"
