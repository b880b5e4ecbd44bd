"""Coordination maps (service/map_views/, maps/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Maps.
    "ui.maps.tip.unit": ("Đơn vị", "Unit"),
    "ui.maps.tip.result": ("Kết quả", "Result"),
    "ui.maps.tip.count_hidden": ("Số vụ (ẩn nếu ít)", "Cases (hidden if few)"),
    "ui.maps.indicative_hot": ("Gợi ý nóng (chưa qua FDR)", "Indicative hot (not after FDR)"),
    "ui.maps.indicative_cold": ("Gợi ý lạnh (chưa qua FDR)", "Indicative cold (not after FDR)"),
    "ui.maps.cap.period": ("Kỳ: {start} – {end}", "Period: {start} – {end}"),
    "ui.maps.cap.kind": ("Loại", "Kind"),
    "ui.maps.cap.subject_matter": ("Đối tượng", "Subject matter"),
    "ui.maps.cap.act": ("Hành vi", "Act"),
    "ui.maps.cap.agency": ("Cơ quan: {agency}", "Agency: {agency}"),
    "ui.maps.cap.all": ("Cơ quan: tất cả", "Agency: all"),
    "ui.maps.gen.2025": ("Đơn vị cấp xã 2025", "2025 commune-level units"),
    "ui.maps.gen.2024": ("Huyện cũ (trước 1/7/2025)", "Former districts (before 1 July 2025)"),
    "ui.maps.gen.units38": ("38 đơn vị cấp xã 2025", "38 commune-level units (2025)"),
    "ui.maps.cap.h3": ("Ô H3 độ phân giải {resolution}", "H3 cells, resolution {resolution}"),
    "ui.maps.cap.test": (
        "{permutations} hoán vị, hạt giống {seed}, FDR α = {alpha}",
        "{permutations} permutations, seed {seed}, FDR α = {alpha}",
    ),
    "ui.maps.cap.hexbins": (
        "Ô H3 độ phân giải {resolution}, tối thiểu {min_count} vụ/ô",
        "H3 cells, resolution {resolution}, at least {min_count} incidents per cell",
    ),
    "ui.maps.legend.per_unit": ("{metric} theo đơn vị", "{metric} per unit"),
    "ui.maps.legend.hotspots": ("Điểm nóng Getis-Ord Gi*", "Getis-Ord Gi* hot spots"),
    "ui.maps.legend.hexbins": ("Số vụ có tọa độ GPS mỗi ô", "Incidents with GPS per cell"),
    "ui.maps.from": ("Từ ngày (dd/mm/yyyy)", "From (dd/mm/yyyy)"),
    "ui.maps.to": ("Đến ngày (dd/mm/yyyy)", "To (dd/mm/yyyy)"),
    "ui.maps.areas_list": (
        "Vụ việc theo từng đơn vị (bấm vào một đơn vị trên bản đồ cũng mở danh sách)",
        "Incidents per unit (clicking a unit on the map opens its list too)",
    ),
    "ui.maps.resolution": ("Độ phân giải H3 (4–10)", "H3 resolution (4–10)"),
    "ui.maps.alpha": ("Mức FDR α (0–0,2)", "FDR α (0–0.2)"),
    "ui.maps.show": ("Xem bản đồ", "Show map"),
    "ui.maps.download": ("Tải dữ liệu", "Download data"),
    "ui.maps.kind": ("Loại vụ việc", "Kind"),
    "ui.maps.all": ("Tất cả", "All"),
    "ui.maps.agency": ("Cơ quan", "Agency"),
    "ui.maps.subject_matter": ("Đối tượng SHTT", "Subject matter"),
    "ui.maps.act": ("Hành vi", "Act"),
    "ui.maps.generation": ("Đơn vị", "Units"),
    "ui.maps.generation.2025": ("Xã/phường 2025", "2025 communes"),
    "ui.maps.generation.2024": ("Huyện cũ 2024", "2024 districts"),
    "ui.maps.metric": ("Chỉ tiêu", "Figure"),
    "ui.maps.areas": ("Vùng kiểm định", "Areas"),
    "ui.maps.areas.units": ("38 đơn vị", "38 units"),
    "ui.maps.areas.h3": ("Ô lục giác H3", "H3 hexagons"),
    "ui.maps.title.choropleth": ("Bản đồ số vụ theo đơn vị", "Cases per unit"),
    "ui.maps.title.hotspots": ("Điểm nóng vi phạm", "Infringement hot spots"),
    "ui.maps.title.hexbins": ("Mật độ vụ việc", "Incident density"),
    "ui.maps.metric.count": ("Số vụ", "Cases"),
    "ui.maps.metric.goods_value_vnd": ("Giá trị hàng vi phạm", "Seized value"),
    "ui.maps.metric.fine_vnd": ("Tiền phạt", "Fines"),
    "maps.period_order": (
        "Ngày kết thúc (`end`) không được trước ngày bắt đầu (`start`).",
        "The period cannot end (`end`) before it starts (`start`).",
    ),
    "maps.period_too_long": (
        "Khoảng thời gian không được dài quá {years} năm (`start` đến `end`, để trống là hôm nay).",
        "The period cannot span more than {years} years (`start` to `end`; an empty end means today).",
    ),
    "maps.note.too_few_incidents": (
        "Chỉ có {total} vụ; cần ít nhất {needed} vụ để kiểm định điểm nóng có ý nghĩa, nên không tô màu.",
        "Only {total} incidents; at least {needed} are needed for a meaningful hotspot test, so nothing is coloured.",
    ),
    "maps.note.too_few_areas": (
        "Các vụ chỉ nằm ở {areas} khu vực; cần ít nhất {needed} khu vực để kiểm định, nên không tô màu.",
        "Incidents fall in only {areas} areas; at least {needed} are needed for the test, so nothing is coloured.",
    ),
    "maps.note.power": (
        "Với {permutations} lần hoán vị trên {areas} ô, chỉ cụm từ {cluster} ô trở lên mới có thể có ý nghĩa.",
        "With {permutations} permutations over {areas} cells, only clusters of {cluster} or more cells can pass.",
    ),
    "maps.note.split_by_area": (
        "Một số vụ chỉ ghi đơn vị hành chính được chia theo tỷ lệ diện tích giữa các huyện cũ ({count} vụ).",
        "Some incidents recorded with a unit only are split by area share between former districts ({count}).",
    ),
    "maps.note.unplaced": (
        "{count} vụ không có đơn vị hành chính nên không được tính trên bản đồ.",
        "{count} incidents have no administrative unit and are not on the map.",
    ),
    "maps.note.suppressed": (
        "Ô có dưới {min_count} vụ bị ẩn để bảo vệ thông tin cá nhân ({points} vụ trong {cells} ô).",
        "Cells with fewer than {min_count} incidents are hidden for privacy ({points} incidents in {cells} cells).",
    ),
    "maps.note.without_gps": (
        "{count} vụ không có tọa độ GPS nên không có trên bản đồ mật độ.",
        "{count} incidents have no GPS position and are not on the density map.",
    ),
    "maps.hotspots_generation": (
        "Điểm nóng chỉ kiểm định trên 38 đơn vị 2025 hoặc ô H3 (`generation` chỉ nhận 2025): 8 huyện cũ quá ít"
        " vùng để Gi* với hoán vị có điều kiện và FDR tìm được gì.",
        "Hot spots are tested over the 38 units of 2025 or H3 cells (`generation` accepts only 2025): 8 former"
        " districts are too few areas for Gi* with conditional permutation and FDR to find anything.",
    ),
    "maps.zoom_or_resolution": (
        "Chỉ cho `resolution` hoặc `zoom`, không cả hai (`zoom` dùng để chọn độ phân giải).",
        "Give `resolution` or `zoom`, not both (`zoom` only picks the resolution).",
    ),
    "maps.resolution_needs_h3": (
        "`resolution` chỉ dùng cho ô H3 (`areas=h3`); kiểm định trên 38 đơn vị không có độ phân giải.",
        "`resolution` applies only to H3 cells (`areas=h3`); the test over the 38 units has no resolution.",
    ),
    "maps.note.hot_by_neighbours": (
        "Gi* tính cả các vùng lân cận: {areas} vùng không có vụ nào vẫn là điểm nóng vì các vùng bên cạnh có nhiều"
        " vụ ({codes}).",
        "Gi* counts each area's neighbours too: {areas} areas with no incident are hot because of their"
        " neighbours ({codes}).",
    ),
    "maps.note.statistic": (
        "z là điểm z Gi* chuẩn (Getis-Ord) với trọng số nhị phân kể cả chính vùng; p_sim từ {permutations}"
        " hoán vị có điều kiện (số hoán vị ít nhất cũng cực trị, tính chính xác). Điểm nóng nghĩa là vùng và các"
        " vùng bên cạnh cùng có nhiều vụ, không phải riêng vùng đó.",
        "z is the standard Getis-Ord Gi* z-score for binary weights including the area itself; p_sim comes from"
        " {permutations} conditional permutations (whole-number counts of those at least as extreme, exact). A hot"
        " spot means the area and its neighbours together hold many incidents, not the area alone.",
    ),
    "ui.maps.hot_by_neighbours": (
        "nóng do các vùng lân cận (vùng này không có vụ nào)",
        "hot because of its neighbours (no incident in this area)",
    ),
    "ui.maps.legend.neighbours": (
        "Gi* tính cả vùng lân cận: vùng không có vụ vẫn có thể là điểm nóng.",
        "Gi* includes the neighbours: an area with no incident can be hot.",
    ),
    "ui.maps.tip.incidents": ("Số vụ nguyên", "Whole incidents"),
    "ui.maps.tip.count_used": ("Số vụ dùng cho kiểm định", "Count used by the test"),
    "ui.maps.tip.z": ("Điểm z Gi*", "Gi* z"),
}
