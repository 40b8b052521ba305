"""The edges of the correlation graph, one SQL per relation over the lake's current views.

Node ids are ``<type>:<value>`` (``device:<component>:<value>`` for hardware). Every query drops null
values: import has already turned placeholders (``-``, ``/``, ``无``, zero-like serials) into nulls, so
two records that both say "nothing" never meet. Each row names the record it comes from (dataset and
key), so an edge can always be traced back to source data.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenderwatch.web.i18n import N_

NODE_TYPES: dict[str, str] = {
    "company": N_("Company"),
    "person": N_("Person"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "account": N_("Bank account"),
    "device": N_("Device"),
    "ip": N_("IP address"),
    "address": N_("Address"),
}


@dataclass(frozen=True, slots=True)
class Relation:
    code: str
    label: str  # English message id, translated where shown
    sql: str  # columns: src, dst, detail, dataset, record_key, weight (records behind the row)


def _node(kind: str, column: str) -> str:
    return f"'{kind}:' || {column}"


def _holder() -> str:
    return "CASE WHEN holder_type = 'company' THEN 'company:' ELSE 'person:' END || holder_id"


def _simple(
    code: str, label: str, dataset: str, src: str, dst: str, key: str, detail: str = "NULL"
) -> Relation:
    """One edge per record; ``src``/``dst`` are node expressions whose raw columns must be non-null."""
    return Relation(
        code,
        label,
        f"SELECT {src} AS src, {dst} AS dst, CAST({detail} AS VARCHAR) AS detail, "
        f"'{dataset}' AS dataset, {key} AS record_key, 1 AS weight FROM {dataset}",
    )


def _where(relation: Relation, *columns: str) -> Relation:
    condition = " AND ".join(f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '') IS NOT NULL" for c in columns)
    return Relation(relation.code, relation.label, f"{relation.sql} WHERE {condition}")


_BID_KEY = "section_code || '|' || bidder_uscc"
_DEVICE_COMPONENTS = ("machine_code", "disk_serial", "mac", "pricing_lock_serial")

RELATIONS: tuple[Relation, ...] = (
    _where(
        _simple(
            "legal_rep",
            N_("Legal representative"),
            "companies",
            _node("person", "legal_rep_id"),
            _node("company", "uscc"),
            "uscc",
        ),
        "legal_rep_id",
        "uscc",
    ),
    _where(
        _simple(
            "shareholder",
            N_("Shareholder"),
            "shareholders",
            _holder(),
            _node("company", "company_uscc"),
            "company_uscc || '|' || holder_id",
            "share_pct",
        ),
        "holder_id",
        "company_uscc",
    ),
    _where(
        _simple(
            "officer",
            N_("Officer"),
            "officers",
            _node("person", "person_id"),
            _node("company", "company_uscc"),
            "company_uscc || '|' || person_id",
            "position",
        ),
        "person_id",
        "company_uscc",
    ),
    # Social insurance is one row per month: one edge per person and employer, with the months covered.
    Relation(
        "employee_si",
        N_("Employee (social insurance)"),
        "SELECT 'person:' || person_id AS src, 'company:' || employer_uscc AS dst, "
        "min(month) || '..' || max(month) AS detail, 'social_insurance' AS dataset, "
        "person_id || '|' || max(month) AS record_key, count(*) AS weight FROM social_insurance "
        "WHERE person_id IS NOT NULL AND employer_uscc IS NOT NULL GROUP BY person_id, employer_uscc",
    ),
    _where(
        _simple(
            "employee_cert",
            N_("Employee (certificate)"),
            "certificates",
            _node("person", "person_id"),
            _node("company", "employer_uscc"),
            "certificate_no",
            "certificate_type",
        ),
        "person_id",
        "employer_uscc",
    ),
    _where(
        _simple(
            "bid_operator",
            N_("Bid operator"),
            "bids",
            _node("person", "operator_id"),
            _node("company", "bidder_uscc"),
            _BID_KEY,
        ),
        "operator_id",
        "bidder_uscc",
    ),
    _where(
        _simple(
            "bid_staff",
            N_("Named in a bid"),
            "bid_personnel",
            _node("person", "person_id"),
            _node("company", "bidder_uscc"),
            _BID_KEY + " || '|' || role || '|' || person_id",
            "role",
        ),
        "person_id",
        "bidder_uscc",
    ),
    _where(
        _simple(
            "guarantee_applicant",
            N_("Guarantee applicant"),
            "bid_guarantees",
            _node("person", "applicant_id"),
            _node("company", "bidder_uscc"),
            "guarantee_no",
        ),
        "applicant_id",
        "bidder_uscc",
    ),
    _where(
        _simple(
            "ca_handler",
            N_("CA certificate handler"),
            "ca_certificates",
            _node("person", "handler_id"),
            _node("company", "holder_uscc"),
            "ca_serial",
        ),
        "handler_id",
        "holder_uscc",
    ),
    _where(
        _simple(
            "company_phone",
            N_("Company phone"),
            "companies",
            _node("company", "uscc"),
            _node("phone", "phone"),
            "uscc",
        ),
        "uscc",
        "phone",
    ),
    _where(
        _simple(
            "company_email",
            N_("Company e-mail"),
            "companies",
            _node("company", "uscc"),
            _node("email", "email"),
            "uscc",
        ),
        "uscc",
        "email",
    ),
    _where(
        _simple(
            "company_address",
            N_("Company address"),
            "companies",
            _node("company", "uscc"),
            _node("address", "address"),
            "uscc",
        ),
        "uscc",
        "address",
    ),
    _where(
        _simple(
            "basic_account",
            N_("Basic bank account"),
            "companies",
            _node("company", "uscc"),
            _node("account", "basic_account"),
            "uscc",
            "basic_bank",
        ),
        "uscc",
        "basic_account",
    ),
    _where(
        _simple(
            "bond_account",
            N_("Paid bid bond from account"),
            "bid_bonds",
            _node("company", "bidder_uscc"),
            _node("account", "payer_account"),
            "bond_id",
            "payer_name",
        ),
        "bidder_uscc",
        "payer_account",
    ),
    _where(
        _simple(
            "guarantee_fee_account",
            N_("Paid guarantee fee from account"),
            "bid_guarantees",
            _node("company", "bidder_uscc"),
            _node("account", "fee_account"),
            "guarantee_no",
        ),
        "bidder_uscc",
        "fee_account",
    ),
    *(
        _where(
            _simple(
                "file_device",
                N_("Bid file made on device"),
                "bid_fingerprints",
                _node("company", "bidder_uscc"),
                f"'device:{component}:' || {component}",
                _BID_KEY,
                f"'{component}'",
            ),
            "bidder_uscc",
            component,
        )
        for component in _DEVICE_COMPONENTS
    ),
    _where(
        _simple(
            "upload_ip",
            N_("Bid uploaded from IP"),
            "bid_fingerprints",
            _node("company", "bidder_uscc"),
            _node("ip", "upload_ip"),
            _BID_KEY,
        ),
        "bidder_uscc",
        "upload_ip",
    ),
    _where(
        _simple(
            "download_ip",
            N_("Tender documents downloaded from IP"),
            "document_downloads",
            _node("company", "bidder_uscc"),
            _node("ip", "download_ip"),
            "download_id",
        ),
        "bidder_uscc",
        "download_ip",
    ),
    *(
        _where(
            _simple(
                "person_phone",
                N_("Person's phone"),
                dataset,
                _node("person", pid),
                _node("phone", phone),
                key,
            ),
            pid,
            phone,
        )
        for dataset, pid, phone, key in (
            ("persons", "person_id", "phone", "person_id"),
            ("bids", "operator_id", "operator_phone", _BID_KEY),
            ("bid_guarantees", "applicant_id", "applicant_phone", "guarantee_no"),
            ("ca_certificates", "handler_id", "handler_phone", "ca_serial"),
            ("bid_personnel", "person_id", "phone", _BID_KEY + " || '|' || role || '|' || person_id"),
        )
    ),
)

RELATION_LABELS: dict[str, str] = {r.code: r.label for r in RELATIONS}


def edges_sql() -> str:
    """All relations as one table: an edge per (src, dst, relation) with how many records support it
    and one of them (the smallest key) to cite."""
    parts = "\nUNION ALL\n".join(
        f"SELECT src, dst, '{r.code}' AS relation, detail, dataset, record_key, weight FROM ({r.sql})"
        for r in RELATIONS
    )
    return (
        "SELECT src, dst, relation, min(detail) AS detail, sum(weight) AS records, min(dataset) AS dataset, "
        f"min(record_key) AS record_key FROM ({parts}) GROUP BY src, dst, relation"
    )


# Names for nodes, best source first (the register before what a bid says about itself).
LABEL_QUERIES: tuple[str, ...] = (
    "SELECT 'company:' || uscc, name FROM companies WHERE uscc IS NOT NULL AND name IS NOT NULL",
    "SELECT 'company:' || bidder_uscc, min(bidder_name) FROM bids "
    "WHERE bidder_uscc IS NOT NULL AND bidder_name IS NOT NULL GROUP BY bidder_uscc",
    "SELECT 'person:' || person_id, name FROM persons WHERE person_id IS NOT NULL AND name IS NOT NULL",
    "SELECT 'person:' || legal_rep_id, min(legal_rep_name) FROM companies "
    "WHERE legal_rep_id IS NOT NULL AND legal_rep_name IS NOT NULL GROUP BY legal_rep_id",
    "SELECT 'person:' || person_id, min(person_name) FROM officers "
    "WHERE person_id IS NOT NULL AND person_name IS NOT NULL GROUP BY person_id",
    "SELECT 'person:' || operator_id, min(operator_name) FROM bids "
    "WHERE operator_id IS NOT NULL AND operator_name IS NOT NULL GROUP BY operator_id",
    "SELECT 'person:' || person_id, min(person_name) FROM bid_personnel "
    "WHERE person_id IS NOT NULL AND person_name IS NOT NULL GROUP BY person_id",
)
