"""The one settings class. Every knob lives here, read from ``TENDERWATCH_*`` environment variables.

Defaults need no server at all: an SQLite file and a Parquet lake under ``data_dir``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_SECRETS = {"", "changeme", "secret", "change-me"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TENDERWATCH_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Root of the lake, the SQLite file and logs.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the application database; defaults to SQLite under data_dir.",
    )
    secret_key: str = Field(
        default="dev-only-not-for-production-0f3c9a",
        description="Signs session cookies. Must be set in production.",
    )
    production: bool = Field(default=False, description="Refuse development defaults when true.")
    default_locale: str = Field(default="zh_CN", description="UI language when the user has not chosen.")
    host: str = Field(default="127.0.0.1")
    port: int = Field(default=8000)
    duckdb_memory_limit: str = Field(default="4GB", description="Cap for in-process analytics.")
    duckdb_threads: int = Field(default=2)
    model_settings_file: Path | None = Field(
        default=None,
        description="YAML with per-model mode and parameters, overridable per region and industry.",
    )
    max_upload_mb: int = Field(default=512, description="Largest file accepted by the upload page.")
    audit_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs audit checkpoints; defaults to data_dir/keys/audit-signing.pem.",
    )
    case_deadline_days: dict[str, int] = Field(
        default={"red": 10, "orange": 15, "yellow": 30},
        description="Feedback deadline per grade (DOMAIN.md §5.2), counted in case_deadline_units.",
    )
    case_deadline_units: dict[str, str] = Field(
        default={"red": "working", "orange": "working", "yellow": "calendar"},
        description="Unit of each grade's deadline: working (China's working-day calendar) or calendar.",
    )
    case_accept_days_red: int = Field(default=1, description="Working days to sign for (签收) a red case.")
    smtp_host: str | None = Field(default=None, description="SMTP server for case e-mails; none: no e-mail.")
    smtp_port: int = Field(default=25)
    smtp_sender: str = Field(default="tenderwatch@localhost", description="From address of case e-mails.")
    dingtalk_webhook_url: str | None = Field(
        default=None, description="DingTalk robot webhook for case notifications; none: no push."
    )
    complaint_decision_days: int = Field(
        default=30, description="Working days to decide a complaint (投诉处理决定), from its filing."
    )
    complaint_accept_days: int = Field(
        default=3, description="Working days to decide whether to accept (受理) a complaint."
    )
    complaint_max_file_mb: int = Field(default=10, description="Largest complaint attachment, in MB.")
    complaint_max_files: int = Field(default=5, description="Most attachments on one complaint.")
    complaint_content_types: list[str] = Field(
        default=["application/pdf", "image/jpeg", "image/png", "text/plain"],
        description="Attachment types the public may upload (checked against the file's own bytes too).",
    )
    complaint_rate_limit: int = Field(
        default=3, description="Complaints one address may file per complaint_rate_window_minutes."
    )
    complaint_rate_window_minutes: int = Field(default=60, description="Window of the filing rate limit.")
    login_max_failures: int = Field(
        default=5, description="Failed sign-ins for one username within the window before it is throttled."
    )
    login_max_failures_per_client: int = Field(
        default=20, description="Failed sign-ins from one client address within the window before throttling."
    )
    login_window_seconds: int = Field(default=900, description="Window over which failed sign-ins count.")
    login_lockout_seconds: int = Field(
        default=900, description="Cooling-off after the last failure once a username or address is throttled."
    )
    jobs_enabled: bool = Field(
        default=True,
        description="Run the scheduled jobs inside `tenderwatch serve`; false leaves them to `tenderwatch jobs run`.",
    )
    jobs_timezone: str = Field(
        default="Asia/Shanghai", description="Time zone of the job schedules and of 'today' for deadlines."
    )
    jobs_deadline_tick: str = Field(
        default="5 0 * * *",
        description="When overdue cases are marked and escalated (督办), then the notices sent; crontab, "
        "'every N[smhd]' or 'off'.",
    )
    jobs_notify_retry: str = Field(
        default="every 5m", description="When pending e-mail and DingTalk notifications are retried."
    )
    jobs_audit_checkpoint: str = Field(
        default="every 6h", description="When the audit log gets a signed checkpoint (if anything is new)."
    )
    jobs_detect: str = Field(
        default="30 1 * * *", description="When the model library runs over the whole lake."
    )
    jobs_detect_models: list[str] = Field(
        default=[], description="Model ids the scheduled detection runs; empty: every model."
    )
    jobs_detect_open_cases: bool = Field(
        default=True,
        description="After scheduled detection, route every warning without a case to its department "
        "(as `tenderwatch cases open`).",
    )
    jobs_lock_lease_seconds: int = Field(
        default=300,
        ge=30,
        description="Lease of a job's lock, renewed while it runs; after a crash the job is free again "
        "once it lapses.",
    )
    jobs_keep_runs_days: int = Field(default=90, ge=1, description="Days job runs are kept in job_run.")
    push_detect_on: list[str] = Field(
        default=["section_opened", "candidates_published", "award"],
        description="Push event kinds after which the section's per-section models whose data is then "
        "complete run before the answer (opening: bids, fingerprints, personnel; candidates: the experts' "
        "scores; award: the award).",
    )
    push_compact_after: int = Field(
        default=32,
        ge=1,
        description="Push batches of one dataset (after its last file batch) merged into one beyond this "
        "many, so the lake's views stay short.",
    )
    push_warm_lake: bool = Field(
        default=True,
        description="Hold the lake's current views as tables in the server's memory for the real-time path "
        "(and validation of pushed events), applying each committed batch, instead of reading the Parquet "
        "files per request. Costs memory about the size of the lake's current data.",
    )
    push_open_cases: bool = Field(
        default=True,
        description="Route each warning raised by a push to its department at once (as `tenderwatch cases open`).",
    )
    award_hold_enabled: bool = Field(
        default=True, description="Whether a warning raised before the award notice can hold the award."
    )
    award_hold_grades: list[str] = Field(
        default=["red"], description="Warning grades that put a section on hold before its award."
    )
    award_hold_release_states: list[str] = Field(
        default=[
            "accepted",
            "verifying",
            "feedback_submitted",
            "closed",
            "transferred",
            "reopened",
            "merged",
        ],
        description="Case states that release the hold: by default once the regulator has signed for (签收) "
        "the warning's case, and every state after that.",
    )
    award_hold_exempt_procedures: list[str] = Field(
        default=[],
        description="Procedure codes never held (e.g. negotiation for emergency procurement, 抢险救灾).",
    )
    award_hold_exempt_sections: list[str] = Field(
        default=[], description="Section codes exempted from the hold by a recorded decision."
    )

    @field_validator("secret_key")
    @classmethod
    def _no_placeholder_secret(cls, value: str) -> str:
        if value.strip().lower() in _PLACEHOLDER_SECRETS:
            raise ValueError("TENDERWATCH_SECRET_KEY must not be a placeholder")
        return value

    @field_validator("jobs_deadline_tick", "jobs_notify_retry", "jobs_audit_checkpoint", "jobs_detect")
    @classmethod
    def _schedule(cls, value: str) -> str:
        # A typo in a schedule stops the server at start-up, not silently at the first missed run.
        from tenderwatch.jobs.schedule import trigger

        trigger(value, "UTC")
        return value

    @field_validator("jobs_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from tenderwatch.jobs.schedule import zone

        zone(value)
        return value

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def effective_audit_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "keys" / "audit-signing.pem"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tenderwatch.db').resolve()}"

    def check_production(self) -> None:
        """Production must not run on the development secret (why: cookies would be forgeable)."""
        if self.production and self.secret_key.startswith("dev-only"):
            raise ValueError("TENDERWATCH_SECRET_KEY must be set when TENDERWATCH_PRODUCTION is true")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
