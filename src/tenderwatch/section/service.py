"""Reading one section from the lake: one function per panel of the section view.

Every query reads a dataset's *current* records for this one section only. The lake's current view
(``lake.views.current_sql``) numbers the versions of every key of the whole dataset: at the province
scale a window over millions of rows per query. ``current_where`` filters the history first and takes
the latest version of the keys left, which gives the same records (see its docstring).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.schemas import Dataset
from tenderwatch.graph.service import Edge, Graph, SubGraph, node_type
from tenderwatch.lake.views import literal, quote
from tenderwatch.screens.compute import section_screens

Row = dict[str, Any]
# Above this share of the section's top technical score, one expert's distance from the rest of the
# panel is marked (C24's min_share: ordinary disagreement within five-expert panels stays below it).
OUTLIER_SHARE = 0.25
# The bidder graph: at most this many nodes besides the bidders (a section of fifteen bidders with
# shared offices could otherwise pull in hundreds of intermediaries).
GRAPH_LINK_CAP = 120


def _window(dataset: Dataset, history_where: str) -> str:
    keys = ", ".join(quote(k) for k in dataset.key)
    return (
        f"SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY _batch_id DESC, _line DESC) AS _rn "
        f"FROM {quote(dataset.id + '__history')} WHERE {history_where}"
    )


def current_where(dataset: Dataset, condition: str, columns: Sequence[str]) -> str:
    """SQL for the current records of ``dataset`` that satisfy ``condition`` on ``columns``.

    When the columns are part of the key, every version of a matching key matches too, so the history
    is filtered first (DuckDB pushes the filter into the Parquet scan) and the window runs on the few
    rows left. Otherwise the keys that ever matched are found first and their versions read.
    """
    if set(columns) <= set(dataset.key):
        return f"SELECT * EXCLUDE (_rn) FROM ({_window(dataset, condition)}) WHERE _rn = 1"
    keys = ", ".join(quote(k) for k in dataset.key)
    history = quote(dataset.id + "__history")
    return (
        f"SELECT * EXCLUDE (_rn) FROM ({_window(dataset, f'({keys}) IN (SELECT ({keys}) FROM {history} WHERE {condition})')}) "
        f"WHERE _rn = 1 AND ({condition})"
    )


def _rows(
    con: duckdb.DuckDBPyConnection,
    dataset_id: str,
    condition: str,
    params: dict[str, Any],
    columns: Sequence[str],
) -> list[Row]:
    sql = current_where(get_catalog().dataset(dataset_id), condition, columns)
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _in_section(con: duckdb.DuckDBPyConnection, dataset_id: str, code: str) -> list[Row]:
    return _rows(con, dataset_id, "section_code = $code", {"code": code}, ("section_code",))


def _in_list(
    con: duckdb.DuckDBPyConnection,
    dataset_id: str,
    column: str,
    values: Iterable[str],
    also: dict[str, str] | None = None,
) -> list[Row]:
    """Current records whose ``column`` is one of ``values`` (and whose ``also`` columns equal theirs).

    The values are written into the query as quoted literals: a literal list is pushed into the Parquet
    scan, a list parameter is not."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    condition = f"{quote(column)} IN ({', '.join(literal(v) for v in wanted)})"
    params: dict[str, Any] = {}
    for name, value in (also or {}).items():
        condition += f" AND {quote(name)} = ${name}"
        params[name] = value
    return _rows(con, dataset_id, condition, params, (column, *(also or {})))


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# ---- header -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    section_code: str
    name: str
    tender_project_code: str
    project_name: str | None
    tenderer_name: str | None
    region_code: str
    industry: str
    procedure: str
    evaluation_method: str
    control_price: Decimal
    estimate_price: Decimal | None
    bond_amount: Decimal | None
    announce_time: datetime | None
    bid_deadline: datetime | None
    open_time: datetime | None
    candidate_pub_start: date | None
    candidate_pub_end: date | None
    tender_doc_author: str | None
    tender_doc_rsid: str | None
    winner_uscc: str | None
    award_price: Decimal | None
    award_date: date | None
    status: str  # announced | opened | awarded


