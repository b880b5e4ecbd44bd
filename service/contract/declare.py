"""What a route handler declares about itself for the OpenAPI document, beyond what its signature shows.

Most of an operation's responses are derived from the route (service/contract/openapi.py): every operation can
answer 400, 500 and 503; a guarded one 401 and 403; one with a path parameter 404; one with a body 413. A
handler adds only what its own service can answer, by the AppError classes it may raise, and the media types
it produces besides JSON:

    @post("/{incident_id:uuid}/sanctions", opt=documented(IncidentWithdrawn, FineOverCeiling))
    @get("/export", opt=documented(produces=("text/csv", XLSX)))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.errors import AppError

ERRORS_KEY = "contract_errors"
PRODUCES_KEY = "contract_produces"
CONSUMES_KEY = "contract_consumes"


def documented(
    *errors: type[AppError] | int, produces: Iterable[str] = (), consumes: str | None = None
) -> dict[str, Any]:
    """A handler's `opt`: the statuses its service may answer (AppError classes or numbers), its media types,
    and the media type of a body it reads raw (no `data` parameter for Litestar to describe)."""
    statuses = tuple(sorted({error if isinstance(error, int) else error.status for error in errors}))
    opt: dict[str, Any] = {ERRORS_KEY: statuses, PRODUCES_KEY: tuple(produces)}
    if consumes:
        opt[CONSUMES_KEY] = consumes
    return opt
