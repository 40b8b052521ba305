"""The planted schemes and benign look-alikes, recorded by index and written as ``truth.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Entry:
    model: str  # scheme: the model id (C01…); look-alike: the kind
    type: str
    sections: list[int]
    companies: list[int]
    persons: list[int]
    detail: dict[str, Any]
    resembles: list[str] = field(default_factory=list)


@dataclass
class Truth:
    schemes: list[Entry] = field(default_factory=list)
    lookalikes: list[Entry] = field(default_factory=list)

    def scheme(
        self,
        model: str,
        type_: str,
        sections: list[int],
        companies: list[int],
        persons: list[int] | None = None,
        **detail: Any,
    ) -> None:
        self.schemes.append(Entry(model, type_, sections, companies, persons or [], detail))

    def lookalike(
        self,
        kind: str,
        resembles: list[str],
        sections: list[int],
        companies: list[int],
        persons: list[int] | None = None,
        **detail: Any,
    ) -> None:
        self.lookalikes.append(Entry(kind, kind, sections, companies, persons or [], detail, resembles))


def write_truth(
    path: Path,
    scale: str,
    seed: int,
    counts: dict[str, int],
    truth: Truth,
    section_codes: Any,
    usccs: Any,
    person_ids: Any,
) -> None:
    def codes(e: Entry) -> dict[str, Any]:
        return {
            # Order is kept (first company = the designated winner or favoured bidder where there is one).
            "sections": list(dict.fromkeys(str(section_codes[i]) for i in e.sections)),
            "companies": list(dict.fromkeys(str(usccs[i]) for i in e.companies)),
            "persons": list(dict.fromkeys(str(person_ids[i]) for i in e.persons)),
            "detail": e.detail,
        }

    doc = {
        "scale": scale,
        "seed": seed,
        "counts": counts,
        "schemes": [
            {"id": f"S{i:04d}", "model": e.model, "type": e.type, **codes(e)}
            for i, e in enumerate(truth.schemes, start=1)
        ],
        "lookalikes": [
            {"id": f"L{i:04d}", "kind": e.model, "resembles": e.resembles, **codes(e)}
            for i, e in enumerate(truth.lookalikes, start=1)
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")
