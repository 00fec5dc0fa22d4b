"""The 256-byte base message (文字信息) a chip reader returns for a second-generation card.

Both vendor ABIs (SDTAPI, termb) hand back the same bytes: UCS-2 little-endian text in fixed,
space-padded fields (counter-research.md §2). Decoding it lives in the domain, apart from the
drivers, so the rules are tested without a reader and are the same whichever library read the
card. 港澳台居民居住证 use the same layout; their nation field is blank and the document kind
follows from the number (81/82/83), as for a typed number.

A read that returns damaged bytes must not fill a resident's form with nonsense, so every
field is checked and the first bad one is named in one line (:class:`CardMessageInvalid`).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from station_app.domain.id_card_data import IdCardData
from station_app.domain.idcard import IdKind, InvalidIdNumber, parse_id_number

BASE_MESSAGE_SIZE: Final = 256

# (field, bytes) in the order they follow each other in the message.
FIELDS: Final[tuple[tuple[str, int], ...]] = (
    ("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70),
    ("id_number", 36), ("issuer", 30), ("valid_from", 16), ("valid_until", 16),
    ("reserved", 36),
)

LONG_TERM: Final = "长期"

SEX_CODES: Final = {"1": "男", "2": "女", "0": "", "9": ""}
"""GB/T 2261.1: 1 男, 2 女; 0 未知 and 9 未说明 leave the sex to the number."""

NATIONS: Final[tuple[str, ...]] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
"""GB 3304 order: code 01 is 汉, 56 is 基诺 (names as printed on the card, without 族)."""

NATION_BY_CODE: Final[dict[str, str]] = {
    **{f"{i:02d}": name for i, name in enumerate(NATIONS, start=1)},
    "97": "其他", "98": "外国血统",
}

REREAD: Final = "请把证件重新平放在阅读器上再读一次；仍不行请手工录入"


class CardMessageInvalid(ValueError):
    """The reader's bytes are not a card's base message; the text says which part, in Chinese."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"身份证信息读取不完整（{what}）：{REREAD}")


_LABELS: Final = {
    "name": "姓名", "sex": "性别", "nation": "民族", "birth": "出生日期", "address": "住址",
    "id_number": "证件号码", "issuer": "签发机关", "valid_from": "有效期起始日期",
    "valid_until": "有效期截止日期", "reserved": "保留区",
}


def split_fields(data: bytes) -> dict[str, str]:
    """Each field's text with the space (and NUL) padding removed; raises on bad bytes."""
    if len(data) < BASE_MESSAGE_SIZE:
        raise CardMessageInvalid(f"只有 {len(data)} 字节，应为 {BASE_MESSAGE_SIZE} 字节")
    texts: dict[str, str] = {}
    offset = 0
    for field, size in FIELDS:
        chunk = data[offset:offset + size]
        offset += size
        try:
            text = chunk.decode("utf-16-le")
        except UnicodeDecodeError:
            raise CardMessageInvalid(f"{_LABELS[field]}不是有效文字") from None
        texts[field] = text.strip(" \x00")
    return texts




def _day(text: str, field: str) -> date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise CardMessageInvalid(f"{_LABELS[field]}“{text}”不是 8 位日期")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise CardMessageInvalid(f"{_LABELS[field]}“{text}”不是有效日期") from None


def _nation(code: str, permit: bool) -> str:
    if not code and permit:  # 港澳台居民居住证 carry no nation
        return ""
    try:
        return NATION_BY_CODE[code]
    except KeyError:
        raise CardMessageInvalid(f"民族代码“{code}”未知") from None


def decode_base_message(data: bytes) -> IdCardData:
    """The card described by a reader's base message; :class:`CardMessageInvalid` if damaged.

    Extra bytes after the first 256 (some readers report a longer buffer) are ignored.
    """
    f = split_fields(data)
    if not f["name"]:
        raise CardMessageInvalid("姓名为空")
    try:
        number = parse_id_number(f["id_number"])
    except InvalidIdNumber as e:
        raise CardMessageInvalid(f"证件号码：{e.message}") from None
    if len(f["id_number"]) != 18:  # a chip always holds the 18-character form
        raise CardMessageInvalid(f"证件号码应为 18 位，读到 {len(f['id_number'])} 位")
    try:
        sex = SEX_CODES[f["sex"]] or number.sex.value
    except KeyError:
        raise CardMessageInvalid(f"性别代码“{f['sex']}”未知") from None
    permit = number.kind is not IdKind.RESIDENT
    valid_until = None if f["valid_until"] == LONG_TERM else _day(f["valid_until"],
                                                                  "valid_until")
    return IdCardData(
        name=f["name"], id_number=number.number18, address=f["address"], sex=sex,
        birth=_day(f["birth"], "birth"), nation=_nation(f["nation"], permit),
        issuer=f["issuer"], valid_from=_day(f["valid_from"], "valid_from"),
        valid_until=valid_until,
    )
