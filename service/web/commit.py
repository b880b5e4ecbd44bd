"""The request's commit, made before its answer starts, outside Litestar's exception handling.

The request is the transaction (service/db.py): a 2xx or a redirect commits it. The commit used to run in the
before-send hook on the answer's first message, inside Litestar's exception middleware, which by then counts the
answer as started: a COMMIT lost to a database restart became "Exception caught after response started" and
uvicorn's bare 500, for a write the client must retry. This middleware, around Litestar's handler, commits when
the route's answer starts; if the commit fails, that answer is dropped unsent and the failure's own answer goes
instead: the contract's 503 with Retry-After when the database is away (the client retries with the same
Idempotency-Key), the 500 of a bug otherwise. This is the only commit of a request: the before-send hook
(service/db.py, `end_after_answer`) rolls back what is not a success and closes the session at the end.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.db import commit_request, is_success
from service.web.handlers import handle_unexpected


class CommitBeforeAnswer:
    """ASGI middleware: commit the request's session as its 2xx/3xx answer starts; answer a failed commit."""

    def __init__(self, app: ASGIApp, session_key: str) -> None:
        self.app = app
        self.session_key = session_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_after_commit(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the rest of the answer the failed commit replaced
            if message["type"] == "http.response.start" and is_success(message["status"]):
                failure = await commit_request(scope, self.session_key)
                if failure is not None:
                    replaced = True
                    await self._answer(scope, receive, send, failure)
                    return
            await send(message)

        await self.app(scope, receive, send_after_commit)

    @staticmethod
    async def _answer(scope: Scope, receive: Receive, send: Send, failure: Exception) -> None:
        request: Request[Any, Any, Any] = Request(scope, receive)
        response = handle_unexpected(request, failure)  # the 503 of an outage, else the logged 500 of a bug
        await response.to_asgi_response(app=None, request=request)(scope, receive, send)
