"""C14 · 关联企业同标段投标 · Related bidders in one section (Art. 34).

Methodology
    For every pair of bidders of a section, the market-regulation registrations are joined:
    ``same_legal_rep`` — one person is the legal representative (单位负责人) of both;
    ``direct_control`` — one bidder holds at least ``control_pct`` % of the other (``shareholders``,
    corporate holder = the other bidder's USCC). Both are the Art. 34 prohibition: red.
    Softer links, orange: ``shared_shareholder`` (one natural person holds at least
    ``min_share_pct`` % of both), ``common_parent`` (one company directly holds at least
    ``control_pct`` % of both), ``shared_officer`` (one director, supervisor or manager in both),
    ``cross_role`` (the legal representative, shareholder or officer of one holds another of these
    roles in the other) and ``same_address`` (identical registered address).

Why it is a red flag
    Units with the same principal or a controlling relationship may not bid for the same section;
    if they do, all their bids are void (Art. 34; GP Implementing Regulations Art. 18). Shared owners,
    officers or premises are the usual traces of one group fielding several "competitors".

Evidence
    The registration records that link the pair: ``companies.legal_rep_id`` or ``address``,
    ``shareholders`` (holder and share) and ``officers`` (person and position), for both bidders.

Exclusions
    Only direct links count: companies that share an indirect owner (a state-owned assets commission
    above two different parents) are not related under Art. 34, and a corporate group whose members
    never bid in one section is never reported. Null or placeholder identifiers never match.

Sources
    DOMAIN.md §1.2 (Art. 34), §1.3 (GP Art. 18), §2 S10; Zeppelinpp/ContractGraph
    ``src/analysis/collusion.py`` (shared legal person and CONTROLS edges).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class RelatedBidders(DetectionModel):
    __doc__ = __doc__
    ID = "C14"
    VERSION = 1
    NAME_ZH = "关联企业同标段投标"
    NAME_EN = "Related bidders in one section"
    CATEGORIES = ("collusion", "credit")
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第三十四条第二款：单位负责人为同一人或者存在控股、管理关系的不同单位，"
            "不得参加同一标段投标",
            "Implementing Regulations Art. 34(2): units with the same principal or a controlling or "
            "management relationship may not bid for the same section",
        ),
        LegalBasis(
            "《政府采购法实施条例》第十八条：单位负责人为同一人或者存在直接控股、管理关系的不同供应商，"
            "不得参加同一合同项下的政府采购活动",
            "GP Implementing Regulations Art. 18: the same for suppliers in one contract lot",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "control_pct": Param(
            50.0, "构成控股关系的持股比例（%）", "share (%) that makes a holder controlling", 0, 100
        ),
        "min_share_pct": Param(
            5.0,
            "共同自然人股东在两家企业的最低持股比例（%）",
            "least share (%) of a shared natural-person holder",
            0,
            100,
        ),
    }
    DATASETS = ("bids", "companies", "shareholders", "officers", "sections")
    BENIGN = (
        (
            "同属一个国有资产监督管理机构的国有企业（间接共同出资人不构成直接控股）",
            "State-owned companies under one assets commission (an indirect common owner)",
        ),
        ("同一写字楼或产业园的不同企业", "Different firms in one office building or business park"),
        ("登记信息未及时变更（人员已离任或股权已转让）", "Registration not updated after a change"),
    )
    SQL = """
