"""C06 · 同一人办理投标事宜 · Same handler of bidding matters.

Methodology
    Within each section, the people who handled each bid are gathered from every channel: the bid
    operator (``bids.operator_id``, ``operator_phone``), the authorised agent named in the bid
    (``bid_personnel``, role agent), the applicant of the electronic bid guarantee (``bid_guarantees``)
    and the person who obtained the bid's CA certificate (``bid_fingerprints.ca_serial`` →
    ``ca_certificates``). Two bidders are matched when the same ID number, or the same phone, handled
    both, through the same channel or through different ones (A's operator is B's agent).
    A phone given by many companies across the province (``common_phone_companies``) is an agency's or
    the trading centre's switchboard and is left out; ID numbers are never left out (they are a person).

Why it is a red flag
    Competitors entrusting one person with their bidding matters is deemed collusion by Art. 40(2) of
    the Implementing Regulations: the bids are run from one desk. A person who does this for many
    companies is a broker (黄牛, C18).

Evidence
    For each pair of bidders: the channel (field) and the shared ID number or phone in each bid.
    Red: the same operator or agent (ID or phone) on both bids. Orange: the match involves only the
    guarantee applicant or the CA handler (a service outlet may apply on a client's behalf).

Exclusions
    Phones shared by at least ``common_phone_companies`` companies; name-only matches; null placeholders.
    Company registration phones are not compared (an agency's landline registered for its clients is
    not a handler).

Sources
    DOMAIN.md §2 S6 (``GY_TENDER_LIST`` BIDDER_OPERATION_PERSON_ID / _CON), §2 S4 (CA handler), §2 S5
    (guarantee applicant); Open Contracting R044 (shared contact points).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

_FIELD_ZH = {
    "operator_id": "投标操作人身份证号",
    "operator_phone": "投标操作人电话",
    "person_id": "委托代理人身份证号",
    "phone": "委托代理人电话",
    "applicant_id": "保函申请人身份证号",
    "applicant_phone": "保函申请人电话",
    "handler_id": "CA经办人身份证号",
    "handler_phone": "CA经办人电话",
}


class SameHandler(DetectionModel):
    __doc__ = __doc__
    ID = "C06"
    VERSION = 1
    NAME_ZH = "同一人办理投标事宜"
    NAME_EN = "Same handler of bidding matters"
    CATEGORIES = ("collusion", "broker")
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（二）项：不同投标人委托同一单位或者个人办理投标事宜",
            "Implementing Regulations Art. 40(2): different bidders entrust the same unit or person with "
            "their bidding matters",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "common_phone_companies": Param(
            10,
            "同一电话被多少家企业使用即视为代理机构或交易中心总机",
            "companies sharing a phone for it to count as an agency's or the centre's switchboard",
            minimum=3,
        ),
    }
    DATASETS = ("bids", "bid_personnel", "bid_guarantees", "bid_fingerprints", "ca_certificates", "sections")
    BENIGN = (
        (
            "代理机构或保函服务网点代为办理（核实经办人是否为服务机构职员）",
            "An agency or guarantee outlet acting for clients (check whether the handler works for one)",
        ),
        (
            "电话号码录入错误或为代理机构总机",
            "A mistyped phone number or an agency switchboard",
        ),
    )
    SQL = """
