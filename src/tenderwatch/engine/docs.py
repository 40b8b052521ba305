"""One methodology page per model, generated from its module (``python -m tenderwatch.engine.docs``).

Headings are fixed: Methodology / Why it is a red flag / Evidence / Parameters / Exclusions /
Legal basis / Sources. The first, second, third, fifth and last come from the docstring; parameters and
legal basis from the class, so a page cannot drift from the code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tenderwatch.engine.base import CATEGORIES, DetectionModel

DOC_SECTIONS = ("Methodology", "Why it is a red flag", "Evidence", "Exclusions", "Sources")
DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "models"


def docstring_sections(model: type[DetectionModel]) -> dict[str, str]:
    """The docstring split at its headings (a heading is a line that is exactly one of DOC_SECTIONS)."""
    text = model.methodology()
    found: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() in DOC_SECTIONS and not line.startswith(" "):
            if current is not None:
                found[current] = "\n".join(lines).strip()
            current, lines = line.strip(), []
        elif current is not None:
            lines.append(line[4:] if line.startswith("    ") else line)
    if current is not None:
        found[current] = "\n".join(lines).strip()
    return found


def render_markdown(model: type[DetectionModel]) -> str:
    parts = docstring_sections(model)
    missing = [s for s in DOC_SECTIONS if not parts.get(s)]
    if missing:
        raise ValueError(f"{model.ID}: docstring lacks {', '.join(missing)}")
    categories = "、".join(CATEGORIES[c][0] for c in model.CATEGORIES)
    out = [
        f"# {model.ID} · {model.NAME_ZH} · {model.NAME_EN}",
        "",
        f"Version {model.VERSION} · default severity **{model.SEVERITY}** · category {categories} · "
        f"about a {model.SUBJECT} · reads {', '.join(f'`{d}`' for d in model.DATASETS)}",
        "",
    ]
    for heading in DOC_SECTIONS[:3]:
        out += [f"## {heading}", "", parts[heading], ""]
    out += ["## Parameters", ""]
    if model.PARAMS:
        out += ["| name | default | 说明 | meaning |", "|---|---|---|---|"]
        out += [f"| `{n}` | {p.default} | {p.zh} | {p.en} |" for n, p in model.PARAMS.items()]
    else:
        out.append("None.")
    out += ["", "## Exclusions", "", parts["Exclusions"], ""]
    if model.BENIGN:
        out += ["Benign explanations the verifier must rule out:", ""]
        out += [f"- {zh} / {en}" for zh, en in model.BENIGN]
        out.append("")
    out += ["## Legal basis", ""]
    out += [f"- {b.zh} / {b.en}" for b in model.LEGAL_BASIS]
    out += ["", "## Sources", "", parts["Sources"], ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def write_docs(out_dir: Path = DOCS_DIR) -> list[Path]:
    from tenderwatch.detection import MODELS

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index = ["# Detection models", "", "| id | 模型 | model | severity | category |", "|---|---|---|---|---|"]
    for model in MODELS:
        path = out_dir / f"{model.ID}.md"
        path.write_text(render_markdown(model), encoding="utf-8")
        written.append(path)
        cats = ", ".join(CATEGORIES[c][1] for c in model.CATEGORIES)
        index.append(
            f"| [{model.ID}]({model.ID}.md) | {model.NAME_ZH} | {model.NAME_EN} | {model.SEVERITY} | {cats} |"
        )
    (out_dir / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    for written_path in write_docs(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_DIR):
        print(written_path)
