"""C12 · 投标文件异常一致 · Abnormally identical bid content.

Methodology
    After opening, the platform fingerprints every paragraph of each decrypted bid file
    (``bid_documents.paragraph_hashes``) and of the tender document (``sections.tender_doc_paragraphs``).
    Within each section, each bid's paragraphs are reduced to its *own* text: paragraphs that also occur
    in the section's tender document (templates, forms, clauses the bidders must repeat) are subtracted,
    and so is boilerplate found in the files of at least ``boilerplate_companies`` companies across the
    province (national standards, stock method statements). Pairs of bidders are then compared by the
    number of own paragraphs they share, against the section's baseline: the mean number shared by the
    section's other pairs. A pair is reported when it shares at least ``min_shared`` own paragraphs and
    that many more than the baseline.

Why it is a red flag
    Independent bidders write their own technical and commercial text; identical passages beyond the
    tender's own wording, including identical mistakes, mean one file was copied from the other or both
    from a common author. Art. 40(4) of the Implementing Regulations deems abnormally identical bid
    files (异常一致) collusive.

Evidence
    Each shared paragraph hash, reported for both bidders, with the count shared and each bid's own
    paragraph count. Red when the shared paragraphs are at least ``red_jaccard`` of the two bids' own
    text taken together (Jaccard); orange otherwise.

Exclusions
    Paragraphs of the section's tender document; province-wide boilerplate; sections where every pair
    shares as much (the baseline absorbs it); empty or placeholder fingerprints.

Sources
    DOMAIN.md §2 S9 (template subtraction, project baseline, ≥30 % shingle Jaccard as red);
    ``yjiao286/xingyicha-bid-rigging-detection`` (reference-file down-weighting, global co-occurrence);
    IACRC "same spelling or calculation errors".
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class IdenticalContent(DetectionModel):
    __doc__ = __doc__
    ID = "C12"
    VERSION = 1
    NAME_ZH = "投标文件异常一致"
    NAME_EN = "Abnormally identical bid content"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（四）项：不同投标人的投标文件异常一致",
            "Implementing Regulations Art. 40(4): bid files of different bidders are abnormally identical",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_shared": Param(
            2, "共有的非招标文件段落至少几段（且高出本标段基线同样多）",
            "own paragraphs a pair must share (and exceed the section's baseline by)", minimum=1,
        ),
        "boilerplate_companies": Param(
            10, "同一段落出现在多少家企业的投标文件中即视为通用文本",
            "companies whose files contain a paragraph for it to count as boilerplate", minimum=3,
        ),
        "red_jaccard": Param(
            0.3, "共有段落占两份文件自有段落并集的比例达到多少为红色",
            "share of the pair's own paragraphs (Jaccard) that makes it red", minimum=0.0, maximum=1.0,
        ),
    }  # fmt: skip
    DATASETS = ("bid_documents", "sections")
    BENIGN = (
        (
            "强制性条文、标准图集或行业通用施工方案（核实共有段落内容）",
            "Mandatory clauses, standard drawings or industry method statements (read the shared text)",
        ),
        (
            "同一咨询机构为不同客户提供的范本（仍需核实是否同一人编制）",
            "A consultant's sample text sold to several clients (check who prepared the files)",
        ),
    )
    SQL = """
