"""The work behind the CLI commands: progress bars, tables and the demo pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tenderwatch.catalog import get_catalog
from tenderwatch.config import get_settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.ingest import service
from tenderwatch.ingest.flows import IngestResult, expand_paths, ingest_file


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def run_synth(console: Console, scale: str, seed: int, out: Path) -> dict[str, int]:
    from tenderwatch.synth import SCALES, generate

    if scale not in SCALES:
        raise UserError(
            f"未知规模“{scale}”，可选：{', '.join(SCALES)}",
            f"unknown scale '{scale}'; use {', '.join(SCALES)}",
        )
    with _progress(console) as progress:
        task = progress.add_task(f"生成模拟省份 synth {scale}", total=None)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=f"synth {scale}: {step}", completed=done, total=total)

        summary = generate(scale, seed, out, progress=report)
    total = sum(summary.counts.values())
    console.print(
        f"已生成 {total:,} 条记录、{summary.schemes} 个预置违规情形、{summary.lookalikes} 个良性相似情形 → {out}"
    )
    console.print(
        f"generated {total:,} records, {summary.schemes} planted schemes, {summary.lookalikes} look-alikes"
    )
    return dict(summary.counts)


def run_ingest(console: Console, db: Database, paths: list[Path], dataset: str | None) -> int:
    """Import and print one line per file; returns the number of files that failed as a whole."""
    files, skipped = expand_paths(paths)
    for path in skipped:
        console.print(
            f"跳过（文件名不对应任何数据集）skipped, not a dataset file: {path.name}", highlight=False
        )
    if not files:
        raise UserError("没有可导入的文件", "no files to import")
    results: list[IngestResult] = []
    with _progress(console) as progress:
        task = progress.add_task("导入 ingest", total=len(files))
        for path in files:
            progress.update(task, description=f"导入 ingest {path.name}")
            try:
                results.append(ingest_file(db, path, dataset=dataset))
            except UserError as exc:
                results.append(
                    IngestResult(None, None, path.name, "failed", 0, 0, 0, exc.message_zh, exc.message_en)
                )
            progress.advance(task)
    table = Table(
        "文件 file",
        "数据集 dataset",
        "批次 batch",
        "状态 status",
        "收到 received",
        "接收 accepted",
        "拒收 rejected",
    )
    for r in results:
        table.add_row(
            r.file_name,
            r.dataset or "-",
            str(r.batch_id or r.duplicate_of or "-"),
            r.status,
            f"{r.received:,}",
            f"{r.accepted:,}",
            f"{r.rejected:,}",
        )
    console.print(table)
    for r in results:
        if r.status != "committed":
            console.print(f"  {r.message_zh} / {r.message_en}", highlight=False)
    received = sum(r.received for r in results)
    accepted = sum(r.accepted for r in results)
    rejected = sum(r.rejected for r in results)
    console.print(f"合计 total: received {received:,} = accepted {accepted:,} + rejected {rejected:,}")
    return sum(1 for r in results if r.status == "failed")


def print_batches(console: Console, db: Database, dataset: str | None, limit: int) -> None:
    with db.session() as session:
        rows = service.get_all_batches(db_session=session, dataset=dataset, limit=limit)
    table = Table("batch", "dataset", "file", "status", "received", "accepted", "rejected", "created")
    for b in rows:
        table.add_row(
            str(b.id),
            b.dataset,
            b.file_name,
            b.status,
            f"{b.received:,}",
            f"{b.accepted:,}",
            f"{b.rejected:,}",
            f"{b.created_at:%Y-%m-%d %H:%M:%S}",
        )
    console.print(table)


def print_rejects(console: Console, db: Database, batch_id: int, limit: int, lang: str) -> None:
    with db.session() as session:
        batch = service.get_batch(db_session=session, batch_id=batch_id)
        if batch is None:
            raise UserError(f"批次{batch_id}不存在", f"no batch {batch_id}")
        rows = service.get_rejects(db_session=session, batch_id=batch_id, limit=limit)
        total = service.count_rejects(db_session=session, batch_id=batch_id)
    if batch.status == "failed":
        console.print(batch.error_zh if lang == "zh" else batch.error_en, highlight=False)
    table = Table("line", "field", "reason")
    for r in rows:
        reasons = "; ".join(e["message_zh" if lang == "zh" else "message_en"] for e in r.errors)
        table.add_row(str(r.line), r.field or "-", reasons)
    console.print(table)
    console.print(f"{len(rows)} / {total}")


def run_detect(
    console: Console, db: Database, models: list[str] | None, engine: str, region: str | None
) -> None:
    from tenderwatch.engine.flows import ModelSummary, detect, select_models

    chosen = select_models(models)
    table = Table("模型 model", "名称 name", "模式 mode", "命中 hits", "秒 s")
    with _progress(console) as progress:
        task = progress.add_task(f"检测 detect ({engine})", total=len(chosen))

        def done(item: ModelSummary) -> None:
            progress.advance(task)

        summary = detect(db, [m.ID for m in chosen], engine, region, on_model=done)
    names = {m.ID: m.NAME_ZH for m in chosen}
    for item in summary.models:
        table.add_row(item.model_id, names[item.model_id], item.mode, f"{item.hits:,}", f"{item.seconds:.2f}")
    console.print(table)
    w = summary.warnings
    console.print(
        f"预警：新增 {w.get('raised', 0)}，更新 {w.get('updated', 0)}，未变 {w.get('unchanged', 0)} / warnings: "
        f"raised {w.get('raised', 0)}, updated {w.get('updated', 0)}, unchanged {w.get('unchanged', 0)} "
        f"({summary.seconds:.1f} s on {summary.engine})"
    )


def lake_counts(db: Database) -> dict[str, int]:
    from tenderwatch.lake.views import connect

    catalog = get_catalog()
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(catalog, batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    try:
        counts: dict[str, int] = {}
        for d in catalog.datasets:
            row = con.execute(f'SELECT count(*) FROM "{d.id}"').fetchone()
            counts[d.id] = int(row[0]) if row else 0
        return counts
    finally:
        con.close()


def print_warning_summary(console: Console, db: Database) -> None:
    from sqlalchemy import func, select

    from tenderwatch.warning.models import Warning

    with db.session() as session:
        rows = session.execute(select(Warning.grade, func.count(Warning.id)).group_by(Warning.grade)).all()
    counts = {str(grade): int(n) for grade, n in rows}
    console.print(
        f"预警 warnings: 红 red {counts.get('red', 0)} · 橙 orange {counts.get('orange', 0)} · "
        f"黄 yellow {counts.get('yellow', 0)}"
    )


def print_lake(console: Console, db: Database) -> None:
    catalog = get_catalog()
    table = Table("dataset", "数据集", "current records")
    for dataset_id, count in lake_counts(db).items():
        table.add_row(dataset_id, catalog.dataset(dataset_id).zh, f"{count:,}")
    console.print(table)


def run_demo(console: Console, scale: str, seed: int, serve: bool) -> None:
    settings = get_settings()
    out = settings.data_dir / "demo" / f"synth-{scale}-{seed}"
    console.rule("1/5 生成模拟省份 synthesise")
    run_synth(console, scale, seed, out)
    db = Database(settings)
    db.upgrade()
    console.rule("2/5 导入 ingest")
    run_ingest(console, db, [out], None)
    console.rule("3/5 检测 detect")
    run_detect(console, db, None, "duckdb", None)
    console.rule("4/5 汇总 summary")
    print_lake(console, db)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    by_model: dict[str, int] = {}
    for scheme in truth.get("schemes", []):
        by_model[scheme["model"]] = by_model.get(scheme["model"], 0) + 1
    console.print(
        "预置违规情形 planted schemes: " + ", ".join(f"{m} {n}" for m, n in sorted(by_model.items()))
    )
    console.print(f"良性相似情形 benign look-alikes: {len(truth.get('lookalikes', []))}")
    print_warning_summary(console, db)
    from datetime import date

    from tenderwatch.case.flows import open_all
    from tenderwatch.case.routing import seed_departments

    # Each warning is routed to its department at once, so the regulator's inbox is not empty.
    with db.transaction() as session:
        seed_departments(db_session=session)
        opened = open_all(db_session=session, settings=settings, today=date.today())
    console.print(f"分办核查 cases routed to their departments: {len(opened)}")
    console.rule("5/5 网页 web")
    from tenderwatch.auth.flows import ensure_demo_accounts

    with db.transaction() as session:
        accounts = ensure_demo_accounts(db_session=session, production=settings.production)
    table = Table("角色 role", "用户名 username", "密码 password", "辖区 region")
    for account in accounts:
        table.add_row(account.role, account.username, account.password, account.region_prefix)
    console.print(table)
    if not serve:
        return
    console.print(f"浏览器打开 open http://{settings.host}:{settings.port}/  (Ctrl+C 退出 to stop)")
    from tenderwatch.web.server import serve as run_server

    run_server(settings, settings.host, settings.port)
