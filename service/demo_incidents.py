"""About one year of realistic demo incidents for Lai Châu (Dec 2024 – Nov 2025), across the 1 July 2025 reform.

Before 1/7/2025 places are picked as 2024 communes or given by GPS; from that day, GPS points inside the
2025 units or picks of 2025 units. Figures are modest (DOMAIN.md §9): tens of cases a year, goods worth a
few million to tens of millions of đồng, two seizures above the BLHS Art. 226 goods-value threshold.
Names of people are fictional and abbreviated; every summary ends with DEMO_LABEL. Development only.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from maps.boundaries import load_districts_2024, load_units_2025
from maps.crosswalk import communes_2024
from maps.geotag import Geotagger
from schemas.incidents import IncidentIn, MediationOutcomeIn
from service.auth import repository
from service.auth.middleware import principal_of
from service.auth.principal import Principal
from service.incidents.models import Incident
from service.incidents.service import record_incident

DEMO_LABEL = "(dữ liệu demo)"
VN_TZ = timezone(timedelta(hours=7))
PERIOD_START = date(2024, 12, 1)
PERIOD_END = date(2025, 11, 30)
REFORM_DAY = date(2025, 7, 1)
JITTER_DEG = 0.004  # about 400 m
_REF_NAMESPACE = uuid.UUID("5b0c3f4e-2a47-4d0e-9a51-6c1d2e8f7a90")

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


# --- Places -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """Where an incident happened, as the input will carry it, and words to describe it."""

    location: Body | None
    unit: dict[str, str] | None
    district: str  # pre-2025 district code, to choose a team
    label: str  # "xã Bình Lư, huyện Tam Đường" or "phường Đoàn Kết"


@dataclass(frozen=True)
class Atlas:
    """Names and anchor points of the units, and a geotagger to check jittered points."""

    tagger: Geotagger
    unit_names: dict[str, str]
    district_names: dict[str, str]
    anchors: dict[str, tuple[float, float]]
    communes: dict[str, list[tuple[str, str, str]]]  # 2025 unit -> [(2024 commune, name, district)]


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _names(codes: Any, names: Any) -> dict[str, str]:
    return {str(c): _lower_first(str(n)) for c, n in zip(codes, names, strict=True)}


@functools.cache
def bundled_atlas() -> Atlas:
    """The atlas of the bundled boundaries (built once per process)."""
    return build_atlas(Geotagger.from_bundled())


def build_atlas(tagger: Geotagger) -> Atlas:
    """Names, anchors and commune lists from the bundled boundary files."""
    units = load_units_2025()
    anchors = {}
    for code, geometry in zip(units["code"], units.geometry, strict=True):
        point = geometry.representative_point()
        anchors[str(code)] = TOWN_ANCHORS.get(str(code), (round(point.x, 5), round(point.y, 5)))
    communes: dict[str, list[tuple[str, str, str]]] = {}
    for row in communes_2024().itertuples(index=False):
        communes.setdefault(str(row.new_unit_code), []).append((str(row.code), str(row.name), str(row.district_code)))
    districts = load_districts_2024()
    return Atlas(
        tagger=tagger,
        unit_names=_names(units["code"], units["full_name"]),
        district_names=_names(districts["code"], districts["full_name"]),
        anchors=anchors,
        communes=communes,
    )


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _gps(atlas: Atlas, rng: random.Random, unit: str, anchor: tuple[float, float] | None = None) -> tuple[Body, str]:
    """A point near the unit's anchor, verified inside the unit; returns (location, 2024 district)."""
    lon0, lat0 = anchor or atlas.anchors[unit]
    for _ in range(30):
        lon = round(lon0 + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        lat = round(lat0 + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        found, district = atlas.tagger.tag_one(lon, lat)
        if found == unit and district is not None:
            return {"lon": lon, "lat": lat}, district
    found, district = atlas.tagger.tag_one(lon0, lat0)
    if found != unit or district is None:
        raise ValueError(f"anchor of {unit} is not inside it")
    return {"lon": lon0, "lat": lat0}, district


def _spot(atlas: Atlas, rng: random.Random, unit: str, on: date, venue: str, gps_share: float) -> Spot:
    """A place in this 2025 unit, described as the reporter would have on that day."""
    if on < REFORM_DAY and rng.random() >= gps_share:
        options = atlas.communes[unit]
        weights = [4 if name.startswith(("Phường", "Thị trấn")) else 1 for _, name, _ in options]
        code, name, district = rng.choices(options, weights=weights)[0]
        label = f"{_lower_first(name)}, {atlas.district_names[district]}"
        return Spot(None, {"generation": "2024", "code": code}, district, label)
    if on >= REFORM_DAY and rng.random() >= gps_share:
        district = atlas.tagger.tag_one(*atlas.anchors[unit])[1] or ""
        return Spot(None, {"generation": "2025", "code": unit}, district, atlas.unit_names[unit])
    location, district = _gps(atlas, rng, unit)
    label = atlas.district_names[district] if on < REFORM_DAY else atlas.unit_names[unit]
    location["address"] = f"{venue}, {rng.choice(HAMLETS)}, {label}"
    return Spot(location, None, district, label)


def _border_gate(atlas: Atlas, rng: random.Random, on: date) -> Spot:
    """The Ma Lù Thàng border gate: old xã Ma Ly Pho before the reform, xã Phong Thổ after."""
    if on < REFORM_DAY and rng.random() < 0.5:
        return Spot(None, {"generation": "2024", "code": MA_LY_PHO_2024}, "109", "xã Ma Ly Pho, huyện Phong Thổ")
    if on >= REFORM_DAY and rng.random() < 0.3:
        return Spot(None, {"generation": "2025", "code": PHONG_THO_2025}, "109", "xã Phong Thổ")
    location, district = _gps(atlas, rng, PHONG_THO_2025, MA_LU_THANG)
    location["address"] = "Khu kiểm soát cửa khẩu quốc tế Ma Lù Thàng"
    return Spot(location, None, district, "cửa khẩu quốc tế Ma Lù Thàng")


# --- Dates and parties ------------------------------------------------------------------------------


def _moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(7 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=VN_TZ)


def _days(rng: random.Random, n: int, start: date, end: date, seasonal: bool = False) -> list[datetime]:
    """n working-day moments between start and end (inclusive), sorted; seasonal weights by month."""
    span = (end - start).days + 1
    days = [start + timedelta(days=k) for k in range(span)]
    days = [d for d in days if d.weekday() < 6]  # inspections run Monday to Saturday
    weights = [MONTH_WEIGHTS[d.month] if seasonal else 1 for d in days]
    return sorted(_moment(rng, d) for d in rng.choices(days, weights=weights, k=n))


def _later(rng: random.Random, moment: datetime, max_minutes: int) -> datetime:
    latest = datetime.combine(PERIOD_END, time(23, 0), tzinfo=VN_TZ)
    return min(moment + timedelta(minutes=rng.randrange(0, max_minutes + 1)), latest)


def _violator(rng: random.Random, spot: Spot, kind: str = "household_business") -> Body:
    person = rng.choice(VIOLATORS)
    name = f"Hộ kinh doanh {person}" if kind == "household_business" else person
    return {"type": kind, "name": name, "address": f"{rng.choice(HAMLETS)}, {spot.label}"}


def _holder(name: str, mark: str | None = None) -> Body:
    return {"name": f"{name} {DEMO_LABEL}", "mark": mark}


def _round_price(rng: random.Random, low: int, high: int) -> int:
    return rng.randrange(low // 5_000, high // 5_000 + 1) * 5_000


def _lines(rng: random.Random, goods: list[Goods], target: int, minimum: int = 0) -> list[Body]:
    """Goods lines worth about `target` đồng in total (at least `minimum`)."""
    shares = [rng.uniform(0.5, 1.5) for _ in goods]
    prices = [_round_price(rng, *item.price) for item in goods]
    quantities = [max(1, round(target * s / sum(shares) / p)) for s, p in zip(shares, prices, strict=True)]
    shortfall = minimum - sum(q * p for q, p in zip(quantities, prices, strict=True))
    if shortfall > 0:
        quantities[0] += math.ceil(shortfall / prices[0])
    return [
        {"description": g.description, "infringed_mark": g.mark, "quantity": q, "unit": g.unit, "unit_price_vnd": p}
        for g, q, p in zip(goods, quantities, prices, strict=True)
    ]


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- Incidents by kind ------------------------------------------------------------------------------


@dataclass
class Draft:
    """One incident before ordering: who records it, and its input as a dict."""

    username: str
    body: Body
    ref: str | None = None  # a name other drafts may point to (a dispute)
    settles: str | None = None  # the ref of the dispute a mediation outcome settles

    @property
    def occurred_at(self) -> datetime:
        """When the incident happened."""
        moment: datetime = self.body["occurred_at"]
        return moment


@dataclass(frozen=True)
class Seized:
    """What a seizure found: the theme, the goods chosen from it and their lines."""

    theme: Theme
    items: list[Goods]
    lines: list[Body]
    similar: bool  # a confusingly similar sign rather than a counterfeit mark


def _seizure_body(rng: random.Random, when: datetime, spot: Spot, seized: Seized, venue: str) -> Body:
    quality = any(g.quality_fake for g in seized.items)
    acts = ["XAM_PHAM_NHAN_HIEU"] if seized.similar else ["HANG_GIA_MAO_NHAN_HIEU"]
    basis = [{"document": ND99, "article": "11" if seized.similar else "12"}]
    if quality:
        acts.append("HANG_GIA_CHAT_LUONG")
        basis.append({"document": ND98})
    value = sum(line["quantity"] * line["unit_price_vnd"] for line in seized.lines)
    marks = ", ".join(dict.fromkeys(g.mark for g in seized.items))
    found = ", ".join(f"{_money(x['quantity'])} {x['unit']} {_lower_first(x['description'])}" for x in seized.lines)
    nature = "mang dấu hiệu xâm phạm nhãn hiệu" if seized.similar else "giả mạo nhãn hiệu"
    return {
        "kind": "seizure",
        "occurred_at": when,
        "detected_at": _later(rng, when, 45),
        "location": spot.location,
        "unit": spot.unit,
        "subject_matter": sorted({g.subject for g in seized.items}),
        "infringement_acts": acts,
        "right_holder": _holder(seized.items[0].holder, seized.items[0].mark),
        "violator": _violator(rng, spot, rng.choice(["household_business"] * 4 + ["individual"])),
        "legal_basis": basis,
        "is_counterfeit": not seized.similar,
        "goods": seized.lines,
        "temporary_seizure_decision": {"number": f"{rng.randrange(1, 90):02d}/QĐ-TGTVPTGPCC", "date": when.date()},
        "summary": f"{venue}, tạm giữ {found} {nature} {marks}, trị giá {_money(value)} đồng, "
        f"tại {spot.label} {DEMO_LABEL}",
    }


def _seized(rng: random.Random) -> Seized:
    """Goods of a random theme worth a few million to tens of millions of đồng."""
    theme = rng.choices(THEMES, weights=[t.weight for t in THEMES])[0]
    items = rng.sample(theme.goods, k=min(len(theme.goods), rng.choice([1, 1, 2, 2, 3])))
    quality = any(g.quality_fake for g in items)
    ceiling = 18_000_000 if quality else 60_000_000  # below the BLHS 192 goods-value threshold
    target = round(math.exp(rng.uniform(math.log(2_500_000), math.log(ceiling))))
    similar = not quality and rng.random() < 0.25
    return Seized(theme, items, _lines(rng, items, target), similar)


def _qltt_seizures(atlas: Atlas, rng: random.Random, n: int) -> list[Draft]:
    drafts = []
    numbers: dict[tuple[int, str], int] = {}
    for when in _days(rng, n, PERIOD_START, PERIOD_END, seasonal=True):
        seized = _seized(rng)
        venue = seized.theme.venue
        spot = _spot(atlas, rng, _weighted(rng, MARKET_UNITS), when.date(), venue, gps_share=0.3)
        team, short = QLTT_TEAMS[spot.district]
        body = _seizure_body(rng, when, spot, seized, f"Kiểm tra {_lower_first(venue)}")
        numbers[(when.year, short)] = numbers.get((when.year, short), 0) + 1
        body |= {"team": team, "record_number": f"{numbers[(when.year, short)]:02d}/BB-{short}",
                 "storage_place": f"Kho tang vật {team}"}  # fmt: skip
        drafts.append(Draft("demo.qltt", body))
    return drafts


def _large_seizures(atlas: Atlas, rng: random.Random) -> list[Draft]:
    """Two seizures above the BLHS Art. 226 goods-value threshold (200,000,000 đồng)."""
    when = _days(rng, 1, date(2025, 3, 10), date(2025, 3, 28))[0]
    spot = _spot(atlas, rng, "03388", when.date(), "Kho hàng", gps_share=0.0)
    items = THEMES[1].goods[:2]
    seized = Seized(THEMES[1], items, _lines(rng, items, 215_000_000, minimum=205_000_000), similar=False)
    qltt = _seizure_body(rng, when, spot, seized, "Kiểm tra kho hàng không biển hiệu") | {
        "team": "Đội QLTT cơ động", "record_number": "03/BB-ĐQLTTCĐ", "storage_place": "Kho tang vật Chi cục QLTT",
        "violator": _violator(rng, spot, "individual"),
    }  # fmt: skip
    qltt["summary"] = qltt["summary"].removesuffix(f" {DEMO_LABEL}") + f"; chuyển hồ sơ sang Công an tỉnh {DEMO_LABEL}"
    qltt["external_refs"] = [{"kind": "qltt_ins_case", "number": "INS-2025-0311"}]
    # The police record the same seizure after the referral: a likely duplicate for the coordinator to link.
    police = copy.deepcopy(qltt) | {
        "team": "Phòng Cảnh sát kinh tế", "record_number": "07/BB-PC03", "storage_place": "Kho tang vật Công an tỉnh",
        "occurred_at": when, "detected_at": None,
        "summary": f"Tiếp nhận hồ sơ QLTT chuyển, lập biên bản thu giữ {DEMO_LABEL}",
    }  # fmt: skip
    when = _days(rng, 1, date(2025, 10, 6), date(2025, 10, 24))[0]
    gate = _border_gate(atlas, rng, when.date())
    items = THEMES[2].goods[:3]
    seized = Seized(THEMES[2], items, _lines(rng, items, 225_000_000, minimum=210_000_000), similar=False)
    hq = _seizure_body(rng, when, gate, seized, "Kiểm tra xe tải chở hàng nhập khẩu") | {
        "team": HQ_TEAM, "record_number": "12/BB-HQMLT", "storage_place": f"Kho {HQ_TEAM}",
        "violator": {"type": "organisation", "name": "Công ty TNHH XNK Đ.P. (demo)", "address": "Tỉnh Lào Cai"},
    }  # fmt: skip
    return [Draft("demo.qltt", qltt), Draft("demo.ca", police), Draft("demo.hq", hq)]


CUSTOMS_GOODS = [FASHION_GOODS[0], FASHION_GOODS[1], FASHION_GOODS[5], COSMETIC_GOODS[0], HOUSEHOLD_GOODS[2]]


def _customs(atlas: Atlas, rng: random.Random, n: int) -> list[Draft]:
    drafts = []
    for when in _days(rng, n, PERIOD_START, PERIOD_END):
        gate = _border_gate(atlas, rng, when.date())
        item = rng.choice(CUSTOMS_GOODS)
        by_holder = rng.random() < 0.6
        quantity = rng.randrange(3, 25) * 50
        start = when.date()
        body = {
            "kind": "customs_suspension", "occurred_at": when, "detected_at": _later(rng, when, 120),
            "team": HQ_TEAM, "location": gate.location, "unit": gate.unit,
            "subject_matter": [item.subject], "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
            "right_holder": _holder(item.holder, item.mark),
            "violator": {"type": "organisation", "name": f"Công ty TNHH thương mại {rng.choice('ABHKMT')}.L. (demo)"},
            "legal_basis": [{"document": "Luật Sở hữu trí tuệ 2005 (sửa đổi 2022)", "article": "218"}],
            "is_counterfeit": True,
            "declaration_number": f"10{rng.randrange(10**9, 10**10)}",
            "requester": "right_holder" if by_holder else "ex_officio",
            "requester_name": _holder(item.holder)["name"] if by_holder else None,
            "security_deposit_vnd": rng.randrange(20, 51) * 1_000_000 if by_holder else 0,
            "suspension_start": start,
            "suspension_end": start + timedelta(days=14 if by_holder else 10),
            "summary": f"Tạm dừng làm thủ tục hải quan lô hàng nhập khẩu {_money(quantity)} {item.unit} "
            f"{_lower_first(item.description)} nghi giả mạo nhãn hiệu {item.mark} tại {gate.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.hq", body))
    return drafts


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


def _story_body(rng: random.Random, when: datetime, spot: Spot, story: Story, kind: str) -> Body:
    fields = {k: v.format(p=spot.label) if isinstance(v, str) else v for k, v in story.fields.items()}
    if isinstance(fields.get("copies"), tuple):
        fields["copies"] = rng.randrange(*fields["copies"])
    return fields | {
        "kind": kind,
        "occurred_at": when,
        "detected_at": _later(rng, when, 3 * 24 * 60),
        "team": "Thanh tra Sở VHTTDL" if when.date() < REFORM_DAY else "Đoàn kiểm tra liên ngành tỉnh",
        "location": spot.location,
        "unit": spot.unit,
        "subject_matter": story.subject,
        "infringement_acts": story.acts,
        "right_holder": _holder(*story.holder),
        "violator": _violator(rng, spot),
        "legal_basis": [{"document": story.basis}],
        "is_counterfeit": False,
        "illegal_profit_vnd": rng.randrange(2, 12) * 1_000_000 if rng.random() < 0.5 else None,
        "summary": f"{story.summary} tại {spot.label} {DEMO_LABEL}",
    }


def _culture(atlas: Atlas, rng: random.Random, stories: list[Story], kind: str) -> list[Draft]:
    drafts = []
    moments = _days(rng, len(stories), PERIOD_START, PERIOD_END)
    for when, story in zip(moments, rng.sample(stories, len(stories)), strict=True):
        spot = _spot(atlas, rng, _weighted(rng, TOWN_UNITS), when.date(), "Cơ sở kinh doanh", gps_share=0.4)
        drafts.append(Draft("demo.svhttdl", _story_body(rng, when, spot, story, kind)))
    return drafts


ONLINE_SHOPS = [
    ("Facebook", "sam.laichau.chinhgoc", LOCAL_GOODS[5]),
    ("TikTok Shop", "dacsan.taybac.247", LOCAL_GOODS[6]),
    ("Shopee", "myphamxachtay.lc", COSMETIC_GOODS[0]),
    ("Zalo", "giaythethao.laichau", FASHION_GOODS[0]),
]


def _online(atlas: Atlas, rng: random.Random) -> list[Draft]:
    drafts = []
    moments = _days(rng, len(ONLINE_SHOPS), PERIOD_START, PERIOD_END)
    for when, (platform, account, item) in zip(moments, ONLINE_SHOPS, strict=True):
        spot = _spot(atlas, rng, _weighted(rng, TOWN_UNITS), when.date(), "Nơi đăng ký kinh doanh", gps_share=0.3)
        captured = _later(rng, when, 2 * 24 * 60)
        body = {
            "kind": "online_infringement", "occurred_at": when, "detected_at": captured,
            "team": "Đội QLTT số 1", "location": spot.location, "unit": spot.unit,
            "subject_matter": [item.subject], "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
            "right_holder": _holder(item.holder, item.mark), "violator": _violator(rng, spot, "individual"),
            "legal_basis": [{"document": ND99, "article": "12"}], "is_counterfeit": True,
            "illegal_profit_vnd": rng.randrange(3, 16) * 1_000_000,
            "platform": platform, "url": f"https://example.com/{account}", "seller_account": account,
            "captured_at": captured, "screenshot_sha256": hashlib.sha256(account.encode()).hexdigest(),
            "summary": f"Tài khoản {account} trên {platform} bán {_lower_first(item.description)} giả mạo nhãn hiệu "
            f"{item.mark}, người bán ở {spot.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.qltt", body))
    return drafts


VARIETIES = [("TBR225", "Bằng bảo hộ giống cây trồng số 30.VN.2016 (demo)"),
             ("Thiên ưu 8", "Bằng bảo hộ giống cây trồng số 12.VN.2014 (demo)")]  # fmt: skip


def _plant_varieties(atlas: Atlas, rng: random.Random) -> list[Draft]:
    drafts = []
    seasons = [(date(2025, 1, 6), date(2025, 2, 20)), (date(2025, 5, 12), date(2025, 6, 20))]  # before each crop
    for (variety, certificate), (start, end) in zip(VARIETIES, seasons, strict=True):
        when = _days(rng, 1, start, end)[0]
        spot = _spot(atlas, rng, _weighted(rng, RICE_UNITS), when.date(), "Đại lý giống cây trồng", gps_share=0.3)
        quantity = rng.randrange(6, 30) * 50
        body = {
            "kind": "plant_variety_infringement", "occurred_at": when, "detected_at": _later(rng, when, 60),
            "team": "Đoàn kiểm tra liên ngành vật tư nông nghiệp", "location": spot.location, "unit": spot.unit,
            "subject_matter": ["GIONG_CAY_TRONG"], "infringement_acts": ["XAM_PHAM_GIONG"],
            "right_holder": _holder(f"Chủ bằng bảo hộ giống lúa {variety}"), "violator": _violator(rng, spot),
            "legal_basis": [{"document": "Nghị định 31/2023/NĐ-CP"}],
            "variety_name": f"Lúa {variety}", "certificate_number": certificate, "quantity": quantity,
            "summary": f"Đại lý bán {_money(quantity)} kg giống lúa {variety} tự nhân, không được phép của chủ bằng "
            f"bảo hộ, tại {spot.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.coordinator", body))
    return drafts


