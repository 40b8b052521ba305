"""C04 · 保证金同一账户转出 · Bid bonds paid from the same or a foreign account.

Methodology
    Bank-transfer bonds (``bid_bonds.payer_account``) are compared within each section and with the
    bidders' registered basic accounts (``companies.basic_account``, market regulation):
    (1) ``same_payer_account`` — two or more bidders of one section paid from one account;
    (2) ``other_bidder_account`` — a bidder paid from the basic account of another bidder of the same
    section (both are implicated); (3) ``not_own_basic_account`` — a bidder paid from an account that is
    not its own basic account (Art. 26 requires a cash bond of a must-tender project to leave the
    bidder's own basic account). Rule (3) is only applied where the bidder's basic account is on
    record; null or placeholder accounts never match.

Why it is a red flag
    Art. 40(6) of the Implementing Regulations deems bids collusive when their bonds leave the account
    of one unit or person: someone financed several "competitors". A bond from someone else's account
    breaches Art. 26 and is the usual trace of a lender or broker paying for a borrowed qualification.

Evidence
    The bond record (``bid_bonds``: payer account and payer name) of every implicated bidder, and for
    rule (2) the basic account of the bidder whose account paid. Red: rules (1) and (2). Orange: rule (3)
    alone.

Exclusions
    Group treasury payments: an account that is the basic account of a company holding at least
    ``group_control_pct`` % of the bidder (its parent paying centrally) is not an Art. 26 finding here;
    the parent–subsidiary link itself is reported by C14 when both bid in one section. Bonds paid by
    guarantee or insurance carry no payer account and are left to C05.

Sources
    DOMAIN.md §1.2 (Art. 26, Art. 40(6)), §2 S5 (a)–(b); lishanling/GGZY ``GY_BIDDER_MARGIN_INFO``
    (``MARGIN_ACCOUNT``) and ``LEGAL_PERSON_BASE.BASIC_ACCOUNT_NO``.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class SameBondAccount(DetectionModel):
    __doc__ = __doc__
    ID = "C04"
    VERSION = 1
    NAME_ZH = "保证金同一账户转出"
    NAME_EN = "Bid bonds from the same or a foreign account"
    CATEGORIES = ("collusion",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（六）项：不同投标人的投标保证金从同一单位或者个人的账户转出",
            "Implementing Regulations Art. 40(6): bid bonds of different bidders transferred from the "
            "account of one unit or person",
        ),
        LegalBasis(
            "《招标投标法实施条例》第二十六条：依法必须招标项目的境内投标人以现金或支票形式提交的投标保证金"
            "应当从其基本账户转出",
            "Implementing Regulations Art. 26: a cash bond of a must-tender project must leave the "
            "bidder's own basic account",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "group_control_pct": Param(
            50.0,
            "母公司持股达到该比例时其统一代付视为集团资金归集",
            "share (%) of a corporate holder whose central payment counts as group treasury",
            minimum=0,
            maximum=100,
        ),
    }
    DATASETS = ("bid_bonds", "bids", "companies", "shareholders", "sections")
    BENIGN = (
        (
            "集团财务公司或母公司统一代付（属关联关系，另由C14处理）",
            "Group treasury or parent paying centrally (a relationship reported by C14)",
        ),
        (
            "企业基本户变更而登记信息未更新（核对开户许可或基本存款账户信息）",
            "The basic account changed and the registration is not yet updated",
        ),
    )
    SQL = """
WITH bond AS (
    SELECT b.section_code, b.bidder_uscc, b.bond_id, b.payer_account, b.payer_name
    FROM bid_bonds b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.payer_account IS NOT NULL
),
shared AS (
    SELECT section_code, payer_account FROM bond
    GROUP BY section_code, payer_account HAVING COUNT(DISTINCT bidder_uscc) >= 2
),
same_acc AS (
    -- (1) one account paid the bonds of two or more bidders of the section
    SELECT a.section_code, a.bidder_uscc, a.bond_id, a.payer_account, a.payer_name
    FROM bond a JOIN shared x ON x.section_code = a.section_code AND x.payer_account = a.payer_account
),
other_bidder AS (
    -- (2) the payer account is the basic account of another bidder of the same section
    SELECT p.section_code, p.bidder_uscc AS payer_side, p.bond_id, p.payer_account,
           o.bidder_uscc AS owner_side
    FROM bond p
    JOIN companies c ON c.basic_account = p.payer_account AND c.uscc <> p.bidder_uscc
    JOIN bids o ON o.section_code = p.section_code AND o.bidder_uscc = c.uscc
),
treasury AS (
    -- accounts of a corporate holder controlling the bidder: group treasury, not an Art. 26 finding
    SELECT DISTINCT h.company_uscc AS bidder_uscc, parent.basic_account AS account
    FROM shareholders h JOIN companies parent ON parent.uscc = h.holder_id
    WHERE parent.basic_account IS NOT NULL AND h.share_pct >= {group_control_pct}
),
foreign_acc AS (
    -- (3) Art. 26: not the bidder's own basic account (when it is on record)
    SELECT p.section_code, p.bidder_uscc, p.bond_id, p.payer_account, p.payer_name
    FROM bond p JOIN companies me ON me.uscc = p.bidder_uscc
    LEFT JOIN treasury t ON t.bidder_uscc = p.bidder_uscc AND t.account = p.payer_account
    WHERE me.basic_account IS NOT NULL AND me.basic_account <> p.payer_account AND t.account IS NULL
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id,
       'red' AS severity, 'same_payer_account' AS rule, 'bid_bonds' AS dataset, bond_id AS record_key,
       'payer_account' AS field, payer_account AS value
FROM same_acc
UNION ALL
SELECT section_code, 'section', section_code, payer_side, 'red', 'other_bidder_account', 'bid_bonds',
       bond_id, 'payer_account', payer_account
FROM other_bidder
UNION ALL
SELECT section_code, 'section', section_code, owner_side, 'red', 'other_bidder_account', 'companies',
       owner_side, 'basic_account', payer_account
FROM other_bidder
UNION ALL
SELECT section_code, 'section', section_code, bidder_uscc, 'orange', 'not_own_basic_account', 'bid_bonds',
       bond_id, 'payer_account', payer_account || COALESCE(' (' || payer_name || ')', '')
FROM foreign_acc
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        accounts = sorted({e.value.split(" ")[0] for e in hit.evidence if e.field in ("payer_account",)})
        acc = "、".join(accounts) if locale.startswith("zh") else ", ".join(accounts)
        if locale.startswith("zh"):
            who = "、".join(hit.entities)
            if "same_payer_account" in hit.rules or "other_bidder_account" in hit.rules:
                return f"投标人{who}的投标保证金从同一账户或其他投标人基本户转出（账号：{acc}）"
            return f"投标人{who}的投标保证金未从其基本账户转出（付款账号：{acc}）"
        who = ", ".join(hit.entities)
        if "same_payer_account" in hit.rules or "other_bidder_account" in hit.rules:
            return f"Bonds of bidders {who} left one account or another bidder's basic account ({acc})"
        return f"The bond of {who} did not leave its own basic account (payer account {acc})"
