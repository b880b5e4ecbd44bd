"""Administrative units keyed by (code, generation), and the successions between generations."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from advanced_alchemy.base import BigIntBase, DefaultBase
from sqlalchemy import CheckConstraint, Date, Float, ForeignKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column


class Generation(StrEnum):
    """Which administrative map a code belongs to; codes are reused across generations."""

    G2024 = "2024"  # before 1 July 2025: 8 districts, 106 communes
    G2025 = "2025"  # from 1 July 2025: 38 commune-level units, no districts


class Level(StrEnum):
    """District level existed only before the reform."""

    DISTRICT = "district"
    COMMUNE = "commune"


class SuccessionKind(StrEnum):
    """How a 2024 unit relates to a 2025 unit."""

    MERGED_INTO = "merged_into"  # a whole 2024 commune became part of a 2025 unit
    OVERLAPS = "overlaps"  # a 2024 district and a 2025 unit share a piece of land


class AdminUnit(DefaultBase):
    """One administrative unit of one generation; geometry stays in the bundled files (no PostGIS)."""

    __tablename__ = "admin_units"
    __table_args__ = (
        CheckConstraint("generation IN ('2024', '2025')", name="generation"),
        CheckConstraint("level IN ('district', 'commune')", name="level"),
        ForeignKeyConstraint(["parent_code", "parent_generation"], ["admin_units.code", "admin_units.generation"]),
    )

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    generation: Mapped[str] = mapped_column(String(4), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    parent_code: Mapped[str | None] = mapped_column(String(5), default=None)
    parent_generation: Mapped[str | None] = mapped_column(String(4), default=None)
    area_km2: Mapped[float | None] = mapped_column(Float, default=None)
    has_geometry: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)


class UnitSuccession(BigIntBase):
    """A link from a 2024 unit to a 2025 unit, with the area shares used to move figures between them."""

    __tablename__ = "admin_unit_successions"
    __table_args__ = (
        ForeignKeyConstraint(["from_code", "from_generation"], ["admin_units.code", "admin_units.generation"]),
        ForeignKeyConstraint(["to_code", "to_generation"], ["admin_units.code", "admin_units.generation"]),
    )

    from_code: Mapped[str] = mapped_column(String(5), index=True)
    from_generation: Mapped[str] = mapped_column(String(4))
    to_code: Mapped[str] = mapped_column(String(5), index=True)
    to_generation: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(20))
    area_km2: Mapped[float | None] = mapped_column(Float, default=None)
    share_of_from: Mapped[float] = mapped_column(Float)
    share_of_to: Mapped[float | None] = mapped_column(Float, default=None)
    legal_basis: Mapped[str] = mapped_column(String(200))
