"""Expert panels for the C24–C26 fixture tests: a section's technical scores as a matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from tenderwatch.engine.duck import DuckBackend
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, pid, project, section, uscc

BIDDERS = [uscc(i) for i in range(1, 7)]
EXPERTS = [pid(i) for i in range(1, 6)]


def panel_lake(
    tmp_path: Path,
    panels: Mapping[str, Sequence[Sequence[float | None]]],
    business: dict[str, list[float]] | None = None,
    winners: dict[str, int] | None = None,
) -> DuckBackend:
    """One section per panel; panel[e][b] = expert e's technical score of bidder b (None: no row)."""
    sections, bids, experts, scores, awards = [], [], [], [], []
    for code, matrix in panels.items():
        sections.append(section(code, "P1"))
        n_bidders = len(matrix[0])
        bids += [bid(code, BIDDERS[b], f"{4_000_000 + 10_000 * b}.00") for b in range(n_bidders)]
        for e, row in enumerate(matrix):
            experts.append(
                {
                    "section_code": code,
                    "expert_id": EXPERTS[e],
                    "expert_name": f"专家{e}",
                    "expert_type": "technical",
                }
            )
            for b, tech in enumerate(row):
                if tech is None:
                    continue
                biz = (business or {}).get(code, [12.0] * n_bidders)[b]
                scores.append(
                    {
                        "section_code": code,
                        "expert_id": EXPERTS[e],
                        "bidder_uscc": BIDDERS[b],
                        "technical_score": tech,
                        "business_score": biz,
                        "price_score": 28.0,
                        "total_score": round(tech + biz + 28.0, 2),
                    }
                )
        if winners and code in winners:
            awards.append(award(code, BIDDERS[winners[code]]))
    files = {
        "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
        "sections": csv("sections", sections),
        "bids": csv("bids", bids),
        "experts": csv("experts", experts),
        "expert_scores": csv("expert_scores", scores),
    }
    if awards:
        files["awards"] = csv("awards", awards)
    return lake_from_csv(tmp_path, files)
