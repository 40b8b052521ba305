"""The shape of a verification guide (核查指引), after the loader has resolved references to common.yaml.

A guide tells the regulator, for one detection model, what to check (核查事项), how (核查方法: which
system, which document, from whom) and what result supports or rules out the warning (预期结果); which
benign explanations must be ruled out, what each of the five conclusions requires, and which disposal
options (with their legal references) follow. Every text is bilingual; a text missing one language is
a load error, because the verifier's screen and the discipline commission's export both need both.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# The five conclusions of DOMAIN.md §5.5, keyed in English; 不予处理-已处理 belongs to the workflow
# (a link to another case), not to a guide.
OutcomeKey = Literal["confirmed", "partly_confirmed", "unfounded", "unverifiable", "transferred"]
OUTCOME_KEYS: tuple[OutcomeKey, ...] = (
    "confirmed",
    "partly_confirmed",
    "unfounded",
    "unverifiable",
    "transferred",
)
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "confirmed": ("查实", "Confirmed"),
    "partly_confirmed": ("部分查实", "Partly confirmed"),
    "unfounded": ("查否", "Unfounded"),
    "unverifiable": ("无法核实", "Unverifiable"),
    "transferred": ("移送", "Transferred"),
}

_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    # Unknown keys are typos in hand-written YAML: reject them instead of silently dropping them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in both languages; neither may be blank."""

    zh: str
    en: str

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


class Citation(_Strict):
    """A legal provision the model or a disposal rests on."""

    id: str = Field(pattern=_ID)
    text: Text


class RuleNote(_Strict):
    """One sub-rule the model emits (the ``rule`` of its evidence) and what it means for the verifier."""

    id: str = Field(pattern=_ID)
    text: Text


class Item(_Strict):
    """One checklist item: the verifier answers it pass / fail / not applicable with notes and attachments."""

    id: str = Field(pattern=_ID)
    # The model's rules this item verifies; "all" when it applies whatever rule fired.
    rules: list[str] | Literal["all"] = "all"
    check: Text  # 核查事项: what to check
    method: Text  # 核查方法: which system, which document, from whom
    expected: Text  # 预期结果: what supports the warning and what rules it out
    evidence_required: bool = True  # an attachment (with its hash) is required to answer it


class Benign(_Strict):
    """A benign explanation to rule out, and the evidence that establishes it."""

    id: str = Field(pattern=_ID)
    text: Text
    evidence: Text


class Outcome(_Strict):
    """What justifies one conclusion, and what the conclusion must carry."""

    criteria: Text
    requires_benign: bool = False  # a stated benign explanation (an id of the guide's benign list)
    requires_evidence: bool = False  # attachments proving it
    requires_reason: bool = False  # a written reason (why it could not be verified)
    requires_recipient: bool = False  # the receiving body (纪检监察机关, 公安机关 …)


class Outcomes(_Strict):
    confirmed: Outcome
    partly_confirmed: Outcome
    unfounded: Outcome
    unverifiable: Outcome
    transferred: Outcome

    @model_validator(mode="after")
    def _conclusions_carry_what_they_must(self) -> Outcomes:
        # 查否 closes a warning as a false alarm: the anti-selective-enforcement rule (DOMAIN.md §5.6)
        # wants a named benign explanation and its proof, every time.
        if not (self.unfounded.requires_benign and self.unfounded.requires_evidence):
            raise ValueError("unfounded (查否) must require a benign explanation and evidence")
        if not self.unverifiable.requires_reason:
            raise ValueError("unverifiable (无法核实) must require a reason")
        if not self.transferred.requires_recipient:
            raise ValueError("transferred (移送) must require the receiving body")
        return self


class Disposal(_Strict):
    """A disposal option (处理措施) with its legal reference and the conclusions it may follow."""

    id: str = Field(pattern=_ID)
    text: Text
    legal_reference: Text
    applies_to: list[OutcomeKey] = Field(min_length=1)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"duplicate {what} id {value!r}")
        seen.add(value)


class Guide(_Strict):
    model_id: str = Field(pattern=r"^C\d\d$")
    version: int = Field(ge=1)
    # The model version the guide was checked against: a model change must prompt a review of its guide.
    model_version: int = Field(ge=1)
    title: Text
    rules: list[RuleNote] = Field(min_length=1)
    legal_basis: list[Citation] = Field(min_length=1)
    why_fired: Text
    items: list[Item] = Field(min_length=3)
    benign: list[Benign] = Field(min_length=1)
    outcomes: Outcomes
    disposal: list[Disposal] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_consistent(self) -> Guide:
        _unique([r.id for r in self.rules], "rule")
        _unique([c.id for c in self.legal_basis], "legal_basis")
        _unique([i.id for i in self.items], "item")
        _unique([b.id for b in self.benign], "benign")
        _unique([d.id for d in self.disposal], "disposal")
        declared = {r.id for r in self.rules}
        for item in self.items:
            if item.rules != "all":
                unknown = sorted(set(item.rules) - declared)
                if unknown:
                    raise ValueError(f"item {item.id!r} names undeclared rules {unknown}")
        return self

    def items_for(self, rules: list[str]) -> list[Item]:
        """The checklist for a warning whose evidence carries these rules (all items if none is given)."""
        if not rules:
            return list(self.items)
        return [i for i in self.items if i.rules == "all" or set(i.rules) & set(rules)]

    def disposal_for(self, outcome: OutcomeKey) -> list[Disposal]:
        """The disposal options open after one conclusion."""
        return [d for d in self.disposal if outcome in d.applies_to]

    def benign_ids(self) -> set[str]:
        """What a 查否 conclusion may name as its benign explanation."""
        return {b.id for b in self.benign}
