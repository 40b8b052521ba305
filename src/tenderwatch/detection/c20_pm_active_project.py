"""C20 · 项目经理在建冲突 · Project manager with another active project.

Methodology
    The project manager named in a bid (``bid_personnel``, role ``project_manager``) is looked up by ID
    number in the registry of projects under construction (``construction_projects``, 住建/交通/水利).
    A project counts as live at the bid deadline when it had started on or before the deadline day and
    had not been accepted as completed before it: status active or suspended (no completion), or a
    completion date after the deadline. The project of the bid's own section is left out.

Why it is a red flag
    A registered constructor may lead only one construction project at a time (《注册建造师管理规定》,
    建市〔2010〕10号 practice). A PM still locked on live works is either not going to manage the new
    project (Art. 8(3) of 建市规〔2019〕1号: the PM does not actually manage the works) or his
    certificate is being used by name only.

Evidence
    The named PM and the live project (id, contractor, start, status and completion) for each bid.
    Orange at bid time; the conflict becomes a contract-stage matter if the PM is not released.

Exclusions
    Statutory exceptions that the data can show: another section of the same tender project (adjacent
    sections or phases of the same works), and works completed before the deadline. A project starting
    after the deadline is not a conflict. Suspension for ≥ 120 days with the owner's consent cannot be
    read from the registry and is left to the verifier.

Sources
    DOMAIN.md §1.5 (one project at a time and its three exceptions), §3.2 PERS-02.
"""

from __future__ import annotations

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis


class PmActiveProject(DetectionModel):
    __doc__ = __doc__
    ID = "C20"
    VERSION = 1
    NAME_ZH = "项目经理在建冲突"
    NAME_EN = "Project manager with another active project"
    CATEGORIES = ("performance", "lending")
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《注册建造师管理规定》及执业规定：注册建造师不得同时担任两个及以上建设工程施工项目负责人"
            "（同一工程相邻分段、已竣工验收、非承包方原因停工超过120天经建设单位同意的除外）",
            "Registered-constructor rules: one person may not lead two construction projects at once "
            "(except adjacent sections of one works, completed works, or a stop of 120+ days agreed by the owner)",
        ),
        LegalBasis(
            "《建筑工程施工发包与承包违法行为认定查处管理办法》（建市规〔2019〕1号）第八条第（三）项",
            "建市规〔2019〕1号 Art. 8(3): the project lead does not actually manage the works",
        ),
    )
    DATASETS = ("bid_personnel", "construction_projects", "sections")
    BENIGN = (
        ("在建项目已竣工但竣工验收日期尚未录入", "Works completed but the acceptance date not yet recorded"),
        (
            "在建项目已办理项目经理变更（核实变更备案）",
            "The PM was replaced on the live project (check the record)",
        ),
        (
            "非承包方原因停工超过120天且经建设单位同意",
            "A stop of 120+ days not caused by the contractor, agreed",
        ),
    )
    SQL = """
WITH pm AS (
    SELECT p.section_code, p.bidder_uscc, p.person_id, s.tender_project_code,
           CAST(s.bid_deadline AS DATE) AS deadline_day
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.role = 'project_manager'
),
live AS (
    SELECT pm.section_code, pm.bidder_uscc, pm.person_id, c.project_id, c.contractor_uscc, c.start_date,
           c.status, c.completion_date
    FROM pm JOIN construction_projects c ON c.project_manager_id = pm.person_id
    LEFT JOIN sections own ON own.section_code = c.section_code
    WHERE c.start_date <= pm.deadline_day
      AND (c.completion_date IS NULL OR c.completion_date > pm.deadline_day)
      AND (c.completion_date IS NOT NULL OR c.status IN ('active', 'suspended'))
      AND (c.section_code IS NULL OR c.section_code <> pm.section_code)
      -- adjacent sections or phases of the same works are a statutory exception
      AND (own.tender_project_code IS NULL OR own.tender_project_code <> pm.tender_project_code)
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id,
       'orange' AS severity, 'pm_on_live_project' AS rule, 'construction_projects' AS dataset,
       project_id AS record_key, 'project_manager_id' AS field,
       person_id || ' @ ' || project_id || ' (' || contractor_uscc || ', ' || status || ', since '
       || CAST(start_date AS VARCHAR) || COALESCE(', completed ' || CAST(completion_date AS VARCHAR), '') || ')'
       AS value
FROM live
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        pairs = sorted({e.value.split(" (")[0] for e in hit.evidence})
        who = "、".join(hit.entities) if locale.startswith("zh") else ", ".join(hit.entities)
        if locale.startswith("zh"):
            return f"投标人{who}拟派项目经理在投标截止时仍担任在建项目负责人（{'；'.join(pairs)}）"
        return f"The project manager named by {who} still led live works at the deadline ({'; '.join(pairs)})"
