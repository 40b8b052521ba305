"""What a detection model is: metadata, parameters, one query, and how to explain a hit."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

Severity = Literal["red", "orange", "yellow"]
SEVERITY_RANK: dict[str, int] = {"yellow": 1, "orange": 2, "red": 3}
CATEGORIES = {
    "collusion": ("围标串标", "Collusive bidding"),
    "lending": ("资质挂靠", "Qualification lending"),
    "broker": ("黄牛", "Bid brokers"),
    "evaluation": ("评标", "Evaluation"),
    "performance": ("履约/在建", "Performance and active projects"),
    "credit": ("信用", "Credit"),
}
# The columns every model query returns, one row per evidence item of one implicated entity.
HIT_COLUMNS = (
    "section_code",  # the section concerned (NULL for entity-level findings without one)
    "subject_type",  # section | company | person
    "subject_id",  # the section code, USCC or ID number the warning is about
    "entity_id",  # the implicated company (USCC) or person for this evidence item
    "severity",  # red | orange | yellow, for this evidence item
    "rule",  # the sub-rule that matched, e.g. "disk" or "same_payer_account"
    "dataset",  # where the evidence value comes from
    "record_key",  # that record's key, "|"-joined
    "field",  # the field
    "value",  # its value, as text
)


@dataclass(frozen=True, slots=True)
class Param:
    default: float | int | str
    zh: str
    en: str
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, value: object) -> float | int | str:
        """Parameters are typed like their default; numbers are range-checked (they go into SQL)."""
        if isinstance(self.default, str):
            text = str(value)
            if not re.fullmatch(r"[\w\-.:]*", text):
                raise ValueError(f"parameter value {text!r} has characters that are not allowed")
            return text
        number: float | int = int(str(value)) if isinstance(self.default, int) else float(str(value))
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"{number} is below the minimum {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise ValueError(f"{number} is above the maximum {self.maximum}")
        return number


@dataclass(frozen=True, slots=True)
class LegalBasis:
    zh: str
    en: str


@dataclass(slots=True)
class EvidenceItem:
    entity_id: str
    rule: str
    severity: str
    dataset: str
    record_key: str
    field: str
    value: str
    batch: int | None = None  # the import batch of the record's current version (set by lineage)


@dataclass(slots=True)
class Hit:
    model_id: str
    model_version: int
    section_code: str | None
    subject_type: str
    subject_id: str
    severity: str
    entities: list[str]
    rules: list[str]
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None, str, str]:
        return (self.model_id, self.section_code, self.subject_type, self.subject_id)

    def evidence_rows(self) -> list[dict[str, str]]:
        """The evidence as stored (JSON) on hits and warnings."""
        return [
            {
                "model": self.model_id,
                "entity": e.entity_id,
                "rule": e.rule,
                "severity": e.severity,
                "dataset": e.dataset,
                "key": e.record_key,
                "field": e.field,
                "value": e.value,
                "batch": "" if e.batch is None else str(e.batch),
            }
            for e in self.evidence
        ]


class DetectionModel:
    """Base of every model. Subclasses set the class attributes and ``SQL``; the docstring is the
    methodology page (sections: Methodology / Why it is a red flag / Evidence / Exclusions / Sources).
    """

    ID: ClassVar[str]
    VERSION: ClassVar[int] = 1
    NAME_ZH: ClassVar[str]
    NAME_EN: ClassVar[str]
    CATEGORIES: ClassVar[tuple[str, ...]]
    SEVERITY: ClassVar[Severity]
    LEGAL_BASIS: ClassVar[tuple[LegalBasis, ...]]
    PARAMS: ClassVar[dict[str, Param]] = {}
    DATASETS: ClassVar[tuple[str, ...]]  # lake datasets the query reads
    # What a warning is about: a section (in-section collusion), a company or a person (across sections).
    SUBJECT: ClassVar[Literal["section", "company", "person"]] = "section"
    # What the implicated entities of a section model are (bidders, or persons such as experts).
    ENTITY: ClassVar[Literal["company", "person"]] = "company"
    # What the verifier must rule out before concluding (zh, en).
    BENIGN: ClassVar[tuple[tuple[str, str], ...]] = ()
    SQL: ClassVar[str]

    @classmethod
    def params(cls, overrides: dict[str, object] | None = None) -> dict[str, float | int | str]:
        values = {name: p.default for name, p in cls.PARAMS.items()}
        for name, value in (overrides or {}).items():
            if name not in cls.PARAMS:
                raise ValueError(f"{cls.ID}: unknown parameter {name}")
            values[name] = cls.PARAMS[name].coerce(value)
        return values

    @classmethod
    def render_sql(cls, params: dict[str, float | int | str]) -> str:
        """The query with parameters substituted (names in braces: ``{max_minutes}``)."""
        sql = cls.SQL
        for name, value in params.items():
            literal = f"'{value}'" if isinstance(value, str) else repr(value)
            sql = sql.replace("{" + name + "}", literal)
        return sql

    @classmethod
    def methodology(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        """One plain sentence; models override it to name what matched."""
        who = "、".join(hit.entities) if locale.startswith("zh") else ", ".join(hit.entities)
        if locale.startswith("zh"):
            return f"{cls.NAME_ZH}：涉及 {who}（规则：{'、'.join(hit.rules)}）"
        return f"{cls.NAME_EN}: involves {who} (rules: {', '.join(hit.rules)})"
