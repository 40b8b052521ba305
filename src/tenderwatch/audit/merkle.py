"""RFC 6962 / RFC 9162 Merkle tree: tree hash, inclusion and consistency proofs, written from the RFCs.

Leaves are given as *leaf hashes* (``leaf_hash(data)``), so callers can keep them and never re-hash data.
Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 literally; every proof element and root must be exactly
32 bytes, because a shorter or longer value can only be garbage (the transparency-dev vectors test this).

The ``subtree_*`` functions extend the same algorithms to a subtree ``[start, end)`` of a larger tree (the
subtree proofs of the Merkle Tree Certificates draft); the audit log itself only needs the plain ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof that does not verify; the message says which check failed."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes; the empty tree hashes to SHA-256 of nothing."""
    if not leaves:
        return EMPTY_ROOT
    return _mth(leaves, 0, len(leaves))


def _mth(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    if hi - lo == 1:
        return leaves[lo]
    k = _split(hi - lo)
    return node_hash(_mth(leaves, lo, lo + k), _mth(leaves, lo + k, hi))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""
    if not 0 <= index < len(leaves):
        raise ProofError(f"leaf index {index} outside a tree of size {len(leaves)}")
    return _path(leaves, index, 0, len(leaves))


def _path(leaves: Sequence[bytes], m: int, lo: int, hi: int) -> list[bytes]:
    n = hi - lo
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(leaves, m, lo, lo + k), _mth(leaves, lo + k, hi)]
    return [*_path(leaves, m - k, lo + k, hi), _mth(leaves, lo, lo + k)]


def consistency_proof(leaves: Sequence[bytes], size1: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2; empty for m == 0 or m == n (nothing to prove)."""
    size2 = len(leaves)
    if not 0 <= size1 <= size2:
        raise ProofError(f"size {size1} is not within a tree of size {size2}")
    if size1 in (0, size2):
        return []
    return _subproof(leaves, size1, 0, size2, True)


def _subproof(leaves: Sequence[bytes], m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if whole else [_mth(leaves, lo, hi)]
    k = _split(n)
    if m <= k:
        return [*_subproof(leaves, m, lo, lo + k, whole), _mth(leaves, lo + k, hi)]
    return [*_subproof(leaves, m - k, lo + k, hi, False), _mth(leaves, lo, lo + k)]


def _check_sizes(*hashes: bytes) -> None:
    for value in hashes:
        if len(value) != HASH_SIZE:
            raise ProofError(f"hash of {len(value)} bytes, expected {HASH_SIZE}")


def _lsb(value: int) -> bool:
    return bool(value & 1)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2; raises ProofError unless ``leaf`` is at ``index`` of the tree ``(size, root)``."""
    _check_sizes(leaf, root, *proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("proof longer than the path to the root")
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            while not _lsb(fn) and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("proof shorter than the path to the root")
    if r != root:
        raise ProofError("computed root does not match")


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> None:
    """RFC 9162 §2.1.4.2; raises ProofError unless tree ``(size1, root1)`` is a prefix of ``(size2, root2)``."""
    if size1 > size2:
        raise ProofError(f"size1 {size1} greater than size2 {size2}")
    if size1 == 0:
        # Every tree extends the empty one, so such a "proof" proves nothing; callers skip the check.
        raise ProofError("consistency with the empty tree is meaningless")
    if size1 == size2:
        if proof:
            raise ProofError("proof must be empty when the sizes are equal")
        if root1 != root2:
            raise ProofError("equal sizes but different roots")
        return
    _verify_range(0, size1, size2, root1, root2, proof)


def _verify_range(
    start: int, end: int, size: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Consistency of the subtree ``[start, end)`` (hash ``root1``) with the tree ``(size, root2)``.

    With ``start == 0`` this is exactly the RFC 9162 algorithm: ``sn`` plays the RFC's ``fn`` (last old leaf),
    ``tn`` the RFC's ``sn`` (last new leaf). ``fn`` tracks the subtree's first node, so a left sibling is folded
    into the old root only while it still lies inside the subtree (``fn < sn``).
    """
    if end > size:
        raise ProofError(f"size1 {end} greater than size2 {size}")
    if start == end:
        # The empty subtree is part of any tree (its hash alone is checked); a proof can only be garbage.
        if proof:
            raise ProofError("proof must be empty for an empty tree")
        if root1 != EMPTY_ROOT:
            raise ProofError("the empty tree's hash is wrong")
        return
    if end == size and start == 0:
        if proof:
            raise ProofError("proof must be empty when the sizes are equal")
        if root1 != root2:
            raise ProofError("equal sizes but different roots")
        return
    _check_sizes(root1, root2, *proof)
    if not proof:
        raise ProofError("empty proof")
    fn, sn, tn = start, end - 1, size - 1
    while _lsb(sn) and fn < sn:
        fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
    path = list(proof)
    if fn == sn:
        path.insert(0, root1)
    fr = sr = path[0]
    for c in path[1:]:
        if tn == 0:
            raise ProofError("proof longer than needed")
        if _lsb(sn) or sn == tn:
            if fn < sn:
                fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not _lsb(sn) and sn != 0:
                fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
    if tn != 0:
        raise ProofError("proof shorter than needed")
    if fr != root1:
        raise ProofError("computed old root does not match")
    if sr != root2:
        raise ProofError("computed new root does not match")


def _check_subtree(start: int, end: int) -> None:
    """A subtree is a node of some tree: ``start`` is a multiple of the smallest power of two >= its width."""
    if not 0 <= start < end:
        raise ProofError(f"invalid subtree [{start}, {end})")
    width = 1 << (end - start - 1).bit_length()
    if start % width:
        raise ProofError(f"[{start}, {end}) is not a subtree")


def verify_subtree_inclusion(
    index: int, start: int, end: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Leaf ``index`` is in the subtree ``[start, end)`` whose hash is ``root``."""
    _check_sizes(leaf, root, *proof)
    _check_subtree(start, end)
    if not start <= index < end:
        raise ProofError(f"leaf index {index} outside subtree [{start}, {end})")
    verify_inclusion(index - start, end - start, leaf, proof, root)


def verify_subtree_consistency(
    start: int, end: int, size: int, subtree_root: bytes, root: bytes, proof: Sequence[bytes]
) -> None:
    """The subtree ``[start, end)`` with hash ``subtree_root`` is part of the tree ``(size, root)``."""
    if start != end:
        _check_subtree(start, end)
    _verify_range(start, end, size, subtree_root, root, proof)
