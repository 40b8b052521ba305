"""C13 · 投标文件相互混装 · Mixed-up bid files.

Methodology
    After opening, the platform extracts the unified social credit codes that appear in each decrypted
    bid file (``bid_documents.named_usccs``: seals, letters, forms, certificates). Within each section,
    a bid file that names the code of *another bidder of the same section* is reported, for the bidder
    whose file it is and for the bidder it names. The bidder's own code, the tenderer's and the agency's
    never count, because only codes of other bidders in the section (``bids``) are matched.

Why it is a red flag
    A file that carries a competitor's seal, letter or registration number was assembled together with
    that competitor's file. Art. 40(5) of the Implementing Regulations deems bid files that are mixed up
    with each other (相互混装) collusive, whatever the rest of the two files looks like.

Evidence
    The file holder's ``bid_documents`` record (``named_usccs``) and the competitor's code found in it,
    reported for both bidders. Always red.

Exclusions
    Codes of firms that do not bid in the section (tenderer, agency, subcontractors, manufacturers);
    the bidder's own code; empty or placeholder lists.

Sources
    DOMAIN.md §2 S9 step 4 ("跨文档混装检测", ``yjiao286/xingyicha-bid-rigging-detection``);
    ``dididididudu/Bid-collusion-inspection`` (USCC extraction from bid PDFs).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class MixedFiles(DetectionModel):
    __doc__ = __doc__
    ID = "C13"
    VERSION = 1
    NAME_ZH = "投标文件相互混装"
    NAME_EN = "Mixed-up bid files"
    CATEGORIES = ("collusion",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（五）项：不同投标人的投标文件相互混装",
            "Implementing Regulations Art. 40(5): bid files of different bidders are mixed up",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {}
    DATASETS = ("bid_documents", "bids", "sections")
    BENIGN = (
        (
            "竞争对手作为本投标的分包单位、供货商或生产厂家被合法引用（核实授权书、分包意向）",
            "The competitor is legitimately cited as subcontractor, supplier or manufacturer "
            "(check the authorisation or subcontracting letter)",
        ),
        (
            "文本抽取错误（核实原件中该代码出现的位置与上下文）",
            "An extraction error (check where the code appears in the original file)",
        ),
    )
    SQL = """
WITH docs AS (
    SELECT d.section_code, d.bidder_uscc, ';' || upper(replace(d.named_usccs, ' ', '')) || ';' AS named
    FROM bid_documents d JOIN sections_in_scope s ON d.section_code = s.section_code
    WHERE d.named_usccs IS NOT NULL
),
rivals AS (
    SELECT b.section_code, b.bidder_uscc
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
),
mixed AS (
    SELECT d.section_code, d.bidder_uscc AS holder, r.bidder_uscc AS named_uscc
    FROM docs d JOIN rivals r ON d.section_code = r.section_code AND r.bidder_uscc <> d.bidder_uscc
    WHERE d.named LIKE ('%;' || r.bidder_uscc || ';%')
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, holder AS entity_id,
       'red' AS severity, 'names_other_bidder' AS rule, 'bid_documents' AS dataset,
       section_code || '|' || holder AS record_key, 'named_usccs' AS field, named_uscc AS value
FROM mixed
UNION ALL
SELECT section_code, 'section', section_code, named_uscc, 'red', 'named_in_other_bid', 'bid_documents',
       section_code || '|' || holder, 'named_usccs', named_uscc
FROM mixed
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        pairs = sorted(
            (e.record_key.split("|")[-1], e.value) for e in hit.evidence if e.rule == "names_other_bidder"
        )
        if locale.startswith("zh"):
            text = "；".join(f"投标人{h}的投标文件中出现投标人{n}的统一社会信用代码" for h, n in pairs)
            return f"投标文件相互混装：{text}"
        text = "; ".join(f"the bid file of {h} contains the USCC of bidder {n}" for h, n in pairs)
        return f"Mixed-up bid files: {text}"