def header(con: duckdb.DuckDBPyConnection, code: str) -> Header | None:
    """The section with its project and award; None when the lake has no such section."""
    found = _in_section(con, "sections", code)
    if not found:
        return None
    s = found[0]
    projects = _rows(
        con,
        "tender_projects",
        "tender_project_code = $code",
        {"code": s["tender_project_code"]},
        ("tender_project_code",),
    )
    project = projects[0] if projects else {}
    awards = _in_section(con, "awards", code)
    award = awards[0] if awards else {}
    has_bids = con.execute("SELECT count(*) FROM bids__history WHERE section_code = $code", {"code": code})
    opened = bool((has_bids.fetchone() or (0,))[0])
    status = "awarded" if award else "opened" if opened else "announced"
    return Header(
        section_code=str(s["section_code"]),
        name=str(s["name"]),
        tender_project_code=str(s["tender_project_code"]),
        project_name=_text(project.get("name")),
        tenderer_name=_text(project.get("tenderer_name")),
        region_code=str(s["region_code"]),
        industry=str(s["industry"]),
        procedure=str(s["procedure"]),
        evaluation_method=str(s["evaluation_method"]),
        control_price=s["control_price"],
        estimate_price=s.get("estimate_price"),
        bond_amount=s.get("bond_amount"),
        announce_time=s.get("announce_time"),
        bid_deadline=s.get("bid_deadline"),
        open_time=s.get("open_time"),
        candidate_pub_start=s.get("candidate_pub_start"),
        candidate_pub_end=s.get("candidate_pub_end"),
        tender_doc_author=_text(s.get("tender_doc_author")),
        tender_doc_rsid=_text(s.get("tender_doc_rsid")),
        winner_uscc=_text(award.get("winner_uscc")),
        award_price=award.get("award_price"),
        award_date=award.get("award_date"),
        status=status,
    )


# ---- bids -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bid:
    bidder_uscc: str
    bidder_name: str
    price: Decimal
    share_of_control: float | None  # price / control price (1.0 = at the ceiling)
    submit_time: datetime | None
    disqualified: bool
    disqualify_reason: str | None
    rank: int | None
    winner: bool
    operator_name: str | None
    operator_id: str | None
    operator_phone: str | None


def bids(con: duckdb.DuckDBPyConnection, head: Header) -> list[Bid]:
    """The section's bids, lowest price first (ties by bidder, so the order never changes)."""
    control = float(head.control_price) if head.control_price else 0.0
    found = [
        Bid(
            bidder_uscc=str(r["bidder_uscc"]),
            bidder_name=str(r["bidder_name"]),
            price=r["bid_price"],
            share_of_control=float(r["bid_price"]) / control if control > 0 else None,
            submit_time=r.get("submit_time"),
            disqualified=bool(r.get("disqualified")),
            disqualify_reason=_text(r.get("disqualify_reason")),
            rank=r.get("rank"),
            winner=r["bidder_uscc"] == head.winner_uscc,
            operator_name=_text(r.get("operator_name")),
            operator_id=_text(r.get("operator_id")),
            operator_phone=_text(r.get("operator_phone")),
        )
        for r in _in_section(con, "bids", head.section_code)
    ]
    return sorted(found, key=lambda b: (b.price, b.bidder_uscc))


# ---- screens ----------------------------------------------------------------------------------------


def screens(section_bids: Sequence[Bid]) -> dict[str, float]:
    """The seven price screens of the valid (not disqualified) bids; empty below two bids."""
    return section_screens([float(b.price) for b in section_bids if not b.disqualified and b.price > 0])


# ---- fingerprints -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FingerprintSource:
    dataset: str
    field: str
    group: str  # values are compared across bidders within a group (an IP is an IP, upload or download)