WITH handled AS (
    -- Who handled each bid of this scope, by id or phone.
    SELECT b.section_code, b.bidder_uscc, 'bids' AS dataset, b.section_code || '|' || b.bidder_uscc AS record_key,
           'operator_id' AS field, 'id' AS kind, b.operator_id AS value, 1 AS direct
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code WHERE b.operator_id IS NOT NULL
    UNION ALL
    SELECT b.section_code, b.bidder_uscc, 'bids', b.section_code || '|' || b.bidder_uscc, 'operator_phone', 'phone',
           b.operator_phone, 1
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code WHERE b.operator_phone IS NOT NULL
    UNION ALL
    SELECT p.section_code, p.bidder_uscc, 'bid_personnel',
           p.section_code || '|' || p.bidder_uscc || '|' || p.role || '|' || p.person_id, 'person_id', 'id',
           p.person_id, 1
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.role = 'agent' AND p.person_id IS NOT NULL
    UNION ALL
    SELECT p.section_code, p.bidder_uscc, 'bid_personnel',
           p.section_code || '|' || p.bidder_uscc || '|' || p.role || '|' || p.person_id, 'phone', 'phone',
           p.phone, 1
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.role = 'agent' AND p.phone IS NOT NULL
    UNION ALL
    SELECT g.section_code, g.bidder_uscc, 'bid_guarantees', g.guarantee_no, 'applicant_id', 'id', g.applicant_id, 0
    FROM bid_guarantees g JOIN sections_in_scope s ON g.section_code = s.section_code
    WHERE g.applicant_id IS NOT NULL
    UNION ALL
    SELECT g.section_code, g.bidder_uscc, 'bid_guarantees', g.guarantee_no, 'applicant_phone', 'phone',
           g.applicant_phone, 0
    FROM bid_guarantees g JOIN sections_in_scope s ON g.section_code = s.section_code
    WHERE g.applicant_phone IS NOT NULL
    UNION ALL
    SELECT f.section_code, f.bidder_uscc, 'ca_certificates', c.ca_serial, 'handler_id', 'id', c.handler_id, 0
    FROM bid_fingerprints f JOIN sections_in_scope s ON f.section_code = s.section_code
    JOIN ca_certificates c ON f.ca_serial = c.ca_serial
    WHERE c.handler_id IS NOT NULL
    UNION ALL
    SELECT f.section_code, f.bidder_uscc, 'ca_certificates', c.ca_serial, 'handler_phone', 'phone',
           c.handler_phone, 0
    FROM bid_fingerprints f JOIN sections_in_scope s ON f.section_code = s.section_code
    JOIN ca_certificates c ON f.ca_serial = c.ca_serial
    WHERE c.handler_phone IS NOT NULL
),
phones_here AS (SELECT DISTINCT value FROM handled WHERE kind = 'phone'),
phone_users AS (
    -- Every company in the market that gave one of those phones, in any of the same four places: the
    -- switchboard figure is computed for this scope's phones alone, not for the whole market's.
    SELECT operator_phone AS value, bidder_uscc FROM bids WHERE operator_phone IN (SELECT value FROM phones_here)
    UNION ALL
    SELECT phone, bidder_uscc FROM bid_personnel
    WHERE role = 'agent' AND phone IN (SELECT value FROM phones_here)
    UNION ALL
    SELECT applicant_phone, bidder_uscc FROM bid_guarantees WHERE applicant_phone IN (SELECT value FROM phones_here)
    UNION ALL
    SELECT c.handler_phone, f.bidder_uscc FROM bid_fingerprints f JOIN ca_certificates c ON f.ca_serial = c.ca_serial
    WHERE c.handler_phone IN (SELECT value FROM phones_here)
),
switchboard AS (
    SELECT value FROM phone_users GROUP BY value HAVING COUNT(DISTINCT bidder_uscc) >= {common_phone_companies}
),
usable AS (
    SELECT h.* FROM handled h WHERE NOT (h.kind = 'phone' AND h.value IN (SELECT value FROM switchboard))
),
pairs AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.kind, a.value,
           a.dataset AS a_dataset, a.record_key AS a_key, a.field AS a_field,
           b.dataset AS b_dataset, b.record_key AS b_key, b.field AS b_field,
           CASE WHEN a.direct = 1 AND b.direct = 1 THEN 'red' ELSE 'orange' END AS severity
    FROM usable a JOIN usable b
      ON a.section_code = b.section_code AND a.kind = b.kind AND a.value = b.value
     AND a.bidder_uscc < b.bidder_uscc
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id, severity,
       'same_handler_' || kind AS rule, a_dataset AS dataset, a_key AS record_key, a_field AS field, value
FROM pairs
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, 'same_handler_' || kind, b_dataset, b_key,
       b_field, value
FROM pairs
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        fields = sorted({e.field for e in hit.evidence})
        values = sorted({e.value for e in hit.evidence})
        if locale.startswith("zh"):
            what = "、".join(_FIELD_ZH.get(f, f) for f in fields)
            return f"投标人{'与'.join(hit.entities)}由同一人办理投标事宜（{what}：{'、'.join(values)}）"
        return (
            f"Bidders {' and '.join(hit.entities)} had their bidding handled by the same person "
            f"({', '.join(fields)}: {', '.join(values)})"
        )
