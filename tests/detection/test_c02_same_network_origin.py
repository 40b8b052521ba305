"""C02 on hand-written records: the same network address, and the agency's bid room that is not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c02_same_network_origin import SameNetworkOrigin
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import A, B, C, D, E, bids, csv, hits, pairs, tender

DOWNLOADS = "download_id,section_code,bidder_uscc,download_time,download_ip"
UPLOADS = "section_code,bidder_uscc,upload_ip"


def test_shared_upload_and_a_competitors_office_are_flagged_a_bid_room_is_not(tmp_path: Path) -> None:
    downloads = [
        ("D1", "S1", A, "2024-06-01 09:00:00", "60.1.1.1"),
        ("D2", "S1", B, "2024-06-02 09:00:00", "60.1.1.2"),
        ("D3", "S2", C, "2024-06-01 10:00:00", "60.2.2.2"),
        ("D4", "S2", D, "2024-06-03 15:00:00", "60.2.2.2"),  # D downloads at C's office
        # S3: three clients download in their agency's bid room, each submits from its own office
        ("D5", "S3", A, "2024-06-04 10:00:00", "60.9.9.9"),
        ("D6", "S3", B, "2024-06-04 10:20:00", "60.9.9.9"),
        ("D7", "S3", E, "2024-06-04 11:00:00", "60.9.9.9"),
    ]
    uploads = [
        ("S1", A, "60.1.1.1"),
        ("S1", B, "60.1.1.1"),  # both bids uploaded from one address
        ("S2", C, "60.2.2.2"),
        ("S2", D, "60.3.3.3"),
        ("S3", A, "61.0.0.1"),
        ("S3", B, "61.0.0.2"),
        ("S3", E, "61.0.0.3"),
        ("S4", A, "0.0.0.0"),  # placeholders
        ("S4", B, "0.0.0.0"),
    ]
    sections = ("S1", "S2", "S3", "S4")
    lake = lake_from_csv(
        tmp_path,
        tender(sections)
        | {
            "bids": bids([(s, u) for s, u, _ in uploads]),
            "document_downloads": csv(DOWNLOADS, downloads),
            "bid_fingerprints": csv(UPLOADS, uploads),
        },
    )
    found = hits(lake, SameNetworkOrigin)
    assert pairs(found) == {("S1", frozenset({A, B})), ("S2", frozenset({C, D}))}
    assert {h.severity for h in found} == {"orange"}
    s1 = next(h for h in found if h.section_code == "S1")
    assert s1.rules == ["same_upload_ip"]
    # A downloaded from the shared address too: that record is part of the evidence.
    assert {(e.entity_id, e.field, e.value) for e in s1.evidence} == {
        (A, "upload_ip", "60.1.1.1"),
        (A, "download_ip", "60.1.1.1"),
        (B, "upload_ip", "60.1.1.1"),
    }
    s2 = next(h for h in found if h.section_code == "S2")
    assert s2.rules == ["competitor_network"]
    assert {(e.entity_id, e.field) for e in s2.evidence} == {
        (C, "download_ip"),
        (C, "upload_ip"),
        (D, "download_ip"),
    }
    assert "60.2.2.2" in SameNetworkOrigin.explain(s2, "zh")