FINGERPRINT_FIELDS: tuple[FingerprintSource, ...] = (
    *(
        FingerprintSource("bid_fingerprints", f, f)
        for f in ("machine_code", "cpu_id", "disk_serial", "mac", "memory_serial", "pricing_lock_serial")
    ),
    FingerprintSource("bid_fingerprints", "upload_ip", "ip"),
    FingerprintSource("document_downloads", "download_ip", "ip"),
    FingerprintSource("document_downloads", "account", "download_account"),
    FingerprintSource("bid_fingerprints", "ca_serial", "ca_serial"),
    FingerprintSource("bid_fingerprints", "file_md5", "file_md5"),
    FingerprintSource("bid_documents", "author", "document_person"),
    FingerprintSource("bid_documents", "last_modified_by", "document_person"),
    FingerprintSource("bid_documents", "rsid_root", "rsid_root"),
    FingerprintSource("bid_documents", "pdf_document_id", "pdf_document_id"),
    FingerprintSource("companies", "basic_account", "account"),
    FingerprintSource("bid_bonds", "payer_account", "account"),
    FingerprintSource("bid_guarantees", "fee_account", "account"),
)


@dataclass(slots=True)
class Cell:
    values: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # the values another bidder has too
    template: list[str] = field(default_factory=list)  # values copied from the tender's own document


@dataclass(frozen=True, slots=True)
class FingerprintRow:
    dataset: str
    field: str
    cells: list[Cell]  # one per bidder, in the order of ``Fingerprints.bidders``


@dataclass(frozen=True, slots=True)
class SharedValue:
    group: str
    value: str
    bidders: list[str]


@dataclass(frozen=True, slots=True)
class Fingerprints:
    bidders: list[str]
    rows: list[FingerprintRow]
    shared: list[SharedValue]  # each value two or more bidders have, for the summary of links


def fingerprints(
    con: duckdb.DuckDBPyConnection,
    head: Header,
    section_bids: Sequence[Bid],
    preloaded: dict[str, list[Row]] | None = None,
) -> Fingerprints:
    """Each bidder's identifying values side by side; a value two bidders share is marked in both.

    Values equal to the tender document's own author or rsidRoot are the tenderer's template carried
    into every bid file, not a link between bidders: they are marked as such and never shared.
    """
    bidders = [b.bidder_uscc for b in section_bids]
    index = {u: i for i, u in enumerate(bidders)}
    per_dataset: dict[str, list[Row]] = dict(preloaded or {})
    for source in FINGERPRINT_FIELDS:
        if source.dataset not in per_dataset:
            if source.dataset == "companies":
                per_dataset["companies"] = _in_list(con, "companies", "uscc", bidders)
            else:
                per_dataset[source.dataset] = _in_section(con, source.dataset, head.section_code)
    template = {v for v in (head.tender_doc_author, head.tender_doc_rsid) if v}
    rows: list[FingerprintRow] = []
    owners: dict[tuple[str, str], set[str]] = {}
    for source in FINGERPRINT_FIELDS:
        cells = [Cell() for _ in bidders]
        bidder_column = "uscc" if source.dataset == "companies" else "bidder_uscc"
        for record in per_dataset[source.dataset]:
            value = _text(record.get(source.field))
            position = index.get(str(record.get(bidder_column)))
            if value is None or position is None or value in cells[position].values:
                continue
            cells[position].values.append(value)
            if value in template:
                cells[position].template.append(value)
            else:
                owners.setdefault((source.group, value), set()).add(bidders[position])
        rows.append(FingerprintRow(source.dataset, source.field, cells))
    shared = {key: sorted(who, key=index.__getitem__) for key, who in owners.items() if len(who) >= 2}
    for row, source in zip(rows, FINGERPRINT_FIELDS, strict=True):
        for cell in row.cells:
            cell.shared = [v for v in cell.values if (source.group, v) in shared]
    links = [SharedValue(group, value, who) for (group, value), who in shared.items()]
    return Fingerprints(bidders, rows, links)


# ---- personnel --------------------------------------------------------------------------------------


@dataclass(slots=True)
class PersonRow:
    bidder_uscc: str
    role: str  # a personnel_role code, or operator / guarantee_applicant
    person_id: str | None
    name: str | None
    phone: str | None
    certificate_no: str | None
    insured_by: list[str] = field(default_factory=list)  # employers paying social insurance that month
    shared_person: bool = False  # the same ID number appears for another bidder
    shared_phone: bool = False
    insured_by_rival: list[str] = field(default_factory=list)  # of insured_by: other bidders here
    insured_elsewhere: bool = False  # insured, but not by the bidder that names the person


