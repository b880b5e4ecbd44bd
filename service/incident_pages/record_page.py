"""The record form as a page: labels and choices in the reader's language, errors beside their inputs, and the
small JSON block record.js reads (thresholds, upload limit, texts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from schemas.codes import INFRINGEMENT_ACTS, SUBJECT_MATTERS
from service import i18n, labels
from service.admin_units.service import geo_registry
from service.auth.principal import Principal
from service.clock import local_day, now
from service.incident_pages.record_form import (
    BLOCKS,
    COMMON_SECTIONS,
    FORM_KINDS,
    GOODS_FIELDS,
    KIND_FIELDS,
    Parsed,
    fields_of,
    goods_total,
    label_key,
    normalize,
)
from service.incident_pages.record_queries import thresholds_in_force
from service.settings import Settings
from service.text import fold
from service.web.context import language, page, translator

MAX_SIDE_PX = 1600  # photos are shrunk on the phone to this longest side before upload
JPEG_QUALITY = 0.8
LOGIN_AGAIN = "/login?next=/incidents/new"
# Paths whose errors are shown at a block rather than one input; record.js names them with these labels.
BLOCK_LABELS = ("location", "location.lon", "location.lat", "unit", "goods", "file", "photos", "kind")
# Texts record.js and offline.js show; each is "ui.incidents.js.<name>" in the catalogue.
JS_TEXTS = (
    "waiting",
    "sending",
    "sent",
    "queued",
    "offline",
    "failed",
    "expired",
    "login_again",
    "waiting_login",
    "crime_warning",
    "photo_too_large",
    "photo_unreadable",
    "photo_remove",
    "locating",
    "located",
    "no_gps",
    "unit_matches",
    "unit_none",
    "unit_picked",
    "referred",
    "open_again",
    "number",
    "datetime",
    "storage_full",
    "mine_link",
    "draft_restored",
    "measure_goods_value",
    "measure_illegal_profit",
    "measure_damage",
)


def field_id(name: str, kind: str | None = None) -> str:
    """The HTML id of an input; kind-specific inputs carry the kind, since two kinds may share a name (`url`)."""
    slug = normalize(name).replace(".", "-")
    return f"f-{kind}-{slug}" if kind else f"f-{slug}"


def anchor(name: str, kind: str) -> str:
    """The id an error summary links to: the input, or the block an error about no one input belongs to."""
    if name in BLOCKS:
        return {"form": "record-form", "photos": "f-photos"}.get(name, name)
    own = {f.name for f in KIND_FIELDS.get(kind, ())}
    return field_id(name, kind if name in own else None)


def field_label(t: Callable[..., str], path: str) -> str:
    """The label of an input, with its line number for a goods line."""
    key = label_key(path)
    text = t(key) if key in i18n.MESSAGES else path
    numbers = [part for part in normalize(path).split(".") if part.isdigit()]
    return f"{text} ({t('ui.incidents.line', n=int(numbers[0]) + 1)})" if numbers else text


def units_2025(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    """The 38 units of 2025 as (code, full name), in alphabetical order of their folded names."""
    names = geo_registry(request).names
    units = [(code, full, name) for (code, generation), (name, full) in names.items() if generation == "2025"]
    return [(code, full) for code, full, _ in sorted(units, key=lambda u: fold(u[2]))]


def choices(request: Request[Any, Any, Any], lang: i18n.Language) -> dict[str, list[tuple[str, str]]]:
    """Options of every select of the form, labelled in the reader's language."""
    t = translator(lang)
    options: dict[str, list[tuple[str, str]]] = {
        "subject_matter": [(c, labels.label(labels.SUBJECT_MATTERS, c, lang)) for c in SUBJECT_MATTERS],
        "infringement_acts": [(c, labels.label(labels.INFRINGEMENT_ACTS, c, lang)) for c in INFRINGEMENT_ACTS],
        "unit.code": units_2025(request),
        "kind": [(k, labels.label(labels.KINDS, k, lang)) for k in FORM_KINDS],
    }
    for fields in (*COMMON_SECTIONS.values(), *KIND_FIELDS.values()):
        for f in fields:
            if f.type == "choice":
                options[f.name] = [(c, t(f"ui.incidents.choice.{f.name}.{c}")) for c in f.choices]
    return options


def client_data(t: Callable[..., str], principal: Principal, settings: Settings) -> dict[str, Any]:
    """What offline.js and record.js need: whose queue this is, the upload limit, the texts."""
    return {
        "user": principal.username,
        "maxBytes": settings.upload_max_bytes,
        "maxSide": MAX_SIDE_PX,
        "quality": JPEG_QUALITY,
        "loginUrl": LOGIN_AGAIN,
        "texts": {name: t(f"ui.incidents.js.{name}") for name in JS_TEXTS},
    }


def goods_inputs(count: int) -> list[str]:
    """The input names of `count` goods lines."""
    return [f"goods.{i}.{f.name}" for i in range(count) for f in GOODS_FIELDS]


async def render_form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    parsed: Parsed,
    *,
    status: int = 200,
    extra_lines: int = 0,
    fresh: bool = False,
) -> Template:
    """The record form with what was typed, every error beside its input (or its block), and the JS data."""
    lang = language(request)
    t = translator(lang)
    lines = list(parsed.goods) + [{} for _ in range(extra_lines)]
    if not lines:
        lines = [{}]
    options = choices(request, lang)
    inputs = [f.name for f in fields_of(parsed.kind) if f.visible] + goods_inputs(len(lines))
    client = client_data(t, principal, settings)
    client |= {
        "thresholds": await thresholds_in_force(session, local_day(now())),
        "fresh": fresh,
        "labels": {path: field_label(t, path) for path in BLOCK_LABELS},
        "errorsTitle": t("ui.incidents.errors.title"),
    }
    context = {
        "kind": parsed.kind,
        "values": parsed.values,
        "lines": lines,
        "errors": parsed.errors.localized(lang, inputs, lambda path: field_label(t, path)),
        "sections": COMMON_SECTIONS,
        "kind_fields": KIND_FIELDS,
        "goods_fields": GOODS_FIELDS,
        "choices": options,
        "kind_labels": dict(options["kind"]),
        "anchor": lambda name: anchor(name, parsed.kind),
        "total": goods_total(lines),
        "client": client,
        "max_mb": f"{settings.upload_max_bytes / 1024**2:.3g}",
        "field_id": field_id,
        "field_label": lambda path: field_label(t, path),
        "login_again": LOGIN_AGAIN,
    }
    return page(request, "incidents/record.html.j2", status=status, **context)
