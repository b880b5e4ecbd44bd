"""GET /api/share/v1/datasets (catalogue) and /api/share/v1/datasets/{name} (OData v4), by partner token or the
LGSP gateway's header; every call of a known partner recorded (service/share/access.py)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, QueryParameter

from service.auth.middleware import bearer_token
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Forbidden, NotFound
from service.settings import SettingsDep
from service.share import aggregates, gateway, repository, service
from service.share.access import Call, TooManyCalls, recorded
from service.share.catalogue import DATASETS, table_of
from service.share.models import SharePartner
from service.share.repository.datasets import LEGAL_BASIS, LICENCE
from service.share.repository.odata import Options, check_page, statements

HttpRequest = Request[Any, Any, Any]


async def require_partner_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Partner routes need a bearer token or the gateway's header (checked in full in the handler, so that a
    refused call of a known partner is recorded)."""
    if bearer_token(connection) is None and gateway.PARTNER_HEADER not in connection.headers:
        raise service.InvalidClient()


def _call(request: HttpRequest, dataset: str | None = None) -> Call:
    query = {k: v for k, v in request.query_params.items() if k.startswith("$")}
    return Call(path=request.url.path, query=query, dataset=dataset)


async def _partner(request: HttpRequest, db: DbSession, settings: SettingsDep, call: Call) -> SharePartner:
    client = request.client.host if request.client else None
    return await service.authenticate(
        db, settings, token=bearer_token(request), headers=request.headers, client_host=client, call=call
    )


def _catalogue_entry(name: str) -> dict[str, Any]:
    d = DATASETS[name]
    return {
        "name": d.name,
        "title_vi": d.title_vi,
        "title_en": d.title_en,
        "update_frequency": d.frequency,
        "licence": LICENCE,
        "legal_basis": LEGAL_BASIS,
        "fields": [{"name": f.name, "type": f.type, "description_vi": f.vi, "description_en": f.en} for f in d.fields],
    }


class ShareController(Controller):
    """Data services for partner systems (OData v4 query options)."""

    path = "/api/share/v1/datasets"
    tags = ["share"]
    guards = [require_partner_token]

    @get(opt=documented(service.InvalidClient, TooManyCalls))
    async def catalogue(self, request: HttpRequest, db_session: DbSession, settings: SettingsDep) -> dict[str, Any]:
        """Danh mục dữ liệu / The dataset catalogue, with the datasets granted to the caller."""
        async with recorded(db_session, _call(request)) as call:
            partner = await _partner(request, db_session, settings, call)
            call.rows = len(DATASETS)
            return {"value": [_catalogue_entry(n) for n in DATASETS], "granted": list(partner.datasets)}

    @get("/{name:str}", opt=documented(service.InvalidClient, Forbidden, NotFound, TooManyCalls))
    async def dataset(
        self,
        request: HttpRequest,
        name: FromPath[str],
        db_session: DbSession,
        settings: SettingsDep,
        filter_: Annotated[str | None, QueryParameter(name="$filter", max_length=2000)] = None,
        select_: Annotated[str | None, QueryParameter(name="$select", max_length=2000)] = None,
        orderby: Annotated[str | None, QueryParameter(name="$orderby", max_length=500)] = None,
        top: Annotated[int | None, QueryParameter(name="$top")] = None,
        skip: Annotated[int, QueryParameter(name="$skip")] = 0,
        count: Annotated[bool, QueryParameter(name="$count")] = False,
    ) -> dict[str, Any]:
        """Bộ dữ liệu theo OData v4 / A dataset with $filter, $select, $orderby, $top, $skip, $count."""
        async with recorded(db_session, _call(request, name)) as call:
            partner = await _partner(request, db_session, settings, call)
            dataset = DATASETS.get(name)
            if dataset is None:
                raise NotFound(name=name).with_code("share.dataset_not_found")
            if name not in partner.datasets:
                raise Forbidden(name=name).with_code("share.dataset_not_granted")
            options = Options(filter_, select_, orderby, top, skip, count)
            check_page(options)
            if dataset.source is not None:  # check the options on the empty shape before computing the figures
                statements(dataset, options, aggregates.shape(dataset))
            page, counter, size = statements(dataset, options, await table_of(db_session, dataset))
            rows = await repository.dataset_rows(db_session, page)
            call.rows = len(rows)
            body: dict[str, Any] = {"@odata.context": f"/api/share/v1/datasets/{name}", "value": rows}
            if counter is not None:
                body["@odata.count"] = await repository.dataset_count(db_session, counter)
            if size and len(rows) == size:
                query = {k: v for k, v in request.query_params.items() if k != "$skip"}
                body["@odata.nextLink"] = f"{request.url.path}?{urlencode({**query, '$skip': skip + size})}"
            return body
