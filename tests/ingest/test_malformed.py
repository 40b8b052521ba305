"""Every kind of defect at once, through the real command: nothing lost, no traceback, clear reasons."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tests.helpers import IDS, PROJECTS, SECTIONS, USCC, run_cli, write

BAD_USCC = USCC[2][:-1] + ("0" if USCC[2][-1] != "0" else "1")
DEFECTS = (
    "\n".join(
        [
            "section_code,bidder_uscc,bidder_name,bid_price,submit_time,operator_id,extra_column",
            f"S1,{USCC[1]},good one,950000,2024-01-20 10:00:00,{IDS[0]},x",  # 2 accepted
            f"S1,{USCC[2]},wrong type,九十万,2024-01-20 10:00:00,,",  # 3 not_decimal
            f"S1,{BAD_USCC},bad check digit,900000,2024-01-20 10:00:00,,",  # 4 bad_uscc
            f"S404,{USCC[3]},unknown section,900000,2024-01-20 10:00:00,,",  # 5 unknown_reference
            f"S1,{USCC[1]},duplicate key,950001,2024-01-20 10:00:00,,",  # 6 duplicate_key
            f"S1,{USCC[4]},too many fields,1,2024-01-20 10:00:00,,,surplus",  # 7 wrong_field_count
            f'S1,{USCC[4]},"stray quote,1,2024-01-20 10:00:00,,',  # 8 malformed_line
            f"S1,{USCC[4]},/,900000,2024-01-20 10:00:00,,",  # 9 required (placeholder)
            f"S2,{USCC[0]},bad date,900000,2024-02-30 25:00:00,,",  # 10 not_datetime
            f"S2,{USCC[4]},negative,-5,2024-01-20 10:00:00,{IDS[1][:-1]}Y,",  # 11 below_min + bad_id
            "",  # 12 blank: layout
            f"S2,{USCC[5]},good two,1800000,2024-01-20 10:00:00,,",  # 13 accepted
        ]
    )
    + "\n"
)
EXPECTED_REJECTS = {
    3: "not_decimal",
    4: "bad_uscc",
    5: "unknown_reference",
    6: "duplicate_key",
    7: "wrong_field_count",
    8: "malformed_line",
    9: "required",
    10: "not_datetime",
    11: "below_min",
}


def test_every_defect_is_accounted_for_without_a_traceback(sqlite_settings: Settings, tmp_path: Path) -> None:
    data_dir = sqlite_settings.data_dir
    files = tmp_path / "delivery"
    files.mkdir()
    write(files / "tender_projects.csv", PROJECTS)
    write(files / "sections.csv", SECTIONS, encoding="gbk")  # GBK is a real encoding here, not a defect
    write(files / "bids-defects.csv", DEFECTS)
    (files / "bids-empty.csv").write_bytes(b"")
    (files / "bids-binary.csv").write_bytes(os.urandom(2048) + b"\x00" * 64)
    (files / "bids-mixed-encoding.csv").write_bytes(b"section_code,bidder_name\nS1,\xff\xfe\xfd\x81\x30\n")
    (files / "bids-only-header.csv").write_text("section_code,bidder_uscc\n", encoding="utf-8")
    jsonl = [
        json.dumps(
            {
                "section_code": "S2",
                "bidder_uscc": USCC[3],
                "bidder_name": "json ok",
                "bid_price": 1700000,
                "submit_time": "2024-01-20 10:00:00",
            },
            ensure_ascii=False,
        ),
        "{not json",
        "[1,2]",
        json.dumps(
            {
                "section_code": "S2",
                "bidder_uscc": USCC[4],
                "bidder_name": {"nested": 1},
                "bid_price": 1,
                "submit_time": "2024-01-20 10:00:00",
            }
        ),
    ]
    write(files / "bids-lines.jsonl", "\n".join(jsonl) + "\n")
    (files / "bids-damaged.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(500))

    run = run_cli(["ingest", str(files)], data_dir)
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert run.returncode == 1  # some files failed as a whole; the reason is printed, not a stack
    for reason in ("文件为空", "二进制", "无法识别文件编码", "XLSX文件已损坏"):
        assert reason in output

    db = Database(sqlite_settings)
    with db.session() as session:
        batches = {b.file_name: b for b in service.get_all_batches(db_session=session, limit=100)}
        for batch in batches.values():
            assert batch.received == batch.accepted + batch.rejected
            assert service.count_rejects(db_session=session, batch_id=batch.id) == batch.rejected
        defects = batches["bids-defects.csv"]
        assert (defects.received, defects.accepted, defects.rejected) == (11, 2, 9)
        rejects = service.get_rejects(db_session=session, batch_id=defects.id)
        first_codes = {r.line: r.code for r in rejects}
        # line 11 has two problems; both are kept, in field order
        assert {line: code for line, code in first_codes.items() if line != 11} == {
            line: code for line, code in EXPECTED_REJECTS.items() if line != 11
        }
        line11 = next(r for r in rejects if r.line == 11)
        assert {e["code"] for e in line11.errors} == {"below_min", "bad_id_number"}
        assert defects.unknown_columns == ["extra_column"]
        assert all(r.message_zh and r.message_en for r in rejects)

        lines = batches["bids-lines.jsonl"]
        assert (lines.received, lines.accepted, lines.rejected) == (4, 1, 3)
        assert batches["bids-only-header.csv"].received == 0
        assert batches["sections.csv"].accepted == 2
        for name, code in (
            ("bids-empty.csv", "empty_file"),
            ("bids-binary.csv", "binary_file"),
            ("bids-mixed-encoding.csv", "unknown_encoding"),
            ("bids-damaged.xlsx", "bad_xlsx"),
        ):
            assert batches[name].status == "failed" and batches[name].error_code == code

    again = run_cli(["ingest", str(files / "bids-defects.csv")], data_dir)
    assert again.returncode == 0 and "already imported" in again.stdout
    shown = run_cli(["rejects", str(defects.id), "--lang", "en"], data_dir)
    assert shown.returncode == 0 and "not a valid Unified Social Credit Code" in shown.stdout


def test_bad_arguments_give_one_line_and_non_zero(sqlite_settings: Settings, tmp_path: Path) -> None:
    missing = run_cli(["ingest", str(tmp_path / "nope.csv")], sqlite_settings.data_dir)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr + missing.stdout
    unknown = run_cli(["rejects", "999"], sqlite_settings.data_dir)
    assert unknown.returncode == 2 and "999" in unknown.stderr
