"""The exchange between ipcoord instances (service/exchange/, docs/exchange.md)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "exchange.unknown_key": (
        "{field}: khóa ký {kid} không thuộc nút đối tác nào đã ghim (khóa lạ hoặc đã đổi).",
        "{field}: the signing key {kid} belongs to no pinned partner node (unknown or changed key).",
    ),
    "exchange.bad_signature": (
        "{field}: chữ ký không hợp lệ với khóa đã ghim của đối tác (nội dung đã bị sửa?).",
        "{field}: the signature does not verify under the partner's pinned key (was the content modified?).",
    ),
    "exchange.wrong_sender": (
        "{field}: thông điệp ghi nút gửi khác với nút {sender} sở hữu khóa ký.",
        "{field}: the message names a sender other than {sender}, whose key signed it.",
    ),
    "exchange.wrong_node": (
        "{field}: thông điệp không gửi cho nút {node}.",
        "{field}: the message is not addressed to node {node}.",
    ),
    "exchange.malformed": (
        "{field}: thông điệp không đúng lược đồ ipcoord-exchange/1.",
        "{field}: the message does not match the ipcoord-exchange/1 schema.",
    ),
    "exchange.bad_body": (
        "{field}: nội dung thông điệp không đúng lược đồ ({detail}).",
        "{field}: the message body does not match the schema ({detail}).",
    ),
    "exchange.from_future": (
        "{field}: thời điểm phát hành (issued_at) sớm hơn đồng hồ của nút nhận quá 5 phút.",
        "{field}: issued_at is more than 5 minutes ahead of the receiver's clock.",
    ),
    "exchange.expired": (
        "{field}: thông điệp đã quá 7 ngày kể từ khi phát hành; không nhận.",
        "{field}: the message was issued more than 7 days ago; refused.",
    ),
    "exchange.duplicate": (
        "{field}: thông điệp {id} đã được nhận trước đó (phiếu chuyển {referral_id}); không lưu lại lần nữa.",
        "{field}: message {id} was received before (referral {referral_id}); nothing is stored again.",
    ),
    "exchange.id_reused": (
        "{field}: mã thông điệp {id} đã dùng cho một thông điệp khác; không nhận.",
        "{field}: message id {id} was already used for another message; refused.",
    ),
    "exchange.agency_not_accepted": (
        "{field}: nút này không nhận phiếu chuyển cho cơ quan {agency}.",
        "{field}: this node does not accept referrals for the agency {agency}.",
    ),
    "exchange.unknown_referral": (
        "{field}: nút đối tác chưa từng nhận phiếu chuyển {referral_id} từ nút này.",
        "{field}: the partner node never received referral {referral_id} from this node.",
    ),
    "exchange.file_not_listed": (
        "{field}: nút đối tác không gửi kèm tệp {sha256} với hồ sơ này.",
        "{field}: the partner node listed no file {sha256} on this referral.",
    ),
    "exchange.fetch_failed": (
        "Không lấy được tệp từ nút {node} ({detail}); hãy thử lại sau.",
        "Could not fetch the file from node {node} ({detail}); try again later.",
    ),
    "exchange.hash_mismatch": (
        "Tệp nút {node} gửi không khớp mã SHA-256 {sha256} đã khai báo: đã từ chối, không lưu.",
        "The file node {node} sent does not match its listed SHA-256 {sha256}: refused, not stored.",
    ),
    "exchange.attachment_not_found": (
        "{field}: không có tệp {sha256} trong phiếu chuyển nào gửi cho nút này.",
        "{field}: no file {sha256} on any referral sent to this node.",
    ),
}
MESSAGES |= {
    "ui.menu.exchange": ("Trao đổi liên tỉnh", "Exchange"),
    "ui.exchange.title": ("Trao đổi hồ sơ với các tỉnh", "Exchange with other provinces"),
    "ui.exchange.partners": ("Nút đối tác", "Partner nodes"),
    "ui.exchange.node": ("Nút", "Node"),
    "ui.exchange.name": ("Tên", "Name"),
    "ui.exchange.inbox": ("Hộp thư nhận", "Inbox"),
    "ui.exchange.fingerprint": ("Dấu vân tay khóa", "Key fingerprint"),
    "ui.exchange.pinned_at": ("Ghim lúc", "Pinned at"),
    "ui.exchange.no_partners": ("Chưa có nút đối tác.", "No partner node yet."),
    "ui.exchange.log": ("Nhật ký thông điệp", "Message log"),
    "ui.exchange.at": ("Thời điểm", "Time"),
    "ui.exchange.direction": ("Chiều", "Direction"),
    "ui.exchange.direction.in": ("Nhận", "In"),
    "ui.exchange.direction.out": ("Gửi", "Out"),
    "ui.exchange.type": ("Loại", "Type"),
    "ui.exchange.result": ("Kết quả", "Result"),
    "ui.exchange.attempts": ("Số lần gửi", "Attempts"),
    "ui.exchange.incoming": ("Tệp từ nút đối tác", "Files from the partner node"),
    "ui.exchange.incoming.name": ("Tên tệp", "File name"),
    "ui.exchange.incoming.size": ("Dung lượng", "Size"),
    "ui.exchange.incoming.kb": ("khoảng {size} KB", "about {size} KB"),
    "ui.exchange.incoming.download": ("Tải về", "Download"),
    "ui.exchange.incoming.stored": ("đã lưu tại đây", "kept here"),
    "ui.exchange.incoming.note": (
        "Tệp được lấy qua nút này từ nút đối tác, kiểm tra mã SHA-256 rồi lưu một lần vào hồ sơ.",
        "Files are fetched through this node from the partner node, checked against their SHA-256 and kept once.",
    ),
    "ui.exchange.no_messages": ("Chưa có thông điệp nào.", "No message yet."),
}
