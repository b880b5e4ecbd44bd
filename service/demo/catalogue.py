"""Reference tables of the demo: goods and their marks, kinds of case, teams, places and people (all fictional
where they name people). Figures are modest (DOMAIN.md §9): tens of cases a year, goods worth a few million to
tens of millions of đồng."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEMO_LABEL = "(dữ liệu demo)"
# Neighbouring units where seizures cluster (the city's two wards and two communes around them), so that the
# hotspot map has significant units to show.
CLUSTER_UNITS = {"03388": 1, "03408": 1, "03394": 2, "03517": 2, "03508": 2, "03549": 1}
Body = dict[str, Any]


# --- Reference tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goods:
    """A kind of goods seized in Lai Châu, with the mark it infringes and a plausible unit price range."""

    description: str
    mark: str
    unit: str
    price: tuple[int, int]
    subject: str
    holder: str
    quality_fake: bool = False  # also fake in quality/use (ND 98/2020; BLHS 192 applies, so kept small)


LOCAL_GOODS = [
    Goods("Gạo Séng Cù đóng túi 5 kg", "Gạo Séng Cù Than Uyên", "túi", (110_000, 160_000), "NHAN_HIEU_TAP_THE",
          "Hội sản xuất và kinh doanh gạo Séng Cù Than Uyên"),
    Goods("Chè Đông phương mỹ nhân hộp 200 g", "Chè Tam Đường", "hộp", (350_000, 600_000), "NHAN_HIEU_TAP_THE",
          "Hội chè Tam Đường"),
    Goods("Trà xanh đóng gói 500 g", "Trà Than Uyên", "gói", (120_000, 200_000), "NHAN_HIEU_TAP_THE",
          "HTX chè Than Uyên"),
    Goods("Miến dong gói 500 g", "Miến dong Bình Lư", "gói", (45_000, 65_000), "NHAN_HIEU_TAP_THE",
          "HTX miến dong Bình Lư"),
    Goods("Rượu ngâm sâm chai 500 ml", "Sâm Lai Châu", "chai", (800_000, 1_500_000), "NHAN_HIEU_CHUNG_NHAN",
          "Hội Sâm Lai Châu"),
    Goods("Củ sâm tươi loại nhỏ", "Sâm Lai Châu", "củ", (1_500_000, 3_000_000), "NHAN_HIEU_CHUNG_NHAN",
          "Hội Sâm Lai Châu"),
    Goods("Mật ong rừng chai 500 ml", "Mật ong Pa Ủ", "chai", (280_000, 420_000), "NHAN_HIEU_TAP_THE",
          "HTX mật ong Pa Ủ"),
    Goods("Hạt mắc ca sấy nứt vỏ", "Mắc ca Lai Châu", "kg", (230_000, 320_000), "NHAN_HIEU_TAP_THE",
          "Hiệp hội mắc ca Lai Châu"),
]  # fmt: skip

FASHION_GOODS = [
    Goods("Giày thể thao", "Nike", "đôi", (180_000, 350_000), "NHAN_HIEU", "Nike Innovate C.V."),
    Goods("Quần áo thể thao", "Adidas", "bộ", (150_000, 260_000), "NHAN_HIEU", "adidas AG"),
    Goods("Túi xách nữ", "Louis Vuitton", "chiếc", (250_000, 550_000), "NHAN_HIEU_NOI_TIENG",
          "Louis Vuitton Malletier"),
    Goods("Ví da", "Gucci", "chiếc", (120_000, 300_000), "NHAN_HIEU_NOI_TIENG", "Guccio Gucci S.p.A."),
    Goods("Áo khoác gió", "The North Face", "chiếc", (160_000, 280_000), "NHAN_HIEU", "The North Face Apparel Corp."),
    Goods("Đồng hồ đeo tay", "Casio", "chiếc", (150_000, 320_000), "NHAN_HIEU", "Casio Keisanki K.K."),
]  # fmt: skip

COSMETIC_GOODS = [
    Goods("Kem dưỡng da", "Ohui", "hộp", (180_000, 380_000), "NHAN_HIEU", "LG Household & Health Care Ltd."),
    Goods("Son môi", "Dior", "thỏi", (70_000, 150_000), "NHAN_HIEU_NOI_TIENG", "Christian Dior Couture"),
    Goods("Nước hoa 50 ml", "Chanel", "lọ", (150_000, 350_000), "NHAN_HIEU_NOI_TIENG", "Chanel SARL"),
    Goods("Kem chống nắng", "Sunplay", "tuýp", (60_000, 110_000), "NHAN_HIEU", "Rohto Pharmaceutical Co., Ltd."),
]

HOUSEHOLD_GOODS = [
    Goods("Bột giặt túi 3 kg", "OMO", "túi", (95_000, 135_000), "NHAN_HIEU", "Unilever", quality_fake=True),
    Goods("Dầu gội 650 g", "Clear", "chai", (70_000, 120_000), "NHAN_HIEU", "Unilever", quality_fake=True),
    Goods("Má phanh xe máy", "Honda", "bộ", (40_000, 90_000), "NHAN_HIEU", "Honda Motor Co., Ltd."),
    Goods("Bugi xe máy", "NGK", "chiếc", (25_000, 45_000), "NHAN_HIEU", "Niterra Co., Ltd."),
]

FERTILISER_GOODS = [
    Goods("Phân bón NPK bao 25 kg", "Lâm Thao", "bao", (260_000, 360_000), "NHAN_HIEU",
          "Công ty CP Supe phốt phát và hóa chất Lâm Thao", quality_fake=True),
    Goods("Phân bón NPK bao 25 kg", "Đầu Trâu", "bao", (300_000, 420_000), "NHAN_HIEU",
          "Công ty CP Phân bón Bình Điền", quality_fake=True),
]  # fmt: skip


@dataclass(frozen=True)
class Theme:
    """A kind of seizure: where it happens and what is found."""

    venue: str
    goods: list[Goods]
    weight: int


THEMES = [
    Theme("Cửa hàng đặc sản", LOCAL_GOODS, 5),
    Theme("Cửa hàng thời trang", FASHION_GOODS, 6),
    Theme("Cửa hàng mỹ phẩm", COSMETIC_GOODS, 4),
    Theme("Cửa hàng tạp hóa", HOUSEHOLD_GOODS, 3),
    Theme("Đại lý vật tư nông nghiệp", FERTILISER_GOODS, 2),
]

# Market surveillance teams by pre-2025 district (demo assignment).
QLTT_TEAMS = {
    "105": ("Đội QLTT số 1", "ĐQLTT1"),
    "106": ("Đội QLTT số 1", "ĐQLTT1"),
    "110": ("Đội QLTT số 2", "ĐQLTT2"),
    "111": ("Đội QLTT số 2", "ĐQLTT2"),
    "108": ("Đội QLTT số 3", "ĐQLTT3"),
    "109": ("Đội QLTT số 3", "ĐQLTT3"),
    "107": ("Đội QLTT số 4", "ĐQLTT4"),
    "112": ("Đội QLTT số 4", "ĐQLTT4"),
}
HQ_TEAM = "Hải quan cửa khẩu quốc tế Ma Lù Thàng"
MA_LU_THANG = (103.169, 22.581)  # approximate, inside xã Phong Thổ (03549), former xã Ma Ly Pho
MA_LY_PHO_2024 = "03574"
PHONG_THO_2025 = "03549"

# Town centres (lon, lat) of the busiest 2025 units; other units use a representative point.
TOWN_ANCHORS: dict[str, tuple[float, float]] = {
    "03388": (103.458, 22.396),
    "03408": (103.472, 22.388),
    "03595": (103.892, 21.956),
    "03598": (103.735, 22.140),
    "03478": (103.240, 22.360),
    "03549": (103.360, 22.530),
    "03434": (103.000, 22.170),
    "03433": (102.780, 22.370),
    "03445": (102.640, 22.500),
    "03618": (103.863, 22.024),
}

# Where each kind of case tends to happen: 2025 unit -> weight.
MARKET_UNITS = {
    "03388": 8, "03408": 6, "03595": 6, "03598": 5, "03390": 4, "03549": 4, "03478": 3, "03433": 4,
    "03434": 3, "03445": 2, "03618": 2, "03601": 1, "03637": 1, "03583": 1, "03442": 1, "03460": 1,
}  # fmt: skip
TOWN_UNITS = {"03388": 6, "03408": 4, "03595": 3, "03598": 2, "03390": 2, "03478": 1, "03549": 1, "03433": 1}
RICE_UNITS = {"03595": 4, "03637": 2, "03618": 2, "03598": 2, "03601": 1, "03616": 1}

# Seizures are busier before Tết (29/1/2025) and in the May–June 2025 campaign.
MONTH_WEIGHTS = {12: 14, 1: 18, 2: 6, 3: 10, 4: 9, 5: 11, 6: 12, 7: 8, 8: 9, 9: 10, 10: 10, 11: 11}

VIOLATORS = [
    "Lò Văn T.", "Lò Thị H.", "Lường Văn Ơ.", "Đèo Thị L.", "Vàng A D.", "Giàng Thị M.", "Tẩn Láo S.",
    "Chang Thị M.", "Nguyễn Văn T.", "Trần Thị T.", "Phạm Minh Đ.", "Hoàng Văn K.", "Sần Thị P.",
    "Lý Seo C.", "Vũ Thị N.", "Lê Văn H.", "Bùi Thị Q.", "Tao Văn P.", "Pờ Xá L.", "Đỗ Thị Y.",
]  # fmt: skip
HAMLETS = ["Tổ dân phố 1", "Tổ dân phố 3", "Tổ dân phố 5", "Tổ dân phố 7", "Bản Nà Cả", "Bản Phiêng", "Bản Mới"]

ND99 = "Nghị định 99/2013/NĐ-CP"
ND98 = "Nghị định 98/2020/NĐ-CP"


CUSTOMS_GOODS = [FASHION_GOODS[0], FASHION_GOODS[1], FASHION_GOODS[5], COSMETIC_GOODS[0], HOUSEHOLD_GOODS[2]]


@dataclass(frozen=True)
class Story:
    """A recurring non-seizure case: its fields and a summary to complete with the place."""

    fields: Body
    subject: list[str]
    acts: list[str]
    holder: tuple[str, str | None]
    summary: str
    basis: str


ADVERTS = [
    Story({"medium": "billboard", "advertiser": "Cửa hàng gạo {p}", "product": "Gạo tẻ đóng túi",
           "content": "Biển hiệu: “Gạo Séng Cù chính hiệu Than Uyên – OCOP 4 sao”"},
          ["NHAN_HIEU_TAP_THE"], ["QUANG_CAO_XAM_PHAM"], ("Hội sản xuất và kinh doanh gạo Séng Cù Than Uyên",
          "Gạo Séng Cù Than Uyên"), "Biển quảng cáo gạo không rõ nguồn gốc dùng nhãn hiệu Gạo Séng Cù",
          "Nghị định 38/2021/NĐ-CP"),
    Story({"medium": "online", "advertiser": "Trang bán hàng “Sâm Lai Châu chính gốc”", "product": "Rượu ngâm sâm",
           "url": "https://example.com/shop/sam-lai-chau-chinh-goc"},
          ["NHAN_HIEU_CHUNG_NHAN"], ["QUANG_CAO_XAM_PHAM"], ("Hội Sâm Lai Châu", "Sâm Lai Châu"),
          "Quảng cáo trực tuyến sâm trồng nơi khác là Sâm Lai Châu", "Nghị định 38/2021/NĐ-CP"),
    Story({"medium": "print", "advertiser": "Cửa hàng đặc sản {p}", "product": "Mật ong",
           "content": "Tờ rơi: “Mật ong rừng Pa Ủ nguyên chất”"},
          ["NHAN_HIEU_TAP_THE"], ["QUANG_CAO_XAM_PHAM"], ("HTX mật ong Pa Ủ", "Mật ong Pa Ủ"),
          "Tờ rơi quảng cáo mật ong pha đường là Mật ong Pa Ủ", "Nghị định 38/2021/NĐ-CP"),
    Story({"medium": "online", "advertiser": "Kênh bán hàng trực tiếp “chetamduong.official”", "product": "Chè",
           "url": "https://example.com/live/chetamduong-official"},
          ["NHAN_HIEU_TAP_THE"], ["QUANG_CAO_XAM_PHAM", "XAM_PHAM_NHAN_HIEU"], ("Hội chè Tam Đường", "Chè Tam Đường"),
          "Livestream quảng cáo chè trôi nổi là Chè Tam Đường", "Nghị định 38/2021/NĐ-CP"),
    Story({"medium": "billboard", "advertiser": "Cơ sở sản xuất miến {p}", "product": "Miến dong",
           "content": "Biển hiệu: “Miến dong Bình Lư – đặc sản Tam Đường”"},
          ["NHAN_HIEU_TAP_THE"], ["QUANG_CAO_XAM_PHAM"], ("HTX miến dong Bình Lư", "Miến dong Bình Lư"),
          "Biển quảng cáo miến sản xuất nơi khác dùng nhãn hiệu Miến dong Bình Lư", "Nghị định 38/2021/NĐ-CP"),
]  # fmt: skip

COPYRIGHTS = [
    Story({"work_title": "Tuyển tập bản ghi âm ca khúc Việt Nam", "copy_type": "Bản ghi âm trên đầu karaoke",
           "copies": (300, 1200)}, ["QUYEN_LIEN_QUAN"], ["XAM_PHAM_QTG_KHAC"],
          ("Hiệp hội công nghiệp ghi âm Việt Nam", None),
          "Cơ sở karaoke sử dụng bản ghi âm chưa được phép", "Nghị định 131/2013/NĐ-CP"),
    Story({"work_title": "Sách giáo khoa tiểu học", "copy_type": "Sách in lậu", "copies": (80, 400)},
          ["QUYEN_TAC_GIA"], ["SAO_CHEP_LAU"], ("Nhà xuất bản Giáo dục Việt Nam", None),
          "Nhà sách bán sách giáo khoa in lậu", "Nghị định 131/2013/NĐ-CP"),
    Story({"work_title": "Phim và ca nhạc tổng hợp", "copy_type": "USB, thẻ nhớ sao chép", "copies": (30, 150)},
          ["QUYEN_TAC_GIA", "QUYEN_LIEN_QUAN"], ["SAO_CHEP_LAU"], ("Trung tâm Bảo vệ quyền tác giả âm nhạc Việt Nam",
          None), "Cửa hàng điện thoại chép và bán USB phim, nhạc", "Nghị định 131/2013/NĐ-CP"),
    Story({"work_title": "Microsoft Windows và Office", "copy_type": "Phần mềm cài đặt không bản quyền",
           "copies": (10, 40)}, ["QUYEN_TAC_GIA"], ["SAO_CHEP_LAU"], ("Microsoft Corporation", "Microsoft"),
          "Phòng máy dịch vụ cài đặt phần mềm không bản quyền", "Nghị định 131/2013/NĐ-CP"),
    Story({"work_title": "Nhạc nền tổng hợp", "copy_type": "Phát lại tại cơ sở kinh doanh", "copies": (20, 120)},
          ["QUYEN_TAC_GIA"], ["XAM_PHAM_QTG_KHAC"], ("Trung tâm Bảo vệ quyền tác giả âm nhạc Việt Nam", None),
          "Nhà hàng, khách sạn phát nhạc chưa trả tiền bản quyền", "Nghị định 131/2013/NĐ-CP"),
]  # fmt: skip


ONLINE_SHOPS = [
    ("Facebook", "sam.laichau.chinhgoc", LOCAL_GOODS[5]),
    ("TikTok Shop", "dacsan.taybac.247", LOCAL_GOODS[6]),
    ("Shopee", "myphamxachtay.lc", COSMETIC_GOODS[0]),
    ("Zalo", "giaythethao.laichau", FASHION_GOODS[0]),
]

VARIETIES = [("TBR225", "Bằng bảo hộ giống cây trồng số 30.VN.2016 (demo)"),
             ("Thiên ưu 8", "Bằng bảo hộ giống cây trồng số 12.VN.2014 (demo)")]  # fmt: skip

# (claimant, respondent, subject, claim, route, 2025 unit, (from, to) days before the demo's last day)
DISPUTES = [
    ("HTX nông nghiệp Séng Cù Mường Than", "Công ty TNHH lương thực T.V.", "NHAN_HIEU_TAP_THE",
     "Sử dụng dấu hiệu “Séng Cù Mường Than” tương tự nhãn hiệu tập thể Gạo Séng Cù Than Uyên", "mediation",
     "03595", (210, 120)),
    ("HTX chè Tả Lèng", "Hộ kinh doanh chè N.H.", "KIEU_DANG_CN",
     "Bao bì hộp chè sao chép kiểu dáng công nghiệp đã đăng ký", "court", "03405",
     (330, 230)),
    ("Homestay Sìn Hồ X.", "Homestay Sìn Hồ X. Garden", "TEN_THUONG_MAI",
     "Sử dụng tên thương mại gây nhầm lẫn trong hoạt động du lịch cộng đồng", "mediation", "03478",
     (90, 25)),
]  # fmt: skip
