"""Credit records and the blacklist: honest history (no active ban on anyone who bids)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import idgen, names
from tenderwatch.synth.scales import PERIOD_START
from tenderwatch.synth.state import World

ISSUERS = [
    "浙江省住房和城乡建设厅",
    "浙江省交通运输厅",
    "浙江省水利厅",
    "杭州市城乡建设委员会",
    "宁波市住房和城乡建设局",
]


def credit_record(w: World, company: int, kind: str, reason: str, decided: int) -> None:
    rows = w.extra.setdefault("credit_records", [])
    k = len(rows) + 1
    rows.append(
        {
            "record_id": f"XY{k:08d}",
            "subject_type": "company",
            "subject_id": str(w.companies.arr("uscc")[company]),
            "subject_name": str(w.companies.arr("name")[company]),
            "kind": kind,
            "reason": reason,
            "decision_no": f"浙信用〔{idgen.date_of(decided).year}〕{k}号",
            "issuer": ISSUERS[k % len(ISSUERS)],
            "decided_on": str(idgen.date_of(decided)),
        }
    )


def blacklist_entry(w: World, company: int, start: int, end: int, reason: str) -> None:
    rows = w.extra.setdefault("blacklist", [])
    k = len(rows) + 1
    rows.append(
        {
            "entry_id": f"SX{k:07d}",
            "subject_type": "company",
            "subject_id": str(w.companies.arr("uscc")[company]),
            "subject_name": str(w.companies.arr("name")[company]),
            "reason": reason,
            "restricted_actions": "限制参与依法必须招标项目投标",
            "scope_region": "33",
            "start_date": str(idgen.date_of(start)),
            "end_date": str(idgen.date_of(end)),
            "decision_no": f"浙建罚〔{idgen.date_of(start).year}〕{k}号",
        }
    )


def honest_credit(w: World) -> None:
    """Good and bad records for some firms; blacklist periods that ended before the bid period."""
    rng = w.rng("credit")
    bidders = np.flatnonzero(w.weight > 0)
    p0 = idgen.days(PERIOD_START)
    for c in rng.choice(bidders, max(2, len(bidders) // 12), replace=False).tolist():
        good = rng.random() < 0.6
        pool = names.GOOD_CONDUCT if good else names.BAD_CONDUCT[3:]
        credit_record(
            w,
            c,
            "good" if good else "bad",
            pool[int(rng.integers(0, len(pool)))],
            p0 + int(rng.integers(-700, 900)),
        )
    for c in rng.choice(bidders, max(1, len(bidders) // 60), replace=False).tolist():
        end = p0 - int(rng.integers(10, 400))
        reason = names.BAD_CONDUCT[int(rng.integers(0, 3))]
        credit_record(w, c, "bad", reason, end - 400)
        blacklist_entry(w, c, end - 365, end, reason)
