"""`catalogue/holidays.yaml`: holiday schedules published after this program was built.

Optional. Each year lists its statutory rest days and its 调休 working weekend days, copied
from the State Council notice; years the installed calendar data already knows are ignored
there, so a mistaken entry cannot change a date the library gets right.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from station_app.domain.workdays import YearSchedule

HOLIDAYS_FILE = "holidays.yaml"


class YearEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)  # the notice it was copied from, e.g. 国办发明电〔…〕
    holidays: tuple[date, ...] = Field(min_length=1)
    workdays: tuple[date, ...] = ()


class HolidayFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    years: dict[int, YearEntry] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _dates_in_their_year(self) -> HolidayFile:
        for year, entry in self.years.items():
            for d in (*entry.holidays, *entry.workdays):
                if d.year != year:
                    raise ValueError(f"{year} 年的安排里出现了 {d.isoformat()}")
            for d in entry.workdays:
                if d.weekday() < 5:
                    raise ValueError(f"调休上班日 {d.isoformat()} 不是周末")
            both = set(entry.holidays) & set(entry.workdays)
            if both:
                raise ValueError(f"{min(both).isoformat()} 既是假日又是调休上班日")
        return self

    def schedules(self) -> tuple[YearSchedule, ...]:
        return tuple(YearSchedule(y, frozenset(e.holidays), frozenset(e.workdays))
                     for y, e in sorted(self.years.items()))
