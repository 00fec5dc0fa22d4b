"""Every message a resident or worker sees when a value is rejected, in one place.

Kept together so the wording stays consistent, can be reviewed by the district in one read, and
can later be handed to the translation tools without hunting through the rules.
Placeholders use str.format names.
"""

from __future__ import annotations

# -- general ---------------------------------------------------------------------------------
REQUIRED = "请填写{label}"
WRONG_KIND = "{label}的格式不对，请重新填写"

# -- ID numbers (居民身份证 / 港澳台居民居住证) ------------------------------------------
ID_EMPTY = "请填写身份证号"
ID_CHARS = "身份证号只能由数字组成，18 位号码的最后一位可以是 X"
ID_LENGTH = "身份证号长度须为 18 位（或 15 位旧号），现在是 {n} 位"
ID_15_CHARS = "15 位旧身份证号只能由数字组成"
ID_PROVINCE = "身份证号前两位 {code} 不是有效的省级行政区代码，请核对号码"
ID_DATE_MISSING = "出生日期 {date} 不存在，请核对号码"
ID_DATE_FUTURE = "出生日期 {date} 晚于今天，请核对号码"
ID_DATE_TOO_EARLY = "出生年份 {year} 早于 1800 年，请核对号码"
ID_CHECKSUM = (
    "身份证号校验位错误：按前 17 位计算，最后一位应为 {expected}。"
    "请逐位核对整个号码，多为中间某一位抄错"
)

# -- phone -----------------------------------------------------------------------------------
PHONE_CHARS = "电话号码只能包含数字，可用空格或短横线分隔"
PHONE_FOREIGN = "只支持中国大陆的手机或座机号码"
PHONE_MOBILE_PREFIX = "手机号码第二位应为 3–9，请核对"
PHONE_MOBILE_LENGTH = "手机号码应为 11 位，现在是 {n} 位"
PHONE_LANDLINE = "座机号码格式不对，应为区号加号码，如 027-84561234"
PHONE_INVALID = "电话号码格式不对：手机为 11 位（如 13812345678），座机如 027-84561234"

# -- text ------------------------------------------------------------------------------------
TEXT_TOO_LONG = "{label}最多 {max} 个字，现在是 {n} 个字"
TEXT_CONTROL = "{label}含有无法显示的控制字符，请重新输入"

# -- dates -----------------------------------------------------------------------------------
DATE_FORMAT = "日期格式不对，请写成 2024-01-05、2024/1/5、2024年1月5日 或 20240105"
DATE_MISSING = "日期 {date} 不存在，请核对"
DATE_RANGE = "日期年份须在 {low} 到 {high} 之间"

# -- choices ---------------------------------------------------------------------------------
CHOICE_UNKNOWN = "“{value}”不是{label}的可选项，请从列表中选择"
MULTI_DUPLICATE = "选项重复：{value}"
MULTI_KIND = "{label}须为选项列表"

# -- numbers ---------------------------------------------------------------------------------
INTEGER_FORMAT = "{label}须为整数"
NUMBER_TOO_SMALL = "{label}不能小于 {limit}"
NUMBER_TOO_LARGE = "{label}不能大于 {limit}"
MONEY_FORMAT = "金额格式不对，请写成如 1234.50 或 1,234.5（单位：元）"
MONEY_DECIMALS = "金额最多两位小数（到分）"
MONEY_NEGATIVE = "金额不能为负数"
MONEY_TOO_LARGE = "金额过大，请核对"

# -- address ---------------------------------------------------------------------------------
ADDRESS_KIND = "地址须分项填写：小区、楼栋、单元、门牌"
ADDRESS_UNKNOWN_PART = "地址中有无法识别的项：{keys}"
ADDRESS_PART_REQUIRED = "请填写{part}"
ADDRESS_PART_TOO_LONG = "{part}最多 {max} 个字"
ADDRESS_INCOMPLETE = "地址不完整"

# -- 统一社会信用代码 -----------------------------------------------------------------
USCC_LENGTH = "统一社会信用代码须为 18 位，现在是 {n} 位"
USCC_CHARS = "统一社会信用代码只含数字和大写字母（不用 I、O、S、V、Z），第 {pos} 位“{char}”不对"
USCC_REGION = "统一社会信用代码第 3–8 位是行政区划码，须为数字"
USCC_CHECKSUM = (
    "统一社会信用代码校验位错误：按前 17 位计算，最后一位应为 {expected}。请逐位核对整个代码"
)

# -- bank account ----------------------------------------------------------------------------
BANK_CHARS = "银行账号只能由数字组成"
BANK_LENGTH = "银行账号应为 12–19 位数字，现在是 {n} 位"

# -- attachments -----------------------------------------------------------------------------
ATTACHMENT_KIND = "附件信息不完整，请重新扫描或选择文件"
ATTACHMENT_HASH = "附件校验值无效，请重新扫描或选择文件"
ATTACHMENT_NAME = "附件文件名无效"
ATTACHMENT_SIZE = "附件大小无效"
ATTACHMENT_MIME = "附件文件类型无效"

# -- forms -----------------------------------------------------------------------------------
GROUP_KIND = "{label}须为多条记录的列表"
GROUP_ROW_KIND = "第 {n} 条{label}格式不对"
GROUP_TOO_FEW = "{label}至少填写 {min} 条"
GROUP_TOO_MANY = "{label}最多填写 {max} 条"
