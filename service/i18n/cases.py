"""One case counted once: linked cases and likely duplicates (service/cases/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Linked cases and likely duplicates (service/cases/).
    "case.not_found": ("Không tìm thấy vụ đã gộp.", "Linked case not found."),
    "case.flag_not_found": ("Không tìm thấy cặp nghi trùng.", "Likely-duplicate flag not found."),
    "case.incident_unknown": ("Không có vụ việc: {ids}.", "No such incident: {ids}."),
    "case.incident_withdrawn": (
        "Vụ việc đã rút không thể gộp: {ids}.",
        "Withdrawn incidents cannot be linked: {ids}.",
    ),
    "case.too_few": ("Cần ít nhất hai vụ việc khác nhau để gộp.", "Linking needs at least two different incidents."),
    "case.already_linked": ("Các vụ việc này đã là một vụ.", "These incidents are already one case."),
    "case.not_a_member": ("Vụ việc này không thuộc vụ đã gộp.", "This incident is not part of the case."),
    "case.cli.scanned": (
        "Đã rà soát {count} vụ việc; hiện có {flags} cặp nghi trùng chờ xử lý.",
        "Scanned {count} incidents; {flags} likely-duplicate pairs are now open.",
    ),
    "case.flag_decided": (
        "Cặp nghi trùng này đã được xử lý (trạng thái {status}).",
        "This flag was already decided (status {status}).",
    ),
    # Page texts: likely duplicates and linked cases (service/cases/pages.py).
    "ui.menu.duplicates": ("Nghi trùng", "Likely duplicates"),
    "ui.cases.duplicates.title": ("Vụ việc nghi trùng", "Likely duplicate incidents"),
    "ui.cases.duplicates.intro": (
        "Các cặp vụ việc do các cơ quan khác nhau ghi nhận, cùng hàng hóa hoặc người vi phạm, gần nhau về địa điểm "
        "và thời gian, hoặc cùng số hiệu bên ngoài. Gộp thành một vụ để báo cáo chỉ tính một lần.",
        "Pairs recorded by different agencies with the same goods or violator, close in place and time, or sharing "
        "an external number. Link them as one case so that reports count it once.",
    ),
    "ui.cases.flag_status.open": ("Chờ xử lý", "To decide"),
    "ui.cases.flag_status.linked": ("Đã gộp", "Linked"),
    "ui.cases.flag_status.dismissed": ("Không trùng", "Not one case"),
    "ui.cases.flag_status.cleared": ("Hết nghi trùng", "No longer alike"),
    "ui.cases.why.same_reference": ("Cùng số hiệu bên ngoài", "Same external number"),
    "ui.cases.why.same_violator_id": ("Cùng số giấy tờ người vi phạm", "Same violator ID number"),
    "ui.cases.why.same_violator": ("Cùng tên người vi phạm", "Same violator name"),
    "ui.cases.why.same_goods": ("Cùng hàng hóa, nhãn hiệu", "Same goods or mark"),
    "ui.cases.why.nearby_place": ("Gần nhau", "Nearby place"),
    "ui.cases.why.close_dates": ("Gần ngày", "Close dates"),
    "ui.cases.distance": ("cách {km} km", "{km} km apart"),
    "ui.cases.days_apart": ("cách {days} ngày", "{days} days apart"),
    "ui.cases.agency": ("Cơ quan", "Agency"),
    "ui.cases.occurred_at": ("Thời điểm xảy ra", "Occurred"),
    "ui.cases.place": ("Địa bàn (2025)", "Unit (2025)"),
    "ui.cases.violator": ("Người vi phạm", "Violator"),
    "ui.cases.marks": ("Hàng hóa, nhãn hiệu", "Goods and marks"),
    "ui.cases.goods_value": ("Giá trị hàng hóa", "Goods value"),
    "ui.cases.references": ("Số hiệu bên ngoài", "External numbers"),
    "ui.cases.status": ("Trạng thái", "Status"),
    "ui.cases.withdrawn": ("Đã rút", "Withdrawn"),
    "ui.cases.reason": ("Lý do (lưu vào lịch sử)", "Reason (kept in the history)"),
    "ui.cases.field.reason": ("Lý do", "Reason"),
    "ui.cases.field.incident_id": ("Vụ việc", "Incident"),
    "ui.cases.field.incident_ids": ("Các vụ việc", "Incidents"),
    "ui.cases.link": ("Gộp thành một vụ", "Link as one case"),
    "ui.cases.dismiss": ("Không phải một vụ", "Not one case"),
    "ui.cases.unlink": ("Tách khỏi vụ", "Take out of the case"),
    "ui.cases.decided": ("{status} bởi {by}, {at}", "{status} by {by}, {at}"),
    "ui.cases.open_case": ("Xem vụ đã gộp", "Open the linked case"),
    "ui.cases.more": ("Xem thêm", "More"),
    "ui.cases.none": ("Không có cặp nào.", "No pairs."),
    "ui.cases.back": ("Về danh sách nghi trùng", "Back to likely duplicates"),
    "ui.cases.done.linked": (
        "Đã gộp: báo cáo tính các vụ việc này là một vụ.",
        "Linked: reports count these incidents as one case.",
    ),
    "ui.cases.done.unlinked": ("Đã tách vụ việc khỏi vụ.", "The incident was taken out of the case."),
    "ui.cases.done.dismissed": ("Đã ghi nhận: không phải một vụ.", "Recorded: not one case."),
    "ui.cases.case.title": ("Vụ đã gộp", "Linked case"),
    "ui.cases.case.intro": (
        "{count} vụ việc được tính là một vụ; gộp bởi {by}, {at}.",
        "{count} incidents counted as one case; linked by {by}, {at}.",
    ),
    "ui.cases.case.empty": (
        "Vụ này không còn vụ việc nào (đã tách); lịch sử vẫn được lưu ở từng vụ việc.",
        "No incident is left in this case (taken out); each incident's history keeps the steps.",
    ),
    "ui.cases.dashboard": (
        "{count} cặp vụ việc nghi trùng chờ xử lý: gộp thành một vụ hoặc ghi nhận không trùng.",
        "{count} likely duplicate pairs to decide: link them as one case or mark them as not one case.",
    ),
    "ui.cases.linked_with": ("Được tính chung một vụ với", "Counted as one case with"),
    "ui.cases.same_number": (
        "Số hiệu {number} cũng có ở vụ việc khác; điều phối viên đã được báo để xem xét.",
        "The number {number} is also on another incident; the coordinator has been alerted.",
    ),
}
