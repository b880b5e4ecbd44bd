"""Demo incidents by kind, as the input each recording agency would send (dicts, validated by the caller)."""

from __future__ import annotations

import copy
import hashlib
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from service.demo.catalogue import (
    CUSTOMS_GOODS,
    DEMO_LABEL,
    DISPUTES,
    HAMLETS,
    HQ_TEAM,
    MONTH_WEIGHTS,
    ND98,
    ND99,
    ONLINE_SHOPS,
    QLTT_TEAMS,
    RICE_UNITS,
    THEMES,
    TOWN_UNITS,
    VARIETIES,
    VIOLATORS,
    Body,
    Goods,
    Story,
    Theme,
)
from service.demo.places import REFORM_DAY, Atlas, Spot, border_gate, lower_first, place, weighted

VN_TZ = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Window:
    """The days demo incidents are spread over: `start` to `end` inclusive (the day before the demo's day)."""

    start: date
    end: date

    def back(self, days: int) -> date:
        """The day `days` before the last one."""
        return self.end - timedelta(days=days)


# --- Dates and parties ------------------------------------------------------------------------------


def _moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(7 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=VN_TZ)


def days(rng: random.Random, n: int, start: date, end: date, seasonal: bool = False) -> list[datetime]:
    """n working-day moments between start and end (inclusive), sorted; seasonal weights by month."""
    span = (end - start).days + 1
    candidates = [start + timedelta(days=k) for k in range(span)]
    candidates = [d for d in candidates if d.weekday() < 6]  # inspections run Monday to Saturday
    weights = [MONTH_WEIGHTS[d.month] if seasonal else 1 for d in candidates]
    return sorted(_moment(rng, d) for d in rng.choices(candidates, weights=weights, k=n))


def _later(rng: random.Random, moment: datetime, max_minutes: int) -> datetime:
    return moment + timedelta(minutes=rng.randrange(0, max_minutes + 1))


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
    found = ", ".join(f"{_money(x['quantity'])} {x['unit']} {lower_first(x['description'])}" for x in seized.lines)
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


def qltt_seizures(atlas: Atlas, rng: random.Random, plan: list[tuple[datetime, dict[str, int]]]) -> list[Draft]:
    """Market surveillance seizures at the planned moments, each in a unit drawn from its weights."""
    drafts = []
    numbers: dict[tuple[int, str], int] = {}
    for when, units in sorted(plan, key=lambda item: item[0]):
        seized = _seized(rng)
        venue = seized.theme.venue
        spot = place(atlas, rng, weighted(rng, units), when.date(), venue, gps_share=0.3)
        team, short = QLTT_TEAMS[spot.district]
        body = _seizure_body(rng, when, spot, seized, f"Kiểm tra {lower_first(venue)}")
        numbers[(when.year, short)] = numbers.get((when.year, short), 0) + 1
        body |= {"team": team, "record_number": f"{numbers[(when.year, short)]:02d}/BB-{short}",
                 "storage_place": f"Kho tang vật {team}"}  # fmt: skip
        drafts.append(Draft("demo.qltt", body))
    return drafts


def large_seizures(atlas: Atlas, rng: random.Random, w: Window) -> list[Draft]:
    """Two seizures above the BLHS Art. 226 goods-value threshold (200,000,000 đồng)."""
    when = days(rng, 1, w.back(270), w.back(250))[0]
    spot = place(atlas, rng, "03388", when.date(), "Kho hàng", gps_share=0.0)
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
    when = days(rng, 1, w.back(60), w.back(40))[0]
    gate = border_gate(atlas, rng, when.date())
    items = THEMES[2].goods[:3]
    seized = Seized(THEMES[2], items, _lines(rng, items, 225_000_000, minimum=210_000_000), similar=False)
    hq = _seizure_body(rng, when, gate, seized, "Kiểm tra xe tải chở hàng nhập khẩu") | {
        "team": HQ_TEAM, "record_number": "12/BB-HQMLT", "storage_place": f"Kho {HQ_TEAM}",
        "violator": {"type": "organisation", "name": "Công ty TNHH XNK Đ.P. (demo)", "address": "Tỉnh Lào Cai"},
    }  # fmt: skip
    return [Draft("demo.qltt", qltt), Draft("demo.ca", police), Draft("demo.hq", hq)]


