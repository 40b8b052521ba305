"""Trading-centre tables: projects, sections, bids, experts, scores, awards, contracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from tenderwatch.synth.state import World
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
    counts["contracts"] = write_table(
        out,
        "contracts",
        {
            "contract_id": text(np.char.add("HT", s["code"][won][signed])),
            "section_code": text(s["code"][won][signed]),
            "contractor_uscc": text(uscc[b["comp"][wb[signed]]]),
            "contract_price": money(b["price"][wb[signed]]),
            "signed_date": day(s["contract"][won][signed]),
            "project_manager_id": text(pm_id[signed]),
        },
    )
    return counts
