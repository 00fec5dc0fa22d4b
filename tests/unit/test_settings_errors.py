"""The one translator of settings errors: every problem, one Chinese sentence per key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from station_app.settings_errors import SettingProblem, problem_messages, settings_problems
from station_app.settings_schema import (
    BASE_DIR,
    SettingsEntry,
    StationSettings,
    StationSetup,
    settable_keys,
)


def problems(schema: type[SettingsEntry] | type[StationSettings],
             values: dict[str, object]) -> list[SettingProblem]:
    with pytest.raises(ValidationError) as err:
        schema.model_validate(values)
    return settings_problems(err.value)


def test_every_error_is_reported_in_the_schema_order() -> None:
    found = problems(StationSetup, {"secret": "abc", "theme": "dark", "retention_days": 1,
                                    "sync_interval_seconds": "两分钟"})
    assert [p.key for p in found] == ["station_id", "backend_url", "sync_interval_seconds",
                                      "theme", "retention_days", "secret"]
    assert [p.message for p in found] == [
        "站点编号必须填写",
        "后台地址必须填写",
        "同步间隔须为整数",
        "默认界面须为 'standard' 或 'elder'，填的是 'dark'",
        "个人信息保留期须在 7 到 3650 天之间",
        "站点密钥须为登记时发放的 16–128 位字母、数字、- 或 _",
    ]


@pytest.mark.parametrize(("values", "key", "message"), [
    ({"station_id": "qdk-01"}, "station_id", "站点编号须为 2–16 位大写字母或数字，如 QDK01"),
    ({"backend_url": "hy.example.cn"}, "backend_url", "后台地址须以 http:// 或 https:// 开头"),
    ({"backend_url": "https://"}, "backend_url", "后台地址须含主机名，如 https://hy.example.cn/api"),
    ({"backend_url": "https://x:port"}, "backend_url", "后台地址不是有效的网址"),
    ({"backend_url": "https://u:p@x"}, "backend_url", "后台地址不能带查询参数、片段或用户名密码"),
    ({"station_name": "驿" * 61}, "station_name", "站点名称不能超过 60 个字"),
    ({"contact_phone": " "}, "contact_phone", "联系电话不能为空"),
    ({"sync_interval_seconds": 4000}, "sync_interval_seconds", "同步间隔须在 15 到 3600 秒之间"),
    ({"sync_interval_seconds": True}, "sync_interval_seconds",
     "同步间隔须为整数（不加引号），填的是真假值"),
    ({"station_id": 7}, "station_id", "站点编号须为文字（用英文双引号括起来），填的是整数"),
    ({"colour": "red"}, "colour", "不是可用的设置项；可用的有：station_id、"),
    ({"backend": "x"}, "backend", "不是可用的设置项，是否应为 backend_url？"),
])
def test_each_rule_has_its_sentence(values: dict[str, object], key: str, message: str) -> None:
    messages = problem_messages(_error(values))
    assert message in messages[key], messages


def _error(values: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        SettingsEntry.model_validate(values)
    return err.value


def test_the_secret_is_never_repeated_in_a_message() -> None:
    bad = "my secret with spaces 0123456789"
    text = "".join(p.line() for p in problems(SettingsEntry, {"secret": bad}))
    assert "站点密钥" in text and bad not in text and "spaces" not in text


def test_a_ca_bundle_is_checked_on_the_way_in_but_not_when_stored(tmp_path: Path) -> None:
    missing = problem_messages(_error({"ca_bundle": "nope.pem"}))["ca_bundle"]
    assert missing.startswith("CA 证书文件无法读取")
    (tmp_path / "ca.pem").write_text("hello", encoding="ascii")
    with pytest.raises(ValidationError) as err:
        SettingsEntry.model_validate({"ca_bundle": "ca.pem"}, context={BASE_DIR: tmp_path})
    assert "不是 PEM 格式" in problem_messages(err.value)["ca_bundle"]
    # stored settings never look at the file: a moved certificate must not stop the start
    assert StationSettings(ca_bundle=tmp_path / "gone.pem").ca_bundle == tmp_path / "gone.pem"


def test_every_settable_key_has_a_chinese_name() -> None:
    for key in settable_keys():
        title = SettingsEntry.model_fields[key].title
        assert title and not title.isascii(), key


def test_a_problem_line_names_the_key_as_the_place_spells_it() -> None:
    problem = SettingProblem("sync_interval_seconds", "同步间隔须在 15 到 3600 秒之间")
    assert problem.line() == "sync_interval_seconds：同步间隔须在 15 到 3600 秒之间"
    assert problem.line("--interval") == "--interval：同步间隔须在 15 到 3600 秒之间"
