"""Small hand-written OCDS data for the exchange tests: valid USCCs, a Zhejiang region."""

from __future__ import annotations

from typing import Any

from tenderwatch.common.identifiers import uscc_check_char


def uscc(body: str) -> str:
    first17 = f"91330102{body}"
    return first17 + uscc_check_char(first17)


BUYER = uscc("AAAAAAAA1")
FIRM_A = uscc("BBBBBBBB1")
FIRM_B = uscc("CCCCCCCC1")
OCID = "ocds-abc123-S1"


def party(code: str, name: str, roles: list[str]) -> dict[str, Any]:
    return {"id": code, "name": name, "identifier": {"scheme": "CN-USCC", "id": code}, "roles": roles}


def tender_release() -> dict[str, Any]:
    """The tender notice: one section with its control price and dates."""
    return {
        "ocid": OCID,
        "id": "S1-tender",
        "date": "2024-03-01T09:00:00+08:00",
        "tag": ["tender"],
        "initiationType": "tender",
        "parties": [party(BUYER, "某区人民政府", ["buyer", "procuringEntity"])],
        "buyer": {"id": BUYER, "name": "某区人民政府"},
        "tender": {
            "id": "P1",
            "title": "某道路工程（标段一）",
            "value": {"amount": 1000000, "currency": "CNY"},
            "procurementMethod": "open",
            "procurementMethodDetails": "公开招标",
            "awardCriteria": "priceOnly",
            "mainProcurementCategory": "works",
            "regionCode": "330102",
            "industry": "transport",
            "tenderPeriod": {"startDate": "2024-03-01T09:00:00+08:00", "endDate": "2024-03-21T01:30:00Z"},
        },
    }


def award_release() -> dict[str, Any]:
    """The award notice: two bids, the award to firm A; the control price is revised."""
    return {
        "ocid": OCID,
        "id": "S1-award",
        "date": "2024-04-01T10:00:00+08:00",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": [
            party(FIRM_A, "甲建设有限公司", ["tenderer", "supplier"]),
            party(FIRM_B, "乙建设有限公司", ["tenderer"]),
        ],
        "tender": {"id": "P1", "value": {"amount": 990000.5, "currency": "CNY"}},
        "bids": {
            "details": [
                {
                    "id": "1",
                    "date": "2024-03-20T08:00:00+08:00",
                    "status": "valid",
                    "tenderers": [{"id": FIRM_A, "name": "甲建设有限公司"}],
                    "value": {"amount": 950000, "currency": "CNY"},
                },
                {
                    "id": "2",
                    "date": "2024-03-20T09:00:00+08:00",
                    "status": "disqualified",
                    "tenderers": [{"id": FIRM_B, "name": "乙建设有限公司"}],
                    "value": {"amount": 960000, "currency": "CNY"},
                },
            ]
        },
        "awards": [
            {
                "id": "A1",
                "status": "active",
                "date": "2024-04-01T10:00:00+08:00",
                "value": {"amount": 950000, "currency": "CNY"},
                "suppliers": [{"id": FIRM_A, "name": "甲建设有限公司"}],
            }
        ],
    }
