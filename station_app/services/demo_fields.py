"""Answers to the catalogue's intake forms for demo cases, one small generator per field type.

Values are produced for every field of the form (hidden ones too); the caller runs the real
form validation, which drops the hidden answers and proves the rest would be accepted at the
counter. Keys the catalogue uses often get answers that make sense together (a 65-year-old
holds a red 老年证, a spouse is of the same generation, a period ends after it starts).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, timedelta

from stdnum.cn import uscc as _uscc

from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.forms import FormSpec
from station_app.domain.idcard import Sex
from station_app.domain.parsing import USCC_ALPHABET
from station_app.services import demo_people as people
from station_app.services.demo_people import Person

HOSPITALS = ("武汉市第五医院", "汉阳区人民医院", "武汉市中医医院汉阳院区", "湖北省人民医院",
             "华中科技大学同济医学院附属协和医院", "武汉市汉阳医院")
EMPLOYERS = ("武汉鹦鹉洲物业管理有限公司", "汉阳区琴断口街社区卫生服务中心", "武汉四新餐饮有限公司",
             "中百仓储汉阳大道店", "武汉汉阳造文化创意产业园", "美团配送汉阳站点", "个体经营")
PLACES = ("广东省深圳市", "海南省三亚市", "湖南省长沙市", "上海市", "湖北省孝感市", "北京市")
SCHOOLS = ("汉阳区七里庙小学", "武汉市第三中学", "汉阳区钟家村小学", "汉阳区四新幼儿园")
SENTENCES = {
    "failure_reason": ("人脸比对未通过，已约网格员上门认证", "本人未到场，待家属陪同再次认证"),
    "hardship": ("家中主要劳动力患病，长期服药，收入微薄", "夫妻双方均失业，子女在校就读",
                 "独居老人，患慢性病，仅靠少量养老金生活"),
    "change": ("联系电话变更为新号码", "家庭成员增加一人（新生儿）",
               "居住地址由七里二村迁至七里一村"),
    "case": ("用人单位拖欠工资三个月共计一万二千元，多次追讨未果",
             "赡养纠纷，子女拒绝支付赡养费"),
    "purpose": ("办理子女入学", "申请公共租赁住房", "单位人事档案", "办理银行业务"),
}
_EVERY_YEAR = {"review_year", "contribution_year"}
_COUNTS = {"household_size": (1, 5), "cohabitants": (1, 4), "existing_children": (0, 2),
           "housing_count": (0, 1), "vehicle_count": (0, 1), "housing_area": (40, 110),
           "per_capita_area": (12, 35), "rented_area": (20, 70), "reissue_count": (1, 2),
           "print_copies": (1, 3)}
_MONEY = {"applicant_monthly_income": (0, 2500), "household_monthly_income": (800, 6000),
          "financial_assets": (0, 30000), "monthly_income": (0, 4000),
          "rigid_expense": (20000, 80000), "requested_amount": (1000, 5000),
          "total_cost": (5000, 80000), "self_paid": (1000, 20000), "paid_amount": (3000, 12000),
          "monthly_rent": (600, 2000), "expected_salary": (3000, 7000), "amount": (380, 400)}
_CONTRIBUTION_GRADES = (200, 300, 400, 500, 600, 800, 1000, 1500, 2000, 3000, 5000)
_RELATION_AGE = {"配偶": 0, "子女": -28, "父母": 27, "兄弟姐妹": 0, "祖父母或外祖父母": 52,
                 "孙子女或外孙子女": -55}


_TEXTS = {
    "signing_team": ("王医生家庭医生团队", "李医生家庭医生团队"),
    "dietary_note": ("低盐低糖", "不吃辣", "忌海鲜"),
    "training_program": ("育婴员", "养老护理员", "中式烹调师", "电工"),
    "skill_certificates": ("中式烹调师（五级）", "电工（四级）"),
    "flexible_job": ("网约车司机", "外卖骑手", "家政服务"),
    "desired_jobs": ("保洁员", "保安员", "仓库管理员", "厨师"),
    "preferred_project": ("四新保障性租赁住房项目", "汉阳人才公寓"),
    "care_detail": ("由配偶照护，子女每周探望", "雇请护工日间照护"),
    "reason_detail": ("证件磨损严重，照片无法辨认",),
    "unfinished_reason": ("楚税通缴费页面提示余额不足，改日再缴",),
    "certificate_content": ("申请人自 2015 年起在本社区居住至今",),
}
_PERSON_KEYS = {"name", "id_number"}
_MEMBER_KEYS = {"member_name", "child_name", "member_id_number", "child_id_number"}
_AGES = {"child": (2, 15), "agent": (30, 58), "guardian": (28, 62), "heir": (35, 65),
         "landlord": (35, 70), "caregiver": (40, 65)}
Maker = Callable[[FormField, dict[str, object], Person], object]


class FieldFiller:
    """Answers for one applicant, accepted on ``on``; draws only from ``rng``."""

    def __init__(self, rng: random.Random, applicant: Person, on: date) -> None:
        self.rng, self.applicant, self.on = rng, applicant, on
        self._related: dict[str, Person] = {}
        self._makers: dict[FieldType, Maker] = {
            FieldType.TEXT: self._text, FieldType.ID_NUMBER: self._id_number,
            FieldType.PHONE: lambda *_: people.mobile(rng),
            FieldType.DATE: self._date, FieldType.CHOICE: self._choice,
            FieldType.MULTI_CHOICE: self._multi, FieldType.INTEGER: self._integer,
            FieldType.MONEY: self._money, FieldType.ADDRESS: lambda *_: people.address(rng),
            FieldType.USCC: lambda *_: self._uscc(), FieldType.GROUP: self._group,
            FieldType.BANK_ACCOUNT: lambda *_: people.bank_account(rng),
        }

    def values(self, form: FormSpec) -> dict[str, object]:
        """An answer for every field of ``form`` (optional attachments left out)."""
        out: dict[str, object] = {}
        for f in form.fields:
            value = self.value(f, out, self.applicant)
            if value is not None:
                out[f.key] = value
        return out

    def value(self, f: FormField, so_far: dict[str, object], who: Person) -> object:
        """One answer; ``so_far`` lets a field follow an earlier one (证型 -> 充次状态)."""
        if f.type is FieldType.ATTACHMENT:
            return self._attachment(f) if f.required else None
        if not f.required and f.type is not FieldType.GROUP and self.rng.random() < 0.5:
            return None  # a worker leaves about half of the optional fields empty
        return self._makers[f.type](f, so_far, who)

    def related(self, prefix: str, ages: tuple[int, int] | None = None) -> Person:
        """The same person for ``spouse_name`` and ``spouse_id_number`` (keyed by prefix)."""
        if prefix not in self._related:
            sex = None
            if prefix == "spouse":
                base = self.applicant.age
                ages = (base - 3, base + 3)
                sex = Sex.MALE if self.applicant.sex is Sex.FEMALE else Sex.FEMALE
            lo, hi = ages or _AGES.get(prefix, (25, 60))
            lo, hi = min(max(0, lo), 100), min(max(0, hi), 100)
            self._related[prefix] = people.make_person(self.rng, self.on, lo, hi, sex)
        return self._related[prefix]

    def _person_of(self, key: str, who: Person, suffix: str) -> Person:
        if key in _PERSON_KEYS or (key in _MEMBER_KEYS and who is not self.applicant):
            return who
        return self.related(key.removesuffix(suffix))

    def _text(self, f: FormField, so_far: dict[str, object], who: Person) -> str:
        key, pick = f.key, self.rng.choice
        if "bank" in key:
            return pick(people.BANKS)
        if key in _TEXTS:
            return pick(_TEXTS[key])
        if key == "name" or (key.endswith("_name") and key != "platform_name"):
            return self._person_of(key, who, "_name").name
        if key == "caregiver":
            return self.related(key).name
        if key == "hukou":
            return people.hukou(self.rng)
        if "hospital" in key or "institution" in key or key == "health_center":
            return pick(HOSPITALS)
        for word, pool in SENTENCES.items():
            if word in key:
                return pick(pool)
        if "community" in key or key == "meal_site":
            return people.neighbourhood(self.rng)[1].removesuffix("小区") + "社区"
        if "school" in key:
            return pick(SCHOOLS)
        if any(w in key for w in ("unit", "employer", "platform", "provider")):
            return pick(EMPLOYERS)
        if any(w in key for w in ("place", "from", "to", "destination", "area")):
            return pick(PLACES)
        if any(w in key for w in ("number", "_no", "card")):
            return f"{self.rng.randrange(10**9, 10**10)}"
        return "详见申请人书面说明"

    def _id_number(self, f: FormField, so_far: dict[str, object], who: Person) -> str:
        return self._person_of(f.key, who, "_id_number").id_number

    def _date(self, f: FormField, so_far: dict[str, object], who: Person) -> str:
        key, on, rng = f.key, self.on, self.rng
        if key == "next_due_date":
            day = on + timedelta(days=365)
        elif "death" in key:
            day = on - timedelta(days=rng.randint(3, 60))
        elif key == "start_month":
            day = (on.replace(day=1) + timedelta(days=32)).replace(day=1)
        elif key in ("enlistment_date", "discharge_date"):
            years = 19 + (rng.randint(2, 16) if key == "discharge_date" else 0)
            day = min(who.birth + timedelta(days=int(years * 365.25)), on)
        elif key == "marriage_date":
            day = min(who.birth + timedelta(days=int(rng.randint(23, 28) * 365.25)), on)
        elif key == "due_date":
            day = on + timedelta(days=rng.randint(30, 240))
        elif key in ("stop_date", "start_date"):
            day = on + timedelta(days=rng.randint(0, 10))
        elif key in ("treatment_end", "period_end"):
            day = on - timedelta(days=rng.randint(1, 20))
        elif key == "treatment_start":
            day = on - timedelta(days=rng.randint(25, 90))
        elif "end" in key:
            day = on + timedelta(days=rng.randint(30, 365))
        else:
            day = on - timedelta(days=rng.randint(30, 1000))
        return day.isoformat()

    def _choice(self, f: FormField, so_far: dict[str, object], who: Person) -> str:
        opts, rng, key = f.options or ("",), self.rng, f.key
        if key in ("card_type", "age_group"):
            return opts[0] if who.age < (65 if key == "card_type" else 90) else opts[-1]
        if key == "recharge_status":
            blue = str(so_far.get("card_type", "")).startswith("蓝")
            return opts[-1] if blue else opts[rng.randrange(2)]
        if key == "insured_category":
            if who.age < 1 or who.age < 18:
                return opts[2] if who.age < 1 else opts[1]
            return opts[0] if rng.random() < 0.85 else opts[3]
        if key == "applicant_type":
            return opts[0] if who.age >= 60 else opts[1 + rng.randrange(2)]
        if key in ("apply_by", "auth_result", "review_result", "payment_result",
                   "capacity_status"):
            return opts[0] if rng.random() < 0.9 else rng.choice(opts[1:])
        if key == "agent_relation":
            return rng.choices(opts, weights=(2, 6, 0, 1, 1, 0)[:len(opts)])[0]
        if key == "employment_status" and who is not self.applicant and who.age < 18:
            return "学龄前儿童" if who.age < 6 and "学龄前儿童" in opts else "在校学生"
        return opts[0] if rng.random() < 0.5 else rng.choice(opts)

    def _multi(self, f: FormField, so_far: dict[str, object], who: Person) -> list[str]:
        opts = list(f.options or ())
        chosen = self.rng.sample(opts, 2 if self.rng.random() < 0.25 and len(opts) > 1 else 1)
        return ["无"] if "无" in chosen else chosen

    def _integer(self, f: FormField, so_far: dict[str, object], who: Person) -> int:
        key, rng = f.key, self.rng
        if key in _EVERY_YEAR:
            return self.on.year
        if key == "coverage_year":  # residents pay in autumn for the coming year
            return self.on.year + (1 if self.on.month >= 9 else 0)
        if key == "base_percent":
            return rng.choice((60, 60, 100, 150, 200, 300))
        lo, hi = _COUNTS.get(key, (int(f.min or 0), int(f.min or 0) + 3))
        return max(int(f.min or lo), min(rng.randint(lo, hi), int(f.max or hi)))

    def _money(self, f: FormField, so_far: dict[str, object], who: Person) -> str:
        if "contribution_level" in f.key:
            return f"{self.rng.choice(_CONTRIBUTION_GRADES)}.00"
        if f.key == "monthly_income" and who.age < 18:
            return "0.00"
        lo, hi = _MONEY.get(f.key, (100, 3000))
        return f"{self.rng.randint(lo, hi)}.{self.rng.choice(('00', '00', '50'))}"

    def _uscc(self) -> str:
        body = "92420105" + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(9))
        return body + str(_uscc.calc_check_digit(body))

    def _attachment(self, f: FormField) -> dict[str, object]:
        content = f"{f.key}:{self.applicant.id_number}".encode()
        return {"sha256": hashlib.sha256(content).hexdigest(), "filename": f"{f.label}.jpg",
                "size": 40_000 + self.rng.randrange(200_000), "mime": "image/jpeg"}

    def _group(self, f: FormField, so_far: dict[str, object], who: Person) -> list[object]:
        n = max(f.min_items, min(f.max_items, self.rng.choice((0, 1, 1, 2, 3))))
        members = f.fields or ()
        relation_field = next((m for m in members if m.key == "relation"), None)
        rows: list[object] = []
        for i in range(n):
            row: dict[str, object] = {}
            if relation_field is not None:
                row["relation"] = self.rng.choice(relation_field.options or ("其他",))
            if f.key == "children":
                ages = _AGES["child"]
            else:
                centre = self.applicant.age + _RELATION_AGE.get(str(row.get("relation")), 0)
                ages = (centre - 4, centre + 4)
            member = self.related(f"{f.key}[{i}]", ages)
            for m in members:
                if m.key not in row:
                    value = self.value(m, row, member)
                    if value is not None:
                        row[m.key] = value
            rows.append(row)
        return rows
