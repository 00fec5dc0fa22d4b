"""好差评 rules: why a resident was dissatisfied, and when the follow-up (回访整改) is due.

国办发〔2019〕51号 (counter-research.md §3): a 差评 (不满意, 非常不满意) must be followed up,
and a 差评 without a reason cannot be followed up, so one is never saved without a reason.
The offline criteria are 服务效率, 服务水平 and 服务态度; "其他" lets the resident say
something else in their own words. The deadline is counted in working days (with 调休) from
the day of the rating; how many is the district's to set (the catalogue header's
``followup_working_days``), 5 unless it says otherwise.

Pure Python, shared by the station and the district backend.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.lifecycle import Rating

if TYPE_CHECKING:
    from station_app.domain.workdays import WorkCalendar

__all__ = [
    "DEFAULT_FOLLOWUP_DAYS",
    "MAX_FOLLOWUP_DAYS",
    "MAX_NOTES",
    "MAX_WORDS",
    "RatingReason",
    "followup_deadline",
    "notes_problem",
    "rating_problem",
]

DEFAULT_FOLLOWUP_DAYS: Final = 5  # 德州's rule, the common one; the district may set another
MAX_FOLLOWUP_DAYS: Final = 30  # 15 working days is the longest rule known; room above it
MAX_WORDS: Final = 200  # the resident's own words with a 差评: a sentence or two
MAX_NOTES: Final = 1000  # the worker's callback notes when closing a follow-up

REASON_REQUIRED: Final = "差评须选择原因（服务效率、服务水平、服务态度或其他），请居民选择后再保存"
NOTES_REQUIRED: Final = "请填写回访情况（联系了谁、怎么整改）后再办结"


class RatingReason(StrEnum):
    """Why a 差评 was given; the values are the wire names."""

    EFFICIENCY = "efficiency"
    SKILL = "skill"
    ATTITUDE = "attitude"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS: dict[RatingReason, str] = {
    RatingReason.EFFICIENCY: "服务效率",
    RatingReason.SKILL: "服务水平",
    RatingReason.ATTITUDE: "服务态度",
    RatingReason.OTHER: "其他",
}


def _text_problem(text: str, limit: int, what: str) -> str | None:
    if len(text) > limit:
        return f"{what}最多 {limit} 个字，现有 {len(text)} 个字，请删减后再保存"
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        return f"{what}含有无法保存的控制字符，请重新输入"
    return None


def rating_problem(level: Rating, reason: RatingReason | None, words: str) -> str | None:
    """Why this rating cannot be saved (one Chinese line), or None.

    A 差评 needs a reason; a good rating carries none (nothing to follow up). The words are
    optional and bounded."""
    if level.is_negative and reason is None:
        return REASON_REQUIRED
    if not level.is_negative and (reason is not None or words.strip()):
        return "只有差评需要填写原因"
    return _text_problem(words, MAX_WORDS, "补充说明")


def notes_problem(notes: str) -> str | None:
    """Why these callback notes cannot close a follow-up, or None."""
    if not notes.strip():
        return NOTES_REQUIRED
    return _text_problem(notes, MAX_NOTES, "回访情况")


def followup_deadline(calendar: WorkCalendar, rated_at: datetime | date, days: int) -> date:
    """The last day to finish the 回访整改: ``days`` working days after the day of the rating
    (Beijing calendar day; the day itself never counts, as for promised dates). Raises
    ``CalendarOutOfRange`` when the holiday schedule of that year is not loaded yet."""
    if not 1 <= days <= MAX_FOLLOWUP_DAYS:
        raise ValueError(f"回访期限须为 1 至 {MAX_FOLLOWUP_DAYS} 个工作日：{days}")
    day = rated_at.astimezone(CHINA_TZ).date() if isinstance(rated_at, datetime) else rated_at
    return calendar.add_working_days(day, days)
