"""One page per verification guide, generated from its YAML (``python -m tenderwatch.guides.docs``).

Each page carries both languages side by side, as docs/models does, so the printed guide a regulator
files with a case and the guide the system validates are the same text. A test fails when a page is
stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tenderwatch.guides.loader import all_guides
from tenderwatch.guides.schema import OUTCOME_KEYS, OUTCOME_LABELS, Guide, Item, Text

DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "guides"

# How the guides are written and checked; part of the generated index so it cannot drift from the code.
_ABOUT = (
    "One guide per detection model, `src/tenderwatch/guides/data/Cxx.yaml`, validated by "
    "`tenderwatch.guides.schema.Guide` when loaded (`tenderwatch.guides.get_guide`). A guide has: the "
    "legal basis; the rules the model emits and what each means (why it fired); checklist items (what to "
    "check, the method — which system, which document, from whom — and the expected result, each "
    "limited to some rules or for all); the benign explanations to rule out with the evidence each needs "
    "(at least the model's own `BENIGN`); the criteria of the five conclusions 查实 / 部分查实 / 查否 / "
    "无法核实 / 移送 (查否 must name a benign explanation and carry evidence, 无法核实 a reason, 移送 the "
    "receiving body); and the disposal options with their legal references.",
    "",
    "Shared blocks (penalty articles, common checklist items, the 无法核实 and 移送 criteria) live once in "
    "`common.yaml`; a guide refers to them with `{ref: id}`, and `{set: name}` expands a disposal set "
    "(collusion, lending, expert, tenderer, closing). Every text has zh and en. Loading fails, naming the "
    "file and the field, on a missing language, an unknown reference, an unknown key, or a rule the "
    "model's query never emits; the tests also check that every model has exactly one guide and that "
    "the guide lists the model's benign explanations.",
)


def _both(text: Text) -> str:
    return f"{text.zh}<br>{text.en}"


def _cell(text: str) -> str:
    # Table cells: a pipe would split the cell.
    return text.replace("|", "\\|").replace("\n", " ")


def _item(number: int, item: Item) -> list[str]:
    applies = "全部规则 / all rules" if item.rules == "all" else ", ".join(f"`{r}`" for r in item.rules)
    attachment = "须附证据 / evidence required" if item.evidence_required else "证据可选 / evidence optional"
    return [
        f"### {number}. {item.check.zh}",
        "",
        f"*{item.check.en}* · `{item.id}` · {applies} · {attachment}",
        "",
        f"- **核查方法 / Method**: {item.method.zh}",
        f"  <br>{item.method.en}",
        f"- **预期结果 / Expected result**: {item.expected.zh}",
        f"  <br>{item.expected.en}",
        "",
    ]


def render_markdown(guide: Guide) -> str:
    out = [
        f"# {guide.model_id} 核查指引 · Verification guide: {guide.title.zh} · {guide.title.en}",
        "",
        f"Version {guide.version}, for model version {guide.model_version} · model page "
        f"[{guide.model_id}](../models/{guide.model_id}.md)",
        "",
        "## 法律依据 / Legal basis",
        "",
    ]
    out += [f"- {c.text.zh}<br>{c.text.en}" for c in guide.legal_basis]
    out += ["", "## 预警原因 / Why it fired", "", guide.why_fired.zh, "", guide.why_fired.en, ""]
    out += ["| 规则 rule | 含义 | meaning |", "|---|---|---|"]
    out += [f"| `{r.id}` | {_cell(r.text.zh)} | {_cell(r.text.en)} |" for r in guide.rules]
    out += ["", "## 核查事项 / Checklist", ""]
    out += [
        "逐项作答：符合 / 不符合 / 不适用，附说明与附件（附件存储其哈希值）。",
        "Answer every item: pass / fail / not applicable, with notes and attachments (stored with their hash).",
        "",
    ]
    for number, item in enumerate(guide.items, start=1):
        out += _item(number, item)
    out += ["## 需排除的合理解释 / Benign explanations to rule out", ""]
    out += ["| id | 解释 / explanation | 证明材料 / evidence |", "|---|---|---|"]
    out += [f"| `{b.id}` | {_cell(_both(b.text))} | {_cell(_both(b.evidence))} |" for b in guide.benign]
    out += ["", "## 核查结论 / Conclusions", ""]
    out += ["| 结论 / conclusion | 认定标准 / criteria | 须附 / must carry |", "|---|---|---|"]
    for key in OUTCOME_KEYS:
        outcome = getattr(guide.outcomes, key)
        needs = [
            label
            for flag, label in (
                (outcome.requires_benign, "合理解释 benign explanation"),
                (outcome.requires_evidence, "证据 evidence"),
                (outcome.requires_reason, "原因 reason"),
                (outcome.requires_recipient, "接收机关 receiving body"),
            )
            if flag
        ]
        zh, en = OUTCOME_LABELS[key]
        out.append(f"| {zh} {en} | {_cell(_both(outcome.criteria))} | {', '.join(needs) or '—'} |")
    out += [
        "",
        "结论须由核查人以外的另一人审核。 The conclusion is reviewed by a person other than the verifier.",
        "",
        "## 处理措施 / Disposal options",
        "",
        "| id | 措施 / measure | 法律依据 / legal reference | 适用结论 / after |",
        "|---|---|---|---|",
    ]
    for d in guide.disposal:
        after = "、".join(OUTCOME_LABELS[k][0] for k in d.applies_to)
        out.append(f"| `{d.id}` | {_cell(_both(d.text))} | {_cell(_both(d.legal_reference))} | {after} |")
    out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def write_docs(out_dir: Path = DOCS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for guide in all_guides():
        path = out_dir / f"{guide.model_id}.md"
        path.write_text(render_markdown(guide), encoding="utf-8")
        written.append(path)
    (out_dir / "README.md").write_text(render_index(), encoding="utf-8")
    return written


def render_index() -> str:
    lines = [
        "# Verification guides (核查指引)",
        "",
        "Generated from `src/tenderwatch/guides/data/` by `python -m tenderwatch.guides.docs`; do not edit.",
        "",
        *_ABOUT,
        "",
        "| id | 模型 | model | items | benign explanations |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{g.model_id}]({g.model_id}.md) | {g.title.zh} | {g.title.en} | {len(g.items)} | {len(g.benign)} |"
        for g in all_guides()
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for written_path in write_docs(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_DIR):
        print(written_path)