WITH bidder AS (
    SELECT DISTINCT b.section_code, b.bidder_uscc
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
),
pair AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc
    FROM bidder a JOIN bidder b ON a.section_code = b.section_code AND a.bidder_uscc < b.bidder_uscc
),
person_role AS (
    -- every natural person tied to a company, with the record that ties them
    SELECT uscc AS company, legal_rep_id AS person, 'legal_rep' AS role, 'companies' AS dataset,
           uscc AS record_key, 'legal_rep_id' AS field
    FROM companies WHERE legal_rep_id IS NOT NULL
    UNION ALL
    SELECT company_uscc, holder_id, 'shareholder', 'shareholders', company_uscc || '|' || holder_id, 'holder_id'
    FROM shareholders WHERE holder_type = 'person' AND share_pct >= {min_share_pct}
    UNION ALL
    SELECT company_uscc, person_id, 'officer', 'officers', company_uscc || '|' || person_id || '|' || position,
           'person_id'
    FROM officers
),
person_link AS (
    SELECT p.section_code, p.a_uscc, p.b_uscc, x.person, x.dataset AS a_ds, x.record_key AS a_key,
           x.field AS a_field, y.dataset AS b_ds, y.record_key AS b_key, y.field AS b_field,
           CASE WHEN x.role = 'legal_rep' AND y.role = 'legal_rep' THEN 'same_legal_rep'
                WHEN x.role = 'shareholder' AND y.role = 'shareholder' THEN 'shared_shareholder'
                WHEN x.role = 'officer' AND y.role = 'officer' THEN 'shared_officer'
                ELSE 'cross_role' END AS rule
    FROM pair p
    JOIN person_role x ON x.company = p.a_uscc
    JOIN person_role y ON y.company = p.b_uscc AND y.person = x.person
),
control AS (
    -- one bidder directly holds the other (either direction). Two equi-joins, not one join on an OR:
    -- an OR condition cannot be hashed and turns into a nested loop over every pair × every holding.
    SELECT p.section_code, p.a_uscc, p.b_uscc, h.company_uscc || '|' || h.holder_id AS rec,
           h.holder_id || ' ' || CAST(h.share_pct AS VARCHAR) || '%' AS value
    FROM pair p JOIN shareholders h ON h.company_uscc = p.a_uscc AND h.holder_id = p.b_uscc
    WHERE h.share_pct >= {control_pct}
    UNION ALL
    SELECT p.section_code, p.a_uscc, p.b_uscc, h.company_uscc || '|' || h.holder_id AS rec,
           h.holder_id || ' ' || CAST(h.share_pct AS VARCHAR) || '%' AS value
    FROM pair p JOIN shareholders h ON h.company_uscc = p.b_uscc AND h.holder_id = p.a_uscc
    WHERE h.share_pct >= {control_pct}
),
parent AS (
    -- one company directly holds both bidders (a group's sister companies)
    SELECT p.section_code, p.a_uscc, p.b_uscc, x.holder_id AS holder,
           x.company_uscc || '|' || x.holder_id AS a_key, y.company_uscc || '|' || y.holder_id AS b_key
    FROM pair p
    JOIN shareholders x ON x.company_uscc = p.a_uscc AND x.holder_type = 'company' AND x.share_pct >= {control_pct}
    JOIN shareholders y ON y.company_uscc = p.b_uscc AND y.holder_id = x.holder_id AND y.share_pct >= {control_pct}
),
address AS (
    SELECT p.section_code, p.a_uscc, p.b_uscc, x.address
    FROM pair p JOIN companies x ON x.uscc = p.a_uscc JOIN companies y ON y.uscc = p.b_uscc
    WHERE x.address = y.address
),
rows AS (
    SELECT section_code, a_uscc AS entity, rule, a_ds AS ds, a_key AS rec, a_field AS field, person AS value
    FROM person_link
    UNION ALL SELECT section_code, b_uscc, rule, b_ds, b_key, b_field, person FROM person_link
    UNION ALL SELECT section_code, a_uscc, 'direct_control', 'shareholders', rec, 'share_pct', value FROM control
    UNION ALL SELECT section_code, b_uscc, 'direct_control', 'shareholders', rec, 'share_pct', value FROM control
    UNION ALL SELECT section_code, a_uscc, 'common_parent', 'shareholders', a_key, 'holder_id', holder FROM parent
    UNION ALL SELECT section_code, b_uscc, 'common_parent', 'shareholders', b_key, 'holder_id', holder FROM parent
    UNION ALL SELECT section_code, a_uscc, 'same_address', 'companies', a_uscc, 'address', address FROM address
    UNION ALL SELECT section_code, b_uscc, 'same_address', 'companies', b_uscc, 'address', address FROM address
)
SELECT DISTINCT section_code, 'section' AS subject_type, section_code AS subject_id, entity AS entity_id,
       CASE WHEN rule IN ('same_legal_rep', 'direct_control') THEN 'red' ELSE 'orange' END AS severity,
       rule, ds AS dataset, rec AS record_key, field, value
FROM rows
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = locale.startswith("zh")
        labels = {
            "same_legal_rep": ("法定代表人为同一人", "the same legal representative"),
            "direct_control": ("存在直接控股关系", "one directly controls the other"),
            "common_parent": ("由同一企业控股", "controlled by one parent company"),
            "shared_shareholder": ("有共同自然人股东", "a shared natural-person shareholder"),
            "shared_officer": ("有共同董监高", "a shared officer"),
            "cross_role": ("人员在对方企业任职或持股", "a person holding roles in both"),
            "same_address": ("注册地址相同", "the same registered address"),
        }
        what = [labels[r][0 if zh else 1] for r in hit.rules if r in labels]
        if zh:
            return f"同一标段投标人{'、'.join(hit.entities)}存在关联关系：{'；'.join(what)}"
        return f"Bidders {', '.join(hit.entities)} of one section are related: {'; '.join(what)}"
