"""The yearly and period report's tables: pure functions, frames in, frames out (no database, no Litestar).

Inputs (``ReportData``), each a DataFrame:

* ``incidents``: the columns of ``maps.figures.INCIDENT_COLUMNS``, plus ``case_key`` (optional; defaults to ``id``)
  and ``mediation_outcome`` / ``mediation_recognition`` (optional; set on ``mediation_outcome`` incidents).
* ``goods``: one row per seized goods line: ``incident_id, unit, quantity, value_vnd``.
* ``sanctions``: one row per sanction decision: ``incident_id, incident_status, decided_on, fine_vnd,
  payment_status``.
* ``referrals``: one row per referral: ``incident_id, incident_status, type, status, outcome, sent_on,
  closed_on, due_on`` (local calendar days; ``closed_on`` and ``due_on`` may be missing).

What the period selects: incidents that occurred in it (local days, both ends included), sanction decisions
decided in it, referrals sent in it. Withdrawn incidents are never counted, nor the decisions and referrals
of a withdrawn incident.

One case, counted once: every case table counts distinct ``case_key`` values, represented by the first incident
of each key (earliest ``occurred_at``, then ``id``), and the goods lines counted are those of that incident.
``case_key`` is the linked case (service/cases) or, for an incident linked to none, its own id. Sanction
decisions and referrals are acts of their own and are counted per record.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from maps import figures
from schemas.codes import INCIDENT_KINDS, INFRINGEMENT_ACTS, SUBJECT_MATTERS
from service.referrals.transitions import OPEN, REFERRAL_TYPES, outcomes_for

# DOMAIN.md §4: statistics group the subject matters as industrial property (the first twelve codes), copyright
# and related rights, and plant varieties.
_COPYRIGHT: tuple[str, ...] = ("QUYEN_TAC_GIA", "QUYEN_LIEN_QUAN")
_PLANT_VARIETY: tuple[str, ...] = ("GIONG_CAY_TRONG",)
SUBJECT_MATTER_GROUPS: dict[str, tuple[str, ...]] = {
    "industrial_property": tuple(c for c in SUBJECT_MATTERS if c not in _COPYRIGHT + _PLANT_VARIETY),
    "copyright": _COPYRIGHT,
    "plant_variety": _PLANT_VARIETY,
}
PAYMENT_STATUSES: tuple[str, ...] = ("unpaid", "paid", "partly_paid", "enforced", "suspended", "cancelled")
# Money is collected when the decision is paid or enforced; a partly paid decision records no amount paid, so it
# is not counted as collected. A cancelled decision imposes nothing.
COLLECTED: frozenset[str] = frozenset({"paid", "enforced"})
CANCELLED = "cancelled"
MEDIATION_OUTCOMES: tuple[str, ...] = ("THANH", "THANH_MOT_PHAN", "KHONG_THANH", "CHAM_DUT")
RECOGNISED: frozenset[str] = frozenset({"CONG_NHAN", "QD_CONG_NHAN_TRONG_TAI"})
WITHDRAWN = figures.WITHDRAWN


@dataclass(frozen=True)
class Period:
    """Local calendar days, both included."""

    start: date
    end: date

    def holds(self, days: pd.Series) -> pd.Series:
        """Per row: does the day (date or timestamp; missing: no) fall in the period?"""
        stamps = pd.to_datetime(days)
        return (stamps >= pd.Timestamp(self.start)) & (stamps <= pd.Timestamp(self.end))


@dataclass(frozen=True)
class ReportData:
    """The frames a report is computed from (see the module docstring)."""

    incidents: pd.DataFrame
    goods: pd.DataFrame
    sanctions: pd.DataFrame
    referrals: pd.DataFrame


@dataclass(frozen=True)
class Table:
    """One table's rows and, where adding up means something, its total row (column -> value)."""

    rows: pd.DataFrame
    total: dict[str, Any] | None = None


# --- the cases of the period -----------------------------------------------------------------------


