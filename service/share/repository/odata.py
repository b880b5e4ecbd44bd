"""OData v4 system query options over a dataset's select: parsed by odata-query, never by string building."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from odata_query import exceptions as odata
from odata_query.grammar import ODataLexer, ODataParser
from odata_query.sqlalchemy.core import AstToSqlAlchemyCoreVisitor
from sqlalchemy import FromClause, Select, func, select
from sqlalchemy.sql import ColumnElement

from service.errors import Invalid
from service.share.repository.datasets import Dataset

MAX_TOP = 1000
DEFAULT_TOP = 100


@dataclass(frozen=True)
class Options:
    filter: str | None = None
    select: str | None = None
    orderby: str | None = None
    top: int | None = None
    skip: int = 0
    count: bool = False


def _where(table: object, raw: str) -> ColumnElement[bool]:
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(raw))
        where: ColumnElement[bool] = AstToSqlAlchemyCoreVisitor(table).visit(tree)  # type: ignore[arg-type]
        return where
    except odata.InvalidFieldException as exc:
        raise Invalid(field="$filter", name=str(exc.args[0]) if exc.args else raw).with_code(
            "share.filter_field"
        ) from exc
    except odata.FunctionCallException as exc:
        raise Invalid(field="$filter", detail=str(exc)).with_code("share.filter_function") from exc
    except (odata.ODataException, NotImplementedError) as exc:
        raise Invalid(field="$filter", detail=str(exc)).with_code("share.filter_syntax") from exc


def _names(dataset: Dataset, raw: str, option: str) -> list[str]:
    known = {f.name for f in dataset.fields}
    names = [n.strip() for n in raw.split(",") if n.strip()]
    if not names:
        raise Invalid(field=option, name=raw).with_code("share.option_field")
    for name in names:
        if name.split(" ")[0] not in known:
            raise Invalid(field=option, name=name).with_code("share.option_field")
    return names


def check_page(options: Options) -> int:
    """The page size of these options, or a 400 naming $top or $skip (before anything is computed)."""
    top = DEFAULT_TOP if options.top is None else options.top
    if not 0 <= top <= MAX_TOP:
        raise Invalid(field="$top", limit=MAX_TOP).with_code("share.top_over_limit")
    if options.skip < 0:
        raise Invalid(field="$skip").with_code("share.skip_negative")
    return top


def statements(
    dataset: Dataset, options: Options, table: FromClause
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]] | None, int]:
    """(page statement, count statement or None, page size) for these options over the dataset's table."""
    top = check_page(options)
    where = _where(table, options.filter) if options.filter else None
    chosen = _names(dataset, options.select, "$select") if options.select else [f.name for f in dataset.fields]
    page = select(*(table.c[name] for name in chosen))
    count = select(func.count()).select_from(table) if options.count else None
    if where is not None:
        page = page.where(where)
        count = count.where(where) if count is not None else None
    for item in _names(dataset, options.orderby, "$orderby") if options.orderby else [dataset.key]:
        name, _, direction = item.partition(" ")
        if direction.strip() not in ("", "asc", "desc"):
            raise Invalid(field="$orderby", name=item).with_code("share.option_field")
        page = page.order_by(table.c[name].desc() if direction.strip() == "desc" else table.c[name])
    page = page.order_by(*(table.c[name] for name in dataset.tiebreak)).limit(top).offset(options.skip)
    return page, count, top
