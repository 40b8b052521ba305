"""The ten event kinds and the catalogue datasets each one delivers.

An event carries records of catalogue datasets, so it is validated by the catalogue like a file:

- ``record`` kinds carry one record of ``dataset`` (the payload's fields are the dataset's fields) and
  optionally records of ``nested`` datasets under the dataset's id (one object, or a list where the kind
  allows several). A nested record takes the fields it lacks from the payload when the name is a key of
  either dataset (a fingerprint takes ``section_code`` and ``bidder_uscc`` from its bid).
- ``update`` kinds change the state of an existing record: the payload gives its key and the changed
  fields; the rest comes from the record's current version in the lake, and the whole record is
  validated again and stored as a new version (the lake never overwrites).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class EventKind:
    key: str
    zh: str
    en: str
    dataset: str
    mode: Literal["record", "update"] = "record"
    nested: tuple[str, ...] = ()  # datasets that may ride along, under their dataset id
    many: tuple[str, ...] = ()  # of those, the ones given as a list
    # For updates: the fields the payload may change, and the one filled from occurred_at if absent.
    changes: tuple[str, ...] = ()
    default_from_time: str | None = None


KINDS: dict[str, EventKind] = {
    k.key: k
    for k in (
        EventKind(
            "section_announced", "标段公告发布", "Section announced", "sections", nested=("tender_projects",)
        ),
        EventKind("documents_downloaded", "获取招标文件", "Documents downloaded", "document_downloads"),
        EventKind(
            "bid_submitted",
            "递交投标文件",
            "Bid submitted",
            "bids",
            nested=("bid_fingerprints", "bid_documents", "bid_personnel", "bid_guarantees"),
            many=("bid_personnel", "bid_guarantees"),
        ),
        EventKind("bond_paid", "缴纳投标保证金", "Bond paid", "bid_bonds"),
        EventKind(
            "section_opened",
            "开标",
            "Section opened",
            "sections",
            mode="update",
            changes=("open_time",),
            default_from_time="open_time",
        ),
        EventKind(
            "evaluation_scored",
            "评标打分",
            "Evaluation scored",
            "experts",
            nested=("expert_scores",),
            many=("expert_scores",),
        ),
        EventKind(
            "candidates_published",
            "中标候选人公示",
            "Candidates published",
            "sections",
            mode="update",
            changes=("candidate_pub_start", "candidate_pub_end"),
        ),
        EventKind("award", "中标结果", "Award", "awards"),
        EventKind("contract", "合同备案", "Contract", "contracts"),
        EventKind(
            "project_manager_change", "项目经理变更", "Project-manager change", "construction_projects"
        ),
    )
}
EventType = Literal[
    "section_announced",
    "documents_downloaded",
    "bid_submitted",
    "bond_paid",
    "section_opened",
    "evaluation_scored",
    "candidates_published",
    "award",
    "contract",
    "project_manager_change",
]
