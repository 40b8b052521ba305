"""C03 · 文件创建标识码、文档属性雷同 · Same document identity.

Methodology
    Within each section, the identity properties written into every decrypted bid file
    (``bid_documents``: DOCX rsidRoot, PDF document id, author and last-modified-by, company property)
    are compared between bidders. Identifiers that come from the tender document are subtracted first:
    an rsidRoot equal to the rsidRoot of any tender document (``sections.tender_doc_rsid``), and an
    author equal to the section's tender-document author, are inherited from the template the tenderer
    or agency handed out. Default software authors (Administrator, 微软用户, User, lenovo …) never
    count, nor does any author, company property or rsidRoot found in the files of at least
    ``common_value_companies`` companies in the province: that is a default, a downloaded template or
    a common personal name, not one hand. Authors and last-modified-by are compared with each other
    (A's author may be B's last editor). A personal name is not a person: when each file's author is
    its own bidder's operator (``bids.operator_name``) and the two operators' ID numbers differ, the
    match is two clerks sharing a name and is dropped.

Why it is a red flag
    An rsidRoot or a PDF document id is created once, when a file is first saved; two "independent"
    bids that carry the same one were derived from one file. The same personal author or company
    property shows the same person or firm wrote both. Art. 40(1) of the Implementing Regulations deems
    bid files made by the same unit or person collusive.

Evidence
    For each pair of bidders: the matching property and its value from each ``bid_documents`` record.
    Red: same rsidRoot or PDF document id. Orange: same non-default author, last-modified-by or company
    property.

Exclusions
    Identifiers present in the tender documents; default and province-common authors and templates;
    namesakes (each author is its own bidder's operator, different ID numbers); null placeholders.

Sources
    DOMAIN.md §2 S3; ``yjiao286/xingyicha-bid-rigging-detection`` (creator, last saver, default names
    filtered); ``dididididudu/Bid-collusion-inspection`` (PDF ``/ID[0]``, author).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

# Authors that office software or a pre-installed system writes by default (lower-cased).
DEFAULT_AUTHORS = (
    "administrator", "admin", "user", "owner", "微软用户", "微软中国", "windows 用户", "windows user",
    "lenovo", "dell", "hp", "asus", "acer", "thinkpad", "microsoft", "china", "pc", "walkinnet",
    "雨林木风", "番茄花园", "深度技术", "系统之家", "wps", "kingsoft",
)  # fmt: skip
_DEFAULTS_SQL = ", ".join(f"'{a}'" for a in DEFAULT_AUTHORS)
_FIELD_ZH = {
    "rsid_root": "修订标识rsidRoot",
    "pdf_document_id": "PDF文档标识",
    "author": "文档作者",
    "last_modified_by": "最后修改人",
    "company_property": "文档单位属性",
}


class SameDocumentIdentity(DetectionModel):
    __doc__ = __doc__
    ID = "C03"
    VERSION = 1
    NAME_ZH = "文件创建标识码、文档属性雷同"
    NAME_EN = "Same document identity"
    CATEGORIES = ("collusion",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（一）项：不同投标人的投标文件由同一单位或者个人编制",
            "Implementing Regulations Art. 40(1): bid files of different bidders made by one unit or person",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "common_value_companies": Param(
            6,
            "同一作者、单位属性或rsidRoot出现在多少家企业的文件中即视为默认值或通用模板",
            "companies whose files carry an author, company property or rsidRoot for it to count as a "
            "default or a common template",
            minimum=3,
        ),
    }
    DATASETS = ("bid_documents", "bids", "sections")
    BENIGN = (
        (
            "招标人或代理机构下发的DOCX模板（核实招标文件的rsid与作者）",
            "A DOCX template handed out by the tenderer or agency (check the tender file's rsid and author)",
        ),
        (
            "同一代理机构为不同客户编制文件的默认账户",
            "A default account on software used by an agency for several clients",
        ),
    )
    SQL = f"""
