"""Per-bid trace tables: fingerprints, document metadata, bonds, guarantees, downloads, personnel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from tenderwatch.synth import idgen, names
from tenderwatch.synth.state import World
from tenderwatch.synth.writer import apply_patches, dt, money, num, pick, text, write_frame


def write_traces(w: World, out: Path) -> dict[str, int]:
    rng = w.rng("traces")
    s, b, m = w.market.s, w.bid, w.extra["machine"]
    uscc, cname = w.companies.arr("uscc"), w.companies.arr("name")
    n = len(b["sec"])
    sec_code = text(s["code"][b["sec"]])
    bidder = text(uscc[b["comp"]])
    works = np.isin(s["industry"][b["sec"]], ["building", "transport", "water", "other"])
    ips = np.array(w.extra["ip"])
    upload = b["upload_ip"]
    roaming = idgen.ipv4s(rng, n, mobile=True)
    counts: dict[str, int] = {}
    fp = pl.DataFrame(
        {
            "section_code": sec_code,
            "bidder_uscc": bidder,
            "machine_code": text(m["code"][b["m_code"]]),
            "cpu_id": text(m["cpu"][b["m_cpu"]]),
            "disk_serial": text(m["disk"][b["m_disk"]]),
            "mac": text(m["mac"][b["m_mac"]]),
            "memory_serial": text(m["memory"][b["m_memory"]]),
            "pricing_lock_serial": text(np.where(works, m["lock"][b["m_lock"]], "")),
            "tool_version": text(m["tool"][b["m_tool"]]),
            "upload_ip": text(np.where(upload >= 0, ips[np.maximum(upload, 0)], roaming)),
            "ca_serial": text(w.extra["ca_serial"][b["comp"]]),
            "file_md5": text(idgen.unique_hex(rng, n, 16, lower=True)),
        }
    )
    counts["bid_fingerprints"] = write_frame(
        out, "bid_fingerprints", apply_patches(w, "bid_fingerprints", fp)
    )
    comp_rsid = idgen.unique_hex(rng, w.companies.count, 4)
    own_rsid = idgen.unique_hex(rng, n, 4)
    rsid = np.where(
        b["rsid_src"] == 0,
        comp_rsid[b["comp"]],
        np.where(b["rsid_src"] == 1, s["tender_rsid"][b["sec"]], own_rsid),
    )
    clerk_name = w.persons.names[w.extra["operator"][b["comp"]]]
    author = np.where(b["author_default"], np.array(names.DEFAULT_AUTHORS)[b["author_pick"]], clerk_name)
    picks = w.extra["tender_paras_pick"]
    tender_paras = np.take_along_axis(s["tender_paras"][b["sec"]], picks, axis=1)
    own = idgen.unique_hex(rng, n * 4, 6, lower=True).reshape(n, 4)
    paragraphs = pl.DataFrame(
        {f"p{i}": tender_paras[:, i] for i in range(4)} | {f"o{i}": own[:, i] for i in range(4)}
    )
    para_text = paragraphs.select(pl.concat_str(pl.all(), separator=";")).to_series()
    tenderer = w.market.p["tenderer"][s["project"][b["sec"]]]
    docs = pl.DataFrame(
        {
            "section_code": sec_code,
            "bidder_uscc": bidder,
            "author": text(author),
            "last_modified_by": text(author),
            "company_property": text(np.where(b["author_default"], "", cname[b["comp"]])),
            "rsid_root": text(rsid),
            "pdf_document_id": text(idgen.unique_hex(rng, n, 16)),
            "created_at": dt(b["created"]),
            "paragraph_hashes": para_text,
            "named_usccs": text(np.char.add(np.char.add(uscc[b["comp"]], ";"), uscc[tenderer])),
        }
    )
    counts["bid_documents"] = write_frame(out, "bid_documents", apply_patches(w, "bid_documents", docs))
    counts.update(_money(w, out, sec_code, bidder))
    dl = w.extra.get("downloads_extra", [])
    extra_sec = np.array([d[0] for d in dl], dtype=np.int64)
    extra_comp = np.array([d[1] for d in dl], dtype=np.int64)
    d_sec = np.concatenate([b["sec"], extra_sec])
    d_comp = np.concatenate([b["comp"], extra_comp])
    d_time = np.concatenate([b["download"], s["doc_start"][extra_sec] + 3600 * 5])
    d_ip = np.concatenate([b["download_ip"], extra_comp])
    order = np.lexsort((d_time, d_sec))
    row_of_bid = np.empty(n, dtype=np.int64)
    row_of_bid[order[order < n]] = np.flatnonzero(order < n)
    downloads = pl.DataFrame(
        {
            "download_id": text(
                np.char.add("XZ", np.char.zfill(np.arange(1, len(order) + 1).astype(str), 9))
            ),
            "section_code": text(s["code"][d_sec[order]]),
            "bidder_uscc": text(uscc[d_comp[order]]),
            "account": text(np.char.add("zjztb_", np.char.lower(uscc[d_comp[order]]))),
            "download_time": dt(d_time[order]),
            "download_ip": text(ips[d_ip[order]]),
        }
    )
    counts["document_downloads"] = write_frame(
        out, "document_downloads", apply_patches(w, "document_downloads", downloads, row_of_bid)
    )
    pr = w.extra["personnel"]
    person = pr["person"]
    cert = w.extra["cert_of_person"]
    counts["bid_personnel"] = write_frame(
        out,
        "bid_personnel",
        pl.DataFrame(
            {
                "section_code": pick(s["code"], b["sec"][pr["bid"]]),
                "bidder_uscc": pick(uscc, b["comp"][pr["bid"]]),
                "role": text(pr["role"]),
                "person_id": pick(w.persons.ids, person),
                "person_name": pick(w.persons.names, person),
                "certificate_no": pl.Series(
                    [
                        cert.get(p, "") if r != "agent" and r != "member" else ""
                        for p, r in zip(person.tolist(), pr["role"].tolist(), strict=True)
                    ],
                    dtype=pl.String,
                ),
                "phone": pick(w.persons.phones, person),
            }
        ),
    )
    return counts


def _money(w: World, out: Path, sec_code: pl.Series, bidder: pl.Series) -> dict[str, int]:
    s, b = w.market.s, w.bid
    rng = w.rng("money")
    account, bank, cname = w.companies.arr("account"), w.companies.arr("bank"), w.companies.arr("name")
    has = np.flatnonzero(b["pay"] != "")
    row_of_bid = np.full(len(b["sec"]), -1, dtype=np.int64)
    row_of_bid[has] = np.arange(len(has))
    transfer = b["pay"][has] == "transfer"
    comp = b["comp"][has]
    bonds = pl.DataFrame(
        {
            "bond_id": text(np.char.add("BZJ", np.char.zfill(np.arange(1, len(has) + 1).astype(str), 10))),
            "section_code": sec_code.gather(has),
            "bidder_uscc": bidder.gather(has),
            "pay_method": text(b["pay"][has]),
            "payer_account": text(np.where(transfer, account[comp], "")),
            "payer_name": text(np.where(transfer, cname[comp], "")),
            "payer_bank": text(np.where(transfer, bank[comp], "")),
            "amount": money(s["bond"][b["sec"][has]]),
            "paid_at": dt(b["paid"][has]),
        }
    )
    n_bonds = write_frame(out, "bid_bonds", apply_patches(w, "bid_bonds", bonds, row_of_bid))
    g = np.flatnonzero(np.isin(b["pay"], ["guarantee", "insurance"]))
    g_row = np.full(len(b["sec"]), -1, dtype=np.int64)
    g_row[g] = np.arange(len(g))
    issuer_idx = rng.integers(0, len(names.ISSUERS), len(g))
    applicant = w.extra["operator"][b["comp"][g]]
    # Guarantee numbers: issuer code, date, and a random serial (platforms do not number consecutively
    # per section; consecutive numbers in one section are a planted signal, C05).
    stamp = pl.from_epoch(pl.Series(b["paid"][g] - 7200), time_unit="s").dt.strftime("%Y%m%d")
    numbers = (
        pl.Series(np.char.add("BH", np.char.zfill(issuer_idx.astype(str), 2)))
        + stamp
        + pl.Series(idgen.digits(rng, len(g), 8))
    )
    guarantees = pl.DataFrame(
        {
            "guarantee_no": numbers,
            "section_code": sec_code.gather(g),
            "bidder_uscc": bidder.gather(g),
            "issuer": text(np.array(names.ISSUERS)[issuer_idx]),
            "applicant_name": text(w.persons.names[applicant]),
            "applicant_id": text(w.persons.ids[applicant]),
            "applicant_phone": text(w.persons.phones[applicant]),
            "fee_account": text(account[b["comp"][g]]),
            "amount": money(s["bond"][b["sec"][g]]),
            "issued_at": dt(b["paid"][g] - 7200),
        }
    )
    guarantees = apply_patches(w, "bid_guarantees", guarantees, g_row)
    if guarantees["guarantee_no"].n_unique() != guarantees.height:  # vanishingly rare serial clash
        guarantees = guarantees.with_columns(pl.col("guarantee_no") + num(np.arange(guarantees.height) % 10))
    return {"bid_bonds": n_bonds, "bid_guarantees": write_frame(out, "bid_guarantees", guarantees)}
