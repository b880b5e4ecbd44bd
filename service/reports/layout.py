"""A computed report laid out for people in one language: titles, headers, labels for codes, totals and notes.

Every renderer (JSON, XLSX, CSV, PDF, the page) lays out the same ``Sheet`` list, so they cannot disagree.
Texts come from the catalogue (service/i18n/reports.py, ``report.*``) and service/labels.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from service import i18n, labels
from service.clock import LOCAL_TZ
from service.reports.compute import Report
from service.reports.tables import Table

CellType = Literal["text", "count", "number", "money", "percent"]
Cell = str | int | float | None
PROVINCE = ("Lai Châu", "12")
# Digits shown after the decimal point (pages, PDF, XLSX number format); None: as many as the value needs (≤ 2).
DECIMALS: dict[CellType, int | None] = {"text": 0, "count": 0, "number": None, "money": 0, "percent": 1}


@dataclass(frozen=True)
class Column:
    """One column as laid out: a stable key, the header in the report's language, the type of its cells."""

    key: str
    header: str
    type: CellType
    decimals: int | None = None


@dataclass(frozen=True)
class Sheet:
    """One table as laid out: one XLSX sheet, one CSV file, one table of the PDF and of the page."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    """How one column is filled: from a frame column, as is or through a label function."""

    key: str
    source: str
    type: CellType = "text"
    label: Callable[[Any], Cell] | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class Context:
    """What the layout needs besides the report: the language, agency names and when it was made."""

    lang: i18n.Language
    agencies: dict[str, tuple[str, str]]
    generated_at: datetime

    def t(self, code: str, /, **params: object) -> str:
        """A catalogue text in the report's language."""
        return i18n.message(code, self.lang, **params)

    def optional(self, prefix: str, code: Any) -> Cell:
        """The catalogue text of ``prefix + code``, the code itself when the catalogue has none, None for none."""
        if code is None or (isinstance(code, float) and math.isnan(code)):
            return None
        key = f"{prefix}{code}"
        return self.t(key) if key in i18n.MESSAGES else str(code)


def _plain(value: Any) -> Cell:
    """A frame value as a cell: numpy numbers as Python numbers, NaN/NA as empty, flags as text."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str | int | float) else str(value)


class _Labels:
    """How codes and flags become words in the report's language."""

    def __init__(self, ctx: Context) -> None:
        """Keep the context."""
        self.ctx = ctx

    def table(self, table: dict[str, tuple[str, str]]) -> Callable[[Any], Cell]:
        """A label from service/labels.py."""
        return lambda code: labels.label(table, str(code), self.ctx.lang)

    def cat(self, prefix: str) -> Callable[[Any], Cell]:
        """A label from the catalogue, ``prefix + code``."""
        return lambda code: self.ctx.optional(prefix, code)

    def agency(self, code: Any) -> Cell:
        """The agency's name (the code when unknown)."""
        return self.ctx.agencies.get(str(code), (str(code), str(code)))[0 if self.ctx.lang == "vi" else 1]

    def unit_name(self, value: Any) -> Cell:
        """A unit's name; the unplaced row has none."""
        return self.ctx.t("report.unplaced") if _plain(value) is None else str(value)

    def yes_no(self, value: Any) -> Cell:
        """Có / Không."""
        return self.ctx.t("export.yes" if value else "export.no")

    def param_value(self, value: Any) -> Cell:
        """A test parameter: flags as yes or no, the rest as it is."""
        return self.yes_no(value) if isinstance(value, bool) else _plain(value)


COUNTS = {c: Spec(c, c, "count") for c in ("cases", "lines", "quantity", "decisions", "referrals")}
REFERRAL_COUNTS = ("sent", "open", "closed", "returned", "refused", "with_clock", "within_clock")


