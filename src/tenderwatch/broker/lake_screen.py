"""Batch screening of the lake: every bid of the sections opened since a date against the register.

The exact part is one DuckDB join of the bid-side traces (operator, personnel, guarantee applicant,
bond payer) with the register's canonical keys, so a province costs one scan. Names go through
Python only once per *distinct* name (pinyin needs pypinyin), and the matched names are joined back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from tenderwatch.broker.matching import COMBINED_NOTE, REASONS, SCORES, STRONG_RULES, WEAK_NOTE, Register
from tenderwatch.db import Database

# (dataset, record key expression, field, kind): every place a bid names a person, phone or account.
TRACES = (
    ("bids", "t.section_code || '|' || t.bidder_uscc", "operator_id", "id_number"),
    ("bids", "t.section_code || '|' || t.bidder_uscc", "operator_phone", "phone"),
    ("bids", "t.section_code || '|' || t.bidder_uscc", "operator_name", "name"),
    ("bid_personnel", "t.section_code || '|' || t.bidder_uscc || '|' || t.role", "person_id", "id_number"),
    ("bid_personnel", "t.section_code || '|' || t.bidder_uscc || '|' || t.role", "phone", "phone"),
    ("bid_personnel", "t.section_code || '|' || t.bidder_uscc || '|' || t.role", "person_name", "name"),
    ("bid_guarantees", "t.guarantee_no", "applicant_id", "id_number"),
    ("bid_guarantees", "t.guarantee_no", "applicant_phone", "phone"),
    ("bid_guarantees", "t.guarantee_no", "applicant_name", "name"),
    ("bid_guarantees", "t.guarantee_no", "fee_account", "account"),
    ("bid_bonds", "t.bond_id", "payer_account", "account"),
    ("bid_bonds", "t.bond_id", "payer_name", "name"),
)
# The SQL twins of canonical.canonical_phone / canonical_account (import already trimmed the value,
# dropped placeholders and the +86 prefix).
CANONICAL_SQL = {
    "id_number": "upper(value)",
    "phone": r"replace(regexp_replace(value, '^(0\d{2,3})-?(\d{7,8})-\d{1,6}$', '\1\2'), '-', '')",
    "account": r"upper(regexp_replace(value, '[\s\-]', '', 'g'))",
    "name": r"regexp_replace(value, '\s+', '', 'g')",
}
ZERO_LIKE = r"^[0:\-\.]+$|^[Ff:\-]+$"


@dataclass(frozen=True, slots=True)
class BidMatch:
    section_code: str
    bidder_uscc: str
    dataset: str
    record_key: str
    field: str
    value: str
    entry_id: int
    entry_name: str
    entry_status: str
    rule: str
    score: float
    strong: bool
    reason_zh: str
    reason_en: str


def traces_sql() -> str:
    parts = []
    for dataset, key, field, kind in TRACES:
        canon = CANONICAL_SQL[kind].replace("value", f"t.{field}")
        parts.append(
            f"SELECT t.section_code, t.bidder_uscc, '{dataset}' AS dataset, {key} AS record_key, "
            f"'{field}' AS field, '{kind}' AS kind, {canon} AS value "
            f"FROM {dataset} t JOIN secs s ON s.section_code = t.section_code WHERE t.{field} IS NOT NULL"
        )
    return (
        "WITH secs AS (SELECT section_code FROM sections WHERE coalesce(open_time, bid_deadline) >= $since), "
        "raw AS (" + " UNION ALL ".join(parts) + ") "
        f"SELECT * FROM raw WHERE value <> '' AND NOT regexp_full_match(value, '{ZERO_LIKE}')"
    )


def screen_lake(con: duckdb.DuckDBPyConnection, register: Register, since: date) -> list[BidMatch]:
    keys = [
        (kind, value, entry.entry_id)
        for entry in register.entries.values()
        for kind, values in (
            ("id_number", entry.id_numbers),
            ("phone", entry.phones),
            ("account", entry.accounts),
        )
        for value in values
    ]
    key_frame = pl.DataFrame(
        keys, schema={"kind": pl.String, "value": pl.String, "entry_id": pl.Int64}, orient="row"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE broker_traces AS {traces_sql()}", {"since": since})
    try:
        con.register("broker_keys", key_frame)
        exact = con.execute(
            "SELECT t.section_code, t.bidder_uscc, t.dataset, t.record_key, t.field, t.kind, t.value, k.entry_id "
            "FROM broker_traces t JOIN broker_keys k ON k.kind = t.kind AND k.value = t.value"
        ).fetchall()
        names = [
            str(n)
            for (n,) in con.execute("SELECT DISTINCT value FROM broker_traces WHERE kind = 'name'").fetchall()
        ]
        name_rows = [
            (name, e, other, rule) for name in names for e, other, rule in register.name_matches(name)
        ]
        name_frame = pl.DataFrame(
            name_rows,
            schema={"value": pl.String, "entry_id": pl.Int64, "register_value": pl.String, "rule": pl.String},
            orient="row",
        )
        con.register("broker_names", name_frame)
        fuzzy = con.execute(
            "SELECT t.section_code, t.bidder_uscc, t.dataset, t.record_key, t.field, t.value, n.entry_id, n.rule "
            "FROM broker_traces t JOIN broker_names n ON n.value = t.value WHERE t.kind = 'name'"
        ).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS broker_traces")
    rule_of_kind = {"id_number": "exact_id", "phone": "exact_phone", "account": "exact_account"}
    matches = [
        _bid_match(
            register, str(s), str(b), str(d), str(k), str(f), str(v), int(e), rule_of_kind[str(kind)], set()
        )
        for s, b, d, k, f, kind, v, e in exact
    ]
    numbered = {(m.section_code, m.bidder_uscc, m.entry_id) for m in matches}
    matches += [
        _bid_match(register, str(s), str(b), str(d), str(k), str(f), str(v), int(e), str(r), numbered)
        for s, b, d, k, f, v, e, r in fuzzy
    ]
    matches.sort(key=lambda m: (m.section_code, m.bidder_uscc, -m.score, m.entry_id, m.dataset, m.field))
    return matches


def _bid_match(
    register: Register,
    section: str,
    bidder: str,
    dataset: str,
    key: str,
    field: str,
    value: str,
    entry_id: int,
    rule: str,
    numbered: set[tuple[str, str, int]],
) -> BidMatch:
    entry = register.entries[entry_id]
    zh, en = REASONS[rule]
    score, strong = SCORES[rule], rule in STRONG_RULES
    if not strong:
        # A name is strong only beside a number of the same entry in the same bid.
        if (section, bidder, entry_id) in numbered:
            score, strong, zh, en = min(1.0, score + 0.6), True, zh + COMBINED_NOTE[0], en + COMBINED_NOTE[1]
        else:
            zh, en = zh + WEAK_NOTE[0], en + WEAK_NOTE[1]
    return BidMatch(
        section,
        bidder,
        dataset,
        key,
        field,
        value,
        entry_id,
        entry.display_name,
        entry.status,
        rule,
        score,
        strong,
        zh,
        en,
    )


def screen_database_lake(db: Database, register: Register, since: date) -> list[BidMatch]:
    """Screen the current lake of a database's settings."""
    from tenderwatch.graph.flows import open_lake

    con = open_lake(db)
    try:
        return screen_lake(con, register, since)
    finally:
        con.close()
