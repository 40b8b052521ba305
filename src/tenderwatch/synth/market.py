"""Tenderers, agencies, tender projects and sections with prices, methods and a plausible timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tenderwatch.common.regions import counties
from tenderwatch.synth import idgen, names
from tenderwatch.synth.idgen import Int, Str
from tenderwatch.synth.scales import (
    CITY_WEIGHTS,
    INDUSTRY_SHARE,
    PERIOD_END,
    PERIOD_START,
    PRICE_MAX,
    PRICE_MEDIAN,
    PRICE_MIN,
    PRICE_SIGMA,
)

DAY = 86_400
WORKS = ("building", "transport", "water", "other")
_COUNTIES = [(c.code, CITY_WEIGHTS[c.parent or ""] / len(counties(c.parent))) for c in counties()]
COUNTY_CODES = np.array([c for c, _ in _COUNTIES])
COUNTY_P = np.array([w for _, w in _COUNTIES]) / sum(w for _, w in _COUNTIES)


def pick_counties(rng: np.random.Generator, n: int) -> Str:
    return COUNTY_CODES[rng.choice(len(COUNTY_CODES), n, p=COUNTY_P)]


@dataclass
class Market:
    """Column arrays of tender projects (prefix p_) and sections (prefix s_). Times are epoch seconds."""

    p: dict[str, np.ndarray[Any, Any]]
    s: dict[str, np.ndarray[Any, Any]]

    @property
    def n_sections(self) -> int:
        return len(self.s["code"])


def _choice(rng: np.random.Generator, options: dict[str, float], n: int) -> Str:
    keys = np.array(list(options))
    probs = np.array(list(options.values()))
    return keys[rng.choice(len(keys), n, p=probs / probs.sum())]


def build_market(
    rng: np.random.Generator,
    n_sections: int,
    tenderers: Int,
    tenderer_regions: Str,
    agencies: Int,
    agency_regions: Str,
) -> Market:
    sizes = rng.choice([1, 2, 3, 4], size=n_sections, p=[0.76, 0.15, 0.06, 0.03])
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n_sections)) + 1]
    sizes[-1] -= int(sizes.sum()) - n_sections
    n_proj = len(sizes)
    region = pick_counties(rng, n_proj)
    industry = _choice(rng, INDUSTRY_SHARE, n_proj)
    tenderer = _local_pick(rng, region, tenderers, tenderer_regions)
    agency = np.where(rng.random(n_proj) < 0.85, _local_pick(rng, region, agencies, agency_regions), -1)
    start, end = idgen.days(PERIOD_START), idgen.days(PERIOD_END) - 70
    announce_day = rng.integers(start, end, n_proj)
    seq = rng.permutation(n_proj) + 1000
    codes = np.char.add(np.char.add("E", region), np.char.zfill(seq.astype(str), 7))
    year = np.datetime_as_string(np.datetime64("1970-01-01") + (announce_day - 200).astype("timedelta64[D]"))
    invest_codes = np.array(
        [
            f"{y[2:4]}{y[5:7]}-{r}-04-01-{d}"
            for y, r, d in zip(year, region, idgen.digits(rng, n_proj, 6), strict=True)
        ]
    )
    work_names = np.array(
        [
            f"{names.county_short(str(r))}"
            f"{names.TRADE_CHARS[int(k) % 40]}{names.TRADE_CHARS[int(k) // 40 % 40]}"
            f"{names.WORK_NOUNS[str(ind)][int(k) % len(names.WORK_NOUNS[str(ind)])]}"
            for r, ind, k in zip(region, industry, rng.integers(0, 1_000_000, n_proj), strict=True)
        ]
    )
    p = {
        "code": codes,
        "invest_code": invest_codes,
        "name": work_names,
        "industry": industry,
        "region": region,
        "tenderer": tenderer,
        "agency": agency,
        "registered": announce_day - rng.integers(3, 30, n_proj),
        "approval": np.array(
            [
                f"{names.county_short(str(r))}发改投资〔{int(y[:4])}〕{n}号"
                for r, y, n in zip(region, year, rng.integers(1, 300, n_proj), strict=True)
            ]
        ),
    }
    proj = np.repeat(np.arange(n_proj), sizes)
    lot = np.concatenate([np.arange(1, k + 1) for k in sizes])
    s = _sections(rng, p, proj, lot, announce_day[proj])
    p["investment"] = np.bincount(proj, weights=s["control"] / 100.0) * rng.uniform(1.05, 1.6, n_proj)
    return Market(p=p, s=s)


def _local_pick(rng: np.random.Generator, region: Str, who: Int, who_regions: Str) -> Int:
    """An organisation of the same city when there is one (tenderers and agencies work locally)."""
    city = np.array([r[:4] for r in who_regions])
    out = np.empty(len(region), dtype=np.int64)
    for prefix in np.unique([r[:4] for r in region]):
        mask = np.char.startswith(region, prefix)
        pool = who[city == prefix]
        if len(pool) == 0:
            pool = who
        # Zipf-like weights: a few big owners (城投, 交投) tender far more than the rest.
        w = 1.0 / np.arange(1, len(pool) + 1) ** 0.8
        out[mask] = pool[rng.choice(len(pool), int(mask.sum()), p=w / w.sum())]
    return out


def _sections(
    rng: np.random.Generator, p: dict[str, np.ndarray[Any, Any]], proj: Int, lot: Int, announce_day: Int
) -> dict[str, np.ndarray[Any, Any]]:
    n = len(proj)
    industry = p["industry"][proj]
    works = np.isin(industry, WORKS)
    procedure = np.where(
        works,
        _choice(rng, {"open": 0.9, "invited": 0.06, "negotiation": 0.04}, n),
        _choice(rng, {"open": 0.55, "consultation": 0.2, "inquiry": 0.15, "negotiation": 0.1}, n),
    )
    method = np.where(
        works,
        _choice(
            rng, {"comprehensive": 0.45, "lowest_price": 0.25, "reasonable_low": 0.2, "separate": 0.1}, n
        ),
        _choice(rng, {"comprehensive": 0.8, "lowest_price": 0.2}, n),
    )
    median = np.array([PRICE_MEDIAN[i] for i in industry])
    sigma = np.array([PRICE_SIGMA[i] for i in industry])
    control = np.exp(rng.normal(np.log(median), sigma)).clip(PRICE_MIN, PRICE_MAX)
    control = (np.round(control / 100.0) * 100.0 * 100).astype(np.int64)  # cents, whole hundreds of yuan
    estimate = np.where(
        rng.random(n) < 0.7, (control * rng.uniform(1.0, 1.08, n)).astype(np.int64) // 100 * 100, -1
    )
    bond_rate = np.where(works, 0.02, np.where(rng.random(n) < 0.5, 0.01, 0.0))
    bond = np.minimum(control * bond_rate, 80_000_000) // 100_000 * 100_000  # ≤2 %, ≤ ¥800k, whole thousands
    bond = np.where(bond > 0, bond, -1).astype(np.int64)
    # Bid period: works and open procurement ≥ 20 days (Bidding Law Art. 24); GP inquiry ≥ 3 days.
    period = np.where(
        works | (procedure == "open"),
        20 + rng.geometric(0.25, n) - 1,
        np.where(procedure == "consultation", rng.integers(10, 16, n), rng.integers(3, 11, n)),
    ).clip(3, 45)
    announce = announce_day * DAY + rng.integers(9 * 3600, 17 * 3600, n) // 60 * 60
    doc_start = announce + rng.integers(0, 2, n) * DAY
    doc_end = np.minimum(doc_start + rng.integers(5, 11, n) * DAY, announce + period * DAY - DAY)
    doc_end = (doc_end // DAY) * DAY + 17 * 3600
    deadline = (announce_day + period) * DAY + np.array([9, 9, 9, 10, 14])[rng.integers(0, 5, n)] * 3600
    deadline_day = deadline // DAY
    cand_start = deadline_day + rng.integers(1, 6, n)
    cand_end = cand_start + rng.integers(3, 6, n)
    award = cand_end + rng.integers(1, 8, n)
    lot_names = np.array(["", "一", "二", "三", "四"])
    return {
        "code": np.char.add(p["code"][proj], np.char.zfill(lot.astype(str), 3)),
        "project": proj,
        "lot": lot,
        "industry": industry,
        "region": p["region"][proj],
        "name": np.char.add(
            p["name"][proj], np.char.add(np.char.add("（标段", lot_names[lot.clip(0, 4)]), "）")
        ),
        "procedure": procedure,
        "method": method,
        "control": control,
        "estimate": estimate,
        "bond": bond,
        "announce": announce,
        "doc_start": doc_start,
        "doc_end": doc_end,
        "deadline": deadline,
        "cand_start": cand_start,
        "cand_end": cand_end,
        "award": award,
        "contract": award + rng.integers(5, 29, n),
        "tender_author": np.array([*names.DEFAULT_AUTHORS[:2], "招标代理", "ZBDL"])[rng.integers(0, 4, n)],
        "tender_rsid": idgen.unique_hex(rng, n, 4),
        "tender_paras": idgen.unique_hex(rng, n * 10, 6, lower=True).reshape(n, 10),
        "experts": np.where(control > 5e7 * 100, 7, 5),
    }
