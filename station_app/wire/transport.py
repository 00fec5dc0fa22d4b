"""Which backend addresses personal data may travel to.

Residents' data must not cross a network in clear text (DESIGN.md invariant 6): the request
signature protects integrity, not confidentiality. Plain ``http://`` is allowed only to this
machine (a reference backend on loopback), or when IT has set ``allow_insecure_http`` for a
lab — and then every health check says so.
"""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit

INSECURE_REFUSED: Final = ("区后台地址为 http:// 且不在本机，居民个人信息会明文传输："
                           "请改用 https://（自建证书可用 ca_bundle 指定），"
                           "实验环境确需 http 的，由技术人员设置 allow_insecure_http")
INSECURE_WARNING: Final = "已允许明文 http 连接区后台（allow_insecure_http），仅限实验环境"


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def clear_text_remote(url: str) -> bool:
    """True for a plain-http address that leaves this machine."""
    parts = urlsplit(url)
    return parts.scheme == "http" and not is_loopback_host(parts.hostname)
