"""A station as the sync tests, the kill driver's parent and the benchmarks set it up: its
id, the RS04 (养老金资格认证) case they queue, and a data folder configured for a backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from station_app.config import StationSettings, save_secret, save_settings

STATION_ID = "QDK01"
# the values a worker enters for RS04 on the intake screen, and the materials ticked
RS04_VALUES: dict[str, Any] = {
    "name": "测试居民", "id_number": "11010519491231002X", "phone": "13800000000",
    "address": {"community": "琴断口测试小区", "building": "1栋", "unit": "1单元", "room": "101"},
    "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险", "auth_method": "柜台人脸识别",
    "auth_result": "认证通过", "next_due_date": "2027-11-25"}
RS04_TICKED = ["居民身份证或社会保障卡"]


def configure(data_dir: Path, backend_url: str, secret: str, **settings: Any) -> None:
    """Write the settings and secret files of a station enrolled at ``backend_url``."""
    save_settings(data_dir, StationSettings(station_id=STATION_ID, backend_url=backend_url,
                                            station_name="琴断口街道红色驿站", **settings))
    save_secret(data_dir, secret)
