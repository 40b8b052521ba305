"""C19 · 关键人员非本单位（资质挂靠） · Key personnel not employed by the bidder.

Methodology
    For every project manager, technical, safety and quality lead named in a bid (``bid_personnel``),
    two registries are read as of the bid deadline:
    ``certificate_elsewhere`` — the person holds certificates valid at the deadline (``certificates``,
    住建 四库一平台) and none of them is registered with the bidder;
    ``insured_elsewhere`` — in the months from ``si_months_before`` months before the deadline up to
    the deadline month, the person's pension contributions (``social_insurance``) were recorded for at
    least ``si_min_months`` months and the bidder paid none of them.
    A person with no certificate and no contribution records is not judged (no evidence either way).

Why it is a red flag
    The article's 资质挂靠 case: a bid names key staff whose certificates sit with, and whose insurance
    is paid by, other companies. Borrowed certificates are bidding in another's name (Art. 42) and,
    during works, Art. 8(3) of 建市规〔2019〕1号 (no labour, wage and pension relationship). A mismatch
    is a lead: the labour contract and payroll must be checked.

Evidence
    The named person (``bid_personnel``), the certificate(s) with their registered employer, and the
    paying employer(s) of the contribution months in the window. Red when the other unit is another
    bidder of the same section, or when at least two key persons of the same bid fail; orange otherwise.

Exclusions
    Job changers: one contribution month paid by the bidder in the window, or a certificate moved to
    the bidder before the deadline, clears the person. Contribution lag: months not yet recorded are
    not evidence; fewer than ``si_min_months`` recorded months give no insurance verdict. Authorised
    agents and plain team members are not key staff here (C08 covers them).

Sources
    DOMAIN.md §1.4–1.5, §2 S11, §3.1 (PERS-01); 建市规〔2019〕1号 Art. 8(3), Art. 10; 《注册建造师管理规定》.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class KeyStaffNotEmployed(DetectionModel):
    __doc__ = __doc__
    ID = "C19"
    VERSION = 1
    NAME_ZH = "关键人员非本单位"
    NAME_EN = "Key personnel not employed by the bidder"
    CATEGORIES = ("lending",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十二条：使用通过受让或者租借等方式获取的资格、资质证书投标的，"
            "属于以他人名义投标；提供虚假的项目负责人或者主要技术人员劳动关系证明属于弄虚作假",
            "Implementing Regulations Art. 42: bidding with borrowed certificates is bidding in another's "
            "name; false labour-relationship proofs of the project lead or key technical staff are fraud",
        ),
        LegalBasis(
            "《建筑工程施工发包与承包违法行为认定查处管理办法》（建市规〔2019〕1号）第八条第（三）项、第十条",
            "Ministry rules on illegal contracting (建市规〔2019〕1号) Art. 8(3) and Art. 10",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "si_months_before": Param(
            3, "社保核查窗口：截止月份之前的月数", "insurance window: months before the deadline month", 1, 12
        ),
        "si_min_months": Param(
            2,
            "窗口内至少有多少个月缴费记录才作判断",
            "recorded months needed for an insurance verdict",
            1,
            12,
        ),
    }
    DATASETS = ("bid_personnel", "bids", "certificates", "social_insurance", "sections")
    BENIGN = (
        (
            "近期调动（劳动合同已与投标人签订，社保尚未转入）",
            "A recent job change not yet visible in insurance",
        ),
        (
            "劳务派遣或总公司代缴社保（核实劳动合同与工资发放）",
            "Labour dispatch or head office paying insurance",
        ),
        (
            "退休返聘人员（无养老保险缴费，核实劳动合同）",
            "Re-employed retirees without pension contributions",
        ),
    )
    SQL = """
