"""Trace schemes: same machine (C01), same IP (C02), same document identity (C03), bond from the same
or another bidder's account (C04), bond/guarantee coordination (C05), same operator (C06), shared
paragraphs and rare errors (C12), mixed files (C13), and the broker's footprint (C18)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import idgen
from tenderwatch.synth.schemes.common import pairs
from tenderwatch.synth.state import World
from tenderwatch.synth.writer import patch

MACHINE_VARIANTS = {
    "same_machine_composite": ("code", "cpu", "disk", "mac", "memory", "lock", "tool"),
    "same_machine_disk": ("disk",),
    "same_machine_mac": ("mac",),
    "same_pricing_lock": ("lock",),
}


def structure(w: World) -> None:
    n = w.count()
    keys = ("c01", "c02", "c03", "c04", "c05b", "c06", "c12", "c13")
    w.extra["trace_plan"] = {k: pairs(w, k, 2, n if k not in ("c01", "c03") else max(n, 4)) for k in keys}
    w.extra["trace_plan"]["c01"] = [p for p in w.extra["trace_plan"]["c01"]]


def plant(w: World) -> None:
    rng = w.rng("trace-schemes")
    plan = w.extra["trace_plan"]
    b = w.bid
    uscc, account = w.companies.arr("uscc"), w.companies.arr("account")
    pe = w.persons
    for i, (sec, (a, c)) in enumerate(plan["c01"]):
        kind = list(MACHINE_VARIANTS)[i % 4]
        ba, bc = w.bid_of(sec, a), w.bid_of(sec, c)
        if kind == "same_pricing_lock" and not w.is_works(sec):
            kind = "same_machine_disk"
        for part in MACHINE_VARIANTS[kind]:
            b[f"m_{part}"][bc] = b[f"m_{part}"][ba]
        w.truth.scheme("C01", kind, [sec], [a, c])
    for i, (sec, (a, c)) in enumerate(plan["c02"]):
        stage = "upload_ip" if i % 2 == 0 else "download_ip"
        b[stage][w.bid_of(sec, c)] = b[stage][w.bid_of(sec, a)] = a
        w.truth.scheme("C02", f"same_{stage}", [sec], [a, c])
    for i, (sec, (a, c)) in enumerate(plan["c03"]):
        kind = ("author", "rsid_root", "pdf_document_id")[i % 3]
        value = {
            "author": str(pe.names[w.extra["operator"][a]]) + "-PC",
            "rsid_root": str(idgen.hex_strings(rng, 1, 4)[0]),
            "pdf_document_id": str(idgen.hex_strings(rng, 1, 16)[0]),
        }[kind]
        for comp in (a, c):
            patch(w, "bid_documents", kind, w.bid_of(sec, comp), value)
            if kind == "author":
                patch(w, "bid_documents", "last_modified_by", w.bid_of(sec, comp), value)
        w.truth.scheme("C03", f"same_{kind}", [sec], [a, c], value=value)
    for i, (sec, (a, c)) in enumerate(plan["c04"]):
        if w.market.s["bond"][sec] <= 0:
            continue
        ba, bc = w.bid_of(sec, a), w.bid_of(sec, c)
        b["pay"][ba] = b["pay"][bc] = "transfer"
        if i % 2 == 0:  # c pays from a's basic account
            acc, name, bank = (
                str(account[a]),
                str(w.companies.arr("name")[a]),
                str(w.companies.arr("bank")[a]),
            )
            kind, persons = "bond_from_other_bidder_account", []
        else:  # both paid from one private account
            who = int(w.extra["operator"][a])
            acc, name, bank = (
                "6228" + str(idgen.digits(rng, 1, 15)[0]),
                str(pe.names[who]),
                "中国农业银行个人账户",
            )
            kind, persons = "bond_from_same_private_account", [who]
        for bid in (bc,) if i % 2 == 0 else (ba, bc):
            for col, val in (("payer_account", acc), ("payer_name", name), ("payer_bank", bank)):
                patch(w, "bid_bonds", col, bid, val)
        w.truth.scheme("C04", kind, [sec], [a, c], persons, account=acc)
    _c05(w, rng, plan["c05b"])
    for i, (sec, (a, c)) in enumerate(plan["c06"]):
        op = int(w.extra["operator"][a])
        cols = ("operator_phone",) if i % 2 else ("operator_name", "operator_id", "operator_phone")
        for col in cols:
            val = {"operator_name": pe.names[op], "operator_id": pe.ids[op], "operator_phone": pe.phones[op]}[
                col
            ]
            patch(w, "bids", col, w.bid_of(sec, c), str(val))
        w.truth.scheme("C06", "same_operator_phone" if i % 2 else "same_operator", [sec], [a, c], [op])
    for i, (sec, (a, c)) in enumerate(plan["c12"]):
        shared = list(idgen.unique_hex(rng, 3, 6, lower=True))
        kind = "shared_paragraphs" if i % 2 == 0 else "shared_rare_error"
        for comp in (a, c):
            bid = w.bid_of(sec, comp)
            tender = w.market.s["tender_paras"][sec][w.extra["tender_paras_pick"][bid]]
            own = list(idgen.unique_hex(rng, 2, 6, lower=True))
            patch(w, "bid_documents", "paragraph_hashes", bid, ";".join([*map(str, tender), *shared, *own]))
        w.truth.scheme("C12", kind, [sec], [a, c], hashes=[str(h) for h in shared])
    for sec, (a, c) in plan["c13"]:
        tenderer = int(w.market.s["tenderer_of"][sec])
        patch(w, "bid_documents", "named_usccs", w.bid_of(sec, a), f"{uscc[a]};{uscc[tenderer]};{uscc[c]}")
        w.truth.scheme("C13", "mixed_files", [sec], [a, c], named=str(uscc[c]))


def _c05(w: World, rng: np.random.Generator, picks: list[tuple[int, list[int]]]) -> None:
    b, pe = w.bid, w.persons
    for i, (sec, (a, c)) in enumerate(picks):
        if w.market.s["bond"][sec] <= 0:
            continue
        ba, bc = w.bid_of(sec, a), w.bid_of(sec, c)
        b["pay"][ba] = b["pay"][bc] = "guarantee"
        if i % 2 == 0:
            serial = int(rng.integers(10_000_000, 90_000_000))
            stamp = str(idgen.date_of(int(b["paid"][ba] - 7200) // 86_400)).replace("-", "")
            for k, bid in enumerate((ba, bc)):
                patch(w, "bid_guarantees", "guarantee_no", bid, f"BH01{stamp}{serial + k}")
                patch(w, "bid_guarantees", "issuer", bid, "中国平安财产保险股份有限公司浙江分公司")
            w.truth.scheme("C05", "consecutive_guarantee_numbers", [sec], [a, c])
        else:
            op = int(w.extra["operator"][a])
            for col, val in (
                ("applicant_name", pe.names[op]),
                ("applicant_id", pe.ids[op]),
                ("applicant_phone", pe.phones[op]),
            ):
                patch(w, "bid_guarantees", col, bc, str(val))
            # One person applying for two competitors' guarantees is also the "same handler" of C06.
            w.truth.scheme("C05", "same_guarantee_applicant", [sec], [a, c], [op], also_matches=["C06"])
    # Payments minutes apart, by the same pair of firms, in three or more sections.
    for a, c, secs in w.extra.get("c05_pairs", []):
        for sec in secs:
            ba, bc = w.bid_of(sec, a), w.bid_of(sec, c)
            b["pay"][ba] = b["pay"][bc] = "transfer"
            b["paid"][bc] = b["paid"][ba] + int(rng.integers(60, 480))
        w.truth.scheme("C05", "bond_payments_minutes_apart", secs, [a, c])
