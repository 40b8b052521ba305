"""Screening persons, phones, accounts and names against the register.

Exact on validated ID numbers, canonical phones and accounts: each alone is a strong match (an ID
number names one person; a phone or account used by a broker is their tool). Names are fuzzy, through
pinyin without tones, and weak on their own — 王伟 is thousands of people — unless the same entry also
matched on an ID, phone or account in the same screen, which makes the name a corroboration:

* ``name_same``: identical characters;
* ``name_homophone``: same toneless pinyin, different characters (同音字 张伟/章伟; pypinyin reads
  traditional characters too, so 張偉 meets 张伟 here at no extra cost);
* ``name_pinyin_edit1``: for names of three or more characters on both sides, pinyin syllable
  sequences at edit distance one (a typo or mis-heard character: 王建国/王建华). Two-character names
  are too common for that and match only on the full pinyin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from tenderwatch.broker.canonical import (
    canonical_account,
    canonical_id,
    canonical_name,
    canonical_phone,
    is_chinese_name,
)

Pinyin = tuple[str, ...]

SCORES = {
    "exact_id": 1.0,
    "exact_phone": 0.9,
    "exact_account": 0.9,
    "name_same": 0.3,
    "name_homophone": 0.25,
    "name_pinyin_edit1": 0.15,
}
STRONG_RULES = frozenset({"exact_id", "exact_phone", "exact_account"})
RULE_FIELD = {"exact_id": "id_number", "exact_phone": "phone", "exact_account": "account"}
REASONS = {
    "exact_id": ("身份证号一致", "same ID number"),
    "exact_phone": ("电话号码一致", "same phone number"),
    "exact_account": ("银行账号一致", "same bank account"),
    "name_same": ("姓名相同", "same name"),
    "name_homophone": ("姓名同音（拼音相同）", "name sounds the same (same pinyin)"),
    "name_pinyin_edit1": ("姓名拼音仅差一个音节", "name differs by one pinyin syllable"),
}
WEAK_NOTE = ("；仅姓名相似，证据较弱", "; name only, weak evidence")
COMBINED_NOTE = ("；同一登记对象的号码也命中，证据较强", "; a number of the same entry also matched, strong")


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """What screening needs of an entry (merged entries already folded into their surviving entry)."""

    entry_id: int
    display_name: str
    status: str
    id_numbers: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: int
    entry_name: str
    entry_status: str
    field: str  # id_number | phone | account | name
    value: str  # the screened value (canonical)
    register_value: str
    rule: str
    score: float
    strong: bool
    reason_zh: str
    reason_en: str


@lru_cache(maxsize=200_000)
def name_pinyin(name: str) -> Pinyin:
    """Toneless pinyin syllables; ü is written v by pypinyin, which is fine as long as both sides agree."""
    return tuple(s for s in lazy_pinyin(name, style=Style.NORMAL) if s.strip())


def syllable_distance(a: Pinyin, b: Pinyin) -> int:
    """Levenshtein distance over syllables (each syllable one symbol)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _edit_keys(syllables: Pinyin) -> set[Pinyin]:
    """Keys shared by any two sequences at distance ≤ 1: the sequence with one syllable wildcarded
    (substitution) or removed (insertion/deletion). Used only for names of three or more characters."""
    keys = {syllables}
    for i in range(len(syllables)):
        keys.add((*syllables[:i], "*", *syllables[i + 1 :]))
        keys.add((*syllables[:i], *syllables[i + 1 :]))
    return keys