def customs(atlas: Atlas, rng: random.Random, n: int, w: Window) -> list[Draft]:
    """Suspensions of customs clearance at the Ma Lù Thàng gate."""
    drafts = []
    for when in days(rng, n, w.start, w.end):
        gate = border_gate(atlas, rng, when.date())
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
            f"{lower_first(item.description)} nghi giả mạo nhãn hiệu {item.mark} tại {gate.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.hq", body))
    return drafts


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


def culture(atlas: Atlas, rng: random.Random, stories: list[Story], kind: str, w: Window) -> list[Draft]:
    """Advertising and copyright cases found by the culture department."""
    drafts = []
    moments = days(rng, len(stories), w.start, w.end)
    for when, story in zip(moments, rng.sample(stories, len(stories)), strict=True):
        spot = place(atlas, rng, weighted(rng, TOWN_UNITS), when.date(), "Cơ sở kinh doanh", gps_share=0.4)
        drafts.append(Draft("demo.svhttdl", _story_body(rng, when, spot, story, kind)))
    return drafts


def online(atlas: Atlas, rng: random.Random, w: Window) -> list[Draft]:
    """Online shops selling counterfeits, registered in the province."""
    drafts = []
    moments = days(rng, len(ONLINE_SHOPS), w.start, w.end)
    for when, (platform, account, item) in zip(moments, ONLINE_SHOPS, strict=True):
        spot = place(atlas, rng, weighted(rng, TOWN_UNITS), when.date(), "Nơi đăng ký kinh doanh", gps_share=0.3)
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
            "summary": f"Tài khoản {account} trên {platform} bán {lower_first(item.description)} giả mạo nhãn hiệu "
            f"{item.mark}, người bán ở {spot.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.qltt", body))
    return drafts


def plant_varieties(atlas: Atlas, rng: random.Random, w: Window) -> list[Draft]:
    """Uncertified seed of protected rice varieties, before each crop."""
    drafts = []
    seasons = [(w.back(330), w.back(290)), (w.back(150), w.back(110))]
    for (variety, certificate), (start, end) in zip(VARIETIES, seasons, strict=True):
        when = days(rng, 1, start, end)[0]
        spot = place(atlas, rng, weighted(rng, RICE_UNITS), when.date(), "Đại lý giống cây trồng", gps_share=0.3)
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


def disputes(atlas: Atlas, rng: random.Random, w: Window) -> list[Draft]:
    """IP disputes brought to the coordinator; the first is mediated (see mediation())."""
    drafts = []
    acts = {"NHAN_HIEU_TAP_THE": "XAM_PHAM_NHAN_HIEU", "KIEU_DANG_CN": "XAM_PHAM_KIEU_DANG",
            "TEN_THUONG_MAI": "XAM_PHAM_TEN_THUONG_MAI"}  # fmt: skip
    for k, (claimant, respondent, subject, claim, route, unit, (start, end)) in enumerate(DISPUTES):
        when = days(rng, 1, w.back(start), w.back(end))[0]
        spot = place(atlas, rng, unit, when.date(), "Trụ sở bên bị yêu cầu", gps_share=0.0)
        body = {
            "kind": "dispute", "occurred_at": when, "location": spot.location, "unit": spot.unit,
            "subject_matter": [subject], "infringement_acts": [acts[subject]],
            "right_holder": _holder(claimant), "is_counterfeit": False,
            "parties": [{"role": "claimant", "name": f"{claimant} (demo)"},
                        {"role": "respondent", "name": f"{respondent} (demo)"}],
            "claim": claim, "amount_claimed_vnd": rng.randrange(3, 16) * 10_000_000, "route": route,
            "summary": f"Tranh chấp: {lower_first(claim)}, {spot.label} {DEMO_LABEL}",
        }  # fmt: skip
        drafts.append(Draft("demo.coordinator", body, ref=f"dispute-{k}"))
    return drafts


def mediation(atlas: Atlas, rng: random.Random, dispute: Draft) -> Draft:
    """The successful, court-recognised mediation of the first dispute, 3–5 weeks later."""
    settled_on = dispute.occurred_at.date() + timedelta(days=rng.randrange(21, 36))
    when = _moment(rng, settled_on)
    spot = place(atlas, rng, DISPUTES[0][5], settled_on, "Tòa án nhân dân", gps_share=0.0)
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
