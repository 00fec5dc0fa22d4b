"""Intake forms: resolution of common fields, 一事联办 merging, 代办, conditions, groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from station_app.domain.catalogue import FieldType, FormField, MaterialForm
from station_app.domain.catalogue_loader import Catalogue, load_catalogue
from station_app.domain.forms import (
    AGENT_SOURCE,
    FormSpec,
    derived_from_id,
    form_for_bundle,
    form_for_item,
    item_values,
    materials_for,
    missing_materials,
    validate_form,
    visible_fields,
)
from station_app.domain.idcard import IdKind, Sex
from tests.helpers.catalogue import write_test_catalogue


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def rs04(tmp_path: Path) -> Catalogue:
    """The real header (without bundles, whose items may still be in the works) and RS04."""
    return load_catalogue(write_test_catalogue(tmp_path / "catalogue"))


RS04_VALUES: dict[str, Any] = {
    "name": " 张三丰 ",
    "id_number": "42010519600101001x",
    "phone": "+86 138 1234 5678",
    "address": {"community": "晴川花园", "building": "３栋", "unit": "2单元", "room": "1203"},
    "apply_by": "本人办理",
    "benefit_type": "企业职工基本养老保险",
    "auth_method": "柜台人脸识别",
    "auth_result": "认证通过",
    "next_due_date": "2027年6月1日",
}


def test_item_form_resolves_common_fields_and_places_agent_fields(rs04: Catalogue) -> None:
    form = form_for_item(rs04, "RS04")
    assert form.title == "退休人员养老金资格认证"
    assert form.item_codes == ("RS04",)
    assert [f.key for f in form.fields] == [
        "name", "id_number", "phone", "address", "apply_by",
        "agent_name", "agent_id_number", "agent_phone", "agent_relation",
        "benefit_type", "auth_method", "auth_result", "failure_reason", "next_due_date"]
    assert form.field("id_number").type is FieldType.ID_NUMBER
    assert form.agent_keys == {"agent_name", "agent_id_number", "agent_phone", "agent_relation"}
    assert all(codes == ("RS04",) for codes in form.needed_by.values())
    assert form.form_versions == {"RS04": 1}
    with pytest.raises(KeyError):
        form.field("nope")


def test_valid_rs04_values_are_cleaned(rs04: Catalogue) -> None:
    result = validate_form(form_for_item(rs04, "RS04"), {**RS04_VALUES, "stray": "x"})
    assert result.ok, result.errors
    assert result.cleaned == {
        "name": "张三丰",
        "id_number": "42010519600101001X",
        "phone": "13812345678",
        "address": {"community": "晴川花园", "building": "3栋", "unit": "2单元", "room": "1203"},
        "apply_by": "本人办理",
        "benefit_type": "企业职工基本养老保险",
        "auth_method": "柜台人脸识别",
        "auth_result": "认证通过",
        "next_due_date": "2027-06-01",
    }


def test_required_and_type_errors_are_reported_together(rs04: Catalogue) -> None:
    values = {**RS04_VALUES, "name": "", "id_number": "420105196001010010",
              "address": {"community": "晴川花园", "building": "3栋"}, "next_due_date": "明年"}
    del values["phone"]
    result = validate_form(form_for_item(rs04, "RS04"), values)
    assert not result.ok
    assert set(result.errors) == {"name", "phone", "id_number", "address.room", "next_due_date"}
    assert result.errors["name"] == "请填写姓名"
    assert result.errors["phone"] == "请填写手机号码"
    assert "校验位错误" in result.errors["id_number"]
    assert result.errors["address.room"] == "请填写门牌"
    assert "name" not in result.cleaned and "benefit_type" in result.cleaned


def test_conditional_field_is_validated_only_when_shown(rs04: Catalogue) -> None:
    form = form_for_item(rs04, "RS04")
    hidden = {**RS04_VALUES, "failure_reason": "不应保存"}
    assert "failure_reason" not in [f.key for f in visible_fields(form, hidden)]
    assert "failure_reason" not in validate_form(form, hidden).cleaned
    failed = {**RS04_VALUES, "auth_result": " 认证未通过 "}
    assert "failure_reason" in [f.key for f in visible_fields(form, failed)]
    assert validate_form(form, failed).errors == {"failure_reason": "请填写未通过原因"}
    result = validate_form(form, {**failed, "failure_reason": "人脸比对未通过"})
    assert result.ok and result.cleaned["failure_reason"] == "人脸比对未通过"


def test_agent_fields_are_required_only_for_agent_applications(rs04: Catalogue) -> None:
    form = form_for_item(rs04, "RS04")
    agent_values = {"agent_name": "张小丰", "agent_id_number": "11010519491231002X",
                    "agent_phone": "027-84561234", "agent_relation": "子女"}
    own = validate_form(form, {**RS04_VALUES, **agent_values})
    assert own.ok and not set(agent_values) & set(own.cleaned)
    missing = validate_form(form, {**RS04_VALUES, "apply_by": "代办"})
    assert missing.errors == {
        "agent_name": "请填写代办人姓名", "agent_id_number": "请填写代办人身份证号",
        "agent_phone": "请填写代办人手机号码", "agent_relation": "请填写与申请人关系"}
    done = validate_form(form, {**RS04_VALUES, "apply_by": "代办", **agent_values})
    assert done.ok and done.cleaned["agent_phone"] == "027-84561234"


def test_agent_materials_are_added(rs04: Catalogue) -> None:
    own = materials_for(rs04, ["RS04"], by_agent=False)
    assert [(c, m.name) for c, m in own] == [("RS04", "居民身份证或社会保障卡")]
    agent = materials_for(rs04, ["RS04"], by_agent=True)
    assert [(c, m.name) for c, m in agent] == [
        ("RS04", "居民身份证或社会保障卡"), (AGENT_SOURCE, "授权委托书"),
        (AGENT_SOURCE, "代办人居民身份证")]
    assert [m.name for m in missing_materials(agent, ["居民身份证或社会保障卡"])] == [
        "授权委托书", "代办人居民身份证"]


def test_sex_birth_date_and_age_derived_from_id() -> None:
    info = derived_from_id({"id_number": "42010519600101001x"}, on=dt.date(2026, 1, 1))
    assert info is not None
    assert (info.sex, info.birth_date, info.age, info.kind) == (
        Sex.MALE, dt.date(1960, 1, 1), 66, IdKind.RESIDENT)
    day_before = derived_from_id({"id_number": "42010519600101001X"}, on=dt.date(2025, 12, 31))
    assert day_before is not None and day_before.age == 65
    agent = derived_from_id({"agent_id_number": "11010519491231002X"}, key="agent_id_number")
    assert agent is not None and agent.sex is Sex.FEMALE
    assert derived_from_id({"id_number": "420105196001010010"}) is None
    assert derived_from_id({}) is None


# -- 一事联办: a small catalogue of its own ----------------------------------------------------

TEXT = {"type": "text", "max_length": 30}
HEADER: dict[str, Any] = {
    "schema_version": 1,
    "catalogue_version": "test.1",
    "title": "测试目录",
    "categories": [{"code": "c", "name": "测试"}],
    "departments": [{"code": "d", "name": "测试部门", "short": "测"}],
    "common_fields": [
        {"key": "name", "label": "姓名", "required": True, **TEXT},
        {"key": "id_number", "label": "身份证号", "type": "id_number", "required": True},
        {"key": "phone", "label": "手机号码", "type": "phone", "required": True},
        {"key": "address", "label": "现居地址", "type": "address", "required": True},
        {"key": "hukou", "label": "户籍地", **TEXT},
        {"key": "apply_by", "label": "办理方式", "type": "choice", "required": True,
         "options": ["本人办理", "代办"]},
    ],
    "agent": {
        "fields": [{"key": "agent_name", "label": "代办人姓名", **TEXT}],
        "materials": [{"name": "授权委托书"}, {"name": "居民身份证", "form": "copy"}],
    },
    "bundles": [{"code": "BD01", "name": "测试“一件事”", "items": ["AA01", "AA02", "AA03"]}],
}
REASON = {"key": "reason", "label": "申请原因", "type": "choice", "options": ["新办", "变更"]}


def _item(code: str, fields: list[dict[str, Any]], materials: list[dict[str, Any]]) -> dict[
        str, Any]:
    return {"code": code, "name": f"测试事项{code}", "category": "c", "department": "d",
            "handling": {"type": "immediate"}, "materials": materials, "fields": fields}


ITEMS = [
    _item("AA01", [
        {"ref": "name"}, {"ref": "id_number"}, {"ref": "phone"}, {"ref": "apply_by"},
        {**REASON, "required": True},
        {"key": "newborn", "label": "是否新生儿", "type": "choice", "options": ["是", "否"]},
        {"key": "birth_cert_no", "label": "出生医学证明编号", "required": True,
         "when": {"field": "newborn", "equals": "是"}, **TEXT},
    ], [{"name": "居民身份证"}, {"name": "户口簿", "required": False, "form": "copy"}]),
    _item("AA02", [
        {"ref": "name"}, {"ref": "id_number", "required": False}, {"ref": "hukou",
                                                                   "required": True},
        {"ref": "address"}, {**REASON, "help": "只影响说明文字，不影响合并"},
        {"key": "family_members", "label": "家庭成员", "type": "group", "min_items": 1,
         "max_items": 3, "fields": [
             {"key": "member_name", "label": "姓名", "required": True, **TEXT},
             {"key": "member_id_number", "label": "身份证号", "type": "id_number",
              "required": True},
             {"key": "relation", "label": "关系", "type": "choice", "required": True,
              "options": ["配偶", "子女"]},
             {"key": "school", "label": "就读学校", "required": True,
              "when": {"field": "relation", "equals": "子女"}, **TEXT},
         ]},
    ], [{"name": "居民身份证", "required": False, "form": "copy", "copies": 2},
        {"name": "家庭成员身份证", "form": "copy"}]),
    _item("AA03", [
        {"ref": "name"}, {"ref": "phone"},
        {"key": "reason", "label": "申请原因", "type": "choice", "required": True,
         "options": ["首次", "补办"]},
        {"key": "detail", "label": "补办原因", "required": True,
         "when": {"field": "reason", "equals": "补办"}, **TEXT},
    ], [{"name": "申请书"}]),
]


@pytest.fixture
def tiny(tmp_path: Path) -> Catalogue:
    _write(tmp_path / "catalogue.yaml", HEADER)
    for item in ITEMS:
        _write(tmp_path / "items" / f"{item['code']}.yaml", item)
    return load_catalogue(tmp_path)


BUNDLE_VALUES: dict[str, Any] = {
    "name": "李四", "id_number": "11010519491231002X", "phone": "13912345678",
    "apply_by": "本人办理", "reason": "新办", "newborn": "否", "hukou": "湖北省武汉市汉阳区",
    "address": {"community": "鹦鹉花园", "room": "8-101"},
    "family_members": [
        {"member_name": "王五", "member_id_number": "42010519600101001X", "relation": "配偶"},
        {"member_name": "李小四", "member_id_number": "110105201001010010",
         "relation": "子女", "school": "汉阳一中"},
    ],
    "aa03_reason": "首次",
}


def test_bundle_asks_shared_fields_once_and_records_who_needs_them(tiny: Catalogue) -> None:
    form = form_for_bundle(tiny, "BD01")
    assert form.title == "测试“一件事”"
    assert form.item_codes == ("AA01", "AA02", "AA03")
    assert [f.key for f in form.fields] == [
        "name", "id_number", "phone", "apply_by", "agent_name", "reason", "newborn",
        "birth_cert_no", "hukou", "address", "family_members", "aa03_reason", "detail"]
    assert form.needed_by["name"] == ("AA01", "AA02", "AA03")
    assert form.needed_by["id_number"] == ("AA01", "AA02")
    assert form.needed_by["reason"] == ("AA01", "AA02")  # same definition: shared
    assert form.field("reason").help is None  # help texts do not split a field; first wins
    assert form.needed_by["aa03_reason"] == ("AA03",)  # same key, other options: kept apart
    assert form.needed_by["agent_name"] == ("AA01",)
    assert form.field("id_number").required  # AA02 makes it optional, AA01 needs it
    assert form.field("reason").required  # optional in AA02, required in AA01
    assert form.field("hukou").required  # the ref overrides the common field
    assert not form_for_item(tiny, "AA01").fields[0].key.startswith("aa")
    detail_when = form.field("detail").when
    assert detail_when is not None and detail_when.field == "aa03_reason"
    assert form.original_keys == {"aa03_reason": "reason"}


def test_bundle_validation_with_groups_and_renamed_conditions(tiny: Catalogue) -> None:
    form = form_for_bundle(tiny, "BD01")
    result = validate_form(form, BUNDLE_VALUES)
    assert result.ok, result.errors
    members = result.cleaned["family_members"]
    assert isinstance(members, list) and members[1]["school"] == "汉阳一中"
    assert "school" not in members[0]
    assert item_values(form, result.cleaned, "AA03") == {
        "name": "李四", "phone": "13912345678", "reason": "首次"}
    assert item_values(form, result.cleaned, "AA01")["reason"] == "新办"
    redo = validate_form(form, {**BUNDLE_VALUES, "aa03_reason": "补办"})
    assert redo.errors == {"detail": "请填写补办原因"}
    newborn = validate_form(form, {**BUNDLE_VALUES, "newborn": "是"})
    assert newborn.errors == {"birth_cert_no": "请填写出生医学证明编号"}


def test_group_rows_are_checked_with_paths(tiny: Catalogue) -> None:
    form = form_for_bundle(tiny, "BD01")
    rows = [
        {"member_name": "王五", "member_id_number": "42010519600101001X", "relation": "配偶"},
        {"member_name": "", "member_id_number": "420105196001010010", "relation": "子女"},
        {"member_name": " ", "member_id_number": ""},  # an empty row is dropped
        "不是一行",
    ]
    errors = validate_form(form, {**BUNDLE_VALUES, "family_members": rows}).errors
    assert errors["family_members[1].member_name"] == "请填写姓名"
    assert "校验位错误" in errors["family_members[1].member_id_number"]
    assert errors["family_members[1].school"] == "请填写就读学校"
    assert errors["family_members[3]"] == "第 4 条家庭成员格式不对"
    assert not any(k.startswith("family_members[2]") for k in errors)


def test_group_item_counts(tiny: Catalogue) -> None:
    form = form_for_bundle(tiny, "BD01")
    member = BUNDLE_VALUES["family_members"][0]
    assert validate_form(form, {**BUNDLE_VALUES, "family_members": []}).errors == {
        "family_members": "家庭成员至少填写 1 条"}
    too_many = validate_form(form, {**BUNDLE_VALUES, "family_members": [member] * 4})
    assert too_many.errors == {"family_members": "家庭成员最多填写 3 条"}
    assert validate_form(form, {**BUNDLE_VALUES, "family_members": member}).errors == {
        "family_members": "家庭成员须为多条记录的列表"}


def test_bundle_materials_are_listed_once(tiny: Catalogue) -> None:
    listed = materials_for(tiny, ["AA01", "AA02", "AA03"], by_agent=True)
    assert [(c, m.name) for c, m in listed] == [
        ("AA01", "居民身份证"), ("AA01", "户口簿"), ("AA02", "家庭成员身份证"),
        ("AA03", "申请书"), (AGENT_SOURCE, "授权委托书")]
    id_card = listed[0][1]
    assert id_card.required and id_card.copies == 2
    assert id_card.form is MaterialForm.ORIGINAL_AND_COPY  # original for AA01, copy for AA02
    missing = missing_materials(listed, ["居民身份证", " 申请书 "])
    assert [m.name for m in missing] == ["家庭成员身份证", "授权委托书"]


def test_circular_conditions_hide_both_fields() -> None:
    a = FormField.model_validate({"key": "a", "label": "甲", "type": "text", "required": True,
                                  "when": {"field": "b", "equals": "1"}})
    b = FormField.model_validate({"key": "b", "label": "乙", "type": "text", "required": True,
                                  "when": {"field": "a", "equals": "1"}})
    form = FormSpec("循环", ("XX01",), (a, b), {"a": ("XX01",), "b": ("XX01",)})
    assert visible_fields(form, {"a": "1", "b": "1"}) == []
    assert validate_form(form, {}).ok
