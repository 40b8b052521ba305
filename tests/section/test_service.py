"""Each panel of the section view on the tiny province, checked against the planted schemes and
against the lake records read directly."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from tenderwatch.graph.flows import get_graph
from tenderwatch.screens.compute import section_screens
from tenderwatch.section import service
from tenderwatch.section.service import SectionData
from tests.section.conftest import Served


@pytest.fixture
def con(served: Served) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = served.province.con()
    yield connection
    connection.close()


def _load(con: duckdb.DuckDBPyConnection, code: str) -> SectionData:
    data = service.load(con, code)
    assert data is not None
    return data


def test_header_and_bids_sorted_by_price_against_the_control_price(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    code = served.scheme("C01")["sections"][0]
    data = _load(con, code)
    section = con.execute(
        "SELECT region_code, industry, control_price FROM sections WHERE section_code = ?", [code]
    ).fetchone()
    assert section is not None
    assert (data.head.region_code, data.head.industry, data.head.control_price) == section
    lake = con.execute(
        "SELECT bidder_uscc, bid_price FROM bids WHERE section_code = ? ORDER BY bid_price, bidder_uscc",
        [code],
    ).fetchall()
    assert [(b.bidder_uscc, b.price) for b in data.bids] == lake
    for bid in data.bids:
        assert bid.share_of_control == pytest.approx(float(bid.price) / float(section[2]))
    winner = con.execute("SELECT winner_uscc FROM awards WHERE section_code = ?", [code]).fetchone()
    if winner is not None:
        assert data.head.status == "awarded"
        assert [b.bidder_uscc for b in data.bids if b.winner] == [winner[0]]


def test_an_unknown_section_is_none(con: duckdb.DuckDBPyConnection) -> None:
    assert service.load(con, "NO-SUCH-SECTION") is None


def test_screens_equal_section_screens_of_the_valid_bids(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    codes = [
        row[0] for row in con.execute("SELECT section_code FROM sections ORDER BY 1 LIMIT 12").fetchall()
    ]
    checked = 0
    for code in codes:
        prices = [
            float(p)
            for (p,) in con.execute(
                "SELECT bid_price FROM bids WHERE section_code = ? AND coalesce(disqualified, false) = false",
                [code],
            ).fetchall()
        ]
        data = _load(con, code)
        assert data.screens == section_screens(prices)
        checked += bool(data.screens)
    assert checked > 0


def test_the_planted_same_machine_pair_is_highlighted_and_nobody_else(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C01", "same_machine_composite")
    data = _load(con, scheme["sections"][0])
    pair = set(scheme["companies"])
    machine = next(r for r in data.fingerprints.rows if r.field == "machine_code")
    highlighted = {
        bidder for bidder, cell in zip(data.fingerprints.bidders, machine.cells, strict=True) if cell.shared
    }
    assert highlighted == pair
    values = {
        cell.values[0]
        for bidder, cell in zip(data.fingerprints.bidders, machine.cells, strict=True)
        if bidder in pair
    }
    assert len(values) == 1  # the very same machine code, shown in both columns
    shared = [s for s in data.fingerprints.shared if s.group == "machine_code"]
    assert [set(s.bidders) for s in shared] == [pair]


def test_the_tender_template_is_marked_and_links_nobody(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "SELECT d.section_code FROM bid_documents d JOIN sections s ON s.section_code = d.section_code "
        "WHERE d.author = s.tender_doc_author GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1 LIMIT 1"
    ).fetchone()
    assert found is not None, "the synthetic province copies the tender's author into some bid files"
    data = _load(con, found[0])
    author = next(r for r in data.fingerprints.rows if r.field == "author")
    assert sum(1 for c in author.cells if data.head.tender_doc_author in c.template) >= 2
    assert all(data.head.tender_doc_author not in c.shared for c in author.cells)
    assert all(s.value != data.head.tender_doc_author for s in data.fingerprints.shared)


def test_a_bond_paid_from_another_bidders_account_is_highlighted(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C04", "bond_from_other_bidder_account")
    data = _load(con, scheme["sections"][0])
    account = scheme["detail"]["account"]
    (link,) = [s for s in data.fingerprints.shared if s.value == account]
    assert link.group == "account"
    assert set(scheme["companies"]) <= set(link.bidders)


def test_the_same_project_manager_for_two_bidders_is_highlighted(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C07", "same_project_manager")
    data = _load(con, scheme["sections"][0])
    (person,) = scheme["persons"]
    assert set(data.personnel.shared_persons[person]) == set(scheme["companies"])
    rows = [r for r in data.personnel.rows if r.person_id == person]
    assert {r.bidder_uscc for r in rows} == set(scheme["companies"]) and all(r.shared_person for r in rows)
    assert person in data.person_ids


def test_staff_insured_by_a_rival_bidder_is_highlighted(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C08", "staff_insured_by_competitor")
    data = _load(con, scheme["sections"][0])
    (person,) = scheme["persons"]
    rows = [r for r in data.personnel.rows if r.person_id == person]
    assert rows and all(r.insured_by_rival for r in rows)
    assert {r.bidder_uscc for r in rows} | set(rows[0].insured_by_rival) == set(scheme["companies"])
    # Every employer shown is named, bidder or not, when the company register has it.
    employers = {e for r in data.personnel.rows for e in r.insured_by}
    registered = dict(
        con.execute(
            "SELECT uscc, name FROM companies WHERE uscc IN (SELECT unnest(?))", [sorted(employers)]
        ).fetchall()
    )
    assert registered and all(data.names[e] == name for e, name in registered.items())


def test_heat_map_cells_equal_the_scores_and_the_planted_spread_is_an_outlier(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C25")
    code = scheme["sections"][0]
    data = _load(con, code)
    lake = {
        (e, b): (float(t), float(total))
        for e, b, t, total in con.execute(
            "SELECT expert_id, bidder_uscc, technical_score, total_score FROM expert_scores WHERE section_code = ?",
            [code],
        ).fetchall()
    }
    shown = {
        (data.scores.experts[c.expert].expert_id, data.scores.bidders[c.bidder]): (c.technical, c.total)
        for c in data.scores.cells
    }
    assert shown == lake
    (company,) = scheme["companies"]
    flagged = {
        data.scores.experts[c.expert].expert_id
        for c in data.scores.cells
        if c.outlier and data.scores.bidders[c.bidder] == company
    }
    assert flagged & set(scheme["persons"])


def test_an_expert_employed_by_a_bidder_is_marked(served: Served, con: duckdb.DuckDBPyConnection) -> None:
    scheme = served.scheme("C27")
    data = _load(con, scheme["sections"][0])
    (person,) = scheme["persons"]
    (expert,) = [e for e in data.scores.experts if e.expert_id == person]
    assert expert.employed_by_bidder and expert.employer_uscc in scheme["companies"]


def test_the_bidder_graph_links_the_same_machine_pair_through_their_device(
    served: Served, con: duckdb.DuckDBPyConnection
) -> None:
    scheme = served.scheme("C01", "same_machine_composite")
    data = _load(con, scheme["sections"][0])
    graph = get_graph(served.province.db)
    sub = service.bidder_graph(graph, [b.bidder_uscc for b in data.bids])
    a, b = (f"company:{u}" for u in scheme["companies"])
    devices = {n for n in sub.nodes if n.startswith("device:")}
    assert any({e.src, e.dst} == {a, d} for e in sub.edges for d in devices) and any(
        {e.src, e.dst} == {b, d} for e in sub.edges for d in devices
    )
    # Every node other than a bidder links at least two bidders: nothing dangles from one bidder alone.
    bidders = {f"company:{x.bidder_uscc}" for x in data.bids}
    for node in set(sub.nodes) - bidders:
        assert any(node in (e.src, e.dst) for e in sub.edges)


def test_a_lowest_price_section_maps_the_total_score(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "SELECT s.section_code FROM sections s JOIN expert_scores e USING (section_code) "
        "WHERE s.evaluation_method = 'lowest_price' GROUP BY 1 HAVING max(e.technical_score) = 0 ORDER BY 1 LIMIT 1"
    ).fetchone()
    assert found is not None
    data = _load(con, found[0])
    assert data.scores.measure == "total" and data.scores.cells
    assert all(c.value == c.total for c in data.scores.cells)
    assert data.scores.scale == max(c.total for c in data.scores.cells)