DISPUTES = [
    ("HTX nông nghiệp Séng Cù Mường Than", "Công ty TNHH lương thực T.V.", "NHAN_HIEU_TAP_THE",
     "Sử dụng dấu hiệu “Séng Cù Mường Than” tương tự nhãn hiệu tập thể Gạo Séng Cù Than Uyên", "mediation",
     "03595", (date(2025, 5, 5), date(2025, 8, 29))),
    ("HTX chè Tả Lèng", "Hộ kinh doanh chè N.H.", "KIEU_DANG_CN",
     "Bao bì hộp chè sao chép kiểu dáng công nghiệp đã đăng ký", "court", "03405",
     (date(2025, 1, 6), date(2025, 4, 30))),
    ("Homestay Sìn Hồ X.", "Homestay Sìn Hồ X. Garden", "TEN_THUONG_MAI",
     "Sử dụng tên thương mại gây nhầm lẫn trong hoạt động du lịch cộng đồng", "mediation", "03478",
     (date(2025, 9, 1), date(2025, 11, 14))),
]  # fmt: skip


def _disputes(atlas: Atlas, rng: random.Random) -> list[Draft]:
    drafts = []
    acts = {"NHAN_HIEU_TAP_THE": "XAM_PHAM_NHAN_HIEU", "KIEU_DANG_CN": "XAM_PHAM_KIEU_DANG",
            "TEN_THUONG_MAI": "XAM_PHAM_TEN_THUONG_MAI"}  # fmt: skip
    for k, (claimant, respondent, subject, claim, route, unit, (start, end)) in enumerate(DISPUTES):
        when = _days(rng, 1, start, end)[0]
        spot = _spot(atlas, rng, unit, when.date(), "Trụ sở bên bị yêu cầu", gps_share=0.0)
        body = {
            "kind": "dispute", "occurred_at": when, "location": spot.location, "unit": spot.unit,
            "subject_matter": [subject], "infringement_acts": [acts[subject]],
            "right_holder": _holder(claimant), "is_counterfeit": False,
            "parties": [{"role": "claimant", "name": f"{claimant} (demo)"},
                        {"role": "respondent", "name": f"{respondent} (demo)"}],
            "claim": claim, "amount_claimed_vnd": rng.randrange(3, 16) * 10_000_000, "route": route,
            "summary": f"Tranh chấp: {_lower_first(claim)}, {spot.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.coordinator", body, ref=f"dispute-{k}"))
    return drafts


