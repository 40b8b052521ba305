"""C05 · 保证金、保函同步办理 · Bond and guarantee coordination.

Methodology
    Three traces of bidders arranging their bid security together:
    (1) ``same_applicant_id`` / ``same_applicant_phone`` / ``same_fee_account`` — electronic guarantees
    of two bidders of one section applied for by the same person (ID number or phone) or paid from one
    fee account (``bid_guarantees``);
    (2) ``consecutive_guarantee_numbers`` — two bidders of one section hold guarantees of the same
    issuer whose numbers differ only by one in their trailing digits (bought in one go);
    (3) ``bond_paid_minutes_apart`` — a pair of bidders whose bonds reached the trading centre within
    ``max_minutes`` minutes of each other (``bid_bonds.paid_at``) in at least ``min_sections``
    different sections (across the whole history); every such section in scope is reported.

Why it is a red flag
    Competitors obtain their bid security independently. One applicant, one fee account or one batch
    of guarantee numbers shows one hand handling both bids (Art. 40(2): entrusting the same person with
    bidding matters); payments minutes apart once is chance, over and over is a routine.

Evidence
    The guarantee (number, applicant ID or phone, fee account) or the bond payment (time received) of
    each bidder of the pair. Red: same applicant ID or fee account. Orange: same applicant phone,
    consecutive numbers, repeated payments minutes apart.

Exclusions
    Consecutive numbers are compared only inside one section and for one issuer: platforms issue
    numbers in batches to unrelated bidders of different sections. A single close payment is never
    reported (deadline rush). Null or placeholder identifiers never match.

Sources
    DOMAIN.md §2 S5 (c)–(d), S13; lishanling/GGZY ``GY_LETTER_OF_GUARANTEE`` (``GUARANTEE_NO``,
    ``PROPOSER_CODE``, ``PROPOSER_PHONE``, ``INSURER``, ``PURCHASE_ACCOUNT``); IACRC automated tests
    for collusive bidding (sequential bid securities); Wenzhou audit method (pairs < 10 min recurring).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class BondCoordination(DetectionModel):
    __doc__ = __doc__
    ID = "C05"
    VERSION = 1
    NAME_ZH = "保证金、保函同步办理"
    NAME_EN = "Bond and guarantee coordination"
    CATEGORIES = ("collusion", "broker")
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（二）项：不同投标人委托同一单位或者个人办理投标事宜",
            "Implementing Regulations Art. 40(2): bidders entrust one unit or person with bidding matters",
        ),
        LegalBasis(
            "《招标投标法实施条例》第三十九条第（五）项：投标人之间为谋取中标或者排斥特定投标人而采取的其他联合行动",
            "Implementing Regulations Art. 39(5): other joint action of bidders to win or exclude others",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "max_minutes": Param(
            10, "两家保证金到账时间相差不超过的分钟数", "minutes between two bond payments", 1, 120
        ),
        "min_sections": Param(
            3, "同一对投标人付款时间相近的最少标段数", "sections in which a pair paid minutes apart", 2, 20
        ),
    }
    DATASETS = ("bid_guarantees", "bid_bonds", "sections")
    BENIGN = (
        (
            "保函平台批量连号出函（须核实是否为同一标段的竞争对手）",
            "A guarantee platform numbering in batches (check the bidders compete in one section)",
        ),
        (
            "代理机构或保函平台客服代为申请（核实申请人身份）",
            "An agency or the platform's help desk applied on the bidders' behalf",
        ),
        ("临近截止时间集中缴纳保证金", "Bonds paid in the rush before the deadline"),
    )
    SQL = """
