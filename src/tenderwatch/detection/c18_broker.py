"""C18 · 黄牛库命中 · Broker acting for competing bidders.

Methodology
    Every trace of a natural person handling a bidder's affairs is gathered from the whole history:
    bid operator (``bids.operator_id`` / ``operator_phone``), e-guarantee applicant
    (``bid_guarantees.applicant_id`` / ``applicant_phone``), CA-certificate handler
    (``ca_certificates.handler_id`` / ``handler_phone``) and the company's registered contact phone
    (``companies.phone``). A phone is resolved to the person registered with it (``persons.phone``,
    when exactly one person has it), otherwise the phone itself stands for the unknown person.
    A person is a broker candidate when they act for at least ``min_companies`` companies that are
    not related to each other (same legal representative or a direct shareholding makes two companies
    one), **and** at least two of those unrelated companies bid in the same section, **and** the person
    is not on the payroll of any of them (social insurance paid by a client: that employee handling a
    rival's bid is the same-handler collusion of C06, not a broker). Each such
    in-scope section is a hit on the person; the evidence names every client in it and how the person
    is tied to it.

Why it is a red flag
    A broker (标贩子) organises collusion by operating several "competitors" at once; the same hand
    behind two bids of one section is deemed collusion (Implementing Regulations Art. 40(1)–(2)).
    Consultants may serve many clients, but never competitors in one section — that test is decisive.

Evidence
    The records tying the person to each client (dataset, key, field, value), per section where two
    or more clients competed. Red.

Exclusions
    Persons acting for related companies only; employees of a client (C06 covers them); phones shared by clients that never meet in a section
    (a tender agency's landline used as clients' contact number); tender agencies, who act for
    tenderers (their records are not bidder-side traces); nulls never match.

Sources
    DOMAIN.md §3.3 (broker register) and §2 S6; Implementing Regulations Art. 40.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class Broker(DetectionModel):
    __doc__ = __doc__
    ID = "C18"
    VERSION = 1
    NAME_ZH = "黄牛库命中"
    NAME_EN = "Broker acting for competing bidders"
    CATEGORIES = ("broker", "collusion")
    SEVERITY = "red"
    SUBJECT = "person"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（一）（二）项：不同投标人的投标文件由同一单位或者个人编制、"
            "委托同一单位或者个人办理投标事宜",
            "Implementing Regulations Art. 40(1)–(2): bid files made by, or bidding handled by, one person",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_companies": Param(3, "代办的无关联企业最少数量", "minimum unrelated companies handled", 2),
    }
    DATASETS = (
        "bids",
        "bid_guarantees",
        "ca_certificates",
        "companies",
        "persons",
        "shareholders",
        "social_insurance",
    )
    BENIGN = (
        (
            "合法的咨询或代理服务（核查是否同一标段服务竞争对手）",
            "A legitimate consultant (check same-section service)",
        ),
        ("集团内部统一办理（核查关联关系）", "Handled centrally inside one group (check the relation)"),
    )
    SQL = """
