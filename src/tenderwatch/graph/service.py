"""The correlation graph in memory and the questions asked of it: neighbourhood, shortest path,
search. Undirected for traversal (a shared phone links both ways); each edge keeps its direction and
source record for display.

Pure Python on adjacency lists: breadth-first search is all the paths need, and the graph of a small
province (tens of thousands of nodes) answers in milliseconds without another dependency.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_DEPTH = 2
DEFAULT_NODE_CAP = 150
# A node with more neighbours than this (a shared office IP, a big employer) is shown, but not expanded
# in full: the first FAN_OUT of its neighbours are, and the node says it has more.
FAN_OUT = 40
MAX_PATH_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Edge:
    src: str
    dst: str
    relation: str
    detail: str | None
    records: int
    dataset: str
    record_key: str

    def other(self, node: str) -> str:
        return self.dst if node == self.src else self.src


@dataclass(slots=True)
class SubGraph:
    nodes: list[str] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    truncated: set[str] = field(default_factory=set)  # nodes whose neighbours were not all included


def node_type(node: str) -> str:
    return node.split(":", 1)[0]


def node_value(node: str) -> str:
    return node.rsplit(":", 1)[1] if node_type(node) == "device" else node.split(":", 1)[1]


class Graph:
    def __init__(self, edges: Iterable[Edge], labels: dict[str, str] | None = None) -> None:
        self.edges: list[Edge] = []
        self.adjacency: dict[str, list[int]] = {}
        for edge in edges:
            if edge.src == edge.dst:
                continue
            index = len(self.edges)
            self.edges.append(edge)
            self.adjacency.setdefault(edge.src, []).append(index)
            self.adjacency.setdefault(edge.dst, []).append(index)
        # Labels only for nodes in the graph: a company with no relation at all has nothing to show.
        self.labels = {n: label for n, label in (labels or {}).items() if n in self.adjacency}

    def __contains__(self, node: object) -> bool:
        return node in self.adjacency

    @property
    def node_count(self) -> int:
        return len(self.adjacency)

    def degree(self, node: str) -> int:
        return len(self.adjacency.get(node, ()))

    def label(self, node: str) -> str:
        if node_type(node) == "device":
            return node.split(":", 1)[1].replace(":", " ", 1)  # "disk_serial WD-…": which component
        return self.labels.get(node) or node_value(node)

    def incident(self, node: str) -> list[Edge]:
        return [self.edges[i] for i in self.adjacency.get(node, ())]

    def resolve(self, text: str) -> str | None:
        """A node id as given, or a bare value (USCC, ID number, phone …) found under any type."""
        text = text.strip()
        if text in self.adjacency:
            return text
        for kind in ("company", "person", "phone", "email", "account", "ip", "address"):
            if f"{kind}:{text}" in self.adjacency:
                return f"{kind}:{text}"
        for component in ("machine_code", "disk_serial", "mac", "pricing_lock_serial"):
            if f"device:{component}:{text}" in self.adjacency:
                return f"device:{component}:{text}"
        return None

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Nodes whose value starts with the query or whose name contains it; exact ids first."""
        needle = query.strip().lower()
        if not needle:
            return []
        exact = self.resolve(query)
        found: list[str] = [exact] if exact else []
        for node in self.adjacency:
            if len(found) >= limit:
                break
            if node == exact:
                continue
            if node_value(node).lower().startswith(needle) or needle in self.labels.get(node, "").lower():
                found.append(node)
        return found

    def neighbourhood(self, node: str, depth: int = 1, cap: int = DEFAULT_NODE_CAP) -> SubGraph:
        """Nodes within ``depth`` hops (1–2), at most ``cap`` of them, nearest first, with every edge
        between included nodes."""
        depth = max(1, min(MAX_DEPTH, depth))
        result = SubGraph()
        if node not in self.adjacency:
            return result
        seen = {node: 0}
        queue: deque[str] = deque([node])
        while queue:
            current = queue.popleft()
            if seen[current] >= depth:
                continue
            neighbours = self.incident(current)
            if len(neighbours) > FAN_OUT:
                result.truncated.add(current)
                neighbours = neighbours[:FAN_OUT]
            for edge in neighbours:
                other = edge.other(current)
                if other in seen:
                    continue
                if len(seen) >= cap:
                    result.truncated.add(current)
                    break
                seen[other] = seen[current] + 1
                queue.append(other)
        result.nodes = list(seen)
        result.edges = self._edges_among(seen)
        for included in result.nodes:
            if included not in result.truncated and self.degree(included) > sum(
                1 for e in self.incident(included) if e.other(included) in seen
            ):
                result.truncated.add(included)
        return result

    def _edges_among(self, nodes: dict[str, int] | set[str]) -> list[Edge]:
        picked: dict[int, Edge] = {}
        for n in nodes:
            for i in self.adjacency.get(n, ()):
                edge = self.edges[i]
                if edge.src in nodes and edge.dst in nodes:
                    picked[i] = edge
        return [picked[i] for i in sorted(picked)]

    def shortest_path(self, source: str, target: str, max_length: int = MAX_PATH_LENGTH) -> SubGraph | None:
        """One shortest chain of relations from ``source`` to ``target`` (breadth-first), or None."""
        if source not in self.adjacency or target not in self.adjacency:
            return None
        if source == target:
            return SubGraph(nodes=[source])
        parent: dict[str, tuple[str, int] | None] = {source: None}
        frontier = [source]
        for _ in range(max_length):
            following: list[str] = []
            for current in frontier:
                for i in self.adjacency[current]:
                    other = self.edges[i].other(current)
                    if other in parent:
                        continue
                    parent[other] = (current, i)
                    if other == target:
                        return self._walk_back(parent, target)
                    following.append(other)
            if not following:
                return None
            frontier = following
        return None

    def _walk_back(self, parent: dict[str, tuple[str, int] | None], target: str) -> SubGraph:
        nodes = [target]
        edges: list[Edge] = []
        step = parent[target]
        while step is not None:
            previous, index = step
            edges.append(self.edges[index])
            nodes.append(previous)
            step = parent[previous]
        return SubGraph(nodes=nodes[::-1], edges=edges[::-1])


@dataclass(frozen=True, slots=True)
class BidGroup:
    companies: tuple[str, ...]
    pairs: int  # pairs of companies that co-bid at least the threshold
    max_shared_sections: int


def connected_groups(pairs: Iterable[tuple[str, str, int]]) -> list[BidGroup]:
    """Connected components of the co-bidding pairs (a, b, sections shared), largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pair_list = list(pairs)
    for a, b, _ in pair_list:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for node in parent:
        members.setdefault(find(node), []).append(node)
    stats: dict[str, tuple[int, int]] = {}
    for a, _b, shared in pair_list:
        root = find(a)
        count, best = stats.get(root, (0, 0))
        stats[root] = (count + 1, max(best, shared))
    groups = [BidGroup(tuple(sorted(m)), stats[root][0], stats[root][1]) for root, m in members.items()]
    return sorted(groups, key=lambda g: (-len(g.companies), -g.max_shared_sections, g.companies))
