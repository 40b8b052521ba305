"""C18: a person operating, guaranteeing and holding the CA for three unrelated firms, two of which
compete in one section, is a broker; an agency phone shared by firms that never meet and an employee
of one of the firms are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c18_broker import Broker
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E, F = (uscc(i) for i in range(1, 7))
BROKER, EMPLOYEE = pid(1), pid(2)
PHONE = "0571-81659717"


def test_broker_serving_competitors(tmp_path: Path) -> None:
    bids = [
        bid("S1", A, operator_id=BROKER),
        bid("S1", B),
        bid("S1", D),
        bid("S2", C, operator_id=EMPLOYEE),
        bid("S2", D, operator_id=EMPLOYEE),
        bid("S3", E, operator_id=EMPLOYEE),
        bid("S3", A),
        bid("S4", A, operator_id="-"),
        bid("S4", F, operator_id="-"),
    ]
    guarantees = [
        {
            "guarantee_no": "G1",
            "section_code": "S1",
            "bidder_uscc": B,
            "issuer": "某银行",
            "applicant_id": BROKER,
            "amount": "100000.00",
            "issued_at": "2024-02-20 10:00:00",
        }
    ]
    cas = [{"ca_serial": "CA1", "holder_uscc": C, "handler_id": BROKER, "issued_at": "2023-01-01 10:00:00"}]
    # D, E and F give an agency's landline as their contact phone; they never meet in a section.
    companies = [
        {
            "uscc": x,
            "name": f"公司{i}",
            "legal_rep_name": "某某",
            "founded_on": "2010-01-01",
            "legal_rep_id": pid(10 + i),
            "phone": PHONE if x in (D, E, F) else None,
        }
        for i, x in enumerate((A, B, C, D, E, F))
    ]
    insurance = [{"person_id": EMPLOYEE, "month": "2024-01", "employer_uscc": C}]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", [section(f"S{i}", "P1") for i in range(1, 5)]),
            "bids": csv("bids", bids),
            "bid_guarantees": csv("bid_guarantees", guarantees),
            "ca_certificates": csv("ca_certificates", cas),
            "companies": csv("companies", companies),
            "social_insurance": csv("social_insurance", insurance),
        },
    )
    (hit,) = run_model(lake, Broker, ModelConfig())[0].hits
    assert (hit.subject_type, hit.subject_id, hit.section_code) == ("person", BROKER, "S1")
    assert hit.entities == sorted([A, B]) and hit.severity == "red"
    assert {(e.entity_id, e.dataset, e.field) for e in hit.evidence} == {
        (A, "bids", "operator_id"),
        (B, "bid_guarantees", "applicant_id"),
    }
    assert BROKER in Broker.explain(hit, "zh")