def _case_specs(lab: _Labels) -> dict[str, tuple[Spec, ...]]:
    """The columns of the case tables."""
    cases = COUNTS["cases"]
    return {
        "summary": (
            Spec("indicator", "indicator", label=lab.cat("report.indicator.")),
            Spec("value", "value", "number"),
        ),
        "by_kind": (Spec("kind", "kind"), Spec("kind_label", "kind", label=lab.table(labels.KINDS)), cases),
        "by_agency": (Spec("agency", "agency"), Spec("agency_name", "agency", label=lab.agency), cases),
        "by_group": (Spec("group", "group"), Spec("group_label", "group", label=lab.cat("report.group.")), cases),
        "by_act": (Spec("act", "act"), Spec("act_label", "act", label=lab.table(labels.INFRINGEMENT_ACTS)), cases),
        "by_unit": (
            Spec("code", "code"),
            Spec("name", "name", label=lab.unit_name),
            Spec("cases", "cases", "number"),
            Spec("goods_value_vnd", "goods_value_vnd", "money"),
            Spec("split_count", "split_count", "number"),
        ),
        "goods": (Spec("unit", "unit"), COUNTS["lines"], COUNTS["quantity"], Spec("value_vnd", "value_vnd", "money")),
        "mediation": (
            Spec("outcome", "outcome"),
            Spec("outcome_label", "outcome", label=lab.cat("ui.referrals.outcome.")),
            cases,
            *(Spec(c, c, "count") for c in ("recognised", "not_recognised", "award")),
        ),
        "hotspots": (
            Spec("code", "code"),
            Spec("name", "name"),
            Spec("cases", "cases", "number"),
            Spec("z", "z", "number", decimals=3),
            Spec("p_sim", "p_sim", "number", decimals=4),
            Spec("label", "label", label=lab.cat("report.hotspot.")),
            Spec("indicative", "indicative", label=lab.cat("report.hotspot.")),
        ),
        "hotspot_params": (
            Spec("parameter", "parameter", label=lab.cat("report.param.")),
            Spec("value", "value", label=lab.param_value),
        ),
    }


def _act_specs(lab: _Labels) -> dict[str, tuple[Spec, ...]]:
    """The columns of the decision and referral tables."""
    return {
        "sanctions": (
            Spec("payment_status", "payment_status"),
            Spec("payment_status_label", "payment_status", label=lab.cat("ui.incident.value.")),
            COUNTS["decisions"],
            Spec("fine_vnd", "fine_vnd", "money"),
            Spec("collected", "collected", label=lab.yes_no),
        ),
        "referrals": (
            Spec("type", "type"),
            Spec("type_label", "type", label=lab.cat("export.referral_type.")),
            *(Spec(c, c, "count") for c in REFERRAL_COUNTS),
            Spec("share_within_clock", "share_within_clock", "percent"),
        ),
        "referral_outcomes": (
            Spec("type_label", "type", label=lab.cat("export.referral_type.")),
            Spec("outcome", "outcome"),
            Spec("outcome_label", "outcome", label=lab.cat("ui.referrals.outcome.")),
            COUNTS["referrals"],
        ),
    }


def _specs(ctx: Context) -> dict[str, tuple[Spec, ...]]:
    """The columns of every table."""
    lab = _Labels(ctx)
    return _case_specs(lab) | _act_specs(lab)


def _cell(spec: Spec, value: Any) -> Cell:
    if spec.label is not None:
        return spec.label(value)
    cell = _plain(value)
    if spec.type == "count" and isinstance(cell, float):
        return int(cell)
    return cell


def _total(specs: tuple[Spec, ...], total: dict[str, Any], ctx: Context) -> list[Cell]:
    """The total row: its title in the first column, the totals under the numeric columns they belong to."""
    row: list[Cell] = [ctx.t("report.total")]
    for spec in specs[1:]:
        numeric = spec.label is None and spec.type != "text"
        row.append(_cell(spec, total.get(spec.source)) if numeric and spec.source in total else None)
    return row


