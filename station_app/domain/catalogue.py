"""Schema of the service catalogue files (catalogue.yaml and one YAML file per item).

The catalogue is data, not code, so that the district can change an item without a new
release. Everything a file may contain is declared here; unknown keys are errors, so a typo in
a catalogue file is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from station_app.domain.feedback import DEFAULT_FOLLOWUP_DAYS, MAX_FOLLOWUP_DAYS
from station_app.domain.progress_link import check_progress_template

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_CODE_RE = re.compile(r"^[A-Z]{2}\d{2}$")
BUNDLE_CODE_RE = re.compile(r"^BD\d{2}$")


class FieldType(StrEnum):
    """Every kind of input an intake form can ask for."""

    TEXT = "text"
    ID_NUMBER = "id_number"  # 居民身份证 / 港澳台居民居住证
    PHONE = "phone"  # 手机 or 座机
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    INTEGER = "integer"
    MONEY = "money"  # 元, two decimals
    ADDRESS = "address"  # 小区 / 楼栋 / 单元 / 门牌
    USCC = "uscc"  # 统一社会信用代码
    BANK_ACCOUNT = "bank_account"
    ATTACHMENT = "attachment"  # a scanned material
    GROUP = "group"  # repeating group, e.g. family members


class HandlingType(StrEnum):
    IMMEDIATE = "immediate"  # 即办
    PROMISED = "promised"  # 承诺件, N working days
    REFERRED = "referred"  # 社区受理后转报

    @property
    def label(self) -> str:
        return {"immediate": "即办件", "promised": "承诺件", "referred": "转报件"}[self.value]


class MaterialForm(StrEnum):
    ORIGINAL = "original"  # 原件 (checked and returned)
    COPY = "copy"  # 复印件
    ORIGINAL_AND_COPY = "original_and_copy"
    ELECTRONIC = "electronic"

    @property
    def label(self) -> str:
        return {
            "original": "原件",
            "copy": "复印件",
            "original_and_copy": "原件及复印件",
            "electronic": "电子材料",
        }[self.value]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Condition(_Strict):
    """Show (and require) a field only when another field of the same form has a value."""

    field: str
    equals: str | None = None
    in_: tuple[str, ...] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("条件须且只能写 equals 或 in 之一")
        return self

    def holds(self, value: object) -> bool:
        """True when the controlling field's value satisfies this condition."""
        values = value if isinstance(value, list | tuple) else [value]
        wanted = (self.equals,) if self.equals is not None else (self.in_ or ())
        return any(str(v) in wanted for v in values if v is not None)


class FormField(_Strict):
    """One input of an intake form."""

    key: str
    label: str = Field(min_length=1)
    type: FieldType
    required: bool = False
    help: str | None = None
    options: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0)
    multiline: bool = False
    sensitive: bool = False  # 敏感个人信息 (health, disability, finance): masked in lists
    when: Condition | None = None
    fields: tuple[FormField, ...] | None = None  # members of a repeating group
    min_items: int = Field(default=0, ge=0)
    max_items: int = Field(default=20, ge=1)

    @field_validator("key")
    @classmethod
    def _key_shape(cls, v: str) -> str:
        if not KEY_RE.match(v):
            raise ValueError(f"字段键 {v!r} 须为小写字母开头的 a-z、0-9、下划线")
        return v

    @model_validator(mode="after")
    def _type_rules(self) -> FormField:
        choice = self.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
        if choice and not self.options:
            raise ValueError(f"选择字段 {self.key} 必须列出 options")
        if not choice and self.options:
            raise ValueError(f"字段 {self.key} 不是选择类型，不能有 options")
        if choice and self.options and len(set(self.options)) != len(self.options):
            raise ValueError(f"字段 {self.key} 的 options 有重复")
        if self.type is FieldType.GROUP:
            if not self.fields:
                raise ValueError(f"重复组 {self.key} 必须有 fields")
            if self.min_items > self.max_items:
                raise ValueError(f"重复组 {self.key} 的 min_items 大于 max_items")
            _check_unique_keys(self.fields, f"重复组 {self.key}")
        elif self.fields:
            raise ValueError(f"字段 {self.key} 不是重复组，不能有 fields")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"字段 {self.key} 的 min 大于 max")
        return self


class FieldRef(_Strict):
    """A reference to a common field declared once in catalogue.yaml."""

    ref: str
    required: bool | None = None  # override the common field's own setting
    label: str | None = Field(default=None, min_length=1)  # e.g. 已故参保人姓名
    help: str | None = None


def _entry_kind(v: object) -> str:
    if isinstance(v, dict):
        return "ref" if "ref" in v else "field"
    return "ref" if isinstance(v, FieldRef) else "field"


ItemFieldEntry = Annotated[
    Annotated[FieldRef, Tag("ref")] | Annotated[FormField, Tag("field")],
    Discriminator(_entry_kind),
]


