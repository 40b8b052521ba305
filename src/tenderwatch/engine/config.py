"""Per-model settings: mode (active / monitor / off) and parameters, overridable per region and industry.

Read from a YAML file (``Settings.model_settings_file``)::

    C01:
      mode: active            # active: hits become warnings; monitor: hits only (trial); off: not run
      params: {min_components: 2}
      overrides:              # the most specific match wins: longer region prefix, then an industry
        - {region: "3301", industry: building, params: {min_components: 3}, mode: monitor}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from tenderwatch.errors import UserError

Mode = Literal["active", "monitor", "off"]


@dataclass(frozen=True, slots=True)
class Scope:
    """A set of sections that share one mode and one set of parameters."""

    region: str  # region-code prefix ("" = everywhere)
    industry: str | None
    mode: Mode
    params: dict[str, object]

    def matches_sql(self) -> str:
        parts = [f"region_code LIKE '{self.region}%'"] if self.region else []
        if self.industry is not None:
            parts.append(f"industry = '{self.industry}'")
        return " AND ".join(parts) or "TRUE"


@dataclass(frozen=True, slots=True)
class ModelConfig:
    mode: Mode = "active"
    params: dict[str, object] = field(default_factory=dict)
    overrides: tuple[Scope, ...] = ()

    def scopes(self) -> list[tuple[Scope, str]]:
        """Every scope with the SQL predicate selecting exactly its sections (no section in two)."""
        ordered = sorted(self.overrides, key=lambda s: (len(s.region), s.industry is not None), reverse=True)
        result: list[tuple[Scope, str]] = []
        claimed: list[str] = []
        for scope in ordered:
            merged = Scope(scope.region, scope.industry, scope.mode, {**self.params, **scope.params})
            predicate = " AND ".join([f"({scope.matches_sql()})", *[f"NOT ({c})" for c in claimed]])
            result.append((merged, predicate))
            claimed.append(scope.matches_sql())
        default = Scope("", None, self.mode, dict(self.params))
        result.append((default, " AND ".join([f"NOT ({c})" for c in claimed]) or "TRUE"))
        return result


def _check_code(text: str, what: str) -> str:
    if not text.replace("_", "").isalnum():
        raise UserError(f"模型设置中{what}“{text}”无效", f"invalid {what} '{text}' in model settings")
    return text


def load_model_configs(path: Path | None) -> dict[str, ModelConfig]:
    if path is None or not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(
            f"模型设置文件格式错误：{path}", f"model settings file is not valid YAML: {path}"
        ) from exc
    configs: dict[str, ModelConfig] = {}
    for model_id, entry in raw.items():
        entry = entry or {}
        overrides = tuple(
            Scope(
                region=_check_code(str(o.get("region", "")), "region") if o.get("region") else "",
                industry=_check_code(str(o["industry"]), "industry") if o.get("industry") else None,
                mode=o.get("mode", entry.get("mode", "active")),
                params=dict(o.get("params") or {}),
            )
            for o in entry.get("overrides") or []
        )
        configs[str(model_id)] = ModelConfig(
            entry.get("mode", "active"), dict(entry.get("params") or {}), overrides
        )
    return configs