def counted_incidents(incidents: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Incidents that occurred in the period, withdrawn ones left out, with ``case_key`` (default: ``id``)."""
    kept = figures.filter_incidents(incidents, start=period.start, end=period.end)
    if "case_key" not in kept.columns:
        kept["case_key"] = kept["id"]
    kept["case_key"] = kept["case_key"].where(kept["case_key"].notna(), kept["id"])
    return kept


def cases(counted: pd.DataFrame) -> pd.DataFrame:
    """One row per case: the first incident (by ``occurred_at``, then ``id``) of each ``case_key``."""
    ordered = counted.assign(_id=counted["id"].astype(str)).sort_values(["occurred_at", "_id"], kind="stable")
    return ordered.drop_duplicates("case_key", keep="first").drop(columns="_id")


def _count_by(frame: pd.DataFrame, column: str, codes: Collection[str], name: str) -> pd.DataFrame:
    """Rows per code (every code listed, in order): ``frame`` has one row per (case, code)."""
    counts = frame[column].value_counts()
    return pd.DataFrame({name: list(codes), "cases": [int(counts.get(code, 0)) for code in codes]})


def _exploded(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per (case, distinct code in its list); a missing or empty list gives no row."""
    pairs = frame[["case_key", column]].explode(column).dropna(subset=[column])
    return pairs.drop_duplicates()


def by_kind(case_rows: pd.DataFrame) -> Table:
    """Cases per incident kind (every kind listed)."""
    return Table(_count_by(case_rows, "kind", INCIDENT_KINDS, "kind"), {"cases": len(case_rows)})  # one row a case


def by_agency(case_rows: pd.DataFrame) -> Table:
    """Cases per recording agency, most first (only agencies with cases)."""
    counts = case_rows["agency"].value_counts()
    rows = pd.DataFrame({"agency": counts.index.astype(str), "cases": counts.to_numpy(dtype=np.int64)})
    rows = rows.sort_values(["cases", "agency"], ascending=[False, True], ignore_index=True)
    return Table(rows, {"cases": len(case_rows)})


GROUP_OF: dict[str, str] = {code: group for group, codes in SUBJECT_MATTER_GROUPS.items() for code in codes}


def by_group(case_rows: pd.DataFrame) -> Table:
    """Cases per subject-matter group; a case with subject matters in two groups counts in both (total: once)."""
    pairs = _exploded(case_rows, "subject_matter")
    groups = pd.DataFrame({"case_key": pairs["case_key"], "group": pairs["subject_matter"].map(GROUP_OF)})
    groups = groups.dropna(subset=["group"]).drop_duplicates()
    return Table(_count_by(groups, "group", tuple(SUBJECT_MATTER_GROUPS), "group"), {"cases": len(case_rows)})


def by_act(case_rows: pd.DataFrame) -> Table:
    """Cases per infringement act (every act listed); a case with two acts counts under both (total: once)."""
    pairs = _exploded(case_rows, "infringement_acts")
    return Table(_count_by(pairs, "infringement_acts", INFRINGEMENT_ACTS, "act"), {"cases": len(case_rows)})


def by_unit(case_rows: pd.DataFrame, generation: str, figured: pd.DataFrame | None = None) -> Table:
    """Cases and seized value per unit of the generation (maps.figures), plus a row for unplaced cases.

    Counts are fractional where a case known only by a unit of the other generation was split by area share;
    the total is the number of cases either way. ``figured``: ``figures.figures_by`` of the cases, if made already.
    """
    table = (figures.figures_by(case_rows, generation) if figured is None else figured).reset_index()
    rows = table[["code", "name", "count", "goods_value_vnd", "split_count"]].rename(columns={"count": "cases"})
    # Every placed case adds exactly 1 to the counts (maps.figures), so the rest are the unplaced ones.
    unplaced = len(case_rows) - round(float(rows["cases"].sum()))
    if unplaced:
        extra = {"code": None, "name": None, "cases": float(unplaced), "goods_value_vnd": 0.0, "split_count": 0.0}
        rows = pd.concat([rows, pd.DataFrame([extra])], ignore_index=True)
    total = {"cases": float(rows["cases"].sum()), "goods_value_vnd": float(rows["goods_value_vnd"].sum())}
    return Table(rows, total | {"split_count": float(rows["split_count"].sum())})


# --- goods, decisions, referrals, mediation ---------------------------------------------------------


def goods(lines: pd.DataFrame, case_rows: pd.DataFrame) -> Table:
    """Seized goods lines of the cases, per unit of measure: lines, quantity and value (VND)."""
    kept = lines[lines["incident_id"].isin(set(case_rows["id"]))]
    grouped = kept.groupby("unit", sort=True).agg(
        lines=("unit", "size"), quantity=("quantity", "sum"), value_vnd=("value_vnd", "sum")
    )
    rows = grouped.reset_index().astype({"lines": np.int64, "quantity": np.int64, "value_vnd": np.int64})
    # Quantities in different units of measure do not add up: the total has lines and value only.
    return Table(rows, {"lines": len(kept), "value_vnd": int(kept["value_vnd"].sum())})


def _not_withdrawn(frame: pd.DataFrame) -> pd.Series:
    return frame["incident_status"].ne(WITHDRAWN).fillna(True).astype(bool)


def decisions_in(sanctions: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Sanction decisions decided in the period on incidents that are not withdrawn."""
    return sanctions[period.holds(sanctions["decided_on"]) & _not_withdrawn(sanctions)]


def sanctions_by_status(decisions: pd.DataFrame) -> Table:
    """Decisions and their fines per payment status (every status listed), and whether that money is collected."""
    grouped = decisions.groupby("payment_status")["fine_vnd"].agg(["size", "sum"])
    rows = pd.DataFrame(
        {
            "payment_status": list(PAYMENT_STATUSES),
            "decisions": [int(grouped["size"].get(s, 0)) for s in PAYMENT_STATUSES],
            "fine_vnd": [int(grouped["sum"].get(s, 0)) for s in PAYMENT_STATUSES],
            "collected": [s in COLLECTED for s in PAYMENT_STATUSES],
        }
    )
    return Table(rows, {"decisions": len(decisions), "fine_vnd": int(decisions["fine_vnd"].sum())})


def referrals_in(referrals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Referrals sent in the period about incidents that are not withdrawn, with their clock flags."""
    kept = referrals[period.holds(referrals["sent_on"]) & _not_withdrawn(referrals)].copy()
    closed = kept["status"].eq("closed")
    due = pd.to_datetime(kept["due_on"])
    kept["closed"] = closed
    kept["with_clock"] = closed & due.notna()
    kept["within_clock"] = kept["with_clock"] & (pd.to_datetime(kept["closed_on"]) <= due).fillna(False)
    return kept


def _share(part: int, whole: int) -> float | None:
    """Per cent, one decimal; None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


def _referral_counts(frame: pd.DataFrame) -> dict[str, Any]:
    statuses = frame["status"]
    counts = {
        "sent": len(frame),
        "open": int(statuses.isin([s.value for s in OPEN]).sum()),
        "closed": int(frame["closed"].sum()),
        "returned": int(statuses.eq("returned").sum()),
        "refused": int(statuses.eq("refused").sum()),
        "with_clock": int(frame["with_clock"].sum()),
        "within_clock": int(frame["within_clock"].sum()),
    }
    return counts | {"share_within_clock": _share(counts["within_clock"], counts["with_clock"])}


def referrals_by_type(sent: pd.DataFrame) -> Table:
    """Per referral type (every type listed): sent, open, closed, returned, refused, and closed within the clock.

    ``with_clock``: closed referrals that had a legal clock (a due date); ``within_clock``: those closed on or
    before it; ``share_within_clock`` is the second as a percentage of the first (None when none had a clock).
    """
    rows = [{"type": kind} | _referral_counts(sent[sent["type"] == kind]) for kind in REFERRAL_TYPES]
    return Table(pd.DataFrame(rows), _referral_counts(sent))


def referral_outcomes(sent: pd.DataFrame) -> Table:
    """Closed referrals per (type, outcome), in the order of the types and of their allowed outcomes."""
    closed = sent[sent["closed"] & sent["outcome"].notna()]
    counts = closed.groupby(["type", "outcome"]).size()
    rows = []
    for kind in REFERRAL_TYPES:
        known = outcomes_for(kind)
        seen = [str(o) for t, o in counts.index if t == kind]
        for outcome in [*known, *sorted(set(seen) - set(known))]:
            if (kind, outcome) in counts.index:
                rows.append({"type": kind, "outcome": outcome, "referrals": int(counts[(kind, outcome)])})
    return Table(pd.DataFrame(rows, columns=["type", "outcome", "referrals"]), {"referrals": len(closed)})


def mediation(case_rows: pd.DataFrame) -> Table:
    """Mediation outcome cases per outcome (every outcome listed), with the court's or arbitrator's follow-up."""
    frame = case_rows[case_rows["kind"] == "mediation_outcome"]
    outcome = frame.get("mediation_outcome", pd.Series(None, index=frame.index, dtype=object))
    recognition = frame.get("mediation_recognition", pd.Series(None, index=frame.index, dtype=object))
    rows = []
    for code in MEDIATION_OUTCOMES:
        mine = recognition[outcome == code]
        rows.append(
            {
                "outcome": code,
                "cases": len(mine),
                "recognised": int(mine.isin(RECOGNISED).sum()),
                "not_recognised": int(mine.eq("KHONG_CONG_NHAN").sum()),
                "award": int(mine.eq("PHAN_QUYET").sum()),
            }
        )
    table = pd.DataFrame(rows)
    return Table(table, {column: int(table[column].sum()) for column in table.columns if column != "outcome"})
