"""Comparisons worth running, named for the inspector. Each says which mismatch is the lead."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    zh: str
    en: str
    hint_zh: str
    hint_en: str
    left: str
    left_fields: tuple[str, ...]
    right: str
    right_fields: tuple[str, ...]

    def name(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") else self.en

    def hint(self, locale: str) -> str:
        return self.hint_zh if locale.startswith("zh") else self.hint_en


PRESETS: tuple[Preset, ...] = (
    Preset(
        "personnel_social_insurance",
        "投标人员 × 本单位社保",
        "Bid personnel × social insurance at the bidder",
        "仅左侧：投标文件所列人员未在投标单位缴纳社保（疑似挂证、借用人员）",
        "Left only: staff named in a bid without social insurance at the bidder (lent certificates?)",
        "bid_personnel",
        ("person_id", "bidder_uscc"),
        "social_insurance",
        ("person_id", "employer_uscc"),
    ),
    Preset(
        "personnel_any_insurance",
        "投标人员 × 社保（任意单位）",
        "Bid personnel × social insurance (any employer)",
        "仅左侧：投标所列人员在全省无社保记录",
        "Left only: staff named in a bid with no social insurance anywhere",
        "bid_personnel",
        ("person_id",),
        "social_insurance",
        ("person_id",),
    ),
    Preset(
        "bond_basic_account",
        "保证金付款账户 × 投标人基本账户",
        "Bid bond payer account × the bidder's basic account",
        "仅左侧：保证金未从投标人自己的基本账户缴纳（法定要求从基本账户转出）",
        "Left only: bonds not paid from the bidder's own basic account (the law requires it)",
        "bid_bonds",
        ("payer_account", "bidder_uscc"),
        "companies",
        ("basic_account", "uscc"),
    ),
    Preset(
        "bond_any_basic_account",
        "保证金付款账户 × 任意企业基本账户",
        "Bid bond payer account × any company's basic account",
        "匹配：保证金付款账户是某家企业的基本账户（是否为其他投标人？）",
        "Matches: the bond was paid from some company's basic account (another bidder's?)",
        "bid_bonds",
        ("payer_account",),
        "companies",
        ("basic_account",),
    ),
    Preset(
        "operator_social_insurance",
        "投标经办人 × 本单位社保",
        "Bid operator × social insurance at the bidder",
        "仅左侧：投标经办人不是投标单位的参保员工",
        "Left only: the person who submitted the bid is not insured by the bidder",
        "bids",
        ("operator_id", "bidder_uscc"),
        "social_insurance",
        ("person_id", "employer_uscc"),
    ),
    Preset(
        "upload_download_ip",
        "投标上传IP × 招标文件下载IP",
        "Bid upload IP × tender document download IP",
        "匹配：同一IP既下载又上传，比对是否为不同投标人",
        "Matches: one IP both downloads and uploads; check whether the bidders differ",
        "bid_fingerprints",
        ("upload_ip",),
        "document_downloads",
        ("download_ip",),
    ),
    Preset(
        "expert_employer_bidder",
        "评标专家工作单位 × 同标段投标人",
        "Expert's employer × bidders of the same section",
        "匹配：专家评审本单位参与投标的标段（应回避）",
        "Matches: an expert scored a section their employer bid in (should have withdrawn)",
        "experts",
        ("section_code", "employer_uscc"),
        "bids",
        ("section_code", "bidder_uscc"),
    ),
    Preset(
        "bidder_blacklist",
        "投标人 × 失信黑名单",
        "Bidders × blacklist",
        "匹配：黑名单主体参与投标（核对限制期与范围）",
        "Matches: blacklisted subjects bidding (check the restriction period and scope)",
        "bids",
        ("bidder_uscc",),
        "blacklist",
        ("subject_id",),
    ),
    Preset(
        "award_pm_active_project",
        "中标项目经理 × 在建项目经理",
        "Awarded project manager × managers of projects under construction",
        "匹配：中标项目经理同时在其他在建项目任职（核对在建状态与日期）",
        "Matches: the awarded project manager also runs a project under construction (check status and dates)",
        "awards",
        ("project_manager_id",),
        "construction_projects",
        ("project_manager_id",),
    ),
    Preset(
        "certificate_social_insurance",
        "注册证书 × 本单位社保",
        "Registered certificates × social insurance at the employer",
        "仅左侧：证书注册单位与社保缴纳单位不一致（人证分离）",
        "Left only: certificate registered at a company that does not insure the holder",
        "certificates",
        ("person_id", "employer_uscc"),
        "social_insurance",
        ("person_id", "employer_uscc"),
    ),
)


def get_preset(preset_id: str) -> Preset | None:
    return next((p for p in PRESETS if p.id == preset_id), None)