def _mediation(atlas: Atlas, rng: random.Random, dispute: Draft) -> Draft:
    """The successful, court-recognised mediation of the first dispute, 3–5 weeks later."""
    settled_on = dispute.occurred_at.date() + timedelta(days=rng.randrange(21, 36))
    when = _moment(rng, settled_on)
    spot = _spot(atlas, rng, DISPUTES[0][5], settled_on, "Tòa án nhân dân", gps_share=0.0)
    body = {key: dispute.body[key] for key in ("subject_matter", "infringement_acts", "right_holder")} | {
        "location": spot.location, "unit": spot.unit,
        "kind": "mediation_outcome", "occurred_at": when, "is_counterfeit": False,
        "settles_incident_id": str(uuid.UUID(int=0)),  # set to the dispute's reference once ordered
        "mediator": "Hòa giải viên tại Tòa án nhân dân tỉnh Lai Châu", "outcome": "THANH",
        "outcome_date": settled_on, "recognition": "CONG_NHAN",
        "summary": f"Hòa giải thành: bên bị yêu cầu cam kết thay đổi bao bì và bồi thường, được Tòa án công nhận "
        f"{DEMO_LABEL}",
    }  # fmt: skip
    return Draft("demo.coordinator", body, settles=dispute.ref)


# --- Public API -------------------------------------------------------------------------------------


