"""A whole report from its frames: every table of ``tables``, the hotspots of the period and the summary (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from maps import figures, hotspots
from maps.hotspots import HotspotParams, HotspotResult
from service.reports import tables
from service.reports.tables import Period, ReportData, Table

GENERATIONS: tuple[str, ...] = ("2025", "2024")
# As the unit hotspot map (service.map_views.query.UNIT_PERMUTATIONS) with its stored seed, so the report's hot spots
# are the map's for the same period.
UNIT_PERMUTATIONS = 999
TABLE_KEYS: tuple[str, ...] = (
    "summary",
    "by_kind",
    "by_agency",
    "by_group",
    "by_act",
    "by_unit",
    "goods",
    "sanctions",
    "referrals",
    "referral_outcomes",
    "mediation",
    "hotspots",
    "hotspot_params",
)
NOT_SIGNIFICANT = hotspots.NOT_SIGNIFICANT


@dataclass(frozen=True)
class Report:
    """Every table of one report (keys in TABLE_KEYS order) and the hotspot result the map is drawn from."""

    period: Period
    generation: str
    tables: dict[str, Table]
    hotspots: HotspotResult

    def total(self, key: str, column: str = "cases") -> Any:
        """The total row's value of one table."""
        total = self.tables[key].total
        return None if total is None else total.get(column)

    def summary(self) -> dict[str, Any]:
        """The summary table as indicator -> value."""
        rows = self.tables["summary"].rows
        return dict(zip(rows["indicator"], rows["value"], strict=True))


def hotspot_result(units: pd.DataFrame, period: Period, params: HotspotParams | None = None) -> HotspotResult:
    """Gi* over the 38 units of 2025 on the period's cases per unit, as the unit hotspot map runs it."""
    context = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return hotspots.hotspots_by_unit(units["count"], params or HotspotParams(permutations=UNIT_PERMUTATIONS), context)


def hotspot_table(result: HotspotResult, units: pd.DataFrame) -> Table:
    """Units hot or cold after the FDR cut-off, and those only indicative (their p-value alone), by z-score.

    ``units`` is ``maps.figures.figures_by_unit`` of the cases: its counts, not the test's whole-number copy of them.
    """
    table = result.table
    listed = table[(table["label"] != NOT_SIGNIFICANT) | (table["label_uncorrected"] != NOT_SIGNIFICANT)]
    rows = pd.DataFrame(
        {
            "code": listed.index.astype(str),
            "name": [str(units.loc[code, "full_name"]) for code in listed.index],
            "cases": [float(units.loc[code, "count"]) for code in listed.index],
            "z": listed["z"].round(3).to_numpy(),
            "p_sim": listed["p_sim"].round(4).to_numpy(),
            "label": listed["label"].to_numpy(),
            "indicative": listed["label_uncorrected"].where(listed["label"] == NOT_SIGNIFICANT, None).to_numpy(),
        }
    )
    return Table(rows.sort_values(["z", "code"], ascending=[False, True], ignore_index=True))


def hotspot_params(result: HotspotResult) -> Table:
    """How the hot spots were found, so that the figure can be reproduced (see docs/maps.md)."""
    params = result.params
    threshold = None if result.p_fdr_threshold is None else round(result.p_fdr_threshold, 6)
    values: dict[str, Any] = {
        "areas": params["areas"],
        "weights": params["weights"],
        "permutations": params["permutations"],
        "seed": params["seed"],
        "alpha": params["alpha"],
        "alternative": params["alternative"],
        "p_fdr_threshold": threshold,
        "min_fdr_cluster": result.min_fdr_cluster,
        "enough_data": result.enough_data,
    }
    return Table(pd.DataFrame({"parameter": list(values), "value": pd.Series(list(values.values()), dtype=object)}))


def _labelled(result: HotspotResult, column: str, prefix: str) -> int:
    return int(result.table[column].str.startswith(prefix).sum())


def summary(built: dict[str, Table], counted: int, cases: int, result: HotspotResult) -> Table:
    """The report's headline figures, as (indicator, value) rows."""
    decisions = built["sanctions"].rows
    in_force = decisions[decisions["payment_status"] != tables.CANCELLED]
    collected = decisions[decisions["collected"]]
    referrals = built["referrals"].total or {}
    hotspot_rows = built["hotspots"].rows
    values: dict[str, Any] = {
        "incidents": counted,
        "cases": cases,
        "linked": counted - cases,
        "goods_lines": (built["goods"].total or {}).get("lines", 0),
        "goods_value_vnd": (built["goods"].total or {}).get("value_vnd", 0),
        "decisions": int(in_force["decisions"].sum()),
        "fines_imposed_vnd": int(in_force["fine_vnd"].sum()),
        "fines_collected_vnd": int(collected["fine_vnd"].sum()),
        "referrals_sent": referrals.get("sent", 0),
        "referrals_closed": referrals.get("closed", 0),
        "share_within_clock": referrals.get("share_within_clock"),
        "mediation_outcomes": (built["mediation"].total or {}).get("cases", 0),
        "hot_units": _labelled(result, "label", "hot"),
        "cold_units": _labelled(result, "label", "cold"),
        "indicative_units": int(hotspot_rows["indicative"].notna().sum()),
    }
    return Table(pd.DataFrame({"indicator": list(values), "value": pd.Series(list(values.values()), dtype=object)}))


def build_report(data: ReportData, period: Period, generation: str, params: HotspotParams | None = None) -> Report:
    """Every table of the period's report in one generation of units (hot spots: always the 38 units of 2025)."""
    if generation not in GENERATIONS:
        raise ValueError(f"generation must be one of {GENERATIONS}, not {generation!r}")
    counted = tables.counted_incidents(data.incidents, period)
    case_rows = tables.cases(counted)
    sent = tables.referrals_in(data.referrals, period)
    units = figures.figures_by_unit(case_rows)
    result = hotspot_result(units, period, params)
    built: dict[str, Table] = {
        "by_kind": tables.by_kind(case_rows),
        "by_agency": tables.by_agency(case_rows),
        "by_group": tables.by_group(case_rows),
        "by_act": tables.by_act(case_rows),
        "by_unit": tables.by_unit(case_rows, generation, units if generation == "2025" else None),
        "goods": tables.goods(data.goods, case_rows),
        "sanctions": tables.sanctions_by_status(tables.decisions_in(data.sanctions, period)),
        "referrals": tables.referrals_by_type(sent),
        "referral_outcomes": tables.referral_outcomes(sent),
        "mediation": tables.mediation(case_rows),
        "hotspots": hotspot_table(result, units),
        "hotspot_params": hotspot_params(result),
    }
    built["summary"] = summary(built, len(counted), len(case_rows), result)
    return Report(period, generation, {key: built[key] for key in TABLE_KEYS}, result)