WITH docs AS (
    SELECT d.* FROM bid_documents d JOIN sections_in_scope s ON d.section_code = s.section_code
),
props AS (
    SELECT d.section_code, d.bidder_uscc, 'rsid_root' AS field, 'rsid' AS kind, d.rsid_root AS value
    FROM docs d WHERE d.rsid_root IS NOT NULL
    UNION ALL
    SELECT d.section_code, d.bidder_uscc, 'pdf_document_id', 'pdf', d.pdf_document_id
    FROM docs d WHERE d.pdf_document_id IS NOT NULL
    UNION ALL
    SELECT d.section_code, d.bidder_uscc, 'author', 'person', d.author
    FROM docs d WHERE d.author IS NOT NULL
    UNION ALL
    SELECT d.section_code, d.bidder_uscc, 'last_modified_by', 'person', d.last_modified_by
    FROM docs d WHERE d.last_modified_by IS NOT NULL
    UNION ALL
    SELECT d.section_code, d.bidder_uscc, 'company_property', 'company', d.company_property
    FROM docs d WHERE d.company_property IS NOT NULL
),
rsids AS (SELECT value FROM props WHERE kind = 'rsid'),
persons AS (SELECT value FROM props WHERE kind = 'person'),
companies AS (SELECT value FROM props WHERE kind = 'company'),
market AS (
    -- The market's documents carrying one of this scope's values: the "common value" figure is
    -- computed for them alone, not for every value of the market.
    SELECT 'rsid' AS kind, rsid_root AS value, bidder_uscc FROM bid_documents WHERE rsid_root IN (SELECT value FROM rsids)
    UNION ALL
    SELECT 'person', author, bidder_uscc FROM bid_documents WHERE author IN (SELECT value FROM persons)
    UNION ALL
    SELECT 'person', last_modified_by, bidder_uscc FROM bid_documents
    WHERE last_modified_by IN (SELECT value FROM persons)
    UNION ALL
    SELECT 'company', company_property, bidder_uscc FROM bid_documents
    WHERE company_property IN (SELECT value FROM companies)
),
common AS (
    SELECT kind, value FROM market
    GROUP BY kind, value HAVING COUNT(DISTINCT bidder_uscc) >= {{common_value_companies}}
),
usable AS (
    SELECT p.*, CASE WHEN p.kind = 'person' AND p.value = b.operator_name THEN 1 ELSE 0 END AS own_clerk,
           b.operator_id
    FROM props p JOIN sections_in_scope s ON p.section_code = s.section_code
    LEFT JOIN bids b ON p.section_code = b.section_code AND p.bidder_uscc = b.bidder_uscc
    LEFT JOIN common c ON p.kind = c.kind AND p.value = c.value
    WHERE c.value IS NULL
      AND NOT (p.kind = 'rsid' AND p.value IN (
          SELECT tender_doc_rsid FROM sections WHERE tender_doc_rsid IS NOT NULL))
      AND NOT (p.kind = 'person' AND p.value = COALESCE(s.tender_doc_author, ''))
      AND NOT (p.kind IN ('person', 'company') AND lower(trim(p.value)) IN ({_DEFAULTS_SQL}))
),
pairs AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.kind, a.value,
           a.field AS a_field, b.field AS b_field,
           CASE WHEN a.kind IN ('rsid', 'pdf') THEN 'red' ELSE 'orange' END AS severity
    FROM usable a JOIN usable b
      ON a.section_code = b.section_code AND a.kind = b.kind AND a.value = b.value
     AND a.bidder_uscc < b.bidder_uscc
    -- Each file written by the bidder's own operator, two different people of the same name.
    WHERE NOT (a.own_clerk = 1 AND b.own_clerk = 1
               AND COALESCE(a.operator_id, 'a') <> COALESCE(b.operator_id, 'b'))
)
SELECT DISTINCT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id,
       severity, 'same_' || kind AS rule, 'bid_documents' AS dataset, section_code || '|' || a_uscc AS record_key,
       a_field AS field, value
FROM pairs
UNION
SELECT section_code, 'section', section_code, b_uscc, severity, 'same_' || kind, 'bid_documents',
       section_code || '|' || b_uscc, b_field, value
FROM pairs
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        shared = sorted({(e.field, e.value) for e in hit.evidence})
        if locale.startswith("zh"):
            what = "；".join(f"{_FIELD_ZH.get(f, f)}={v}" for f, v in shared)
            return f"投标人{'与'.join(hit.entities)}的投标文件属性相同（{what}）"
        what = "; ".join(f"{f}={v}" for f, v in shared)
        return f"The bid files of {' and '.join(hit.entities)} share document properties ({what})"