def demo_ref(index: int) -> uuid.UUID:
    """The stand-in id of the index-th demo incident (the loader replaces it with the stored id)."""
    return uuid.uuid5(_REF_NAMESPACE, f"demo-{index}")


def demo_incidents(seed: int = 2025, *, atlas: Atlas | None = None) -> list[tuple[str, IncidentIn]]:
    """The demo incidents in order of occurrence: (username of the recording demo user, validated input).

    Deterministic for a seed. A mediation outcome's settles_incident_id is `demo_ref(i)` of the dispute it
    settles, i being that dispute's position in the list.
    """
    atlas = atlas or bundled_atlas()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    makers: list[Callable[[], list[Draft]]] = [
        lambda: _qltt_seizures(atlas, rng, 42),
        lambda: _large_seizures(atlas, rng),
        lambda: _customs(atlas, rng, 8),
        lambda: _online(atlas, rng),
        lambda: _culture(atlas, rng, ADVERTS, "advertising_violation"),
        lambda: _culture(atlas, rng, COPYRIGHTS, "copyright_infringement"),
        lambda: _plant_varieties(atlas, rng),
        lambda: _disputes(atlas, rng),
    ]
    drafts = [draft for make in makers for draft in make()]
    drafts.append(_mediation(atlas, rng, next(d for d in drafts if d.ref == "dispute-0")))
    drafts.sort(key=lambda d: d.occurred_at)
    positions = {d.ref: i for i, d in enumerate(drafts) if d.ref}
    for draft in drafts:
        if draft.settles:
            draft.body["settles_incident_id"] = str(demo_ref(positions[draft.settles]))
    return [(d.username, msgspec.convert(_without_nulls(d.body), IncidentIn)) for d in drafts]


