"""The progress page's address: the one rule for its template, and filling in a reference.

The district publishes where residents can follow a case (``catalogue.yaml``'s
``progress_page_url``) and a station may set its own (setting ``progress_page_url``); both are
checked here, so the catalogue, ``setup``, ``station.toml``, the first-run screen and 设置 refuse
the same templates with the same sentence. The receipt's QR code then holds the template with
the case's tracking reference in place of ``{ref}``, so a phone opens the page directly.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, urlsplit

REF_PLACEHOLDER: Final = "{ref}"
EXAMPLE: Final = "https://hy.example.cn/q/{ref}"
MAX_TEMPLATE_LENGTH: Final = 200  # a QR code on an 80 mm roll must still scan


def check_progress_template(template: str) -> str:
    """``template`` as given, or ValueError with the rule it breaks, in Chinese (the part of
    the sentence after the setting's name)."""
    try:
        url = urlsplit(template)
        url.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"不是有效的网址，应如 {EXAMPLE}") from None
    if url.scheme not in ("http", "https"):
        raise ValueError(f"须以 http:// 或 https:// 开头，如 {EXAMPLE}")
    if not url.hostname:
        raise ValueError(f"须含主机名，如 {EXAMPLE}")
    if url.username or url.password:
        raise ValueError("不能带用户名或密码")
    if template.count(REF_PLACEHOLDER) != 1:
        raise ValueError(f"须含一处 {REF_PLACEHOLDER}（受理编号填在这里），如 {EXAMPLE}")
    if REF_PLACEHOLDER in url.netloc:
        raise ValueError(f"{REF_PLACEHOLDER} 须在主机名之后，如 {EXAMPLE}")
    if len(template) > MAX_TEMPLATE_LENGTH:
        raise ValueError(f"不能超过 {MAX_TEMPLATE_LENGTH} 个字符（回执上的二维码要扫得出）")
    if any(c.isspace() for c in template):
        raise ValueError("不能含空格")
    return template


def progress_url(template: str, tracking_ref: str) -> str:
    """The page of one case: ``template`` with the reference (URL-quoted) for ``{ref}``."""
    return template.replace(REF_PLACEHOLDER, quote(tracking_ref, safe=""))
