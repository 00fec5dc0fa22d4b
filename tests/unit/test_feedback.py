"""好差评 rules in the domain: which ratings need a reason, bounded words and notes, the
follow-up deadline in working days with 调休, and the district's number of days in the
catalogue header (checked like every other header value)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from station_app.domain.catalogue_loader import check_catalogue, load_catalogue
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.feedback import (
    DEFAULT_FOLLOWUP_DAYS,
    RatingReason,
    followup_deadline,
    notes_problem,
    rating_problem,
)
from station_app.domain.lifecycle import Rating
from station_app.domain.workdays import WorkCalendar
from tests.helpers.catalogue import REPO_CATALOGUE, write_test_catalogue


def test_a_bad_rating_needs_a_reason_and_a_good_one_takes_none() -> None:
    for level in Rating:
        missing = rating_problem(level, None, "")
        assert (missing is not None) == level.is_negative, level
    assert rating_problem(Rating.DISSATISFIED, RatingReason.OTHER, "") is None
    assert "只有差评" in str(rating_problem(Rating.SATISFIED, None, "很好"))
    assert "最多 200 个字" in str(rating_problem(Rating.DISSATISFIED, RatingReason.OTHER,
                                                 "慢" * 201))
    assert "控制字符" in str(rating_problem(Rating.DISSATISFIED, RatingReason.OTHER, "a\x00"))
    assert [r.label for r in RatingReason] == ["服务效率", "服务水平", "服务态度", "其他"]


def test_callback_notes_are_required_and_bounded() -> None:
    assert "请填写回访情况" in str(notes_problem("  \n "))
    assert "最多 1000 个字" in str(notes_problem("回" * 1001))
    assert notes_problem("已回访") is None


def test_deadline_counts_a_tiaoxiu_weekend_day_as_working() -> None:
    calendar = WorkCalendar()
    friday = datetime(2026, 9, 18, 17, 30, tzinfo=CHINA_TZ)
    assert calendar.is_working_day(date(2026, 9, 20))  # Sunday, 调休 for National Day
    assert followup_deadline(calendar, friday, 5) == date(2026, 9, 24)  # not 9-25
    # 16:30 UTC on the 17th is 00:30 on Friday the 18th in Wuhan: the day is China's
    utc_evening = datetime(2026, 9, 17, 16, 30, tzinfo=UTC)
    assert followup_deadline(calendar, utc_evening, 1) == date(2026, 9, 20)
    # across National Day: 10-1 … 10-7 are holidays, Saturday 10-10 is worked
    assert followup_deadline(calendar, date(2026, 9, 30), 3) == date(2026, 10, 10)
    with pytest.raises(ValueError, match="1 至 30"):
        followup_deadline(calendar, friday, 0)


def test_the_district_sets_the_days_in_the_catalogue_header(tmp_path: Path) -> None:
    assert load_catalogue(REPO_CATALOGUE).header.followup_working_days == DEFAULT_FOLLOWUP_DAYS
    for value, ok in ((7, True), (0, False), (31, False), ("五", False)):
        folder = write_test_catalogue(tmp_path / f"c{value}")
        header = yaml.safe_load((folder / "catalogue.yaml").read_text(encoding="utf-8"))
        header["followup_working_days"] = value
        (folder / "catalogue.yaml").write_text(yaml.safe_dump(header, allow_unicode=True),
                                               encoding="utf-8")
        catalogue, errors = check_catalogue(folder)
        if ok:
            assert catalogue is not None and catalogue.header.followup_working_days == value
        else:
            assert catalogue is None
            assert any("followup_working_days" in str(e) and "catalogue.yaml" in str(e)
                       for e in errors), errors