def _without_nulls(body: Body) -> Body:
    return {k: v for k, v in body.items() if v is not None}


async def demo_loaded(session: AsyncSession) -> bool:
    """True when an incident labelled as demo data is already stored."""
    labelled = Incident.payload["summary"].astext.contains(DEMO_LABEL, autoescape=True)
    return await session.scalar(select(Incident.id).where(labelled).limit(1)) is not None


async def _principal(session: AsyncSession, username: str) -> Principal:
    user = await repository.get_user_by_username(session, username)
    if user is None:
        raise LookupError(f"demo user {username} is missing: create the demo users first")
    return principal_of(user, "session")


async def load_demo_incidents(session: AsyncSession, tagger: Geotagger) -> int:
    """Record the demo incidents through the service, once; returns how many were created (0 if present)."""
    if await demo_loaded(session):
        return 0
    principals: dict[str, Principal] = {}
    stored: dict[uuid.UUID, uuid.UUID] = {}
    created = 0
    for i, (username, data) in enumerate(demo_incidents(atlas=build_atlas(tagger))):
        if username not in principals:
            principals[username] = await _principal(session, username)
        if isinstance(data, MediationOutcomeIn):
            data = msgspec.structs.replace(data, settles_incident_id=stored[data.settles_incident_id])
        recorded = await record_incident(session, principals[username], tagger, data, f"demo-{i}")
        stored[demo_ref(i)] = recorded.incident.id
        created += 0 if recorded.replayed else 1
    await session.flush()
    return created
