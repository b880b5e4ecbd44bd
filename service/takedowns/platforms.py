"""Platforms as data an administrator maintains: recorded, changed, ended by `valid_to`; never deleted."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import PlatformIn, PlatformOut
from service.audit import service as audit
from service.auth.principal import Principal
from service.clock import in_force, local_day, now
from service.errors import Invalid, NotFound
from service.takedowns import repository
from service.takedowns.models import Platform

FIELDS = ("name", "kind", "registration_number", "contact", "website", "valid_from", "valid_to")


class PlatformNotFound(NotFound):
    code = "platform.not_found"


class PlatformEnded(Invalid):
    status = 422
    code = "platform.not_in_force"


def platform_out(platform: Platform, today: date | None = None) -> PlatformOut:
    """The API view of a platform, with whether it is in force today."""
    today = today or local_day(now())
    return PlatformOut(
        id=platform.id,
        name=platform.name,
        kind=platform.kind,  # type: ignore[arg-type]  # stored from PlatformKind only
        registration_number=platform.registration_number,
        contact=platform.contact,
        website=platform.website,
        valid_from=platform.valid_from,
        valid_to=platform.valid_to,
        in_force=in_force(platform.valid_from, platform.valid_to, today),
    )


async def list_platforms(session: AsyncSession) -> list[PlatformOut]:
    """Every platform, ended ones included."""
    today = local_day(now())
    return [platform_out(p, today) for p in await repository.list_platforms(session)]


def _checked(data: PlatformIn) -> PlatformIn:
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise Invalid(field="valid_to").with_code("platform.ends_before_start")
    return data


def _apply(platform: Platform, data: PlatformIn, principal: Principal) -> dict[str, str]:
    """Set the fields from `data`; what changed, as "old → new" by field."""
    changed = {
        name: f"{getattr(platform, name, None) or ''} → {getattr(data, name) or ''}"
        for name in FIELDS
        if getattr(platform, name, None) != getattr(data, name)
    }
    for name in FIELDS:
        setattr(platform, name, getattr(data, name))
    platform.changed_by_id = principal.user_id
    return changed


async def add_platform(session: AsyncSession, principal: Principal, data: PlatformIn) -> PlatformOut:
    """Record a platform (administrators)."""
    platform = Platform()
    _apply(platform, _checked(data), principal)
    session.add(platform)
    await session.flush()
    await _audit(session, principal, "platform.added", platform, {})
    return platform_out(platform)


async def change_platform(
    session: AsyncSession, principal: Principal, platform_id: uuid.UUID, data: PlatformIn
) -> PlatformOut:
    """Change a platform's details or end it (`valid_to`); its requests keep pointing at it."""
    platform = await repository.get_platform(session, platform_id, lock=True)
    if platform is None:
        raise PlatformNotFound(field="platform_id")
    changed = _apply(platform, _checked(data), principal)
    await session.flush()
    await _audit(session, principal, "platform.changed", platform, changed)
    return platform_out(platform)


async def _audit(
    session: AsyncSession, principal: Principal, event: str, platform: Platform, changes: dict[str, str]
) -> None:
    detail = {"name": platform.name, "kind": platform.kind, "valid_to": str(platform.valid_to or "")}
    detail |= {f"changed_{name}": change for name, change in changes.items()}
    fields = list(changes) or list(FIELDS)
    await audit.record(
        session, event, principal, record_type="platform", record_ids=[str(platform.id)], fields=fields, detail=detail
    )


async def platform_in_force(session: AsyncSession, platform_id: uuid.UUID, field: str = "platform_id") -> Platform:
    """A platform requests may be sent to today; 404 or 422 naming `field` otherwise."""
    platform = await repository.get_platform(session, platform_id)
    if platform is None:
        raise PlatformNotFound(field=field)
    if not in_force(platform.valid_from, platform.valid_to, local_day(now())):
        raise PlatformEnded(field=field, name=platform.name, valid_to=str(platform.valid_to))
    return platform
