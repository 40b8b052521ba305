"""Trading-centre tables: projects, sections, bids, experts, scores, awards, contracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from tenderwatch.synth.state import Arr, World
from tenderwatch.synth.writer import (
    apply_patches,
    day,
    dt,
    flag,
    money,
    num,
    pick,
    text,
    write_frame,
    write_table,
)


def write_core(w: World, out: Path) -> dict[str, int]:
    s, p, b = w.market.s, w.market.p, w.bid
    uscc, cname = w.companies.arr("uscc"), w.companies.arr("name")
    pid, pname = w.persons.ids, w.persons.names
    counts: dict[str, int] = {}
    agency = p["agency"]
    counts["tender_projects"] = write_table(
        out,
        "tender_projects",
        {
            "tender_project_code": text(p["code"]),
            "project_code": text(p["invest_code"]),
            "name": text(p["name"]),
            "industry": text(p["industry"]),
            "region_code": text(p["region"]),
            "tenderer_uscc": text(uscc[p["tenderer"]]),
            "tenderer_name": text(cname[p["tenderer"]]),
            "agency_uscc": text(np.where(agency >= 0, uscc[np.maximum(agency, 0)], "")),
            "total_investment": money((p["investment"] * 100).astype(np.int64) // 10000 * 10000),
            "approval_no": text(p["approval"]),
            "registered_at": day(p["registered"]),
        },
    )
    counts["sections"] = write_table(
        out,
        "sections",
        {
            "section_code": text(s["code"]),
            "tender_project_code": text(p["code"][s["project"]]),
            "name": text(s["name"]),
            "industry": text(s["industry"]),
            "region_code": text(s["region"]),
            "procedure": text(s["procedure"]),
            "evaluation_method": text(s["method"]),
            "estimate_price": money(s["estimate"]),
            "control_price": money(s["control"]),
            "bond_amount": money(s["bond"]),
            "announce_time": dt(s["announce"]),
            "doc_issue_start": dt(s["doc_start"]),
            "doc_issue_end": dt(s["doc_end"]),
            "bid_deadline": dt(s["deadline"]),
            "open_time": dt(s["deadline"]),
            "candidate_pub_start": day(s["cand_start"]),
            "candidate_pub_end": day(s["cand_end"]),
            "tender_doc_author": text(s["tender_author"]),
            "tender_doc_rsid": text(s["tender_rsid"]),
            "tender_doc_paragraphs": text(["".join(";".join(row)) for row in s["tender_paras"].tolist()]),
        },
    )
    op = w.extra["operator"][b["comp"]]
    bids = pl.DataFrame(
        {
            "section_code": text(s["code"][b["sec"]]),
            "bidder_uscc": text(uscc[b["comp"]]),
            "bidder_name": text(cname[b["comp"]]),
            "bid_price": money(b["price"]),
            "duration_days": num(b["duration"]),
            "submit_time": dt(b["submit"]),
            "file_fix_time": dt(b["fix"]),
            "operator_name": text(pname[op]),
            "operator_id": text(pid[op]),
            "operator_phone": text(w.persons.phones[op]),
            "disqualified": flag(b["disq"]),
            "disqualify_reason": text(b["reason"]),
            "rank": pl.Series(b["rank"]).cast(pl.String).replace("0", ""),
        }
    )
    counts["bids"] = write_frame(out, "bids", apply_patches(w, "bids", bids))
    ex = w.extra["experts"]
    emp = w.extra["employer_of"]
    counts["experts"] = write_table(
        out,
        "experts",
        {
            "section_code": text(s["code"][ex["sec"]]),
            "expert_id": text(pid[ex["person"]]),
            "expert_name": text(pname[ex["person"]]),
            "expert_type": text(ex["type"]),
            "employer_uscc": text(
                np.where(emp[ex["person"]] >= 0, uscc[np.maximum(emp[ex["person"]], 0)], "")
            ),
            "is_chair": flag(ex["chair"]),
            "check_in_time": dt(ex["checkin"]),
        },
    )
    sc = w.extra["scores"]
    counts["expert_scores"] = write_table(
        out,
        "expert_scores",
        {
            "section_code": pick(s["code"], sc["sec"]),
            "expert_id": pick(pid, ex["person"][sc["expert"]]),
            "bidder_uscc": pick(uscc, b["comp"][sc["bid"]]),
            "technical_score": num(sc["tech"]),
            "business_score": num(sc["business"]),
            "price_score": num(sc["price"]),
            "total_score": num(sc["total"]),
        },
    )
    winner = w.extra["winner"]
    won = np.flatnonzero(winner >= 0)
    wb = winner[won]
    pm = w.extra["award_pm"][won]
    pm_id = np.where(pm >= 0, pid[np.maximum(pm, 0)], "")
    counts["awards"] = write_table(
        out,
        "awards",
        {
            "section_code": text(s["code"][won]),
            "winner_uscc": text(uscc[b["comp"][wb]]),
            "award_price": money(b["price"][wb]),
            "award_date": day(s["award"][won]),
            "project_manager_id": text(pm_id),
        },
    )
    signed = np.flatnonzero(w.extra["contract_signed"][won])
    contract_pm = _change_managers(w, won[signed], b["comp"][wb[signed]], w.extra["award_pm"][won][signed])
    contract_pm_id = np.where(contract_pm >= 0, pid[np.maximum(contract_pm, 0)], "")
    counts["contracts"] = write_table(
        out,
        "contracts",
        {
            "contract_id": text(np.char.add("HT", s["code"][won][signed])),
            "section_code": text(s["code"][won][signed]),
            "contractor_uscc": text(uscc[b["comp"][wb[signed]]]),
            "contract_price": money(b["price"][wb[signed]]),
            "signed_date": day(s["contract"][won][signed]),
            "project_manager_id": text(contract_pm_id),
        },
    )
    return counts


def _change_managers(w: World, secs: Arr, firms: Arr, award_pm: Arr) -> Arr:
    """Planted (C22, DOMAIN.md §3.2 PERS-04): about one filed contract in a hundred, at least one, names
    another project manager of the winning firm than the award did, a post-award substitution the industry
    pages show. Its own random stream, so no other table changes; the registry keeps the award's manager."""
    rng = w.rng("manager-change")
    pools: list[list[int]] = w.extra["pools"]["project_manager"]
    out = award_pm.copy()
    candidates = [i for i in range(len(out)) if out[i] >= 0 and len(pools[int(firms[i])]) > 1]
    if not candidates:
        return out
    n = min(len(candidates), max(1, len(out) // 100))
    for i in sorted(int(k) for k in rng.choice(candidates, size=n, replace=False)):
        others = [p for p in pools[int(firms[i])] if p != out[i]]
        was, out[i] = int(out[i]), others[int(rng.integers(0, len(others)))]
        w.truth.scheme(
            "C22", "manager_changed_after_award", [int(secs[i])], [int(firms[i])], [was, int(out[i])]
        )
    return out