WITH words AS (
    SELECT w.section_code, w.bidder_uscc, w.h
    FROM bid_document_paragraphs w JOIN sections_in_scope s ON w.section_code = s.section_code
),
boilerplate AS (
    -- Counted over the market for this scope's paragraphs only (lake/derived.py keeps them split).
    -- (a join, not IN: DuckDB then pushes the scope's paragraphs into the scan of the sorted table)
    SELECT p.h FROM bid_document_paragraphs p JOIN (SELECT DISTINCT h FROM words) w ON p.h = w.h
    WHERE p.h <> ''
    GROUP BY p.h HAVING COUNT(DISTINCT p.bidder_uscc) >= {boilerplate_companies}
),
tender AS (
    SELECT DISTINCT section_code, lower(trim(h)) AS h
    FROM (SELECT section_code, unnest(string_split(tender_doc_paragraphs, ';')) AS h
          FROM sections_in_scope WHERE tender_doc_paragraphs IS NOT NULL) x
),
own AS (
    SELECT DISTINCT w.section_code, w.bidder_uscc, w.h
    FROM words w
    LEFT JOIN tender t ON w.section_code = t.section_code AND w.h = t.h
    LEFT JOIN boilerplate b ON w.h = b.h
    WHERE w.h <> '' AND t.h IS NULL AND b.h IS NULL
),
sizes AS (SELECT section_code, bidder_uscc, COUNT(*) AS n FROM own GROUP BY section_code, bidder_uscc),
files AS (
    SELECT d.section_code, COUNT(DISTINCT d.bidder_uscc) AS n
    FROM bid_documents d JOIN sections_in_scope s ON d.section_code = s.section_code
    GROUP BY d.section_code
),
shared AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, COUNT(*) AS k
    FROM own a JOIN own b ON a.section_code = b.section_code AND a.h = b.h AND a.bidder_uscc < b.bidder_uscc
    GROUP BY a.section_code, a.bidder_uscc, b.bidder_uscc
),
rated AS (
    SELECT sh.section_code, sh.a_uscc, sh.b_uscc, sh.k, sa.n AS a_n, sb.n AS b_n,
           -- the mean shared by the section's other pairs (pairs sharing nothing count as 0)
           CASE WHEN f.n * (f.n - 1) / 2 > 1
                THEN (SUM(sh.k) OVER (PARTITION BY sh.section_code) - sh.k) * 1.0 / (f.n * (f.n - 1) / 2 - 1)
                ELSE 0 END AS baseline
    FROM shared sh JOIN files f ON sh.section_code = f.section_code
    JOIN sizes sa ON sh.section_code = sa.section_code AND sh.a_uscc = sa.bidder_uscc
    JOIN sizes sb ON sh.section_code = sb.section_code AND sh.b_uscc = sb.bidder_uscc
),
flagged AS (
    SELECT section_code, a_uscc, b_uscc, k, a_n, b_n,
           CASE WHEN k >= {red_jaccard} * (a_n + b_n - k) THEN 'red' ELSE 'orange' END AS severity
    FROM rated WHERE k >= {min_shared} AND k - baseline >= {min_shared}
),
evidence AS (
    SELECT f.section_code, f.a_uscc, f.b_uscc, f.severity, o.h,
           CAST(f.k AS VARCHAR) || ' shared; own ' || CAST(f.a_n AS VARCHAR) || '/' || CAST(f.b_n AS VARCHAR)
               AS summary
    FROM flagged f JOIN own a ON a.section_code = f.section_code AND a.bidder_uscc = f.a_uscc
    JOIN own o ON o.section_code = f.section_code AND o.bidder_uscc = f.b_uscc AND o.h = a.h
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id, severity,
       'shared_paragraphs' AS rule, 'bid_documents' AS dataset, section_code || '|' || a_uscc AS record_key,
       'paragraph_hashes' AS field, h AS value
FROM evidence
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, 'shared_paragraphs', 'bid_documents',
       section_code || '|' || b_uscc, 'paragraph_hashes', h
FROM evidence
UNION ALL
SELECT DISTINCT section_code, 'section', section_code, a_uscc, severity, 'shared_paragraphs', 'bid_documents',
       section_code || '|' || a_uscc || '|' || b_uscc, 'shared_count', summary
FROM evidence
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        hashes = sorted({e.value for e in hit.evidence if e.field == "paragraph_hashes"})
        shown = "、".join(hashes[:5]) + ("…" if len(hashes) > 5 else "")
        if locale.startswith("zh"):
            return (
                f"投标人{'与'.join(hit.entities)}的投标文件有{len(hashes)}段招标文件以外的相同内容"
                f"（段落指纹 {shown}）"
            )
        return (
            f"The bid files of {' and '.join(hit.entities)} share {len(hashes)} paragraphs not in the "
            f"tender document (hashes {shown.replace('、', ', ')})"
        )
