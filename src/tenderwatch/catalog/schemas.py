"""Typed form of the catalogue. Loading validates the YAML, so a typo in it fails at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydField

FieldType = Literal["string", "int", "decimal", "float", "date", "datetime", "month", "bool", "enum"]
Validator = Literal["uscc", "id_number", "id_or_uscc", "region", "phone", "ip", "mac", "email"]


class Label(BaseModel):
    model_config = ConfigDict(frozen=True)
    zh: str
    en: str

    def get(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") else self.en


class Field(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: FieldType
    zh: str
    en: str
    required: bool = False
    key: bool = False
    validator: Validator | None = None
    identifier: bool = False
    enum: str | None = None
    min: float | None = None
    max: float | None = None

    def label(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") else self.en


class Reference(BaseModel):
    model_config = ConfigDict(frozen=True)
    fields: tuple[str, ...]
    dataset: str


class Dataset(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    zh: str
    en: str
    source_unit: str
    frequency: Literal["realtime", "daily", "weekly", "monthly"]
    sharing: Literal["push_api", "file", "db_sync"]
    owner: str
    description_zh: str
    description_en: str
    fields: tuple[Field, ...]
    references: tuple[Reference, ...] = ()

    def name(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") else self.en

    def description(self, locale: str) -> str:
        return self.description_zh if locale.startswith("zh") else self.description_en

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.key)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @model_validator(mode="after")
    def _check(self) -> Dataset:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: duplicate field names")
        if not self.key:
            raise ValueError(f"{self.id}: no key field")
        for ref in self.references:
            missing = set(ref.fields) - set(names)
            if missing:
                raise ValueError(f"{self.id}: reference uses unknown fields {sorted(missing)}")
        for f in self.fields:
            if f.type == "enum" and f.enum is None:
                raise ValueError(f"{self.id}.{f.name}: enum field without enum name")
        return self


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_units: dict[str, Label]
    enums: dict[str, dict[str, Label]]
    datasets: tuple[Dataset, ...] = PydField(default=())

    @model_validator(mode="after")
    def _check(self) -> Catalog:
        ids = {d.id for d in self.datasets}
        for d in self.datasets:
            if d.source_unit not in self.source_units:
                raise ValueError(f"{d.id}: unknown source unit {d.source_unit}")
            for f in d.fields:
                if f.enum is not None and f.enum not in self.enums:
                    raise ValueError(f"{d.id}.{f.name}: unknown enum {f.enum}")
            for ref in d.references:
                if ref.dataset not in ids:
                    raise ValueError(f"{d.id}: reference to unknown dataset {ref.dataset}")
                target = next(t for t in self.datasets if t.id == ref.dataset)
                if len(target.key) != len(ref.fields):
                    raise ValueError(f"{d.id}: reference to {ref.dataset} must give {len(target.key)} fields")
        return self

    def dataset(self, dataset_id: str) -> Dataset:
        for d in self.datasets:
            if d.id == dataset_id:
                return d
        raise KeyError(dataset_id)

    def has(self, dataset_id: str) -> bool:
        return any(d.id == dataset_id for d in self.datasets)

    def import_order(self) -> list[Dataset]:
        """Datasets ordered so every referenced dataset comes before the ones that refer to it."""
        done: list[str] = []
        pending = list(self.datasets)
        while pending:
            progressed = False
            for d in list(pending):
                if all(r.dataset in done or r.dataset == d.id for r in d.references):
                    done.append(d.id)
                    pending.remove(d)
                    progressed = True
            if not progressed:
                raise ValueError("reference cycle in catalogue: " + ", ".join(d.id for d in pending))
        return [self.dataset(i) for i in done]

    def enum_label(self, enum: str, code: str, locale: str) -> str:
        label = self.enums.get(enum, {}).get(code)
        return code if label is None else label.get(locale)
