"""Registry tables: companies, owners, officers, persons, certificates, social insurance, projects,
CA certificates, credit records and the blacklist."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from tenderwatch.synth import idgen
from tenderwatch.synth.scales import SI_FIRST_MONTH, SI_MONTHS
from tenderwatch.synth.staffing import as_of_status
from tenderwatch.synth.state import World
from tenderwatch.synth.writer import day, dt, money, num, pick, text, write_table


def write_registry(w: World, out: Path) -> dict[str, int]:
    c, pe = w.companies, w.persons
    uscc, cname = c.arr("uscc"), c.arr("name")
    listed = np.flatnonzero(c.arr("listed"))
    rep = c.arr("legal_rep")[listed]
    counts = {
        "companies": write_table(
            out,
            "companies",
            {
                "uscc": text(uscc[listed]),
                "name": text(cname[listed]),
                "kind": text(c.arr("kind")[listed]),
                "legal_rep_name": text(pe.names[rep]),
                "legal_rep_id": text(pe.ids[rep]),
                "registered_capital": money((c.arr("capital")[listed] * 100).astype(np.int64)),
                "region_code": text(c.arr("region")[listed]),
                "address": text(c.arr("address")[listed]),
                "phone": text(c.arr("phone")[listed]),
                "email": text(c.arr("email")[listed]),
                "founded_on": day(c.arr("founded")[listed]),
                "basic_account": text(c.arr("account")[listed]),
                "basic_bank": text(c.arr("bank")[listed]),
            },
        )
    }

    def holder(ref: str) -> tuple[str, str]:
        i = int(ref[1:])
        return (str(pe.ids[i]), str(pe.names[i])) if ref[0] == "#" else (str(uscc[i]), str(cname[i]))

    sh = [(str(uscc[co]), *holder(ref), t, pct) for co, t, _x, ref, pct in c.shareholders]
    counts["shareholders"] = write_table(
        out,
        "shareholders",
        {
            "company_uscc": text([r[0] for r in sh]),
            "holder_id": text([r[1] for r in sh]),
            "holder_name": text([r[2] for r in sh]),
            "holder_type": text([r[3] for r in sh]),
            "share_pct": num(np.array([r[4] for r in sh])),
        },
    )
    off = np.array([(co, p) for co, p, _ in c.officers], dtype=np.int64)
    counts["officers"] = write_table(
        out,
        "officers",
        {
            "company_uscc": text(uscc[off[:, 0]]),
            "person_id": text(pe.ids[off[:, 1]]),
            "person_name": text(pe.names[off[:, 1]]),
            "position": text([pos for _, _, pos in c.officers]),
        },
    )
    counts["persons"] = write_table(
        out,
        "persons",
        {
            "person_id": text(pe.ids),
            "name": text(pe.names),
            "phone": text(pe.phones),
        },
    )
    cert = w.extra["certificates"]
    counts["certificates"] = write_table(
        out,
        "certificates",
        {
            "certificate_no": text(cert["no"]),
            "person_id": text(pe.ids[cert["person"]]),
            "certificate_type": text(cert["type"]),
            "specialty": text(cert["specialty"]),
            "employer_uscc": text(uscc[cert["employer"]]),
            "valid_from": day(cert["from"]),
            "valid_to": day(cert["to"]),
        },
    )
    counts["social_insurance"] = _social_insurance(w, out)
    counts["construction_projects"] = _projects(w, out)
    ca = w.extra["ca"]
    counts["ca_certificates"] = write_table(
        out,
        "ca_certificates",
        {
            "ca_serial": text(w.extra["ca_serial"][ca["company"]]),
            "holder_uscc": text(uscc[ca["company"]]),
            "handler_id": text(pe.ids[ca["handler"]]),
            "handler_phone": text(pe.phones[ca["handler"]]),
            "outlet": text(ca["outlet"]),
            "issued_at": dt(ca["issued"]),
        },
    )
    for table in ("credit_records", "blacklist"):
        rows: list[dict[str, str]] = w.extra[table]
        fields = list(rows[0]) if rows else ["record_id"]
        counts[table] = write_table(out, table, {f: text([r[f] for r in rows]) for f in fields})
    return counts


def _social_insurance(w: World, out: Path) -> int:
    si = w.extra["si"]
    span = si["to"] - si["from"]
    person = np.repeat(si["person"], span)
    employer = np.repeat(si["employer"], span)
    month = np.repeat(si["from"], span) + (
        np.arange(int(span.sum())) - np.repeat(np.cumsum(span) - span, span)
    )
    base = np.repeat(si["base"], span)
    order = np.lexsort((employer, month, person))
    y0, m0 = SI_FIRST_MONTH
    absolute = pl.Series(y0 * 12 + m0 - 1 + month[order])
    labels = (absolute // 12).cast(pl.String) + "-" + (absolute % 12 + 1).cast(pl.String).str.zfill(2)
    assert month.max(initial=0) < SI_MONTHS
    return write_table(
        out,
        "social_insurance",
        {
            "person_id": pick(w.persons.ids, person[order]),
            "month": labels,
            "employer_uscc": pick(w.companies.arr("uscc"), employer[order]),
            "base_amount": money(base[order]),
        },
    )


def _projects(w: World, out: Path) -> int:
    rng = w.rng("project-status")
    s = w.market.s
    rows: dict[str, list[str]] = {
        k: []
        for k in (
            "project_id",
            "name",
            "industry",
            "region_code",
            "contractor_uscc",
            "project_manager_id",
            "start_date",
            "planned_completion",
            "completion_date",
            "status",
            "section_code",
        )
    }
    uscc, industry, region = w.companies.arr("uscc"), w.companies.arr("industry"), w.companies.arr("region")
    as_of = idgen.days(idgen.date_of(0).replace(year=2026, month=6, day=30))
    for k, (co, pm, sec, start, end) in enumerate(w.extra["projects"]):
        if start > as_of:
            continue
        status, done = as_of_status(start, end, rng)
        rows["project_id"].append(f"ZJJS{k + 1:08d}")
        rows["name"].append(
            str(s["name"][sec]) if sec >= 0 else f"{w.companies.arr('name')[co][:2]}在建工程{k + 1}"
        )
        ind = str(s["industry"][sec]) if sec >= 0 else str(industry[co])
        rows["industry"].append(ind if ind in ("building", "transport", "water", "other") else "building")
        rows["region_code"].append(str(s["region"][sec]) if sec >= 0 else str(region[co]))
        rows["contractor_uscc"].append(str(uscc[co]))
        rows["project_manager_id"].append(str(w.persons.ids[pm]))
        rows["start_date"].append(str(idgen.date_of(start)))
        rows["planned_completion"].append(str(idgen.date_of(end)))
        rows["completion_date"].append("" if done is None else str(idgen.date_of(done)))
        rows["status"].append(status)
        rows["section_code"].append(str(s["code"][sec]) if sec >= 0 else "")
    _two_sites(w, rows, as_of)
    return write_table(
        out, "construction_projects", {k: pl.Series(v, dtype=pl.String) for k, v in rows.items()}
    )


def _two_sites(w: World, rows: dict[str, list[str]], as_of: int) -> None:
    """Planted: about one won contract in a hundred, at least one, whose project manager the registry
    also shows on a second site of the same firm inside the first one's period (one manager on two sites,
    DOMAIN.md §1.5). Inside that period the staffing names him in no bid (he is busy), so no bid-time
    C20 signal is added; the industry pages show the conflict. Its own random stream, appended after the
    other sites, so no other record changes."""
    rng = w.rng("registry-conflict")
    uscc, names = w.companies.arr("uscc"), w.companies.arr("name")
    won = [
        (co, pm, sec, start, end)
        for co, pm, sec, start, end in w.extra["projects"]
        if sec >= 0 and end - start >= 120 and start + 30 <= as_of
    ]
    if not won:
        return
    n = min(len(won), max(1, len(won) // 100))
    for k in sorted(int(i) for i in rng.choice(len(won), size=n, replace=False)):
        co, pm, sec, start, end = won[k]
        start2, end2 = start + 30, end - 30
        status, done = as_of_status(start2, end2, rng)
        number = len(rows["project_id"]) + 1
        rows["project_id"].append(f"ZJJS{number:08d}")
        rows["name"].append(f"{names[co][:2]}在建工程{number}")
        rows["industry"].append(rows["industry"][rows["section_code"].index(str(w.market.s["code"][sec]))])
        rows["region_code"].append(str(w.companies.arr("region")[co]))
        rows["contractor_uscc"].append(str(uscc[co]))
        rows["project_manager_id"].append(str(w.persons.ids[pm]))
        rows["start_date"].append(str(idgen.date_of(start2)))
        rows["planned_completion"].append(str(idgen.date_of(end2)))
        rows["completion_date"].append("" if done is None else str(idgen.date_of(done)))
        rows["status"].append(status)
        rows["section_code"].append("")
        w.truth.scheme("registry", "manager_on_two_sites", [sec], [co], [pm], site=f"ZJJS{number:08d}")
