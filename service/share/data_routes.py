"""GET /api/share/v1/datasets (catalogue) and /api/share/v1/datasets/{name} (OData v4), by partner token."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, QueryParameter

from service.auth.middleware import bearer_token
from service.contract.declare import documented
from service.db import DbSession
from service.errors import Forbidden, NotFound
from service.settings import SettingsDep
from service.share import repository, service
from service.share.models import SharePartner
from service.share.repository.datasets import DATASETS, LEGAL_BASIS, LICENCE
from service.share.repository.odata import Options, statements


async def require_partner_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Partner routes need a bearer token (checked in full by the `partner` dependency)."""
    if bearer_token(connection) is None:
        raise service.InvalidClient()


async def provide_partner(
    request: Request[Any, Any, Any], db_session: DbSession, settings: SettingsDep
) -> SharePartner:
    """The partner whose live token this request carries, or a 401."""
    partner, jti = await service.partner_of_token(db_session, settings.share_token_key, bearer_token(request) or "")
    request.state.share_jti = jti
    return partner


PartnerDep = NamedDependency[SharePartner]


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
    dependencies = {"partner": Provide(provide_partner)}

    @get(opt=documented(service.InvalidClient))
    async def catalogue(self, partner: PartnerDep) -> dict[str, Any]:
        """Danh mục dữ liệu / The dataset catalogue, with the datasets granted to the caller."""
        return {"value": [_catalogue_entry(n) for n in DATASETS], "granted": list(partner.datasets)}

    @get("/{name:str}", opt=documented(service.InvalidClient, Forbidden, NotFound))
    async def dataset(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        partner: PartnerDep,
        db_session: DbSession,
        filter_: Annotated[str | None, QueryParameter(name="$filter", max_length=2000)] = None,
        select_: Annotated[str | None, QueryParameter(name="$select", max_length=2000)] = None,
        orderby: Annotated[str | None, QueryParameter(name="$orderby", max_length=500)] = None,
        top: Annotated[int | None, QueryParameter(name="$top")] = None,
        skip: Annotated[int, QueryParameter(name="$skip")] = 0,
        count: Annotated[bool, QueryParameter(name="$count")] = False,
    ) -> dict[str, Any]:
        """Bộ dữ liệu theo OData v4 / A dataset with $filter, $select, $orderby, $top, $skip, $count."""
        dataset = DATASETS.get(name)
        if dataset is None:
            raise NotFound(name=name).with_code("share.dataset_not_found")
        if name not in partner.datasets:
            raise Forbidden(name=name).with_code("share.dataset_not_granted")
        options = Options(filter_, select_, orderby, top, skip, count)
        page, counter, size = statements(dataset, options)
        rows = await repository.dataset_rows(db_session, page)
        body: dict[str, Any] = {"@odata.context": f"/api/share/v1/datasets/{name}", "value": rows}
        if counter is not None:
            body["@odata.count"] = await repository.dataset_count(db_session, counter)
        if size and len(rows) == size:
            query = {k: v for k, v in request.query_params.items() if k != "$skip"}
            body["@odata.nextLink"] = f"{request.url.path}?{urlencode({**query, '$skip': skip + size})}"
        return body
