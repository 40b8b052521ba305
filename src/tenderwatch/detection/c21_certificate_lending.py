"""C21 · 人员证书挂证、一证多用 · One person used by several companies (certificate lending).

Methodology
    About a person, across sections. ``key_staff_two_companies`` — the person is named as project
    manager, technical, safety or quality lead (``bid_personnel``) by two different companies in two
    different sections whose deadlines lie at most ``window_days`` days apart, and at least one of the
    two companies did not employ the person at its deadline (neither paid the person's pension
    contribution for the deadline month nor held a certificate of the person valid that day).
    ``double_insurance`` — the person's contributions for one month were paid by two or more employers
    (``social_insurance``) in the months from ``si_months_before`` months before the deadline of a bid
    that names the person as key staff up to that deadline month. Reported when such a bid belongs to
    a section in scope; earlier history is read from all sections.

Why it is a red flag
    A registered constructor may practise for one unit only and may not be registered with two
    (《注册建造师管理规定》; 建注函〔2010〕10号). A person offered by several companies at once, or insured
    by two, is the certificate-for-hire pattern (挂证) behind qualification lending and brokers.

Evidence
    Each naming (section, company, role, deadline day) and, for double insurance, each employer's
    contribution record for the month. Orange.

Exclusions
    Job changers: two namings each covered by the naming company's employment at its own deadline (a
    move between the bids) are not reported. The same person named by two bidders of one section is
    Art. 40(3) and reported by C07; namings in such a section are left to it. Null or placeholder IDs never match.

Sources
    DOMAIN.md §1.5, §3.2 PERS-03, §3.3 (broker register: persons acting for several companies).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class CertificateLending(DetectionModel):
    __doc__ = __doc__
    ID = "C21"
    VERSION = 1
    NAME_ZH = "人员证书挂证、一证多用"
    NAME_EN = "One person used by several companies"
    CATEGORIES = ("lending", "broker")
    SEVERITY = "orange"
    SUBJECT = "person"
    LEGAL_BASIS = (
        LegalBasis(
            "《注册建造师管理规定》：注册建造师只能受聘于一个单位，不得同时在两个及以上单位注册",
            "Registered-constructor rules: one employer only; no registration with two or more units",
        ),
        LegalBasis(
            "《招标投标法实施条例》第四十二条：使用通过受让或者租借等方式获取的资格、资质证书投标",
            "Implementing Regulations Art. 42: bidding with certificates obtained by transfer or renting",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "window_days": Param(
            90, "两家企业使用同一人的最大间隔天数", "days between two companies' namings", 1, 365
        ),
        "si_months_before": Param(
            3,
            "双重参保核查窗口：截止月份之前的月数",
            "double-insurance window: months before the deadline",
            0,
            12,
        ),
    }
    DATASETS = ("bid_personnel", "sections", "certificates", "social_insurance")
    BENIGN = (
        (
            "人员正常调动（前后两家单位均有劳动关系证明）",
            "A normal job change with both employments documented",
        ),
        ("社保转移当月两地重复缴费", "Both employers paying in the month of a transfer"),
    )
    SQL = """
