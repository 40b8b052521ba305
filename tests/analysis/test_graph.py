"""The correlation graph on a hand-made lake: edges, placeholders that never link, neighbourhoods,
shortest paths and co-bidding groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tenderwatch.common.placeholders import PLACEHOLDERS
from tenderwatch.graph.flows import build_graph, cobidding_groups
from tenderwatch.graph.service import Graph, SubGraph, connected_groups, node_value
from tests.analysis.lake import P1, P2, P3, P4, A, B, C, build_lake


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    db, connection = build_lake(Path(tmp_path_factory.mktemp("graph")))
    yield connection
    connection.close()
    db.dispose()


@pytest.fixture(scope="module")
def graph(con: duckdb.DuckDBPyConnection) -> Graph:
    return build_graph(con)


def _relations(graph: Graph, a: str, b: str) -> set[str]:
    return {e.relation for e in graph.incident(a) if e.other(a) == b}


def _is_chain(sub: SubGraph, source: str, target: str) -> bool:
    current = source
    for edge in sub.edges:
        if current not in (edge.src, edge.dst):
            return False
        current = edge.other(current)
    return current == target and sub.nodes[0] == source and sub.nodes[-1] == target


def test_edges_carry_relation_and_source_record(graph: Graph) -> None:
    assert _relations(graph, f"person:{P1}", f"company:{A}") == {"legal_rep", "employee_si", "bid_staff"}
    assert _relations(graph, f"person:{P1}", f"company:{B}") == {"shareholder"}
    share = next(e for e in graph.incident(f"company:{B}") if e.relation == "shareholder")
    assert share.detail == "60.0" and share.dataset == "shareholders" and share.record_key == f"{B}|{P1}"
    si = next(e for e in graph.incident(f"person:{P1}") if e.relation == "employee_si")
    assert si.detail == "2024-04..2024-05" and si.records == 2
    assert _relations(graph, f"company:{A}", "account:ACC-A") == {"basic_account", "bond_account"}
    assert _relations(graph, f"company:{B}", "account:ACC-A") == {"bond_account"}
    assert _relations(graph, f"company:{C}", "device:disk_serial:DISK1") == {"file_device"}
    assert _relations(graph, f"person:{P4}", f"company:{C}") == {"bid_operator", "employee_si"}
    assert _relations(graph, f"person:{P4}", "phone:13700000004") == {"person_phone"}
    assert graph.label(f"company:{A}") == "甲公司" and graph.label(f"person:{P1}") == "张一"


def test_placeholders_never_link(graph: Graph) -> None:
    values = {node_value(n) for n in graph.adjacency}
    assert not values & (PLACEHOLDERS | {"0"})
    # B and C wrote "-" for their phone and B and A "-" for the MAC in S1: no such nodes, no link.
    assert not any(n.startswith(("device:mac:", "email:")) for n in graph.adjacency)
    assert _relations(graph, f"company:{B}", f"company:{C}") == set()
    # legal rep and bid staff P2, shareholder P1, bond account ACC-A: nothing from its placeholders
    assert graph.degree(f"company:{B}") == 4


def test_neighbourhood_depth_one_and_two(graph: Graph) -> None:
    one = graph.neighbourhood(f"company:{A}", depth=1)
    assert set(one.nodes) == {
        f"company:{A}",
        f"person:{P1}",
        f"person:{P2}",
        "phone:13800000001",
        "address:杭州市西湖路1号",
        "account:ACC-A",
        "device:disk_serial:DISK1",
    }
    assert all(e.src in one.nodes and e.dst in one.nodes for e in one.edges)
    assert f"person:{P1}" in one.truncated  # P1 also owns B and has a phone, not shown at depth 1
    two = graph.neighbourhood(f"company:{A}", depth=2)
    assert {f"company:{B}", f"company:{C}", "phone:13900000009"} <= set(two.nodes)
    assert f"person:{P4}" not in two.nodes  # three hops: A → DISK1 → C → P4


def test_neighbourhood_cap(graph: Graph) -> None:
    capped = graph.neighbourhood(f"company:{A}", depth=2, cap=3)
    assert len(capped.nodes) == 3 and f"company:{A}" in capped.truncated
    assert graph.neighbourhood("company:NOPE").nodes == []


def test_shortest_paths(graph: Graph) -> None:
    ac = graph.shortest_path(f"company:{A}", f"company:{C}")
    assert ac is not None and len(ac.edges) == 2 and ac.nodes[1] == "device:disk_serial:DISK1"
    bc = graph.shortest_path(f"company:{B}", f"company:{C}")
    assert bc is not None and len(bc.edges) == 4 and _is_chain(bc, f"company:{B}", f"company:{C}")
    p3 = graph.shortest_path(f"person:{P3}", f"person:{P4}")
    assert p3 is not None and p3.nodes == [f"person:{P3}", f"company:{C}", f"person:{P4}"]
    assert graph.shortest_path(f"company:{A}", "phone:none") is None


def test_resolve_and_search(graph: Graph) -> None:
    assert graph.resolve(A) == f"company:{A}"
    assert graph.resolve("DISK1") == "device:disk_serial:DISK1"
    assert graph.resolve("nothing") is None
    assert graph.search("丙")[0] == f"company:{C}"
    assert graph.search(P1[:10])[0] == f"person:{P1}"


def test_cobidding_groups(con: duckdb.DuckDBPyConnection) -> None:
    groups = cobidding_groups(con, 2)
    assert [(g.companies, g.pairs, g.max_shared_sections) for g in groups] == [(tuple(sorted((A, B))), 1, 2)]
    (everyone,) = cobidding_groups(con, 1)
    assert set(everyone.companies) == {A, B, C}


def test_connected_groups_are_components() -> None:
    groups = connected_groups([("a", "b", 3), ("b", "c", 5), ("d", "e", 2)])
    assert [g.companies for g in groups] == [("a", "b", "c"), ("d", "e")]
    assert groups[0].pairs == 2 and groups[0].max_shared_sections == 5
