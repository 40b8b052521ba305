"""Upload files for the web tests: tender projects with good rows and rows each with one known fault."""

from __future__ import annotations

import random

from tenderwatch.common.identifiers import make_uscc

_RNG = random.Random(7)
GOOD_USCC = [make_uscc("330106", _RNG) for _ in range(4)]
# A valid code with its check character swapped for another valid symbol: right format, wrong check.
BAD_USCC = GOOD_USCC[3][:17] + ("0" if GOOD_USCC[3][17] != "0" else "1")

HEADER = "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at"


def projects_csv() -> bytes:
    """3 good records, 1 with a wrong USCC check character, 1 without its required name: 5 / 3 / 2."""
    rows = [
        HEADER,
        f"WP-001,西湖区中学改扩建工程,building,330106,{GOOD_USCC[0]},2025-03-01",
        f"WP-002,拱墅区道路提升工程,transport,330105,{GOOD_USCC[1]},2025-03-02",
        f"WP-003,余杭区防洪堤加固工程,water,330110,{GOOD_USCC[2]},2025-03-03",
        f"WP-004,滨江区社区中心工程,building,330108,{BAD_USCC},2025-03-04",
        f"WP-005,,building,330106,{GOOD_USCC[0]},2025-03-05",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")