WITH g AS (
    SELECT x.section_code, x.bidder_uscc, x.guarantee_no, x.issuer, x.applicant_id, x.applicant_phone,
           x.fee_account, length(x.guarantee_no) AS len,
           substr(x.guarantee_no, 1, length(x.guarantee_no) - 6) AS head,
           TRY_CAST(substr(x.guarantee_no, length(x.guarantee_no) - 5) AS BIGINT) AS tail
    FROM bid_guarantees x JOIN sections_in_scope s ON x.section_code = s.section_code
),
same_handler AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.guarantee_no AS a_no,
           b.guarantee_no AS b_no, 'same_applicant_id' AS rule, 'applicant_id' AS field,
           a.applicant_id AS a_val, b.applicant_id AS b_val, 'red' AS severity
    FROM g a JOIN g b ON a.section_code = b.section_code AND a.bidder_uscc < b.bidder_uscc
     AND a.applicant_id = b.applicant_id
    UNION ALL
    SELECT a.section_code, a.bidder_uscc, b.bidder_uscc, a.guarantee_no, b.guarantee_no,
           'same_applicant_phone', 'applicant_phone', a.applicant_phone, b.applicant_phone, 'orange'
    FROM g a JOIN g b ON a.section_code = b.section_code AND a.bidder_uscc < b.bidder_uscc
     AND a.applicant_phone = b.applicant_phone
    UNION ALL
    SELECT a.section_code, a.bidder_uscc, b.bidder_uscc, a.guarantee_no, b.guarantee_no,
           'same_fee_account', 'fee_account', a.fee_account, b.fee_account, 'red'
    FROM g a JOIN g b ON a.section_code = b.section_code AND a.bidder_uscc < b.bidder_uscc
     AND a.fee_account = b.fee_account
    UNION ALL
    -- numbers of one issuer that differ by one in the last six digits (same prefix, same length)
    SELECT a.section_code, a.bidder_uscc, b.bidder_uscc, a.guarantee_no, b.guarantee_no,
           'consecutive_guarantee_numbers', 'guarantee_no', a.guarantee_no, b.guarantee_no, 'orange'
    FROM g a JOIN g b ON a.section_code = b.section_code AND a.bidder_uscc <> b.bidder_uscc
     AND a.issuer = b.issuer AND a.len = b.len AND a.head = b.head AND b.tail = a.tail + 1
),
here_payers AS (
    SELECT DISTINCT b.bidder_uscc FROM bid_bonds b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.paid_at IS NOT NULL
),
paid AS (
    -- Only this scope's bidders' bonds: a pair reported here is two of them, and whether it recurs
    -- depends on their own bonds alone.
    SELECT section_code, bidder_uscc, bond_id, paid_at FROM bid_bonds
    WHERE paid_at IS NOT NULL AND bidder_uscc IN (SELECT bidder_uscc FROM here_payers)
),
close_pay AS (
    -- every section (whole history) where the pair's bonds arrived minutes apart
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.bond_id AS a_id,
           b.bond_id AS b_id, a.paid_at AS a_at, b.paid_at AS b_at
    FROM paid a JOIN paid b ON a.section_code = b.section_code AND a.bidder_uscc < b.bidder_uscc
     AND b.paid_at >= a.paid_at - INTERVAL {max_minutes} MINUTE
     AND b.paid_at <= a.paid_at + INTERVAL {max_minutes} MINUTE
),
recurring AS (
    SELECT a_uscc, b_uscc FROM close_pay GROUP BY a_uscc, b_uscc
    HAVING COUNT(DISTINCT section_code) >= {min_sections}
),
timed AS (
    SELECT c.* FROM close_pay c
    JOIN recurring r ON r.a_uscc = c.a_uscc AND r.b_uscc = c.b_uscc
    JOIN sections_in_scope s ON s.section_code = c.section_code
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id, severity,
       rule, 'bid_guarantees' AS dataset, a_no AS record_key, field, a_val AS value
FROM same_handler
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, rule, 'bid_guarantees', b_no, field, b_val
FROM same_handler
UNION ALL
SELECT section_code, 'section', section_code, a_uscc, 'orange', 'bond_paid_minutes_apart', 'bid_bonds', a_id,
       'paid_at', CAST(a_at AS VARCHAR)
FROM timed
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, 'orange', 'bond_paid_minutes_apart', 'bid_bonds', b_id,
       'paid_at', CAST(b_at AS VARCHAR)
FROM timed
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = locale.startswith("zh")
        who = ("、" if zh else ", ").join(hit.entities)
        labels = {
            "same_applicant_id": ("保函申请人身份证号相同", "the same guarantee applicant ID"),
            "same_applicant_phone": ("保函申请人电话相同", "the same guarantee applicant phone"),
            "same_fee_account": ("保函保费从同一账户支付", "guarantee fees from one account"),
            "consecutive_guarantee_numbers": ("保函编号连号", "consecutive guarantee numbers"),
            "bond_paid_minutes_apart": (
                "保证金多次在数分钟内先后到账",
                "bonds paid minutes apart, repeatedly",
            ),
        }
        what = [labels[r][0 if zh else 1] for r in hit.rules if r in labels]
        values = sorted({e.value for e in hit.evidence if e.rule != "bond_paid_minutes_apart"})[:2]
        if zh:
            return f"投标人{who}：{'；'.join(what)}" + (f"（{'、'.join(values)}）" if values else "")
        return f"Bidders {who}: {'; '.join(what)}" + (f" ({', '.join(values)})" if values else "")
