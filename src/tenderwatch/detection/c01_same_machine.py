"""C01 · 文件制作机器码一致 · Same file-making machine.

Methodology
    Within each section, the hardware fingerprint of every bid file (machine code, disk serial, MAC,
    memory serial, pricing-software lock serial, CPU serial) is compared between bidders. Placeholder
    values never match (import turns them into nulls). Virtual or locally administered MAC addresses
    (VMware, Hyper-V, VirtualBox prefixes; the locally-administered bit) are left out. A CPU serial that
    many companies in the province share is a CPU *model* identifier, not a machine, and is left out.

Why it is a red flag
    Two "competing" bids made on one computer were, in practice, prepared by one hand. Art. 40(1) of the
    Implementing Regulations deems bids whose files were made by the same unit or person collusive.

Evidence
    For each pair of bidders: the shared components and their values, from ``bid_fingerprints``.
    Red: same machine code, same pricing-lock serial, or at least two strong components (disk, MAC,
    memory, lock) equal. Orange: one strong component equal. Yellow: CPU serial only.

Exclusions
    Virtual MACs; CPU serials shared by at least ``cpu_common_companies`` companies; null placeholders.

Sources
    DOMAIN.md §2 S1; lishanling/GGZY ``初始化.sql`` (duplicate CPU+MAC+disk job); municipal guideline on
    identical electronic bid files (MAC, CPU, disk, pricing-lock).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, LegalBasis, Param

_VIRTUAL_MAC = (
    "substr(value, 1, 8) IN ('00-05-69', '00-0C-29', '00-50-56', '00-1C-14', '00-15-5D', '08-00-27') "
    "OR substr(value, 2, 1) IN ('2', '6', 'A', 'E')"
)


class SameMachine(DetectionModel):
    __doc__ = __doc__
    ID = "C01"
    VERSION = 1
    NAME_ZH = "文件制作机器码一致"
    NAME_EN = "Same file-making machine"
    CATEGORIES = ("collusion",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（一）项：不同投标人的投标文件由同一单位或者个人编制",
            "Implementing Regulations Art. 40(1): bid files of different bidders made by one unit or person",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "cpu_common_companies": Param(
            5,
            "CPU序列号被多少家企业共用即视为型号标识",
            "companies sharing a CPU serial for it to count as a CPU model, not a machine",
            minimum=2,
        ),
    }
    DATASETS = ("bid_fingerprints", "sections")
    BENIGN = (
        (
            "同一型号CPU的序列号相同（仅CPU一致不能认定同一台电脑）",
            "Same CPU model gives the same CPU serial",
        ),
        (
            "交易中心或代理机构的公共电脑（核实是否为公共终端）",
            "A public terminal at the trading centre or an agency",
        ),
        ("虚拟机或克隆系统镜像", "Virtual machines or cloned disk images"),
    )
    SQL = f"""
WITH fp AS (
    SELECT f.section_code, f.bidder_uscc, f.machine_code, f.cpu_id, f.disk_serial, f.mac,
           f.memory_serial, f.pricing_lock_serial
    FROM bid_fingerprints f JOIN sections_in_scope s ON f.section_code = s.section_code
),
comp AS (
    SELECT section_code, bidder_uscc, 'machine_code' AS component, machine_code AS value FROM fp
    WHERE machine_code IS NOT NULL
    UNION ALL SELECT section_code, bidder_uscc, 'disk_serial', disk_serial FROM fp WHERE disk_serial IS NOT NULL
    UNION ALL SELECT section_code, bidder_uscc, 'memory_serial', memory_serial FROM fp WHERE memory_serial IS NOT NULL
    UNION ALL SELECT section_code, bidder_uscc, 'pricing_lock_serial', pricing_lock_serial FROM fp
    WHERE pricing_lock_serial IS NOT NULL
    UNION ALL SELECT section_code, bidder_uscc, 'cpu_id', cpu_id FROM fp WHERE cpu_id IS NOT NULL
    UNION ALL SELECT section_code, bidder_uscc, 'mac', mac FROM fp WHERE mac IS NOT NULL
),
usable AS (
    SELECT * FROM comp
    WHERE NOT (component = 'mac' AND ({_VIRTUAL_MAC}))
      AND NOT (component = 'cpu_id' AND value IN (
          SELECT cpu_id FROM bid_fingerprints WHERE cpu_id IS NOT NULL
          GROUP BY cpu_id HAVING COUNT(DISTINCT bidder_uscc) >= {{cpu_common_companies}}))
),
pairs AS (
    SELECT a.section_code, a.bidder_uscc AS a_uscc, b.bidder_uscc AS b_uscc, a.component, a.value
    FROM usable a JOIN usable b
      ON a.section_code = b.section_code AND a.component = b.component AND a.value = b.value
     AND a.bidder_uscc < b.bidder_uscc
),
graded AS (
    SELECT section_code, a_uscc, b_uscc, component, value,
           SUM(CASE WHEN component IN ('disk_serial', 'mac', 'memory_serial', 'pricing_lock_serial')
                    THEN 1 ELSE 0 END) OVER (PARTITION BY section_code, a_uscc, b_uscc) AS strong,
           MAX(CASE WHEN component IN ('machine_code', 'pricing_lock_serial') THEN 1 ELSE 0 END)
               OVER (PARTITION BY section_code, a_uscc, b_uscc) AS decisive
    FROM pairs
),
rated AS (
    SELECT *, CASE WHEN decisive = 1 OR strong >= 2 THEN 'red' WHEN strong = 1 THEN 'orange' ELSE 'yellow' END
              AS severity
    FROM graded
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id, severity,
       component AS rule, 'bid_fingerprints' AS dataset, section_code || '|' || a_uscc AS record_key,
       component AS field, value
FROM rated
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, component, 'bid_fingerprints',
       section_code || '|' || b_uscc, component, value
FROM rated
"""