WITH shared_in_section AS (
    -- a person named by two bidders of one section is Art. 40(3), reported by C07
    SELECT section_code, person_id FROM bid_personnel
    GROUP BY section_code, person_id HAVING COUNT(DISTINCT bidder_uscc) >= 2
),
named AS (
    SELECT p.section_code, p.bidder_uscc, p.role, p.person_id, s.bid_deadline,
           CAST(s.bid_deadline AS DATE) AS day, substr(CAST(s.bid_deadline AS VARCHAR), 1, 7) AS month
    FROM bid_personnel p JOIN sections s ON p.section_code = s.section_code
    LEFT JOIN shared_in_section x ON x.section_code = p.section_code AND x.person_id = p.person_id
    WHERE p.role IN ('project_manager', 'technical_lead', 'safety_lead', 'quality_lead')
      AND x.person_id IS NULL
),
covered AS (
    -- was the naming company the person's employer at its own deadline (insurance or certificate)?
    SELECT n.section_code, n.bidder_uscc, n.role, n.person_id, n.bid_deadline, n.day,
           MAX(CASE WHEN i.person_id IS NOT NULL OR c.person_id IS NOT NULL THEN 1 ELSE 0 END) AS employed
    FROM named n
    LEFT JOIN social_insurance i
      ON i.person_id = n.person_id AND i.month = n.month AND i.employer_uscc = n.bidder_uscc
    LEFT JOIN certificates c
      ON c.person_id = n.person_id AND c.employer_uscc = n.bidder_uscc AND c.valid_from <= n.day
     AND (c.valid_to IS NULL OR c.valid_to >= n.day)
    GROUP BY n.section_code, n.bidder_uscc, n.role, n.person_id, n.bid_deadline, n.day
),
multi AS (
    -- only people named by two or more companies can be shared; most are named by their own firm
    -- alone, and leaving them out keeps the self-join below from squaring every firm's staff list
    SELECT person_id FROM covered GROUP BY person_id HAVING COUNT(DISTINCT bidder_uscc) >= 2
),
shared AS (
    SELECT c.* FROM covered c JOIN multi m ON m.person_id = c.person_id
),
two AS (
    SELECT a.person_id, a.section_code AS a_sec, a.bidder_uscc AS a_co, a.role AS a_role, a.day AS a_day,
           b.section_code AS b_sec, b.bidder_uscc AS b_co, b.role AS b_role, b.day AS b_day
    FROM shared a JOIN shared b
      ON a.person_id = b.person_id AND a.bidder_uscc <> b.bidder_uscc AND a.section_code <> b.section_code
     AND a.bid_deadline <= b.bid_deadline AND b.bid_deadline <= a.bid_deadline + INTERVAL {window_days} DAY
    WHERE a.employed = 0 OR b.employed = 0
),
doubled AS (
    SELECT person_id, month FROM social_insurance GROUP BY person_id, month
    HAVING COUNT(DISTINCT employer_uscc) >= 2
),
double_si AS (
    -- start from the few doubly insured person-months, then widen to their records and namings
    SELECT n.person_id, n.section_code, n.bidder_uscc, n.role, n.day, i.month, i.employer_uscc
    FROM doubled d
    JOIN named n ON n.person_id = d.person_id
     AND d.month >= substr(CAST(n.bid_deadline - INTERVAL {si_months_before} MONTH AS VARCHAR), 1, 7)
     AND d.month <= n.month
    JOIN social_insurance i ON i.person_id = d.person_id AND i.month = d.month
),
rows AS (
    SELECT person_id, a_sec AS section_code, a_co AS entity, 'key_staff_two_companies' AS rule,
           'bid_personnel' AS ds, a_sec || '|' || a_co || '|' || a_role || '|' || person_id AS rec,
           'role' AS field, a_role || ' ' || CAST(a_day AS VARCHAR) AS value, a_sec AS shown
    FROM two
    UNION ALL
    SELECT person_id, b_sec, b_co, 'key_staff_two_companies', 'bid_personnel',
           b_sec || '|' || b_co || '|' || b_role || '|' || person_id, 'role', b_role || ' ' || CAST(b_day AS VARCHAR),
           b_sec
    FROM two
    UNION ALL
    SELECT person_id, section_code, employer_uscc, 'double_insurance', 'social_insurance',
           person_id || '|' || month || '|' || employer_uscc, 'employer_uscc', employer_uscc, section_code
    FROM double_si
    UNION ALL
    SELECT DISTINCT person_id, section_code, bidder_uscc, 'double_insurance', 'bid_personnel',
           section_code || '|' || bidder_uscc || '|' || role || '|' || person_id, 'role',
           role || ' ' || CAST(day AS VARCHAR), section_code
    FROM double_si
),
reported AS (
    -- a person is reported when one of the sections where the pattern shows is in scope
    SELECT r.person_id, MAX(r.shown) AS section_code
    FROM rows r JOIN sections_in_scope s ON s.section_code = r.shown
    GROUP BY r.person_id
)
SELECT DISTINCT p.section_code, 'person' AS subject_type, r.person_id AS subject_id, r.entity AS entity_id,
       'orange' AS severity, r.rule, r.ds AS dataset, r.rec AS record_key, r.field, r.value
FROM rows r JOIN reported p ON p.person_id = r.person_id
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = locale.startswith("zh")
        who = ("、" if zh else ", ").join(hit.entities)
        double = "double_insurance" in hit.rules
        if zh:
            tail = "，且同月由两家单位缴纳社保" if double else ""
            return f"人员{hit.subject_id}在90天内被{who}等多家企业作为关键人员使用{tail}"
        tail = ", insured by two employers in one month" if double else ""
        return f"Person {hit.subject_id} was used as key staff by {who}{tail}"
