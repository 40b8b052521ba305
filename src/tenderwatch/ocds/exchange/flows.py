"""OCDS import: file → compiled releases → catalogue records → one ingest batch per dataset.

Each dataset's records go through the normal ingest flow (``ingest_table``): the same validation,
the same quarantine, the same atomic staged batch, in catalogue import order so that references
(sections → tender projects, bids → sections, …) resolve. A crash between two batches leaves the
earlier batches committed and complete; running the same import again skips them as duplicates
(same file checksum per dataset) and finishes the rest, so no record is ever half written.

Problems that are not about one catalogue record (broken JSON, schema errors, linked releases) are
quarantined with the ``sections`` batch, since each contracting process would have been one section:
there, as everywhere, received = accepted + rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.ingest.flows import IngestResult, ingest_table
from tenderwatch.ingest.readers import RawTable
from tenderwatch.ingest.validate import RejectRecord, Validated
from tenderwatch.ocds.exchange.mapping import MAPPED_DATASETS, Row, map_release
from tenderwatch.ocds.exchange.packages import Problem, read_ocds
from tenderwatch.ocds.exchange.processes import Process, compile_processes

FIELD_LENGTH = 64  # Reject.field column


@dataclass(slots=True)
class Located:
    """A mapped record and where its release is in the file."""

    line: int
    prefix: str
    ocid: str
    row: Row


@dataclass(slots=True)
class ImportSummary:
    file_name: str
    releases: int = 0  # releases and compiled releases read
    processes: int = 0  # contracting processes compiled and mapped
    problems: int = 0  # releases or lines refused before mapping (quarantined with sections, see above)
    results: list[IngestResult] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(r.rejected for r in self.results)


def _full_path(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return f"{prefix}.{path}"


def _tables(processes: list[Process]) -> dict[str, list[Located]]:
    tables: dict[str, list[Located]] = {name: [] for name in MAPPED_DATASETS}
    projects: set[str] = set()
    for process in processes:
        for dataset, rows in map_release(process.release).items():
            for row in rows:
                if dataset == "tender_projects":
                    # Several sections (processes) share one tender project: it is one record.
                    code = row.cells["tender_project_code"]
                    if code in projects:
                        continue
                    projects.add(code)
                tables[dataset].append(Located(process.line, process.path, process.ocid, row))
    return tables


def _problem_rejects(problems: list[Problem]) -> list[RejectRecord]:
    """One reject per refused release: all schema errors of a release are listed in one record."""
    grouped: dict[tuple[int, str, str], list[Problem]] = {}
    for problem in problems:
        grouped.setdefault((problem.line, problem.ocid, problem.code), []).append(problem)
    rejects: list[RejectRecord] = []
    for (line, ocid, code), group in grouped.items():
        first = group[0]
        items = [
            {
                "field": p.path,
                "code": p.code,
                "value": "",
                "message_zh": p.message_zh,
                "message_en": p.message_en,
            }
            for p in group
        ]
        rejects.append(
            RejectRecord(
                line,
                first.path[:FIELD_LENGTH],
                code,
                first.message_zh,
                first.message_en,
                items,
                {"ocid": ocid, "path": first.path},
            )
        )
    return rejects


def _renumber(item: dict[str, str], line: str) -> None:
    """A duplicate key names the generated row it repeats; name the file line of its release instead."""
    row = item["value"]
    item["message_zh"] = item["message_zh"].replace(f"第{row}行", f"第{line}行")
    item["message_en"] = item["message_en"].replace(f"line {row} ", f"line {line} ")
    item["value"] = line


def _adjust(located: list[Located], extra: list[Problem]) -> Callable[[Validated], None]:
    """Rewrite the rejects from generated-row numbers and catalogue fields to file lines and JSON paths."""

    def adjust(result: Validated) -> None:
        for reject in result.rejects:
            where = located[reject.line - 1]
            for item in reject.errors:
                item["path"] = _full_path(where.prefix, where.row.paths.get(item["field"], item["field"]))
                if item["code"] == "duplicate_key" and item["value"].isdigit():
                    _renumber(item, str(located[int(item["value"]) - 1].line))
            if reject.errors:
                reject.message_zh, reject.message_en = (
                    reject.errors[0]["message_zh"],
                    reject.errors[0]["message_en"],
                )
            first = reject.errors[0]["path"] if reject.errors else ""
            reject.line = where.line
            reject.field = first[:FIELD_LENGTH] or reject.field
            reject.raw = {"ocid": where.ocid, **reject.raw}
        result.rejects.extend(_problem_rejects(extra))
        result.rejects.sort(key=lambda r: r.line)

    return adjust


def import_file(
    db: Database, path: Path, *, source: str = "cli", on_result: Callable[[IngestResult], None] | None = None
) -> ImportSummary:
    """Import one OCDS file. Raises ``UserError`` only when the file as a whole is unusable."""
    read = read_ocds(path)
    processes, problems, seen = compile_processes(read)
    summary = ImportSummary(
        path.name, releases=seen, processes=len(processes), problems=len(_problem_rejects(problems))
    )
    tables = _tables(processes)
    catalog = get_catalog()
    for dataset in (d.id for d in catalog.import_order() if d.id in MAPPED_DATASETS):
        located = tables[dataset]
        extra = problems if dataset == "sections" else []
        if not located and not extra:
            continue
        fields = list(catalog.dataset(dataset).field_names)
        table = RawTable(
            file_format="ocds",
            encoding="utf-8",
            headers=fields,
            rows=[[x.row.cells.get(f, "") for f in fields] for x in located],
            lines=list(range(1, len(located) + 1)),
        )
        result = ingest_table(
            db,
            table,
            dataset=dataset,
            raw_file=path,
            name=path.name,
            source=source,
            adjust=_adjust(located, extra),
        )
        summary.results.append(result)
        if on_result is not None:
            on_result(result)
    return summary
