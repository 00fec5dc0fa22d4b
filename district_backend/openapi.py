"""OpenAPI document: the served /openapi.json is the protocol's reference for integrators.

Signed endpoints read their body themselves (the signature covers the exact bytes), so
FastAPI cannot infer the push body or the signing headers; they are added here.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from station_app.wire.feedback import MAX_FEEDBACK_ITEMS, FeedbackRequest
from station_app.wire.protocol import (
    MAX_ATTACHMENT_BYTES,
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    AuditHeadReport,
    ErrorBody,
    PushRequest,
)

DESCRIPTION = f"""\
红色驿站服务终端与汉阳区“一事联办”后台之间的同步接口。
Sync API between Red Station terminals and the Hanyang district backend.

* 除 `/v1/health` 外，所有请求都要签名 / every request except health is signed:
  `X-Station-Id`, `X-Timestamp` (Unix s, ±300 s), `X-Nonce` (32 hex, single use),
  `X-Content-SHA256` (body), `X-Signature` = hex HMAC-SHA256(secret,
  "RS1-HMAC-SHA256\\nMETHOD\\npath\\nsorted-query\\ntimestamp\\nnonce\\nbody-sha256\\nstation").
* 推送每批最多 {MAX_BATCH_ITEMS} 件、{MAX_BATCH_BYTES} 字节；附件最大 {MAX_ATTACHMENT_BYTES} 字节。
  Batches: at most {MAX_BATCH_ITEMS} items and {MAX_BATCH_BYTES} bytes; attachments at most
  {MAX_ATTACHMENT_BYTES} bytes (413 beyond).
* 每件一个结果 / one result per item: `accepted` | `duplicate` (original receipt) |
  `rejected` (permanent, reason) | `conflict` (same id, different content) |
  `retry` (nothing stored: upload `missing_attachments`, then resend the same bytes).
* 好差评 / feedback (`POST /v1/feedback`): ratings and follow-up closures, at most
  {MAX_FEEDBACK_ITEMS} per batch, each with its own id; the same per-item outcomes, filed
  under the case's receipt number (`retry`: the case or the rating has not arrived yet).
* 错误体 / error body: `{{"error": code, "reason": 中文说明}}`.
* 不在本文档中 / not described here: `GET /q/{{tracking_ref}}`, the public progress page a
  receipt's QR code opens (HTML for residents, unsigned, rate-limited per client address).
"""

_UNSIGNED = {"/v1/health", "/openapi.json", "/docs", "/redoc"}


class DistrictAPI(FastAPI):
    """FastAPI with the signing scheme, push body and error bodies filled into the schema."""

    def openapi(self) -> dict[str, Any]:
        schema = super().openapi()
        if schema.get("x-red-station") is None:
            _complete(schema)
        return schema


def _complete(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {})
    defs = components.setdefault("schemas", {})
    template = "#/components/schemas/{model}"
    for model in (PushRequest, FeedbackRequest, AuditHeadReport, ErrorBody):
        model_schema = model.model_json_schema(ref_template=template)
        defs.update(model_schema.pop("$defs", {}))
        defs[model.__name__] = model_schema
    components.setdefault("securitySchemes", {})["stationSignature"] = {
        "type": "apiKey", "in": "header", "name": "X-Signature",
        "description": "HMAC-SHA256 request signature; see the API description.",
    }
    error = {"content": {"application/json": {"schema": {"$ref": template.format(
        model="ErrorBody")}}}}
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            responses = op.setdefault("responses", {})
            if path not in _UNSIGNED:
                op["security"] = [{"stationSignature": []}]
                responses.setdefault("401", {"description": "签名无效 / Not authenticated",
                                             **error})
            if method == "post" and path == "/v1/push":
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": template.format(model="PushRequest")}}}}
                responses.setdefault("413", {"description": "批次过大 / Batch too large",
                                             **error})
            if method == "post" and path == "/v1/feedback":
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": template.format(model="FeedbackRequest")}}}}
                responses.setdefault("413", {"description": "批次过大 / Batch too large",
                                             **error})
            if method == "put":
                op["requestBody"] = {"required": True, "content": {
                    "application/octet-stream": {"schema": {"type": "string",
                                                            "format": "binary"}}}}
                responses.setdefault("413", {"description": "附件过大 / Too large", **error})
                responses.setdefault("422", {"description": "内容与 SHA-256 不符", **error})
                responses.setdefault("507", {"description": "后台存储已满 / Insufficient storage",
                                             **error})
            if method == "post" and path == "/v1/audit-head":
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": template.format(model="AuditHeadReport")}}}}
            if path not in _UNSIGNED:  # the database or storage may be away for a while
                responses.setdefault("503", {"description": "暂时不可用，稍后重试 / Unavailable",
                                             **error})
    schema["x-red-station"] = {"protocol_version": 1}
