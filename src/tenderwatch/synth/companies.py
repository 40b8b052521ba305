"""Companies and other organisations, with legal representatives, shareholders and officers.

Organisations are added in batches and addressed by index. Government organs and public institutions
(USCC prefix 11/12) act as tenderers but are not in the market-regulation register, so ``listed`` is
false for them and they are left out of companies.csv, as in the real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tenderwatch.common.regions import REGIONS
from tenderwatch.synth import idgen, names
from tenderwatch.synth.idgen import Int, Str
from tenderwatch.synth.people import Persons

AREA_CODES = {
    "3301": "0571",
    "3302": "0574",
    "3303": "0577",
    "3304": "0573",
    "3305": "0572",
    "3306": "0575",
    "3307": "0579",
    "3308": "0570",
    "3309": "0580",
    "3310": "0576",
    "3311": "0578",
}
MAIL_DOMAINS = np.array(["qq.com", "163.com", "126.com", "sina.com", "aliyun.com"])
COLUMNS = (
    "uscc",
    "name",
    "kind",
    "industry",
    "region",
    "legal_rep",
    "capital",
    "address",
    "phone",
    "email",
    "founded",
    "account",
    "bank",
    "listed",
)


@dataclass
class Companies:
    cols: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    shareholders: list[tuple[int, str, str, str, float]] = field(
        default_factory=list
    )  # company, type, id, name, %
    officers: list[tuple[int, int, str]] = field(default_factory=list)  # company, person, position
    _taken: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in ("uscc", "name", "misc")})
    _cache: dict[str, np.ndarray[Any, Any]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.cols["uscc"])

    def arr(self, column: str) -> np.ndarray[Any, Any]:
        cached = self._cache.get(column)
        if cached is None or len(cached) != self.count:
            cached = np.array(self.cols[column])
            self._cache[column] = cached
        return cached

    def add(
        self,
        rng: np.random.Generator,
        persons: Persons,
        kind: str,
        industry: str,
        regions: Str,
        *,
        prefix: str = "91",
        legal_reps: Int | None = None,
        listed: bool = True,
        suffix_kind: str | None = None,
    ) -> Int:
        """Add len(regions) organisations of one kind registered in the given counties."""
        n = len(regions)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        codes = idgen.usccs(rng, regions, prefix, self._taken["uscc"])
        suffixes = names.KIND_SUFFIX.get(suffix_kind or industry or kind, names.KIND_SUFFIX["building"])
        company_names = [self._unique_name(rng, str(r), suffixes, prefix) for r in regions]
        if legal_reps is None:
            legal_reps = persons.add(rng, regions, 32, 62)
        founded = idgen.days(idgen.date_of(0).replace(year=1993)) + rng.integers(0, 29 * 365, n)
        capital = np.round(np.exp(rng.normal(np.log(3000), 1.0, n)).clip(50, 200_000), 2)
        area = [AREA_CODES[str(r)[:4]] for r in regions]
        phones = [
            f"{a}-{8 if len(a) == 4 else 6}{d}" for a, d in zip(area, idgen.digits(rng, n, 7), strict=True)
        ]
        emails = np.char.add(np.char.add(idgen.digits(rng, n, 9), "@"), MAIL_DOMAINS[rng.integers(0, 5, n)])
        accounts = idgen.digits(rng, n, 19)
        banks = np.array(names.BANKS)[rng.integers(0, len(names.BANKS), n)]
        roads = np.array(list(names.ROADS)).reshape(-1, 2)
        start = self.count
        for i in range(n):
            region = str(regions[i])
            road = "".join(roads[rng.integers(0, len(roads))])
            county = REGIONS[region]
            parent = REGIONS[county.parent or region].name_zh
            address = f"浙江省{parent}{county.name_zh}{road}路{rng.integers(1, 999)}号{rng.integers(1, 30)}幢"
            while address in self._taken["misc"]:
                address += f"{rng.integers(101, 2999)}室"
            self._taken["misc"].add(address)
            for key, value in (
                ("uscc", str(codes[i])),
                ("name", company_names[i]),
                ("kind", kind),
                ("industry", industry),
                ("region", region),
                ("legal_rep", int(legal_reps[i])),
                ("capital", float(capital[i])),
                ("address", address),
                ("phone", phones[i]),
                ("email", str(emails[i])),
                ("founded", int(founded[i])),
                ("account", str(accounts[i])),
                ("bank", f"{banks[i]}{names.county_short(region)}支行"),
                ("listed", listed),
            ):
                self.cols[key].append(value)
        index = np.arange(start, self.count, dtype=np.int64)
        if listed:
            self._register_people(rng, persons, index, regions, legal_reps)
        return index

    def _register_people(
        self, rng: np.random.Generator, persons: Persons, index: Int, regions: Str, legal_reps: Int
    ) -> None:
        """Legal representative as majority shareholder and executive director; a supervisor; a CFO."""
        others = persons.add(rng, np.repeat(regions, 2), 28, 60).reshape(-1, 2)
        second_share = rng.random(len(index)) < 0.45
        for i, c in enumerate(index):
            rep = int(legal_reps[i])
            pct = float(np.round(rng.uniform(51, 90), 2)) if second_share[i] else 100.0
            self.shareholders.append((int(c), "person", "", f"#{rep}", pct))
            if second_share[i]:
                self.shareholders.append(
                    (int(c), "person", "", f"#{int(others[i, 0])}", round(100.0 - pct, 2))
                )
            self.officers.append((int(c), rep, "执行董事兼总经理"))
            self.officers.append((int(c), int(others[i, 0]), "监事"))
            self.officers.append((int(c), int(others[i, 1]), "财务负责人"))

    def add_company_holder(self, company: int, holder: int, pct: float) -> None:
        """A corporate shareholder (another organisation of this registry)."""
        self.shareholders.append((company, "company", "", f"@{holder}", pct))

    def set_share(self, company: int, pct_of_first: float) -> None:
        """Rescale the natural-person holdings of `company` to leave room for a corporate holder."""
        rows = [i for i, r in enumerate(self.shareholders) if r[0] == company and r[1] == "person"]
        total = sum(self.shareholders[i][4] for i in rows) or 1.0
        for i in rows:
            c, t, x, who, pct = self.shareholders[i]
            self.shareholders[i] = (c, t, x, who, round(pct * (100.0 - pct_of_first) / total, 2))

    def _unique_name(self, rng: np.random.Generator, region: str, suffixes: list[str], prefix: str) -> str:
        if prefix[0] == "1":  # government organs and public institutions: county + department
            base = REGIONS[region].name_zh
            for s in names.INSTITUTION_SUFFIX:
                if f"{base}{s}" not in self._taken["name"]:
                    self._taken["name"].add(f"{base}{s}")
                    return f"{base}{s}"
            while True:  # towns and schools once the county departments are used up
                trade = [names.TRADE_CHARS[int(i)] for i in rng.integers(0, len(names.TRADE_CHARS), 2)]
                tail = ("镇人民政府", "街道办事处", "小学", "中学", "社区卫生服务中心")[rng.integers(0, 5)]
                candidate = f"{base}{''.join(trade)}{tail}"
                if candidate not in self._taken["name"]:
                    self._taken["name"].add(candidate)
                    return candidate
        place = names.county_short(region)
        chars = names.TRADE_CHARS
        while True:
            word = chars[int(rng.integers(0, len(chars)))] + chars[int(rng.integers(0, len(chars)))]
            if word[0] == word[1]:
                continue
            candidate = f"{place}{word}{suffixes[rng.integers(0, len(suffixes))]}"
            if candidate not in self._taken["name"]:
                self._taken["name"].add(candidate)
                return candidate
