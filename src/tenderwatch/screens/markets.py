"""The five labelled markets shipped with the package, and the converter from the authors' files.

The source files (García Rodríguez et al. 2022, supplementary data) have their own columns; the
converter keeps only what the classifier may use: tender, bidder, bid value, winner and the tender-level
collusion label. Ids and dates are never features (they leak the label), and the shipped screen columns
are dropped because some are wrong (see ABOUT.md); the screens are recomputed from the bids.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tenderwatch.errors import UserError
from tenderwatch.screens.bidsio import Bid, BidsFile, read_bids

DATA_DIR = Path(__file__).parent / "data" / "markets"


@dataclass(frozen=True, slots=True)
class Market:
    key: str  # file stem under data/markets
    source: str  # the authors' file name
    name_zh: str
    name_en: str


MARKETS: tuple[Market, ...] = (
    Market("brazil", "DB_Collusion_Brazil_processed.csv", "巴西（洗车行动）", "Brazil (Operation Car Wash)"),
    Market("japan", "DB_Collusion_Japan_processed.csv", "日本（冲绳）", "Japan (Okinawa)"),
    Market(
        "switzerland_gr_sg",
        "DB_Collusion_Switzerland_GR_and_See-Gaster_processed.csv",
        "瑞士（格劳宾登 / 圣加仑）",
        "Switzerland (GR / See-Gaster)",
    ),
    Market(
        "switzerland_ticino",
        "DB_Collusion_Switzerland_Ticino_processed.csv",
        "瑞士（提契诺）",
        "Switzerland (Ticino)",
    ),
    Market(
        "usa_ohio_milk",
        "DB_Collusion_America_processed.csv",
        "美国（俄亥俄学校牛奶）",
        "USA (Ohio school milk)",
    ),
)


def market_path(market: Market) -> Path:
    return DATA_DIR / f"{market.key}.csv.gz"


def load_market(market: Market) -> BidsFile:
    path = market_path(market)
    if not path.is_file():
        raise UserError(f"缺少内置市场数据：{path}", f"Shipped market data missing: {path}")
    return read_bids(path)


def load_markets() -> dict[str, BidsFile]:
    return {m.key: load_market(m) for m in MARKETS}


def _number(text: str) -> str:
    # The authors write ids as floats in some files ("12.0"); keep a stable integer-looking id.
    value = float(text)
    return str(int(value)) if value.is_integer() else text


def convert_source(path: Path) -> list[Bid]:
    """Read one of the authors' ``DB_Collusion_*_processed.csv`` files into canonical bids.

    Two markets (GR/SG and Ticino) have no bidder ids; their bidders are numbered within each tender
    (``<tender>-<k>``), which is enough because the screens never look at who bid.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise UserError(f"无法读取 {path}：{error}", f"Cannot read {path}: {error}") from error
    needed = ("Tender", "Bid_value", "Collusive_competitor", "Winner")
    if not rows or any(c not in rows[0] for c in needed):
        raise UserError(
            f"{path} 不是作者格式的数据（需要列 {', '.join(needed)}）",
            f"{path} is not in the authors' format (needs columns {', '.join(needed)})",
        )
    bids: list[Bid] = []
    seen: dict[str, int] = {}
    for row in rows:
        tender = _number(row["Tender"])
        seen[tender] = seen.get(tender, 0) + 1
        competitor = (row.get("Competitors") or "").strip()
        bidder = _number(competitor) if competitor else f"{tender}-{seen[tender]}"
        bids.append(
            Bid(
                tender_id=tender,
                bidder_id=bidder,
                amount=float(row["Bid_value"]),
                winner=int(float(row["Winner"])),
                label=int(float(row["Collusive_competitor"])),
            )
        )
    return bids