@dataclass(frozen=True, slots=True)
class Personnel:
    rows: list[PersonRow]
    shared_persons: dict[str, list[str]]  # ID number → bidders naming the person
    shared_phones: dict[str, list[str]]
    month: str | None  # the social-insurance month compared (the bid deadline's)

    @property
    def person_ids(self) -> list[str]:
        return list(dict.fromkeys(r.person_id for r in self.rows if r.person_id))


def personnel(
    con: duckdb.DuckDBPyConnection,
    head: Header,
    section_bids: Sequence[Bid],
    preloaded: dict[str, list[Row]] | None = None,
) -> Personnel:
    """The persons each bid names: its staff (bid_personnel), its bid operator and the applicant of its
    electronic guarantee, with the employer insuring each person in the month of the bid deadline."""
    bidders = [b.bidder_uscc for b in section_bids]
    order = {u: i for i, u in enumerate(bidders)}
    rows: list[PersonRow] = []
    for r in _in_section(con, "bid_personnel", head.section_code):
        rows.append(
            PersonRow(
                str(r["bidder_uscc"]),
                str(r["role"]),
                _text(r.get("person_id")),
                _text(r.get("person_name")),
                _text(r.get("phone")),
                _text(r.get("certificate_no")),
            )
        )
    for b in section_bids:
        if b.operator_id or b.operator_phone or b.operator_name:
            rows.append(
                PersonRow(b.bidder_uscc, "operator", b.operator_id, b.operator_name, b.operator_phone, None)
            )
    guarantees = (preloaded or {}).get("bid_guarantees")
    if guarantees is None:
        guarantees = _in_section(con, "bid_guarantees", head.section_code)
    for r in guarantees:
        if _text(r.get("applicant_id")) or _text(r.get("applicant_phone")):
            rows.append(
                PersonRow(
                    str(r["bidder_uscc"]),
                    "guarantee_applicant",
                    _text(r.get("applicant_id")),
                    _text(r.get("applicant_name")),
                    _text(r.get("applicant_phone")),
                    None,
                )
            )
    rows = [r for r in rows if r.bidder_uscc in order]
    month = head.bid_deadline.strftime("%Y-%m") if head.bid_deadline else None
    ids = {r.person_id for r in rows if r.person_id}
    if month and ids:
        insured: dict[str, list[str]] = {}
        for record in _in_list(con, "social_insurance", "person_id", ids, also={"month": month}):
            insured.setdefault(str(record["person_id"]), []).append(str(record["employer_uscc"]))
        for row in rows:
            employers = sorted(set(insured.get(row.person_id or "", [])))
            row.insured_by = employers
            row.insured_by_rival = [e for e in employers if e in order and e != row.bidder_uscc]
            row.insured_elsewhere = bool(employers) and row.bidder_uscc not in employers
    persons = _shared((r.person_id, r.bidder_uscc) for r in rows)
    phones = _shared((r.phone, r.bidder_uscc) for r in rows)
    for row in rows:
        row.shared_person = row.person_id in persons
        row.shared_phone = row.phone in phones
    rows.sort(key=lambda r: (order[r.bidder_uscc], r.role, r.person_id or ""))
    by_order = {k: sorted(v, key=order.__getitem__) for k, v in persons.items()}
    return Personnel(rows, by_order, {k: sorted(v, key=order.__getitem__) for k, v in phones.items()}, month)


def _shared(pairs: Iterable[tuple[str | None, str]]) -> dict[str, list[str]]:
    owners: dict[str, set[str]] = {}
    for value, bidder in pairs:
        if value:
            owners.setdefault(value, set()).add(bidder)
    return {v: list(who) for v, who in owners.items() if len(who) >= 2}


# ---- expert scores ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expert:
    expert_id: str
    name: str
    expert_type: str
    employer_uscc: str | None
    is_chair: bool
    employed_by_bidder: bool  # the expert works for one of the bidders (a conflict of interest)