class Material(_Strict):
    name: str = Field(min_length=1)
    required: bool = True
    form: MaterialForm = MaterialForm.ORIGINAL
    copies: int = Field(default=1, ge=0, le=20)
    note: str | None = None
    when: Condition | None = None  # needed only when another field has a given value


class Handling(_Strict):
    type: HandlingType
    days: int | None = Field(default=None, ge=1, le=180)  # working days, for promised items
    note: str | None = None

    @model_validator(mode="after")
    def _days_for_promised(self) -> Handling:
        if self.type is HandlingType.PROMISED and self.days is None:
            raise ValueError("承诺件必须写 days（承诺办结的工作日数）")
        if self.type is HandlingType.IMMEDIATE and self.days is not None:
            raise ValueError("即办件不能有 days")
        return self

    @property
    def label(self) -> str:
        if self.type is HandlingType.PROMISED:
            return f"承诺件（{self.days} 个工作日）"
        return self.type.label


class ServiceItem(_Strict):
    """One service item (事项) with its intake form. Stored one per YAML file."""

    code: str
    name: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    category: str
    department: str
    handling: Handling
    fee: str = "免费"
    form_version: int = Field(default=1, ge=1)
    summary: str | None = None
    eligibility: str | None = None
    materials: tuple[Material, ...] = Field(min_length=1)
    fields: tuple[ItemFieldEntry, ...] = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, v: str) -> str:
        if not ITEM_CODE_RE.match(v):
            raise ValueError(f"事项编码 {v!r} 须为两个大写字母加两位数字，如 RS04")
        return v

    @model_validator(mode="after")
    def _unique_names(self) -> ServiceItem:
        names = [m.name for m in self.materials]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"材料重复：{'、'.join(sorted(dup))}")
        keys = [f.ref if isinstance(f, FieldRef) else f.key for f in self.fields]
        dupk = {k for k in keys if keys.count(k) > 1}
        if dupk:
            raise ValueError(f"字段重复：{'、'.join(sorted(dupk))}")
        return self


class Category(_Strict):
    code: str
    name: str


class Department(_Strict):
    code: str
    name: str
    short: str


class Bundle(_Strict):
    """一事联办: several items applied for together; shared fields are asked once."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    items: tuple[str, ...] = Field(min_length=2)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, v: str) -> str:
        if not BUNDLE_CODE_RE.match(v):
            raise ValueError(f"联办编码 {v!r} 须为 BD 加两位数字，如 BD01")
        return v


class AgentRules(_Strict):
    """What 代办 (applying on someone's behalf) adds to every item."""

    fields: tuple[FormField, ...] = Field(min_length=1)
    materials: tuple[Material, ...] = Field(min_length=1)


class CatalogueHeader(_Strict):
    """catalogue.yaml: version, categories, departments, common fields and bundles."""

    schema_version: Literal[1]
    catalogue_version: str = Field(min_length=1)
    title: str
    published: str | None = None
    categories: tuple[Category, ...] = Field(min_length=1)
    departments: tuple[Department, ...] = Field(min_length=1)
    common_fields: tuple[FormField, ...] = Field(min_length=1)
    agent: AgentRules
    bundles: tuple[Bundle, ...] = ()
    # working days to follow up a 差评 (回访整改), the district's to set (domain.feedback)
    followup_working_days: int = Field(default=DEFAULT_FOLLOWUP_DAYS, ge=1, le=MAX_FOLLOWUP_DAYS)
    # where residents follow a case, {ref} standing for its tracking reference; the receipt's
    # QR code holds it (a station's own setting progress_page_url takes precedence)
    progress_page_url: str | None = None

    @field_validator("progress_page_url")
    @classmethod
    def _progress_template(cls, v: str | None) -> str | None:
        if v is None:
            return None
        try:
            return check_progress_template(v)
        except ValueError as e:
            raise ValueError(f"办理进度网址 progress_page_url {e}") from None


def _check_unique_keys(fields: tuple[FormField, ...], where: str) -> None:
    keys = [f.key for f in fields]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError(f"{where} 字段重复：{'、'.join(sorted(dup))}")


FIELD_TYPE_LABELS: dict[FieldType, str] = {
    FieldType.TEXT: "文本",
    FieldType.ID_NUMBER: "身份证号",
    FieldType.PHONE: "电话",
    FieldType.DATE: "日期",
    FieldType.CHOICE: "单选",
    FieldType.MULTI_CHOICE: "多选",
    FieldType.INTEGER: "整数",
    FieldType.MONEY: "金额",
    FieldType.ADDRESS: "地址",
    FieldType.USCC: "统一社会信用代码",
    FieldType.BANK_ACCOUNT: "银行账号",
    FieldType.ATTACHMENT: "附件",
    FieldType.GROUP: "重复组",
}
