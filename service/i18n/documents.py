"""Signed outgoing documents (service/documents/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "document.signed": (
        "Văn bản đã được ký số bởi: {subject} (số sê-ri chứng thư số {serial}).",
        "Digitally signed by: {subject} (certificate serial {serial}).",
    ),
    "document.unsigned": ("VĂN BẢN CHƯA ĐƯỢC KÝ SỐ: {reason}.", "NOT DIGITALLY SIGNED: {reason}."),
    "document.unsigned.no_certificate": (
        "chưa cấu hình chứng thư số cho cơ quan",
        "no certificate is configured for the agency",
    ),
    "document.unsigned.missing": ("không tìm thấy tệp chứng thư số", "the certificate file is missing"),
    "document.unsigned.unreadable": (
        "không mở được tệp chứng thư số (sai mật khẩu hoặc tệp hỏng)",
        "the certificate file cannot be opened (wrong passphrase or damaged file)",
    ),
    "document.unsigned.expired": (
        "chứng thư số đã hết hạn ngày {detail}",
        "the certificate expired on {detail}",
    ),
    "document.unsigned.not_yet_valid": (
        "chứng thư số chỉ có hiệu lực từ ngày {detail}",
        "the certificate is only valid from {detail}",
    ),
    "document.unsigned.draft": (
        "dự thảo, chưa gửi nên chưa có số và chưa ký",
        "a draft, not sent yet, so neither numbered nor signed",
    ),
    # Links to the signed documents on the reports and takedown pages.
    "ui.reports.download.signed": ("Văn bản báo cáo ký số (PDF/A)", "Signed report document (PDF/A)"),
    "ui.takedowns.document": ("Tải văn bản yêu cầu (PDF ký số)", "Download the written request (signed PDF)"),
    "ui.takedowns.document_draft": ("Xem dự thảo văn bản yêu cầu (PDF)", "See the draft written request (PDF)"),
    "document.sign_reason": (
        "Ký số văn bản điện tử của cơ quan (Nghị định 30/2020/NĐ-CP)",
        "The agency's digital signature (Decree 30/2020/NĐ-CP)",
    ),
}