@dataclass(frozen=True, slots=True)
class ScoreCell:
    expert: int  # index into Scores.experts
    bidder: int  # index into Scores.bidders
    technical: float
    total: float
    value: float  # the measure the heat map shows (Scores.measure)
    deviation: float | None  # value − median of the other experts' values for this bidder
    outlier: bool


@dataclass(frozen=True, slots=True)
class Scores:
    experts: list[Expert]
    bidders: list[str]
    cells: list[ScoreCell]
    # "technical" where the method scores a technical part; "total" where it does not (lowest price:
    # every technical score is 0 and only the total tells experts apart).
    measure: str
    scale: float  # the highest value of the measure given in the section (the points available, at least)


def expert_scores(con: duckdb.DuckDBPyConnection, head: Header, section_bids: Sequence[Bid]) -> Scores:
    """Experts × bidders scores; an outlier is an expert whose score of a bidder lies at least
    ``OUTLIER_SHARE`` of the section's top score away from the median of the other experts (C24's
    deviation, on the technical part when there is one)."""
    bidders = [b.bidder_uscc for b in section_bids]
    border = {u: i for i, u in enumerate(bidders)}
    people = sorted(
        _in_section(con, "experts", head.section_code),
        key=lambda r: (not r.get("is_chair"), str(r["expert_id"])),
    )
    experts = [
        Expert(
            str(r["expert_id"]),
            str(r["expert_name"]),
            str(r["expert_type"]),
            _text(r.get("employer_uscc")),
            bool(r.get("is_chair")),
            _text(r.get("employer_uscc")) in border,
        )
        for r in people
    ]
    eorder = {e.expert_id: i for i, e in enumerate(experts)}
    raw = sorted(
        (
            (eorder[str(r["expert_id"])], border[str(r["bidder_uscc"])], r)
            for r in _in_section(con, "expert_scores", head.section_code)
            if str(r["expert_id"]) in eorder and str(r["bidder_uscc"]) in border
        ),
        key=lambda t: (t[0], t[1]),
    )
    technical = {(e, b): float(r["technical_score"] or 0.0) for e, b, r in raw}
    totals = {(e, b): float(r["total_score"] or 0.0) for e, b, r in raw}
    measure = "technical" if any(v > 0 for v in technical.values()) else "total"
    shown = technical if measure == "technical" else totals
    scale = max(shown.values(), default=0.0)
    cells: list[ScoreCell] = []
    for e, b, _r in raw:
        others = [v for (oe, ob), v in shown.items() if ob == b and oe != e]
        deviation = shown[(e, b)] - statistics.median(others) if others else None
        outlier = deviation is not None and scale > 0 and abs(deviation) >= OUTLIER_SHARE * scale
        cells.append(ScoreCell(e, b, technical[(e, b)], totals[(e, b)], shown[(e, b)], deviation, outlier))
    return Scores(experts, bidders, cells, measure, scale)


# ---- the bidders' graph -----------------------------------------------------------------------------


def bidder_graph(graph: Graph, bidders: Sequence[str]) -> SubGraph:
    """The bidders and what links them: every node within two hops of two different bidders on a path
    of at most three relations (company–person–company, company–person–phone–company), the bidders'
    direct relations to each other, and every relation among the nodes kept.

    A bidder's relations that lead to no other bidder are left out: the page asks how the bidders of
    this section are connected, the correlation analysis page answers everything else.
    """
    nodes = [f"company:{u}" for u in dict.fromkeys(bidders) if f"company:{u}" in graph]
    reach: dict[str, dict[str, int]] = {}  # node → bidder → distance (1 or 2)
    for bidder in nodes:
        frontier = [bidder]
        seen = {bidder}
        for distance in (1, 2):
            following: list[str] = []
            for current in frontier:
                for edge in graph.incident(current):
                    other = edge.other(current)
                    if other in seen:
                        continue
                    seen.add(other)
                    following.append(other)
                    if not other.startswith("company:") or distance == 1:
                        reach.setdefault(other, {})[bidder] = distance
            # Companies are not walked through: a link via a third company's staff is that company's story.
            frontier = [n for n in following if node_type(n) != "company"]
    bidder_set = set(nodes)
    linking: list[tuple[int, str]] = []
    for node, by in reach.items():
        if node in bidder_set or len(by) < 2:
            continue
        distances = sorted(by.values())
        if distances[0] + distances[1] <= 3:
            linking.append((distances[0] + distances[1], node))
    linking.sort()
    # Every node of a path of at most three relations between two bidders has distances summing to at
    # most three, so the middle nodes of the longer paths are kept with their ends.
    kept = set(nodes) | {n for _, n in linking[:GRAPH_LINK_CAP]}
    edges: list[Edge] = []
    for node in kept:
        for edge in graph.incident(node):
            if edge.src == node and edge.dst in kept:
                edges.append(edge)
    edges.sort(key=lambda e: (e.src, e.dst, e.relation))
    return SubGraph(nodes=sorted(kept, key=lambda n: (n not in bidder_set, n)), edges=edges)


