"""Screening rules without a database: canonical identifiers, exact matches, pinyin name fuzzing."""

from __future__ import annotations

import pytest

from tenderwatch.broker.canonical import canonical_account, canonical_id, canonical_phone
from tenderwatch.broker.matching import Register, RegisterEntry, screen_bid, syllable_distance

BROKER_ID = "330112198206143765"  # valid check digit


def register(*entries: RegisterEntry) -> Register:
    return Register.build(entries)


def entry(entry_id: int = 1, names: tuple[str, ...] = (), **numbers: tuple[str, ...]) -> RegisterEntry:
    return RegisterEntry(
        entry_id,
        names[0] if names else f"entry {entry_id}",
        "confirmed",
        frozenset(numbers.get("ids", ())),
        frozenset(numbers.get("phones", ())),
        frozenset(numbers.get("accounts", ())),
        frozenset(names),
    )


def rules(matches: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(m.entry_id, m.rule) for m in matches]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138 0000 1234", "13800001234"),
        ("0086-13800001234", "13800001234"),
        ("138-0000-1234", "13800001234"),
        ("(0571)87654321", "057187654321"),
        ("0571-87654321-808", "057187654321"),  # the extension is a desk, not the line
        ("400-123-4567", "4001234567"),
        ("-", None),
        ("无", None),
        ("0", None),
        ("00000000000", None),
        ("12345", None),
    ],
)
def test_phone_canonical_form(raw: str, expected: str | None) -> None:
    assert canonical_phone(raw) == expected


def test_id_and_account_canonical_forms() -> None:
    assert canonical_id(" 330112198206143765 ") == BROKER_ID
    assert canonical_id("330112198206143764") is None  # wrong check digit
    assert canonical_id("330112820614376") == canonical_id("330112820614376")  # legacy 15 digits upgraded
    assert canonical_id("330112820614376") is not None and len(canonical_id("330112820614376") or "") == 18
    assert canonical_id("000000000000000000") is None
    assert canonical_account("6222 0212-0000 1234 567") == "6222021200001234567"
    for placeholder in ("-", "无", "0", "0000000000", "/", "N/A"):
        assert canonical_account(placeholder) is None


def test_exact_matches_on_canonical_ids_phones_and_accounts() -> None:
    reg = register(entry(ids=(BROKER_ID,), phones=("13800001234",), accounts=("622202120000123456",)))
    found = screen_bid(
        reg,
        persons=["330112198206143765"],
        phones=["+86 138-0000-1234"],
        accounts=["6222 0212 0000 1234 56"],
    )
    assert sorted(rules(found)) == [(1, "exact_account"), (1, "exact_id"), (1, "exact_phone")]
    assert all(m.strong for m in found)
    assert {m.field for m in found} == {"id_number", "phone", "account"}
    # An invalid ID number (one digit off) never reaches the index.
    assert screen_bid(reg, persons=["330112198206143764"]) == []


def test_placeholders_never_match_even_if_the_register_held_one() -> None:
    # A register built by hand with junk still cannot match junk: the screened side drops it first.
    reg = register(entry(phones=("-", "0"), accounts=("无", "0000"), ids=("-",), names=("无",)))
    assert (
        screen_bid(
            reg,
            persons=["-", "0"],
            phones=["-", "0", "无"],
            accounts=["无", "0000", "-"],
            names=["无", "-", ""],
        )
        == []
    )


def test_homophones_match_weakly_and_traditional_characters_too() -> None:
    reg = register(entry(names=("张伟",)))
    [same] = screen_bid(reg, names=["张伟"])
    assert (same.rule, same.strong) == ("name_same", False)
    [homophone] = screen_bid(reg, names=["章伟"])
    assert homophone.rule == "name_homophone" and not homophone.strong
    assert "weak" in homophone.reason_en and "较弱" in homophone.reason_zh
    [traditional] = screen_bid(reg, names=["張偉"])
    assert traditional.rule == "name_homophone"


def test_two_character_names_need_the_full_pinyin() -> None:
    reg = register(entry(names=("张伟",)))
    assert screen_bid(reg, names=["张维"]) != []  # zhang wei: the same sound
    assert screen_bid(reg, names=["张华"]) == []  # one syllable off: too common a pattern to mean anything
    assert screen_bid(reg, names=["张伟明"]) == []  # a three-character name is not a two-character one


def test_one_syllable_edit_for_names_of_three_characters() -> None:
    reg = register(entry(1, names=("王建国",)), entry(2, names=("欧阳明华",)))
    assert rules(screen_bid(reg, names=["王建华"])) == [(1, "name_pinyin_edit1")]
    assert rules(screen_bid(reg, names=["汪建国"])) == [(1, "name_homophone")]
    assert rules(screen_bid(reg, names=["欧阳明"])) == [(2, "name_pinyin_edit1")]  # one syllable dropped
    assert screen_bid(reg, names=["王华明"]) == []  # two syllables off
    assert syllable_distance(("wang", "jian", "guo"), ("wang", "jian", "hua")) == 1


def test_a_name_beside_a_number_of_the_same_entry_is_strong() -> None:
    reg = register(entry(1, names=("张伟",), phones=("13800001234",)), entry(2, names=("章伟",)))
    found = {(m.entry_id, m.rule): m for m in screen_bid(reg, phones=["13800001234"], names=["张伟"])}
    corroborated = found[(1, "name_same")]
    assert corroborated.strong and corroborated.score > found[(2, "name_homophone")].score
    assert "strong" in corroborated.reason_en
    assert not found[(2, "name_homophone")].strong  # the other entry has only the name
