"""One error shape for every failure: {"error": code, "reason": Chinese text}.

Stations show `reason` to the operator and branch on `error`; FastAPI's own 404/405/422
bodies are rewritten into the same shape so a station never meets a second format.

An exception nobody handled is answered by :class:`CrashGuard`, not by Starlette's last-resort
handler: that one answers 500 and then re-raises, so the server logs the exception's text
(a database error's text holds the SQL parameters, i.e. residents' data) and drops the
connection. The guard logs the type and the stack only, answers 503 with Retry-After when the
database itself is unavailable, and keeps the connection usable.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station_app.wire.protocol import ErrorBody

log = logging.getLogger(__name__)
DATABASE_RETRY_AFTER = "30"
DATABASE_AWAY = (OperationalError, InterfaceError)
"""The database is unreachable, locked or full: the request may succeed later."""


class ApiError(Exception):
    """Raised anywhere in a request to answer with `status` and an ErrorBody."""

    def __init__(self, status: int, error: str, reason: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.error = error
        self.reason = reason
        self.headers = headers


def error_response(status: int, error: str, reason: str,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=error, reason=reason[:2000]).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


_HTTP_CODES = {404: ("not_found", "没有这个接口"), 405: ("method_not_allowed", "接口不支持此方法")}


_PARAM_PROBLEMS = {
    "missing": "缺少", "int_parsing": "须为整数", "int_type": "须为整数",
    "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}",
    "string_pattern_mismatch": "格式不对", "string_too_long": "太长",
}


def _param_problem(error: Mapping[str, Any]) -> str:
    """``cursor 不能大于 9223372036854775807``: where (without the query/path/header prefix)
    and what, in Chinese where the kind of error is known."""
    where = ".".join(str(p) for p in error["loc"][1:]) or str(error["loc"][0])
    what = str(error["msg"])
    template = _PARAM_PROBLEMS.get(error["type"])
    if template is not None:
        with contextlib.suppress(KeyError, IndexError):
            what = template.format(**error.get("ctx", {}))
    return f"{where[:60]} {what}"


STACK_FRAMES = 8  # the innermost ones: where it broke, not how the request got there


def crash_summary(exc: BaseException) -> str:
    """The exception's type and innermost stack frames, without its text (which may hold
    personal data)."""
    frames = traceback.format_tb(exc.__traceback__)[-STACK_FRAMES:]
    return f"{type(exc).__name__}\n{''.join(frames)}".rstrip()


def crash_response(exc: BaseException) -> JSONResponse:
    """503 when the database is unreachable, locked or full (the request may succeed later:
    the station backs off as told); 500 for anything else."""
    if isinstance(exc, DATABASE_AWAY):
        return error_response(503, "database_unavailable", "区后台数据库暂时不可用，请稍后重试",
                              {"Retry-After": DATABASE_RETRY_AFTER})
    return error_response(500, "internal_error", "服务器内部错误，请稍后重试")


class CrashGuard:
    """ASGI middleware answering an unhandled exception with an ErrorBody (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:  # the last resort, by design
            log.error("%s %s failed: %s", scope.get("method"), scope.get("path"),
                      crash_summary(exc))
            if not started:  # else the server ends the half-sent reply by closing
                await crash_response(exc)(scope, receive, send)


def install_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.error, exc.reason, exc.headers)

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code, reason = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(exc.status_code, code, reason, exc.headers)

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        parts = [_param_problem(e) for e in exc.errors()[:5]]
        return error_response(422, "invalid_request", "请求参数无效：" + "；".join(parts))

    async def on_crash(_request: Request, exc: Exception) -> JSONResponse:
        # Only reached if CrashGuard itself fails; the station learns "outcome unknown".
        return crash_response(exc)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)
    app.add_middleware(CrashGuard)
