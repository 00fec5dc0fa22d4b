"""The station's HTTP client for the district API: distrustful by design.

One ``requests.Session`` per engine, ``trust_env=False`` (no proxy or CA bundle from the
environment overriding ours), (connect, read) timeouts cut to the run's deadline, no
redirects, replies read in chunks and abandoned past a size cap, ``Accept-Encoding:
identity`` (no decompression bombs), and every reply parsed strictly. Whatever is not an
expected, well-formed answer raises :class:`OutcomeUnknown`; a 401 raises :class:`AuthError`.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from station_app.sync.backoff import parse_retry_after
from station_app.sync.errors import AuthError, DeadlineReached, OutcomeUnknown
from station_app.sync.replies import Reply, error_body, innermost, parse, root_cause
from station_app.wire.canonical import canonical_json
from station_app.wire.feedback import FeedbackItemResult, FeedbackResponse
from station_app.wire.protocol import (
    API_PREFIX,
    AttachmentResult,
    AuditHeadReply,
    AuditHeadReport,
    CatalogueResponse,
    ChangesResponse,
    HealthResponse,
    PushItemResult,
    PushResponse,
)
from station_app.wire.signing import sign_request

CHUNK = 64 * 1024

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    station_id: str
    secret: str
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    ca_bundle: Path | None = None  # None: the system's trust store
    max_reply_bytes: int = 4 * 1024 * 1024
    max_catalogue_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class CatalogueFetch:
    catalogue: CatalogueResponse
    etag: str | None


class SyncClient:
    """Typed calls to the district API; safe to use from one thread at a time."""

    def __init__(self, config: ClientConfig, *, wall_clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if config.ca_bundle is not None and not config.ca_bundle.is_file():
            raise ValueError(f"CA 证书文件 {config.ca_bundle} 不存在")
        self.config = config
        self._base = config.base_url.rstrip("/")
        self._path_prefix = urlsplit(self._base).path.rstrip("/")
        self._wall = wall_clock
        self._monotonic = monotonic
        self.replies = 0  # HTTP replies received, of any status: "the district is there"
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.verify = str(config.ca_bundle) if config.ca_bundle else True
        self._session.headers.update({"Accept": "application/json",
                                      "Accept-Encoding": "identity",
                                      "User-Agent": "red-station-terminal"})

    def close(self) -> None:
        self._session.close()

    # -- endpoints --------------------------------------------------------------------------

    def health(self, deadline: float | None = None) -> HealthResponse:
        """Unsigned reachability check with the server's clock."""
        reply = self._request("GET", "/health", signed=False, deadline=deadline)
        return parse(reply, HealthResponse)

    def push(self, body: bytes, submission_ids: Sequence[str],
             deadline: float | None = None) -> list[PushItemResult]:
        """One result per sent item, in the order sent; anything else is outcome unknown."""
        reply = self._request("POST", "/push", body=body, deadline=deadline)
        results = sorted(parse(reply, PushResponse).results, key=lambda r: r.index)
        if ([r.index for r in results] != list(range(len(submission_ids)))
                or [r.submission_id for r in results] != list(submission_ids)):
            raise OutcomeUnknown("区后台的应答与所发办件对不上（编号多出、缺少或重复），"
                                 "本批全部保持待发", reached=True, status=reply.status)
        return results

    def feedback(self, body: bytes, item_ids: Sequence[str],
                 deadline: float | None = None) -> list[FeedbackItemResult]:
        """``POST /v1/feedback``: one result per sent item, in order, or outcome unknown."""
        reply = self._request("POST", "/feedback", body=body, deadline=deadline)
        results = sorted(parse(reply, FeedbackResponse).results, key=lambda r: r.index)
        if ([r.index for r in results] != list(range(len(item_ids)))
                or [r.item_id for r in results] != list(item_ids)):
            raise OutcomeUnknown("区后台对好差评的应答与所发条目对不上，本批全部保持待发",
                                 reached=True, status=reply.status)
        return results

    def has_attachment(self, sha256: str, deadline: float | None = None) -> bool:
        reply = self._request("HEAD", f"/attachments/{sha256}", deadline=deadline,
                              expect=(200, 404))
        return reply.status == 200

    def put_attachment(self, sha256: str, data: bytes,
                       deadline: float | None = None) -> AttachmentResult:
        reply = self._request("PUT", f"/attachments/{sha256}", body=data, deadline=deadline,
                              content_type="application/octet-stream", expect=(200, 201))
        result = parse(reply, AttachmentResult)
        if result.sha256 != sha256 or result.size != len(data):
            raise OutcomeUnknown("区后台确认的附件与上传的不一致", reached=True)
        return result

    def changes(self, cursor: int, limit: int,
                deadline: float | None = None) -> ChangesResponse:
        reply = self._request("GET", "/changes", params={"cursor": cursor, "limit": limit},
                              deadline=deadline)
        page = parse(reply, ChangesResponse)
        ids = [c.event_id for c in page.changes]
        if (page.next_cursor < cursor or ids != sorted(set(ids)) or len(ids) > limit
                or any(not cursor < i <= page.next_cursor for i in ids)
                or (page.more and not ids)):
            raise OutcomeUnknown("区后台的状态变更列表前后不一致，本次不予采用", reached=True)
        return page

    def report_audit_head(self, report: AuditHeadReport,
                          deadline: float | None = None) -> AuditHeadReply:
        """Tell the district the audit chain head; it answers the newest position it knows."""
        reply = self._request("POST", "/audit-head", body=canonical_json(report.model_dump()),
                              deadline=deadline)
        return parse(reply, AuditHeadReply)

    def check_signature(self, deadline: float | None = None) -> None:
        """A minimal signed request (``GET /v1/changes?limit=1``), for ``doctor``."""
        parse(self._request("GET", "/changes", params={"limit": 1}, deadline=deadline),
               ChangesResponse)

    def catalogue(self, etag: str | None, deadline: float | None = None) -> CatalogueFetch | None:
        """The published catalogue, or None when it still matches ``etag`` (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        reply = self._request("GET", "/catalogue", headers=headers, deadline=deadline,
                              expect=(200, 304), cap=self.config.max_catalogue_bytes)
        if reply.status == 304:
            return None
        return CatalogueFetch(parse(reply, CatalogueResponse), reply.headers.get("ETag"))

    # -- transport --------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                 body: bytes = b"", headers: dict[str, str] | None = None,
                 signed: bool = True, deadline: float | None = None,
                 expect: tuple[int, ...] = (200,), cap: int | None = None,
                 content_type: str = "application/json") -> Reply:
        query = urlencode(params or {})
        full_path = API_PREFIX + path
        url = self._base + full_path + (f"?{query}" if query else "")
        all_headers = dict(headers or {})
        if body:
            all_headers["Content-Type"] = content_type
        if signed:
            all_headers.update(sign_request(
                method, self._path_prefix + full_path, query, body, self.config.station_id,
                self.config.secret, timestamp=int(self._wall())))
        try:
            resp = self._session.request(
                method, url, data=body or None, headers=all_headers, stream=True,
                timeout=self._timeouts(deadline), allow_redirects=False)
        except requests.RequestException as e:
            raise self._transport_error(e) from None
        except OSError as e:  # e.g. the CA bundle became unreadable
            raise OutcomeUnknown(f"与区后台通信出错：{e}") from None
        self.replies += 1
        with resp:
            content = self._read(resp, cap or self.config.max_reply_bytes, deadline)
        reply = Reply(resp.status_code, resp.headers, content)
        if reply.status in expect:
            return reply
        raise self._status_error(reply)

    def _timeouts(self, deadline: float | None) -> tuple[float, float]:
        connect, read = self.config.connect_timeout, self.config.read_timeout
        if deadline is None:
            return connect, read
        left = deadline - self._monotonic()
        if left <= 0:
            raise DeadlineReached
        return min(connect, left), min(read, left)

    def _read(self, resp: requests.Response, cap: int, deadline: float | None) -> bytes:
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise OutcomeUnknown(f"区后台的应答过大（{declared} 字节），已放弃读取",
                                 reached=True, status=resp.status_code)
        buf = bytearray()
        try:
            for chunk in resp.iter_content(CHUNK):
                buf += chunk
                if len(buf) > cap:
                    raise OutcomeUnknown(f"区后台的应答超过 {cap} 字节，已放弃读取",
                                         reached=True, status=resp.status_code)
                if deadline is not None and self._monotonic() > deadline:
                    raise OutcomeUnknown("区后台的应答太慢，超过本次同步的时限")
        except requests.RequestException as e:
            raise self._transport_error(e) from None
        return bytes(buf)

    def _transport_error(self, e: requests.RequestException) -> OutcomeUnknown:
        """What went wrong on the way, in words, with what to do next (the cause's class
        name goes to the log only)."""
        host = urlsplit(self._base).netloc
        cause = innermost(e)
        log.info("区后台 %s 通信失败：%s", host, root_cause(e))
        retry = "稍后会自动重试"
        if isinstance(e, requests.ConnectTimeout):
            text = f"连接区后台 {host} 超时：请检查网络；{retry}"
        elif isinstance(e, requests.ReadTimeout):
            text = (f"区后台 {host} 在 {self.config.read_timeout:g} 秒内没有应答：{retry}；"
                    "多次出现请联系区里")
        elif isinstance(e, requests.exceptions.SSLError):
            text = (f"与区后台 {host} 的加密连接失败（证书校验未通过）：请核对本机时间和设置中的"
                    "CA 证书，或联系区里")
        elif isinstance(cause, socket.gaierror) or "NameResolution" in type(cause).__name__:
            text = f"找不到区后台的地址 {host}：请检查网络和 DNS，或核对设置中的区后台地址"
        elif isinstance(cause, ConnectionRefusedError):
            text = f"区后台没有响应（{host} 拒绝连接）：请检查网络，或联系区里确认后台在运行"
        elif isinstance(e, requests.ConnectionError):
            text = f"与区后台 {host} 的连接中断：请检查网络；{retry}"
        else:
            text = f"与区后台 {host} 通信出错：请检查网络；{retry}"
        return OutcomeUnknown(text)

    def _status_error(self, reply: Reply) -> Exception:
        if 300 <= reply.status < 400:
            return OutcomeUnknown(f"区后台返回重定向（HTTP {reply.status}），未跟随",
                                  reached=True, status=reply.status)
        err = error_body(reply)
        if reply.status == 401:
            return AuthError(err.error if err else "unauthorized",
                             err.reason if err else "签名未被接受（HTTP 401）")
        now = datetime.fromtimestamp(self._wall(), UTC)
        retry_after = parse_retry_after(reply.headers.get("Retry-After"), now)
        detail = f"：{err.reason}" if err else ""
        return OutcomeUnknown(f"区后台返回 HTTP {reply.status}{detail}", reached=True,
                              retry_after=retry_after, status=reply.status)
