"""Reasons a record is rejected, in words a data steward understands (zh-CN and English).

Each template receives ``label_zh``/``label_en`` (the field's catalogue labels), ``value`` and
``detail``. Codes are stable: the quarantine stores them and reports group by them.
"""

from __future__ import annotations

REASONS: dict[str, tuple[str, str]] = {
    "required": ("必填字段“{label_zh}”为空", "required field '{label_en}' is empty"),
    "missing_column": (
        "文件缺少必填列“{label_zh}”",
        "the file has no column for required field '{label_en}'",
    ),
    "not_int": (
        "“{label_zh}”应为整数，实际为“{value}”",
        "'{label_en}' must be a whole number, got '{value}'",
    ),
    "not_decimal": (
        "“{label_zh}”应为金额（最多两位小数），实际为“{value}”",
        "'{label_en}' must be an amount with at most 2 decimals, got '{value}'",
    ),
    "not_number": ("“{label_zh}”应为数字，实际为“{value}”", "'{label_en}' must be a number, got '{value}'"),
    "not_date": (
        "“{label_zh}”应为日期（YYYY-MM-DD），实际为“{value}”",
        "'{label_en}' must be a date (YYYY-MM-DD), got '{value}'",
    ),
    "not_datetime": (
        "“{label_zh}”应为日期时间（YYYY-MM-DD HH:MM:SS），实际为“{value}”",
        "'{label_en}' must be a date and time (YYYY-MM-DD HH:MM:SS), got '{value}'",
    ),
    "not_month": (
        "“{label_zh}”应为月份（YYYY-MM），实际为“{value}”",
        "'{label_en}' must be a month (YYYY-MM), got '{value}'",
    ),
    "not_bool": ("“{label_zh}”应为是/否，实际为“{value}”", "'{label_en}' must be yes/no, got '{value}'"),
    "not_in_enum": (
        "“{label_zh}”的取值“{value}”不在代码表中（可选：{detail}）",
        "'{label_en}' value '{value}' is not in the code list (allowed: {detail})",
    ),
    "below_min": (
        "“{label_zh}”不能小于{detail}，实际为“{value}”",
        "'{label_en}' must be at least {detail}, got '{value}'",
    ),
    "above_max": (
        "“{label_zh}”不能大于{detail}，实际为“{value}”",
        "'{label_en}' must be at most {detail}, got '{value}'",
    ),
    "bad_uscc": (
        "“{label_zh}”不是有效的统一社会信用代码（格式或校验位错误）：“{value}”",
        "'{label_en}' is not a valid Unified Social Credit Code (format or check character): '{value}'",
    ),
    "bad_id_number": (
        "“{label_zh}”不是有效的身份证号（格式、出生日期或校验位错误）：“{value}”",
        "'{label_en}' is not a valid citizen ID number (format, birth date or check digit): '{value}'",
    ),
    "bad_id_or_uscc": (
        "“{label_zh}”既不是有效的身份证号也不是有效的统一社会信用代码：“{value}”",
        "'{label_en}' is neither a valid ID number nor a valid USCC: '{value}'",
    ),
    "bad_region": (
        "“{label_zh}”不是本省的行政区划代码（GB/T 2260）：“{value}”",
        "'{label_en}' is not an administrative division code of this province (GB/T 2260): '{value}'",
    ),
    "bad_phone": (
        "“{label_zh}”不是有效的电话号码：“{value}”",
        "'{label_en}' is not a valid phone number: '{value}'",
    ),
    "bad_ip": (
        "“{label_zh}”不是有效的IP地址：“{value}”",
        "'{label_en}' is not a valid IP address: '{value}'",
    ),
    "bad_mac": (
        "“{label_zh}”不是有效的MAC地址：“{value}”",
        "'{label_en}' is not a valid MAC address: '{value}'",
    ),
    "bad_email": (
        "“{label_zh}”不是有效的电子邮箱：“{value}”",
        "'{label_en}' is not a valid e-mail address: '{value}'",
    ),
    "not_scalar": (
        "“{label_zh}”应为单个值，实际为对象或数组",
        "'{label_en}' must be a single value, not an object or array",
    ),
    "duplicate_key": (
        "主键（{detail}）与本文件第{value}行重复",
        "key ({detail}) repeats the one on line {value} of this file",
    ),
    "unknown_reference": (
        "引用的{detail}“{value}”不存在（请先导入被引用的数据）",
        "the referenced {detail} '{value}' does not exist (import the referenced data first)",
    ),
}


def render(
    code: str, *, label_zh: str = "", label_en: str = "", value: str = "", detail: str = ""
) -> tuple[str, str]:
    zh, en = REASONS[code]
    args = {"label_zh": label_zh, "label_en": label_en, "value": value, "detail": detail}
    return zh.format(**args), en.format(**args)