@dataclass
class Register:
    """In-memory indexes of the register for screening; build once per screening run."""

    entries: dict[int, RegisterEntry] = field(default_factory=dict)
    by_id: dict[str, set[int]] = field(default_factory=dict)
    by_phone: dict[str, set[int]] = field(default_factory=dict)
    by_account: dict[str, set[int]] = field(default_factory=dict)
    by_name: dict[str, set[int]] = field(default_factory=dict)
    by_pinyin: dict[Pinyin, set[tuple[int, str]]] = field(default_factory=dict)
    by_edit_key: dict[Pinyin, set[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[RegisterEntry]) -> Register:
        register = cls()
        for entry in entries:
            register.entries[entry.entry_id] = entry
            for value in entry.id_numbers:
                register.by_id.setdefault(value, set()).add(entry.entry_id)
            for value in entry.phones:
                register.by_phone.setdefault(value, set()).add(entry.entry_id)
            for value in entry.accounts:
                register.by_account.setdefault(value, set()).add(entry.entry_id)
            for name in entry.names:
                register.by_name.setdefault(name, set()).add(entry.entry_id)
                if not is_chinese_name(name):
                    continue
                syllables = name_pinyin(name)
                register.by_pinyin.setdefault(syllables, set()).add((entry.entry_id, name))
                if len(syllables) >= 3:
                    for key in _edit_keys(syllables):
                        register.by_edit_key.setdefault(key, set()).add((entry.entry_id, name))
        return register

    def exact(self, kind: str, value: str) -> set[int]:
        index = {"id_number": self.by_id, "phone": self.by_phone, "account": self.by_account}[kind]
        return index.get(value, set())

    def name_matches(self, name: str) -> list[tuple[int, str, str]]:
        """(entry id, register name, rule) for one canonical name; the best rule per entry."""
        found: dict[int, tuple[str, str]] = {}
        for entry_id in self.by_name.get(name, set()):
            found[entry_id] = (name, "name_same")
        if not is_chinese_name(name):
            return [(e, n, r) for e, (n, r) in sorted(found.items())]
        syllables = name_pinyin(name)
        for entry_id, other in self.by_pinyin.get(syllables, set()):
            found.setdefault(entry_id, (other, "name_homophone"))
        if len(syllables) >= 3:
            for key in _edit_keys(syllables):
                for entry_id, other in self.by_edit_key.get(key, set()):
                    if entry_id in found or len(other.replace("·", "")) < 3:
                        continue
                    if syllable_distance(syllables, name_pinyin(other)) <= 1:
                        found[entry_id] = (other, "name_pinyin_edit1")
        return [(e, n, r) for e, (n, r) in sorted(found.items())]


def _match(entry: RegisterEntry, field_: str, value: str, register_value: str, rule: str) -> Match:
    zh, en = REASONS[rule]
    return Match(
        entry.entry_id,
        entry.display_name,
        entry.status,
        field_,
        value,
        register_value,
        rule,
        SCORES[rule],
        rule in STRONG_RULES,
        zh,
        en,
    )


def screen_bid(
    register: Register,
    persons: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
    accounts: Iterable[str | None] = (),
    names: Iterable[str | None] = (),
) -> list[Match]:
    """Every register hit of one bid's persons (ID numbers), phones, accounts and names.

    Raw values are canonicalised here; invalid IDs, placeholders and malformed numbers are dropped
    before any lookup, so they can never match."""
    matches: list[Match] = []
    for kind, rule, values, canon in (
        ("id_number", "exact_id", persons, canonical_id),
        ("phone", "exact_phone", phones, canonical_phone),
        ("account", "exact_account", accounts, canonical_account),
    ):
        for value in sorted({v for v in (canon(raw) for raw in values) if v is not None}):
            for entry_id in sorted(register.exact(kind, value)):
                matches.append(_match(register.entries[entry_id], kind, value, value, rule))
    numbered = {m.entry_id for m in matches}
    for name in sorted({n for n in (canonical_name(raw) for raw in names) if n is not None}):
        for entry_id, other, rule in register.name_matches(name):
            matches.append(
                corroborate(_match(register.entries[entry_id], "name", name, other, rule), numbered)
            )
    return matches


def corroborate(match: Match, numbered_entries: set[int]) -> Match:
    """A name match is strong only beside a number match of the same entry in the same bid."""
    if match.field != "name":
        return match
    if match.entry_id in numbered_entries:
        return Match(
            match.entry_id,
            match.entry_name,
            match.entry_status,
            match.field,
            match.value,
            match.register_value,
            match.rule,
            min(1.0, match.score + 0.6),
            True,
            match.reason_zh + COMBINED_NOTE[0],
            match.reason_en + COMBINED_NOTE[1],
        )
    return Match(
        match.entry_id,
        match.entry_name,
        match.entry_status,
        match.field,
        match.value,
        match.register_value,
        match.rule,
        match.score,
        False,
        match.reason_zh + WEAK_NOTE[0],
        match.reason_en + WEAK_NOTE[1],
    )
