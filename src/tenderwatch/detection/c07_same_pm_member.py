"""C07 · 项目管理成员为同一人 · Same project-management member.

Methodology
    Within each section, the project-management members named in every bid (project manager, technical,
    safety and quality leads, team members; from ``bid_personnel``) are compared between bidders by ID
    number and by certificate number. A person (or a registration certificate) named by two competing
    bidders is reported for both. Names are never compared: two people called 王伟 are two people.
    The authorised agent is not a project-management member; a shared agent is C06 (same handler).

Why it is a red flag
    A project manager or key person can only be employed by, and manage the works for, one bidder.
    Art. 40(3) of the Implementing Regulations deems bids that name the same person as a
    project-management member collusive: the bids were put together by people who share staff.

Evidence
    For each pair of bidders: the person's ID number (or the certificate number) and the role in each
    bid (in the record key). Red whenever the ID or the certificate is the same.

Exclusions
    Name-only matches; null placeholders (import turns them into nulls); the agent role.

Sources
    DOMAIN.md §2 S7; ``lishanling/GGZY`` ``GY_BIDDER_PROJECT_MEMBER`` (ID_CARD_NO, CERTIFICATE_NO); the
    Wenzhou-style audit "the same person handles bids of different enterprises in one project".
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

_ROLE_ZH = {
    "project_manager": "项目经理",
    "technical_lead": "技术负责人",
    "safety_lead": "安全员",
    "quality_lead": "质量员",
    "member": "项目成员",
}


class SamePmMember(DetectionModel):
    __doc__ = __doc__
    ID = "C07"
    VERSION = 1
    NAME_ZH = "项目管理成员为同一人"
    NAME_EN = "Same project-management member"
    CATEGORIES = ("collusion",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（三）项：不同投标人的投标文件载明的项目管理成员为同一人",
            "Implementing Regulations Art. 40(3): bid files of different bidders name the same person "
            "as a project-management member",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {}
    DATASETS = ("bid_personnel", "sections")
    BENIGN = (
        (
            "录入错误（核实两份投标文件原件中的人员身份证与证书）",
            "A data-entry error (check the ID and certificate in both original bid files)",
        ),
        (
            "联合体成员共同派出的人员（核实是否为同一联合体）",
            "Staff of one joint venture listed by its members (check whether they bid as a consortium)",
        ),
    )
    SQL = """
WITH staff AS (
    SELECT p.section_code, p.bidder_uscc, p.role, p.person_id, p.certificate_no
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.role <> 'agent'
),
ids AS (
    SELECT section_code, bidder_uscc, role, person_id, 'person_id' AS field, person_id AS value
    FROM staff WHERE person_id IS NOT NULL
    UNION ALL
    SELECT section_code, bidder_uscc, role, person_id, 'certificate_no', certificate_no
    FROM staff WHERE certificate_no IS NOT NULL
),
pairs AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, a.role AS a_role, a.person_id AS a_person,
           b.bidder_uscc AS b_uscc, b.role AS b_role, b.person_id AS b_person, a.field, a.value
    FROM ids a JOIN ids b
      ON a.section_code = b.section_code AND a.field = b.field AND a.value = b.value
     AND a.bidder_uscc < b.bidder_uscc
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id,
       'red' AS severity, CASE WHEN field = 'person_id' THEN 'same_person' ELSE 'same_certificate' END AS rule,
       'bid_personnel' AS dataset, section_code || '|' || a_uscc || '|' || a_role || '|' || a_person AS record_key,
       field, value
FROM pairs
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, 'red',
       CASE WHEN field = 'person_id' THEN 'same_person' ELSE 'same_certificate' END,
       'bid_personnel', section_code || '|' || b_uscc || '|' || b_role || '|' || b_person, field, value
FROM pairs
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        roles = sorted({e.record_key.split("|")[2] for e in hit.evidence if e.record_key.count("|") >= 3})
        values = "、".join(sorted({e.value for e in hit.evidence}))
        if locale.startswith("zh"):
            who = "与".join(hit.entities)
            role = "、".join(_ROLE_ZH.get(r, r) for r in roles)
            return f"投标人{who}的投标文件列明同一项目管理成员（{role}；身份证号/证书编号 {values}）"
        return (
            f"Bidders {' and '.join(hit.entities)} name the same project-management member "
            f"({', '.join(roles)}; ID/certificate {values})"
        )
