"""Scale presets: how big the province is and how often each scheme is planted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    sections: int  # ~8 bidders each, so bids ≈ 8 × sections
    companies: int  # bidding companies (contractors and suppliers)
    tenderers: int
    agencies: int
    experts: int
    scheme_min: int  # instances per scheme type at least
    scheme_rate: float  # instances per scheme type as a share of sections (whichever is larger)
    lookalike_min: int


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 125, 170, 22, 12, 70, 2, 0.0, 1),
    "small": Scale("small", 3750, 1500, 450, 300, 900, 22, 0.0, 10),
    "province": Scale("province", 125_000, 36_000, 14_000, 9_000, 14_000, 22, 0.005, 60),
}

# The bid period and the 36-month social-insurance window that covers it (3 months before the first bid).
PERIOD_START = date(2023, 7, 1)
PERIOD_END = date(2026, 3, 31)
SI_FIRST_MONTH = (2023, 4)
SI_MONTHS = 36
AS_OF = date(2026, 6, 30)  # registry snapshot date: status of construction projects, blacklist periods

# Share of sections per industry, and log-normal control prices (median yuan, sigma) per industry.
INDUSTRY_SHARE = {"building": 0.52, "transport": 0.16, "water": 0.12, "procurement": 0.17, "other": 0.03}
PRICE_MEDIAN = {"building": 6e6, "transport": 2.0e7, "water": 8e6, "procurement": 1.5e6, "other": 1.0e6}
PRICE_SIGMA = {"building": 1.2, "transport": 1.1, "water": 1.0, "procurement": 0.9, "other": 0.7}
PRICE_MIN, PRICE_MAX = 5e5, 5e8
# City weights by economic size (GDP and construction volume): Hangzhou and Ningbo dominate.
CITY_WEIGHTS = {
    "330100": 0.24,
    "330200": 0.18,
    "330300": 0.11,
    "330400": 0.08,
    "330500": 0.05,
    "330600": 0.09,
    "330700": 0.09,
    "330800": 0.03,
    "330900": 0.03,
    "331000": 0.07,
    "331100": 0.03,
}