def sheet(key: str, table: Table, ctx: Context, notes: list[str] | None = None) -> Sheet:
    """One computed table laid out."""
    specs = _specs(ctx)[key]
    columns = [
        Column(s.key, ctx.t(f"report.col.{s.key}"), s.type, s.decimals if s.decimals is not None else DECIMALS[s.type])
        for s in specs
    ]
    records = table.rows.to_dict("records")
    rows = [[_cell(spec, record.get(spec.source)) for spec in specs] for record in records]
    total = None if table.total is None else _total(specs, table.total, ctx)
    return Sheet(key, ctx.t(f"report.table.{key}"), columns, rows, total, notes or [])


def period_text(report: Report) -> str:
    """dd/mm/yyyy – dd/mm/yyyy."""
    return f"{report.period.start:%d/%m/%Y} – {report.period.end:%d/%m/%Y}"


def info_sheet(report: Report, ctx: Context) -> Sheet:
    """What the report is: province, period, generation of units, when it was made (the PDF's title page)."""
    made = ctx.generated_at.astimezone(LOCAL_TZ)
    values = {
        "province": f"{PROVINCE[0]} ({PROVINCE[1]})",
        "period": period_text(report),
        "generation": ctx.t(f"report.generation.{report.generation}"),
        "generated_at": f"{made:%d/%m/%Y %H:%M}",
        "counting": ctx.t("report.info.counting_rule"),
    }
    columns = [Column("item", ctx.t("report.col.item"), "text"), Column("value", ctx.t("report.col.value"), "text")]
    rows: list[list[Cell]] = [[ctx.t(f"report.info.{k}"), v] for k, v in values.items()]
    return Sheet("info", ctx.t("report.table.info"), columns, rows)


def _hotspot_notes(report: Report, ctx: Context) -> list[str]:
    """Which areas were tested, and why nothing is coloured when there was too little data."""
    result = report.hotspots
    notes = [
        ctx.t("report.note.hotspot_areas"),
        ctx.t("report.note.hotspot_statistic"),
        ctx.t("report.note.indicative"),
    ]
    if result.shortage is not None:
        found, needed = result.shortage.found, result.shortage.needed
        if result.shortage.what == "incidents":
            notes.append(ctx.t("maps.note.too_few_incidents", total=int(found), needed=needed))
        else:
            notes.append(ctx.t("maps.note.too_few_areas", areas=int(found), needed=needed))
    return notes


def _notes(report: Report, ctx: Context) -> dict[str, list[str]]:
    """The notes under each table."""
    by_unit = report.tables["by_unit"].rows
    unit_notes = [ctx.t(f"report.note.by_unit_{report.generation}")]
    split = float(by_unit["split_count"].sum())
    if split > 0:
        unit_notes.append(ctx.t("maps.note.split_by_area", count=round(split, 2)))
    if by_unit["code"].isna().any():
        unit_notes.append(ctx.t("report.note.unplaced"))
    hotspot_notes = _hotspot_notes(report, ctx)
    return {
        "summary": [ctx.t("report.note.summary")],
        "by_group": [ctx.t("report.note.several")],
        "by_act": [ctx.t("report.note.several")],
        "by_unit": unit_notes,
        "goods": [ctx.t("report.note.goods")],
        "sanctions": [ctx.t("report.note.sanctions")],
        "referrals": [ctx.t("report.note.referrals")],
        "mediation": [ctx.t("report.note.mediation")],
        "hotspots": hotspot_notes,
        "hotspot_params": hotspot_notes,
    }


def sheets(report: Report, ctx: Context) -> list[Sheet]:
    """The report laid out: the information sheet, then every table in order."""
    notes = _notes(report, ctx)
    return [info_sheet(report, ctx)] + [sheet(key, table, ctx, notes.get(key)) for key, table in report.tables.items()]


def display(value: Cell, column: Column, lang: i18n.Language) -> str:
    """A cell as text for a page or the PDF: Vietnamese digits (1.250.000; 66,7) or English ones (1,250,000)."""
    if value is None:
        return ""
    if column.type == "text" or not isinstance(value, int | float):
        return str(value)
    decimals = column.decimals
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text