# ---- the whole section -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionData:
    head: Header
    bids: list[Bid]
    screens: dict[str, float]
    fingerprints: Fingerprints
    personnel: Personnel
    scores: Scores
    # Names of the other companies the page mentions (employers insuring staff, experts' employers).
    other_names: dict[str, str]

    @property
    def names(self) -> dict[str, str]:
        return {**self.other_names, **{b.bidder_uscc: b.bidder_name for b in self.bids}}

    @property
    def person_ids(self) -> list[str]:
        """Every person's ID number the page shows (staff, operators, applicants, experts)."""
        return list(dict.fromkeys([*self.personnel.person_ids, *(e.expert_id for e in self.scores.experts)]))


def load(con: duckdb.DuckDBPyConnection, code: str) -> SectionData | None:
    head = header(con, code)
    if head is None:
        return None
    section_bids = bids(con, head)
    # Guarantees feed two panels (the fee account and the applicant): read once.
    preloaded = {"bid_guarantees": _in_section(con, "bid_guarantees", code)}
    staff = personnel(con, head, section_bids, preloaded)
    scores = expert_scores(con, head, section_bids)
    others = {e for row in staff.rows for e in row.insured_by} | {
        e.employer_uscc for e in scores.experts if e.employer_uscc
    }
    others -= {b.bidder_uscc for b in section_bids}
    return SectionData(
        head=head,
        bids=section_bids,
        screens=screens(section_bids),
        fingerprints=fingerprints(con, head, section_bids, preloaded),
        personnel=staff,
        scores=scores,
        other_names={
            str(r["uscc"]): str(r["name"])
            for r in _in_list(con, "companies", "uscc", others)
            if _text(r.get("name"))
        },
    )


def visible(scope: Iterable[tuple[str, Sequence[str]]], region_code: str, industry: str) -> bool:
    """Whether one of the (region prefix, industries) grants covers the section."""
    return any(
        region_code.startswith(prefix) and (not industries or industry in industries)
        for prefix, industries in scope
    )


def search(
    con: duckdb.DuckDBPyConnection,
    scope: Sequence[tuple[str, Sequence[str]]],
    query: str,
    limit: int = 50,
) -> list[Row]:
    """Sections whose code starts with ``query`` or whose name contains it, newest first, only within
    the grants (filtered in the query, so other regions' sections are never read into the answer)."""
    if not scope:
        return []
    conditions: list[str] = []
    params: dict[str, Any] = {"q": query.strip(), "limit": limit}
    for i, (prefix, industries) in enumerate(scope):
        params[f"p{i}"] = prefix
        part = f"starts_with(region_code, $p{i})"
        if industries:
            params[f"i{i}"] = list(industries)
            part += f" AND list_contains($i{i}, industry)"
        conditions.append(f"({part})")
    sql = (
        "SELECT section_code, name, region_code, industry, control_price, bid_deadline FROM sections "
        f"WHERE ({' OR '.join(conditions)}) AND ($q = '' OR starts_with(section_code, $q) "
        "OR contains(name, $q)) ORDER BY announce_time DESC, section_code LIMIT $limit"
    )
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
