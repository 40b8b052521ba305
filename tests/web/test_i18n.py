"""Every UI message exists in both languages, and the runtime catalogues load."""

from __future__ import annotations

import re

from tenderwatch.web.i18n import LOCALES, get_translations, normalise_locale, translate
from tenderwatch.web.messages import all_messages, read_catalog, template_messages


def test_every_message_has_a_chinese_translation() -> None:
    catalog = read_catalog("zh_CN")
    messages = all_messages()
    assert len(template_messages()) > 50, "extraction from templates found too little"
    missing = sorted(m for m in messages if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"untranslated in zh_CN (run python -m tenderwatch.web.messages): {missing}"


def test_catalogues_list_every_message() -> None:
    messages = set(all_messages())
    for locale in LOCALES:
        ids = {m.id for m in read_catalog(locale) if m.id}
        assert messages <= ids, f"{locale} catalogue lacks {sorted(messages - ids)}"


def test_placeholders_survive_translation() -> None:
    catalog = read_catalog("zh_CN")
    for message in catalog:
        if message.id and message.string:
            for name in ("%(n)s", "%(id)s", "%(mb)s", "%(page)s", "%(pages)s"):
                assert (name in str(message.id)) == (name in str(message.string)), message.id


def test_no_bare_percent_sign() -> None:
    # Jinja's gettext always applies %-formatting, so a lone "%" in a message ("90%分位") is a 500 on the
    # page that shows it; write "%%" or avoid the sign.
    bare = re.compile(r"%(?!%|\(\w+\)[sd])")
    for locale in LOCALES:
        for message in read_catalog(locale):
            for text in (str(message.id or ""), str(message.string or "")):
                assert not bare.search(text.replace("%%", "")), f"{locale}: {text!r}"


def test_translate() -> None:
    assert translate("zh_CN", "Data catalogue") == "数据共享清单"
    assert translate("en", "Data catalogue") == "Data catalogue"
    assert translate("zh_CN", "The file is larger than %(mb)s MB.", mb=5) == "文件超过 5 MB 的上限。"
    assert get_translations("zh_CN").gettext("no such message") == "no such message"


def test_normalise_locale() -> None:
    assert normalise_locale("zh-CN") == "zh_CN"
    assert normalise_locale("en_US") == "en"
    assert normalise_locale("fr") == "zh_CN"
    assert normalise_locale(None, default="en") == "en"
