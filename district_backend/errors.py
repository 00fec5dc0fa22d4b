"""One error shape for every failure: {"error": code, "reason": Chinese text}.

Stations show `reason` to the operator and branch on `error`; FastAPI's own 404/405/422
bodies are rewritten into the same shape so a station never meets a second format.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from station_app.wire.protocol import ErrorBody


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
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return error_response(422, "invalid_request", "请求参数无效：" + "；".join(parts))

    async def on_crash(_request: Request, _exc: Exception) -> JSONResponse:
        # Still logged by the server; the station only learns "outcome unknown, retry later".
        return error_response(500, "internal_error", "服务器内部错误，请稍后重试")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)
