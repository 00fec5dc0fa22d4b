"""The progress page's HTML: large type on a phone, Chinese, every value escaped.

Residents open it from the receipt's QR code, often on an older phone held at arm's length:
one column, 20 px body text, the current status in large red type, and nothing to load but
the page itself (no script, no font, no image). Every value from the database or the address
goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from station_app.domain.lifecycle import CaseStatus

_STYLE = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f4f1ec;color:#1a1a1a;font-size:20px;line-height:1.6;
font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",
"Microsoft YaHei",sans-serif;-webkit-text-size-adjust:100%}
header{background:#a8201a;color:#fff;padding:18px 20px}
header h1{margin:0;font-size:26px;line-height:1.3}
header p{margin:6px 0 0;font-size:18px;word-break:break-all}
main{max-width:640px;margin:0 auto;padding:16px}
section{background:#fff;border-radius:12px;padding:14px 18px;margin:0 0 16px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h2{margin:0 0 6px;font-size:18px;font-weight:normal;color:#505050}
section p{margin:0}
ul,ol{margin:0;padding:0;list-style:none}
.now{margin:0;font-size:34px;font-weight:bold;color:#a8201a;line-height:1.3}
.hint{margin:8px 0 0}
.history li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 16px;
padding:10px 0;border-top:1px solid #e2e2e2}
.history li:first-child{border-top:0}
.history b{font-size:22px}
.history time{color:#404040}
footer{max-width:640px;margin:0 auto;padding:0 20px 28px;font-size:17px;color:#404040}
"""

# what each status means for the resident, and what to do next (keyed by the wire names)
_MEANING: dict[str, str] = {
    CaseStatus.ACCEPTED: "区里已收到您的申请，正在排队等待审核。",
    CaseStatus.REVIEWING: "承办部门正在审核您的申请。",
    CaseStatus.NEEDS_MORE: "需要补交材料：驿站会通知您，也可带上回执到驿站问清要补什么。",
    CaseStatus.COMPLETED: "已经办结。需要领取结果的，请带上回执和身份证到驿站领取。",
    CaseStatus.REFUSED: "不予受理。原因和下一步怎么办，请带上回执到驿站咨询。",
    CaseStatus.COLLECTED: "结果已领取，本次办理完毕。",
}
_HELP = "如有疑问，请带上回执到受理您申请的红色驿站咨询。"


@dataclass(frozen=True)
class CaseProgress:
    """What the page shows of a case, and nothing more."""

    tracking_ref: str
    items: tuple[str, ...]
    applicant: str  # masked
    history: tuple[tuple[str, datetime], ...]  # (status, Beijing time), oldest first


def beijing_text(at: datetime) -> str:
    """``2026年11月25日 09:30`` (``at`` already in Beijing time)."""
    return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"


def _document(title: str, header: str, subtitle: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"robots\" content=\"noindex\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(header)}</h1><p>{escape(subtitle)}</p></header>"
        f"<main>{body}</main><footer>{escape(_HELP)}</footer></body></html>\n")


def _list(values: Iterable[str]) -> str:
    return "".join(f"<li>{escape(v)}</li>" for v in values)


def progress_page(case: CaseProgress) -> str:
    """The case's items, the resident's masked name and its status history, newest first."""
    ref = f"受理编号 {case.tracking_ref}"
    if not case.history:  # every stored case has its 受理 event; say so if one has not
        now_html = "<p class=\"now\">已收到</p>"
    else:
        status = case.history[-1][0]
        meaning = _MEANING.get(status)
        now_html = (f"<p class=\"now\">{escape(status)}</p>"
                    + (f"<p class=\"hint\">{escape(meaning)}</p>" if meaning else ""))
    history = "".join(
        f"<li><b>{escape(status)}</b><time datetime=\"{at.isoformat()}\">"
        f"{escape(beijing_text(at))}</time></li>"
        for status, at in reversed(case.history))
    body = (f"<section><h2>当前状态</h2>{now_html}</section>"
            f"<section><h2>办理事项</h2><ul>{_list(case.items)}</ul></section>"
            f"<section><h2>申请人</h2><p>{escape(case.applicant)}</p>"
            "</section>"
            f"<section><h2>办理记录（北京时间）</h2><ol class=\"history\">{history}</ol>"
            "</section>")
    return _document(f"办理进度 · {case.tracking_ref}", "办理进度", ref, body)


def not_found_page(tracking_ref: str) -> str:
    """No case has this reference (or the address was cut short): what to do instead."""
    shown = tracking_ref[:64]
    steps = ("如果刚在驿站办理，办件可能还没有上报到区里（驿站联网后会自动上报），"
             "请过一段时间再扫码查看。",
             "请核对网址里的受理编号与回执上印的是否一致。",
             "一直查不到的，请带上回执到受理您申请的红色驿站咨询。")
    body = (f"<section><p class=\"now\">没有找到这个受理编号</p>"
            f"<p class=\"hint\">没有找到受理编号为 {escape(shown)} 的办件。</p></section>"
            f"<section><h2>您可以这样做</h2><ol class=\"history\">{_list(steps)}</ol></section>")
    return _document("没有找到这个受理编号", "办理进度", f"受理编号 {shown}", body)


def too_many_page(wait_seconds: int) -> str:
    """The address asked too often; when it may ask again."""
    body = ("<section><p class=\"now\">查询太频繁了</p>"
            f"<p class=\"hint\">请 {wait_seconds} 秒后再刷新本页。</p></section>")
    return _document("查询太频繁了", "办理进度", "请稍后再查", body)


def unavailable_page(wait_seconds: int) -> str:
    """The database is away for a moment; try again later."""
    body = ("<section><p class=\"now\">暂时查不到</p>"
            f"<p class=\"hint\">区里的系统正忙，请 {wait_seconds} 秒后再刷新本页。</p></section>")
    return _document("暂时查不到", "办理进度", "请稍后再查", body)