WITH traces AS (
    SELECT operator_id AS pid, NULL AS phone, bidder_uscc AS company, 'bids' AS dataset,
           section_code || '|' || bidder_uscc AS record_key, 'operator_id' AS field, operator_id AS value
    FROM bids WHERE operator_id IS NOT NULL
    UNION ALL
    SELECT NULL, operator_phone, bidder_uscc, 'bids', section_code || '|' || bidder_uscc, 'operator_phone',
           operator_phone FROM bids WHERE operator_phone IS NOT NULL AND operator_id IS NULL
    UNION ALL
    SELECT applicant_id, NULL, bidder_uscc, 'bid_guarantees', guarantee_no, 'applicant_id', applicant_id
    FROM bid_guarantees WHERE applicant_id IS NOT NULL
    UNION ALL
    SELECT NULL, applicant_phone, bidder_uscc, 'bid_guarantees', guarantee_no, 'applicant_phone', applicant_phone
    FROM bid_guarantees WHERE applicant_phone IS NOT NULL AND applicant_id IS NULL
    UNION ALL
    SELECT handler_id, NULL, holder_uscc, 'ca_certificates', ca_serial, 'handler_id', handler_id
    FROM ca_certificates WHERE handler_id IS NOT NULL
    UNION ALL
    SELECT NULL, handler_phone, holder_uscc, 'ca_certificates', ca_serial, 'handler_phone', handler_phone
    FROM ca_certificates WHERE handler_phone IS NOT NULL AND handler_id IS NULL
    UNION ALL
    SELECT NULL, phone, uscc, 'companies', uscc, 'phone', phone FROM companies WHERE phone IS NOT NULL
),
phone_owner AS (
    SELECT phone, MIN(person_id) AS pid FROM persons WHERE phone IS NOT NULL
    GROUP BY phone HAVING COUNT(DISTINCT person_id) = 1
),
acts AS (
    SELECT DISTINCT COALESCE(t.pid, o.pid, t.phone) AS handle, t.company, t.dataset, t.record_key, t.field, t.value
    FROM traces t LEFT JOIN phone_owner o ON t.pid IS NULL AND o.phone = t.phone
    WHERE t.company IS NOT NULL
),
related AS (
    SELECT x.uscc AS a, y.uscc AS b FROM companies x JOIN companies y
      ON x.legal_rep_id = y.legal_rep_id AND x.uscc <> y.uscc
    UNION ALL
    SELECT company_uscc, holder_id FROM shareholders WHERE holder_type = 'company'
    UNION ALL
    SELECT holder_id, company_uscc FROM shareholders WHERE holder_type = 'company'
),
clients AS (SELECT DISTINCT handle, company FROM acts),
-- Unrelated clients: a client counts unless a related client with a smaller code stands for it.
unrelated AS (
    SELECT c.handle, c.company FROM clients c
    WHERE NOT EXISTS (
        SELECT 1 FROM clients d JOIN related r ON r.a = c.company AND r.b = d.company
        WHERE d.handle = c.handle AND d.company < c.company)
),
-- An employee (social insurance paid by one of the companies) handling a rival's bid is the
-- same-handler collusion of C06; a broker stands outside the firms they serve.
employees AS (
    SELECT DISTINCT c.handle FROM clients c
    JOIN social_insurance si ON si.person_id = c.handle AND si.employer_uscc = c.company
),
brokers AS (
    SELECT u.handle FROM unrelated u LEFT JOIN employees e ON e.handle = u.handle
    WHERE e.handle IS NULL GROUP BY u.handle HAVING COUNT(*) >= {min_companies}
),
competing AS (
    SELECT b1.section_code, u1.handle, u1.company
    FROM brokers k
    JOIN unrelated u1 ON u1.handle = k.handle
    JOIN unrelated u2 ON u2.handle = k.handle AND u2.company <> u1.company
    JOIN bids b1 ON b1.bidder_uscc = u1.company
    JOIN bids b2 ON b2.bidder_uscc = u2.company AND b2.section_code = b1.section_code
    LEFT JOIN related r ON r.a = u1.company AND r.b = u2.company
    WHERE r.a IS NULL
),
in_scope AS (
    SELECT DISTINCT c.section_code, c.handle, c.company
    FROM competing c JOIN sections_in_scope s ON s.section_code = c.section_code
)
SELECT i.section_code, 'person' AS subject_type, i.handle AS subject_id, i.company AS entity_id,
       'red' AS severity, 'acts_for_competitors' AS rule, a.dataset, a.record_key, a.field, a.value
FROM in_scope i JOIN acts a ON a.handle = i.handle AND a.company = i.company
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        who = "、".join(hit.entities)
        if locale.startswith("zh"):
            return f"{hit.subject_id} 同时为多家无关联企业办理投标事宜，其中 {who} 在标段 {hit.section_code} 相互竞争"
        return (
            f"{hit.subject_id} handles bidding for several unrelated firms; {', '.join(hit.entities)} "
            f"competed in section {hit.section_code}"
        )
