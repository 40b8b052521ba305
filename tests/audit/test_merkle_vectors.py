"""The transparency-dev/merkle JSON vectors (Apache-2.0, ``vectors/LICENSE``): valid proofs verify, every
mutated one is rejected. Plus proofs we generate verify against the same code, for every size up to 40."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tenderwatch.audit.merkle import (
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)

VECTORS = Path(__file__).parent / "vectors"


def _cases(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    return [pytest.param(path, id=str(path.relative_to(VECTORS / kind))) for path in files]


def _b(value: str) -> bytes:
    return base64.b64decode(value)


def _proof(case: dict[str, Any]) -> list[bytes]:
    return [_b(p) for p in case["proof"] or []]


def _outcome(check: Any) -> bool:
    try:
        check()
    except ProofError:
        return False
    return True


def _load(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


@pytest.mark.parametrize("path", _cases("inclusion"))
def test_inclusion_vector(path: Path) -> None:
    c = _load(path)
    ok = _outcome(
        lambda: verify_inclusion(c["leafIdx"], c["treeSize"], _b(c["leafHash"]), _proof(c), _b(c["root"]))
    )
    assert ok is not c["wantErr"], c["desc"]


@pytest.mark.parametrize("path", _cases("consistency"))
def test_consistency_vector(path: Path) -> None:
    c = _load(path)
    ok = _outcome(
        lambda: verify_consistency(c["size1"], c["size2"], _b(c["root1"]), _b(c["root2"]), _proof(c))
    )
    assert ok is not c["wantErr"], c["desc"]


@pytest.mark.parametrize("path", _cases("subtreeinclusion"))
def test_subtree_inclusion_vector(path: Path) -> None:
    c = _load(path)
    ok = _outcome(
        lambda: verify_subtree_inclusion(
            c["leafIdx"], c["start"], c["end"], _b(c["leafHash"]), _proof(c), _b(c["root"])
        )
    )
    assert ok is not c["wantErr"], c["desc"]


@pytest.mark.parametrize("path", _cases("subtreeconsistency"))
def test_subtree_consistency_vector(path: Path) -> None:
    c = _load(path)
    ok = _outcome(
        lambda: verify_subtree_consistency(
            c["start"], c["end"], c["size"], _b(c["root1"]), _b(c["root2"]), _proof(c)
        )
    )
    assert ok is not c["wantErr"], c["desc"]


def test_vector_counts() -> None:
    # Guards against the copy losing files: every vector in shared/ is here.
    counts = {kind: len(list((VECTORS / kind).rglob("*.json"))) for kind in ("inclusion", "consistency")}
    assert counts == {"inclusion": 98, "consistency": 98}


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]


def test_root_of_the_rfc_shapes() -> None:
    a, b, c = _leaves(3)
    assert (
        root_hash([a, b, c])
        == hashlib.sha256(b"\x01" + hashlib.sha256(b"\x01" + a + b).digest() + c).digest()
    )
    assert root_hash([]) == hashlib.sha256(b"").digest()


def test_generated_proofs_verify_for_every_size() -> None:
    leaves = _leaves(40)
    roots = [root_hash(leaves[:n]) for n in range(41)]
    for n in range(1, 41):
        for i in range(n):
            verify_inclusion(i, n, leaves[i], inclusion_proof(leaves[:n], i), roots[n])
        for m in range(1, n + 1):
            verify_consistency(m, n, roots[m], roots[n], consistency_proof(leaves[:n], m))


def test_a_changed_leaf_breaks_consistency() -> None:
    leaves = _leaves(13)
    old_root = root_hash(leaves[:7])
    forged = list(leaves)
    forged[3] = leaf_hash(b"edited")
    with pytest.raises(ProofError):
        verify_consistency(7, 13, old_root, root_hash(forged), consistency_proof(forged, 7))
