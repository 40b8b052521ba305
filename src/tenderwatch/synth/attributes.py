"""Honest per-bid traces: machines, IPs, document identities, bonds, guarantees, times.

Every firm has its own machines, office IP, CA certificate and template lineage, so honest bidders
never share a machine, an IP or a document identity with a competitor. Values are kept as indices
into small tables; schemes later redirect an index (B uses A's disk) or patch a value.
"""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import idgen, names
from tenderwatch.synth.market import DAY
from tenderwatch.synth.state import Arr, World

VMWARE_HOST_MAC = "00-50-56-C0-00-08"  # VMnet8 host adapter: the same on every PC running VMware


def machines(w: World) -> None:
    rng = w.rng("machines")
    n_comp = w.companies.count
    per = rng.integers(1, 4, n_comp)
    owner = np.repeat(np.arange(n_comp), per)
    m = len(owner) + 1  # one extra row: the VMware virtual adapter used by the look-alike
    w.extra["machine"] = {
        "owner": np.concatenate([owner, [-1]]),
        "code": idgen.unique_hex(rng, m, 16),
        "cpu": np.array(names.CPU_MODELS)[rng.integers(0, len(names.CPU_MODELS), m)],
        "disk": np.char.add(
            np.array(["WD-WCC4N", "S3Z9NB0K", "ZA4", "Z9A1"])[rng.integers(0, 4, m)],
            idgen.unique_hex(rng, m, 4),
        ),
        "mac": np.concatenate([idgen.macs(rng, m - 1), [VMWARE_HOST_MAC]]),
        "memory": idgen.unique_hex(rng, m, 4),
        "lock": np.char.add("GLD", idgen.digits(rng, m, 9)),
        "tool": np.array(names.TOOL_VERSIONS)[rng.integers(0, len(names.TOOL_VERSIONS), m)],
    }
    w.extra["machine_start"] = np.concatenate([[0], np.cumsum(per)[:-1]])
    w.extra["machine_count"] = per
    # IPs: one office egress per company; extra rows are appended by look-alikes and schemes.
    w.extra["ip"] = list(idgen.ipv4s(rng, n_comp + 4000))
    w.extra["ip_next"] = n_comp


def new_ip(w: World) -> int:
    i: int = w.extra["ip_next"]
    w.extra["ip_next"] = i + 1
    return i


def per_bid(w: World) -> None:
    rng = w.rng("per-bid")
    s, b = w.market.s, w.bid
    n = len(b["sec"])
    comp, sec = b["comp"], b["sec"]
    mstart, mcount = w.extra["machine_start"], w.extra["machine_count"]
    machine = mstart[comp] + rng.integers(0, 1 << 30, n) % mcount[comp]
    for part in ("code", "cpu", "disk", "mac", "memory", "lock"):
        b[f"m_{part}"] = machine.copy()
    b["m_tool"] = machine
    b["upload_ip"] = comp.copy()
    b["download_ip"] = comp.copy()
    # About one upload in ten comes from home or a phone hotspot: a fresh address, shared with no one.
    roaming = np.flatnonzero(rng.random(n) < 0.1)
    b["upload_ip"][roaming] = -1  # the writer gives each a mobile-carrier address of its own
    deadline = s["deadline"][sec]
    # Deadline rush: most files go in during the last two days, many in the last hours.
    b["submit"] = deadline - (rng.exponential(20 * 3600, n).clip(600, 6 * DAY)).astype(np.int64) // 60 * 60
    b["fix"] = b["submit"] - rng.integers(10, 48 * 60, n) * 60
    b["created"] = b["fix"] - rng.integers(1, 12 * 24, n) * 3600
    b["download"] = s["doc_start"][sec] + (rng.random(n) * (s["doc_end"][sec] - s["doc_start"][sec])).astype(
        np.int64
    )
    has_bond = s["bond"][sec] > 0
    b["pay"] = np.where(
        has_bond, np.array(["transfer", "guarantee", "insurance"])[rng.choice(3, n, p=[0.45, 0.45, 0.1])], ""
    )
    b["paid"] = np.maximum(s["doc_end"][sec], deadline - rng.integers(2 * 3600, 5 * DAY, n)) // 60 * 60
    b["paid"] = b["paid"] + rng.integers(0, 3600, n)
    # Document identity: most firms reuse their own template lineage (rsidRoot per firm), some start
    # from the tender's own DOCX (rsid inherited from the tender file, a benign match), some fresh.
    b["rsid_src"] = rng.choice(3, n, p=[0.6, 0.22, 0.18])
    b["author_default"] = rng.random(n) < 0.45
    b["author_pick"] = rng.integers(0, len(names.DEFAULT_AUTHORS), n)
    b["duration"] = np.where(
        np.isin(s["industry"][sec], ["procurement"]),
        rng.integers(15, 61, n),
        np.where(
            rng.random(n) < 0.8,
            w.extra["duration"][sec],
            (w.extra["duration"][sec] * rng.uniform(0.85, 1.0, n)).astype(np.int64),
        ),
    )
    w.extra["tender_paras_pick"] = rng.permuted(np.tile(np.arange(10), (n, 1)), axis=1)[:, :4]


def duration_days(w: World) -> Arr:
    rng = w.rng("duration")
    control = w.market.s["control"] / 100.0
    base = 90 + 60 * np.log10(np.maximum(control, 1e5) / 1e5)
    return (np.round(base * rng.uniform(0.8, 1.3, len(control)) / 10) * 10).astype(np.int64)