WITH named AS (
    SELECT p.section_code, p.bidder_uscc, p.role, p.person_id, s.bid_deadline,
           CAST(s.bid_deadline AS DATE) AS deadline_day,
           substr(CAST(s.bid_deadline - INTERVAL {si_months_before} MONTH AS VARCHAR), 1, 7) AS first_month,
           substr(CAST(s.bid_deadline AS VARCHAR), 1, 7) AS last_month
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.role IN ('project_manager', 'technical_lead', 'safety_lead', 'quality_lead')
),
cert AS (
    SELECT n.section_code, n.bidder_uscc, n.role, n.person_id, c.certificate_no, c.employer_uscc
    FROM named n JOIN certificates c ON c.person_id = n.person_id
    WHERE c.valid_from <= n.deadline_day AND (c.valid_to IS NULL OR c.valid_to >= n.deadline_day)
),
cert_verdict AS (
    SELECT section_code, bidder_uscc, person_id
    FROM cert GROUP BY section_code, bidder_uscc, person_id
    HAVING MAX(CASE WHEN employer_uscc = bidder_uscc THEN 1 ELSE 0 END) = 0
),
si AS (
    SELECT n.section_code, n.bidder_uscc, n.person_id, i.month, i.employer_uscc
    FROM named n JOIN social_insurance i
      ON i.person_id = n.person_id AND i.month >= n.first_month AND i.month <= n.last_month
),
si_verdict AS (
    SELECT section_code, bidder_uscc, person_id
    FROM si GROUP BY section_code, bidder_uscc, person_id
    HAVING COUNT(DISTINCT month) >= {si_min_months}
       AND MAX(CASE WHEN employer_uscc = bidder_uscc THEN 1 ELSE 0 END) = 0
),
evidence AS (
    SELECT c.section_code, c.bidder_uscc, c.person_id, 'certificate_elsewhere' AS rule,
           'certificates' AS dataset, c.certificate_no AS record_key, 'employer_uscc' AS field,
           c.employer_uscc AS value
    FROM cert c JOIN cert_verdict v
      ON v.section_code = c.section_code AND v.bidder_uscc = c.bidder_uscc AND v.person_id = c.person_id
    UNION ALL
    SELECT i.section_code, i.bidder_uscc, i.person_id, 'insured_elsewhere', 'social_insurance',
           i.person_id || '|' || MIN(i.month) || '..' || MAX(i.month), 'employer_uscc', i.employer_uscc
    FROM si i JOIN si_verdict v
      ON v.section_code = i.section_code AND v.bidder_uscc = i.bidder_uscc AND v.person_id = i.person_id
    GROUP BY i.section_code, i.bidder_uscc, i.person_id, i.employer_uscc
),
per_bid AS (
    -- red: the other unit bids in the same section, or two or more key persons of the bid fail
    SELECT e.section_code, e.bidder_uscc,
           MAX(CASE WHEN o.bidder_uscc IS NOT NULL THEN 1 ELSE 0 END) AS competitor,
           COUNT(DISTINCT e.person_id) AS persons
    FROM evidence e LEFT JOIN bids o ON o.section_code = e.section_code AND o.bidder_uscc = e.value
    GROUP BY e.section_code, e.bidder_uscc
),
graded AS (
    SELECT e.*, CASE WHEN b.competitor = 1 OR b.persons >= 2 THEN 'red' ELSE 'orange' END AS severity
    FROM evidence e JOIN per_bid b ON b.section_code = e.section_code AND b.bidder_uscc = e.bidder_uscc
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id, severity,
       rule, dataset, record_key, field, value
FROM graded
UNION ALL
SELECT DISTINCT n.section_code, 'section', n.section_code, n.bidder_uscc, g.severity, 'named_key_staff',
       'bid_personnel', n.section_code || '|' || n.bidder_uscc || '|' || n.role || '|' || n.person_id, 'role',
       n.role
FROM named n JOIN graded g
  ON g.section_code = n.section_code AND g.bidder_uscc = n.bidder_uscc AND g.person_id = n.person_id
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = locale.startswith("zh")
        persons = sorted({e.record_key.split("|")[3] for e in hit.evidence if e.rule == "named_key_staff"})
        units = sorted({e.value for e in hit.evidence if e.field == "employer_uscc"})
        who = ("、" if zh else ", ").join(hit.entities)
        if zh:
            return (
                f"投标人{who}的关键人员{'、'.join(persons)}的证书注册或社保缴纳单位为{'、'.join(units)}，"
                "非投标人本单位"
            )
        return (
            f"Key staff {', '.join(persons)} of bidder {who} are registered or insured with "
            f"{', '.join(units)}, not with the bidder"
        )
