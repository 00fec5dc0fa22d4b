"""Made-up residents of Hanyang for demo data: names, ID numbers, phones and addresses.

Everything is drawn from a caller's ``random.Random`` so that a seed always gives the same
people. ID numbers carry real Wuhan area codes, a birth date that fits the service asked for
and a correct check digit, so they pass the same validation as a real card; they name nobody.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from station_app.domain.idcard import Sex, age_on, check_digit

# Most residents of a Hanyang station were registered in 汉阳 itself; 420121 is the old
# 汉阳县 code that people born before 1992 still carry.
AREA_CODES: tuple[tuple[str, int], ...] = (
    ("420105", 62), ("420121", 6), ("420114", 8), ("420103", 5), ("420104", 5),
    ("420106", 4), ("420102", 3), ("420111", 3), ("420113", 2), ("420115", 2),
)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
            "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方邹熊秦江尹龚万严覃雷汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官")
OLD_MALE = ("建国", "建华", "国强", "志明", "德胜", "永福", "文华", "光荣", "卫东", "振华", "国华",
            "正清", "汉生", "长林", "秋生", "先进", "红兵", "家祥", "德明", "春山", "明", "华",
            "勇")
OLD_FEMALE = ("秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "凤英", "玉梅", "丽华", "美华",
              "素芬", "翠兰", "金秀", "冬梅", "春花", "菊香", "爱珍", "红", "萍", "英")
YOUNG_MALE = ("浩", "宇", "俊杰", "子豪", "思远", "博文", "浩然", "嘉诚", "一鸣", "伟", "磊", "涛")
YOUNG_FEMALE = ("子涵", "欣怡", "梓萱", "雨桐", "诗琪", "佳怡", "静", "婷", "晓燕", "雪", "敏")
MOBILE_PREFIXES = ("133", "153", "180", "189", "177", "130", "131", "132", "155", "156", "186",
                   "134", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                   "182", "187", "188", "198")
# Streets and neighbourhoods of 汉阳 as a worker would write them on a form.
NEIGHBOURHOODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("琴断口街", ("七里一村", "七里二村", "七里晴川", "琴断口小区", "升官渡小区", "十升小区",
                 "汉阳人家", "江欣苑")),
    ("四新街", ("国博新城", "四新康城", "芳草路小区", "中建康城", "四新东方城")),
    ("洲头街", ("龙阳村小区", "鹦鹉花园", "晴川小区", "鹦鹉洲小区")),
    ("五里墩街", ("五里墩小区", "钟家村小区", "建港小区", "马沧湖小区")),
    ("建桥街", ("建桥新村", "知音西村", "墨水湖北路小区")),
    ("江汉二桥街", ("江汉二桥小区", "玫瑰街小区", "汉阳大道小区")),
)
BANKS = ("中国工商银行武汉汉阳支行", "中国建设银行武汉钟家村支行", "中国农业银行武汉汉阳支行",
         "中国银行武汉王家湾支行", "中国邮政储蓄银行武汉汉阳区支行", "武汉农村商业银行汉阳支行",
         "汉口银行汉阳支行", "交通银行武汉汉阳支行")
BANK_BINS = ("622202", "621700", "622848", "621661", "621799", "623668", "622188")


@dataclass(frozen=True)
class Person:
    """One made-up resident."""

    name: str
    id_number: str
    sex: Sex
    birth: date
    age: int


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    """One value of ``(value, weight)`` pairs."""
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def person_name(rng: random.Random, sex: Sex, age: int) -> str:
    """A common name of the generation and sex (older people rarely have 子涵 as a name)."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    given: tuple[str, ...]
    if sex is Sex.MALE:
        given = OLD_MALE if age >= 45 else YOUNG_MALE
    else:
        given = OLD_FEMALE if age >= 45 else YOUNG_FEMALE
    return surname + rng.choice(given)


def id_number_for(rng: random.Random, birth: date, sex: Sex) -> str:
    """A valid 18-digit number: Wuhan area code, the birth date, sequence of the sex, check."""
    area = weighted(rng, AREA_CODES)
    if area == "420121" and birth.year >= 1992:
        area = "420114"  # 汉阳县 had become 蔡甸区 by then
    seq = rng.randrange(0, 500) * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def make_person(rng: random.Random, on: date, min_age: int, max_age: int,
                sex: Sex | None = None) -> Person:
    """A resident aged ``min_age``..``max_age`` on ``on``."""
    sex = sex or (Sex.FEMALE if rng.random() < 0.54 else Sex.MALE)  # more women at the counter
    age = rng.randint(min_age, max_age)
    birth = on - timedelta(days=int(age * 365.2425) + rng.randrange(5, 360))
    return Person(person_name(rng, sex, age), id_number_for(rng, birth, sex), sex, birth,
                  age_on(birth, on))


def mobile(rng: random.Random) -> str:
    """A Wuhan mobile number of one of the three carriers."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def neighbourhood(rng: random.Random) -> tuple[str, str]:
    """A street (街道) and one of its residential compounds."""
    street, compounds = rng.choice(NEIGHBOURHOODS)
    return street, rng.choice(compounds)


def address(rng: random.Random) -> dict[str, str]:
    """An address as the form's address field takes it."""
    _, compound = neighbourhood(rng)
    floor, door = rng.randint(1, 18), rng.randint(1, 4)
    return {"community": compound, "building": f"{rng.randint(1, 32)}栋",
            "unit": f"{rng.randint(1, 4)}单元", "room": f"{floor}{door:02d}"}


def hukou(rng: random.Random) -> str:
    """A 户籍地 in the words of the 户口簿."""
    street, compound = neighbourhood(rng)
    return f"湖北省武汉市汉阳区{street}{compound.removesuffix('小区')}社区"


def bank_account(rng: random.Random) -> str:
    """A 19-digit debit card number of a bank with branches in Hanyang."""
    return rng.choice(BANK_BINS) + "".join(str(rng.randrange(10)) for _ in range(13))
