"""C02 · IP地址雷同 · Same network origin.

Methodology
    Every network address seen for a bid is gathered: the tender-document download
    (``document_downloads.download_ip``) and the bid-file upload (``bid_fingerprints.upload_ip``).
    Addresses used by at least ``shared_exit_companies`` companies across the province are shared exits
    (the trading centre's hall, an industrial park, a carrier's NAT) and are left out. A company's *own*
    networks are the addresses it submits bids from, and addresses it uses in two or more sections.
    Within each section, two bidders are reported when they share an address and either both uploaded
    their bids from it, or it is one of the two bidders' own networks (B downloaded or uploaded from A's
    office). A download address shared only by bidders who never submit from it and do not otherwise
    use it belongs to a third party, such as an agency's bid-making room or a public terminal, and is
    not reported.

Why it is a red flag
    Competing bids prepared or submitted from the same network point to one team working on both; a
    competitor working from another bidder's office is hard to explain innocently. Practitioners and
    some tender terms reject bidders whose download or upload IP equals another's; it corroborates
    Art. 40(1)/(2) of the Implementing Regulations rather than proving it alone.

Evidence
    For each pair and shared address: every download and upload record of the two bidders in the
    section that used it (``download_ip`` / ``upload_ip``). Orange: IP evidence corroborates; the
    warning grading makes the section red when an orange signal from other source data also matches.

Exclusions
    Shared exits used by many companies; third-party download rooms; null placeholders. Roaming
    addresses (a phone hotspot) are never shared and do not match.

Sources
    DOMAIN.md §2 S2 (download/upload/login IP per stage; shared-egress pitfalls); ``lishanling/GGZY``
    ``GY_TENDER_FILE_BUYYER_INFO`` (DOWNLOAD_IP), ``GY_BID_DOC_CHARACT_CODE`` (NET_ID).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class SameNetworkOrigin(DetectionModel):
    __doc__ = __doc__
    ID = "C02"
    VERSION = 1
    NAME_ZH = "IP地址雷同"
    NAME_EN = "Same network origin"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（一）、（二）项：投标文件由同一单位或者个人编制、"
            "委托同一单位或者个人办理投标事宜（佐证）",
            "Implementing Regulations Art. 40(1)/(2): files made, or bidding handled, by one unit or "
            "person (corroborating evidence)",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "shared_exit_companies": Param(
            10,
            "同一IP被多少家企业使用即视为公共出口（交易中心、园区、运营商NAT）",
            "companies using an address for it to count as a shared exit (trading centre, park, carrier NAT)",
            minimum=3,
        ),
    }
    DATASETS = ("document_downloads", "bid_fingerprints", "sections")
    BENIGN = (
        (
            "代理机构制作室、交易中心或网吧等公共网络（核实IP归属）",
            "An agency's bid room, the trading centre or an internet café (check who owns the address)",
        ),
        (
            "同一园区或写字楼共用出口、运营商NAT",
            "A shared exit of one park or office building, or carrier-grade NAT",
        ),
    )
    SQL = """
WITH here_ips AS (
    -- The addresses this scope's bidders used: the market-wide figures below are computed for them
    -- alone, so a one-section run reads the market's rows with these addresses, not all of them.
    SELECT d.download_ip AS ip FROM document_downloads d JOIN sections_in_scope s ON d.section_code = s.section_code
    UNION
    SELECT f.upload_ip FROM bid_fingerprints f JOIN sections_in_scope s ON f.section_code = s.section_code
),
seen AS (
    SELECT section_code, bidder_uscc, 'download' AS stage, download_ip AS ip, 'document_downloads' AS dataset,
           download_id AS record_key, 'download_ip' AS field
    FROM document_downloads WHERE download_ip IN (SELECT ip FROM here_ips)
    UNION ALL
    SELECT section_code, bidder_uscc, 'upload', upload_ip, 'bid_fingerprints',
           section_code || '|' || bidder_uscc, 'upload_ip'
    FROM bid_fingerprints WHERE upload_ip IN (SELECT ip FROM here_ips)
),
shared_exit AS (
    SELECT ip FROM seen GROUP BY ip HAVING COUNT(DISTINCT bidder_uscc) >= {shared_exit_companies}
),
usable AS (SELECT * FROM seen WHERE ip NOT IN (SELECT ip FROM shared_exit)),
own AS (
    SELECT DISTINCT bidder_uscc, ip FROM usable WHERE stage = 'upload'
    UNION
    SELECT bidder_uscc, ip FROM usable GROUP BY bidder_uscc, ip HAVING COUNT(DISTINCT section_code) >= 2
),
here AS (SELECT u.* FROM usable u JOIN sections_in_scope s ON u.section_code = s.section_code),
used AS (
    SELECT section_code, bidder_uscc, ip, MAX(CASE WHEN stage = 'upload' THEN 1 ELSE 0 END) AS uploaded
    FROM here GROUP BY section_code, bidder_uscc, ip
),
pairs AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.ip,
           CASE WHEN a.uploaded = 1 AND b.uploaded = 1 THEN 'same_upload_ip' ELSE 'competitor_network' END
               AS rule
    FROM used a JOIN used b ON a.section_code = b.section_code AND a.ip = b.ip AND a.bidder_uscc < b.bidder_uscc
    LEFT JOIN own oa ON oa.bidder_uscc = a.bidder_uscc AND oa.ip = a.ip
    LEFT JOIN own ob ON ob.bidder_uscc = b.bidder_uscc AND ob.ip = b.ip
    WHERE (a.uploaded = 1 AND b.uploaded = 1) OR oa.ip IS NOT NULL OR ob.ip IS NOT NULL
),
sides AS (
    SELECT section_code, a_uscc AS uscc, ip, rule FROM pairs
    UNION
    SELECT section_code, b_uscc, ip, rule FROM pairs
)
SELECT DISTINCT h.section_code, 'section' AS subject_type, h.section_code AS subject_id, h.bidder_uscc AS entity_id,
       'orange' AS severity, s.rule, h.dataset, h.record_key, h.field, h.ip AS value
FROM sides s JOIN here h ON h.section_code = s.section_code AND h.bidder_uscc = s.uscc AND h.ip = s.ip
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        ips = "、".join(sorted({e.value for e in hit.evidence}))
        fields = sorted({e.field for e in hit.evidence})
        if locale.startswith("zh"):
            stage = "、".join({"download_ip": "下载招标文件", "upload_ip": "上传投标文件"}[f] for f in fields)
            return f"投标人{'与'.join(hit.entities)}在{stage}时使用相同IP地址（{ips}）"
        return (
            f"Bidders {' and '.join(hit.entities)} used the same network address "
            f"({', '.join(fields)}: {ips.replace('、', ', ')})"
        )
