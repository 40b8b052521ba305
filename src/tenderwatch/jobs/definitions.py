"""The built-in jobs. Each is a thin call into the module that owns the work (case deadlines, the
notification outbox, audit checkpoints, the detection engine), so a scheduled run and the matching command
do exactly the same thing.

A job returns an ``Outcome``: ``ok`` with a summary of what it did, ``skipped`` with the reason it did
nothing, or ``failed`` when the work ran but did not achieve its purpose (deliveries refused). Exceptions
are caught by ``flows.run`` and recorded as failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, select

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.jobs.schedule import zone
from tenderwatch.web.i18n import N_

Status = Literal["ok", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    summary: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    setting: str  # the Settings field that holds its schedule
    title: str  # English message id (translated on the page, both languages in the command)
    work: Callable[[Database], Outcome]

    def schedule(self, settings: Settings) -> str:
        value: str = getattr(settings, self.setting)
        return value


def local_today(settings: Settings) -> date:
    """Deadlines are dates in China, whatever the server's own clock zone is."""
    return datetime.now(zone(settings.jobs_timezone)).date()


def _sent(emailed: int, pushed: int, failed: int) -> str:
    return f"邮件 {emailed}，钉钉 {pushed}，失败 {failed} / e-mails {emailed}, webhooks {pushed}, failed {failed}"


def deadline_tick(database: Database) -> Outcome:
    """``tenderwatch cases tick`` for today: overdue cases are marked and escalated, the notices sent."""
    from tenderwatch.case import deadlines, notify

    today = local_today(database.settings)
    with database.transaction() as session:
        result = deadlines.tick(db_session=session, today=today)
    sent = notify.deliver_pending(database)
    return Outcome(
        "ok",
        f"{today}：超期 {len(result.overdue)} 件，督办 {len(result.supervised)} 件 / "
        f"{today}: {len(result.overdue)} overdue, {len(result.supervised)} supervised; "
        + _sent(sent.emailed, sent.pushed, sent.failed),
    )


def notify_retry(database: Database) -> Outcome:
    """Send what is still pending in the notification outbox (a mail server that was down, say)."""
    from tenderwatch.case import notify

    settings = database.settings
    if not settings.smtp_host and not settings.dingtalk_webhook_url:
        return Outcome(
            "skipped",
            "未配置邮件服务器或钉钉机器人 / no SMTP server or DingTalk webhook configured "
            "(TENDERWATCH_SMTP_HOST, TENDERWATCH_DINGTALK_WEBHOOK_URL)",
        )
    sent = notify.deliver_pending(database)
    summary = _sent(sent.emailed, sent.pushed, sent.failed)
    if sent.failed:
        # Failed rows stay pending and the next run retries them; "failed" makes the outage visible.
        return Outcome(
            "failed",
            summary,
            f"{sent.failed} 条发送失败，保留待重试 / {sent.failed} deliveries failed; they stay pending "
            "and are retried",
        )
    return Outcome("ok", summary)


def audit_checkpoint(database: Database) -> Outcome:
    """``tenderwatch audit checkpoint``, with the same key, when the log has grown since the last one."""
    from tenderwatch.audit.checkpoints import latest, make_checkpoint
    from tenderwatch.audit.keys import read_private_key
    from tenderwatch.audit.models import AuditEvent

    key_file = database.settings.effective_audit_key_file
    if not key_file.exists():
        # The command creates the key on first use; a background job does not. The key is what verifiers
        # pin, so minting one (say, because a key volume is not mounted) must be an operator's decision.
        return Outcome(
            "skipped",
            f"没有签名密钥 {key_file}：先运行一次 tenderwatch audit checkpoint（会生成密钥）"
            f"或设置 TENDERWATCH_AUDIT_KEY_FILE / no signing key at {key_file}: run "
            "`tenderwatch audit checkpoint` once (it creates the key) or set TENDERWATCH_AUDIT_KEY_FILE",
        )
    # Read first, so a damaged key shows as a failed run at once, not only when the log next grows.
    read_private_key(key_file)
    with database.transaction() as session:
        size = int(session.scalar(select(func.max(AuditEvent.seq))) or 0)
        last = latest(session)
        if size == 0:
            return Outcome("skipped", "审计日志为空 / the audit log is empty")
        # A checkpoint is itself logged as the event after the size it covers: a log that grew by that
        # one event only has nothing new to checkpoint.
        if last is not None and size <= last.tree_size + 1:
            return Outcome(
                "skipped",
                f"检查点{last.id}之后没有新事件 / nothing new since checkpoint {last.id} "
                f"({last.tree_size} events)",
            )
        cp = make_checkpoint(session, key_file, "system")
        return Outcome(
            "ok",
            f"检查点{cp.id}：{cp.tree_size}条事件 / checkpoint {cp.id}: {cp.tree_size} events, "
            f"root {cp.root_hash}, key {cp.key_id}",
        )


def detect(database: Database) -> Outcome:
    """``tenderwatch detect`` over the whole lake, then (``jobs_detect_open_cases``) ``cases open``."""
    from tenderwatch.engine import flows as engine_flows
    from tenderwatch.ingest.service import committed_lake_batches

    settings = database.settings
    with database.session() as session:
        batches = committed_lake_batches(db_session=session, lake_dir=settings.lake_dir)
    if not batches:
        return Outcome("skipped", "数据湖中还没有数据 / the lake holds no data yet")
    result = engine_flows.detect(database, settings.jobs_detect_models or None)
    hits = sum(m.hits for m in result.models)
    w = result.warnings
    raised, updated = w.get("raised", 0), w.get("updated", 0)
    summary = (
        f"{len(result.models)} 个模型，命中 {hits}，新增预警 {raised}，更新 {updated} / "
        f"{len(result.models)} models, {hits} hits, warnings raised {raised}, updated {updated} "
        f"({result.seconds:.1f} s)"
    )
    if settings.jobs_detect_open_cases:
        from tenderwatch.case import flows as case_flows
        from tenderwatch.case import notify
        from tenderwatch.case.routing import seed_departments

        with database.transaction() as session:
            seed_departments(db_session=session)
            opened = case_flows.open_all(db_session=session, settings=settings, today=local_today(settings))
        sent = notify.deliver_pending(database)
        summary += f"; 分办 {len(opened)} 件 / {len(opened)} cases opened; " + _sent(
            sent.emailed, sent.pushed, sent.failed
        )
    return Outcome("ok", summary)


# Built-in jobs; the order is the order of `tenderwatch jobs list` and the page.
JOBS: tuple[Job, ...] = (
    Job(
        "deadline_tick",
        "jobs_deadline_tick",
        N_("Mark overdue cases, escalate them one level up and send the notices"),
        deadline_tick,
    ),
    Job(
        "notify_retry",
        "jobs_notify_retry",
        N_("Retry pending e-mail and DingTalk notifications"),
        notify_retry,
    ),
    Job(
        "audit_checkpoint",
        "jobs_audit_checkpoint",
        N_("Sign a checkpoint of the audit log"),
        audit_checkpoint,
    ),
    Job("detect", "jobs_detect", N_("Run the model library over the lake and route new warnings"), detect),
)


def get_job(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    known = ", ".join(j.name for j in JOBS)
    raise UserError(f"没有任务“{name}”，可选：{known}", f"no job '{name}'; known: {known}")
