"""Tamper-evident audit trail: hash chain, RFC 6962 Merkle tree, signed and counter-signed checkpoints."""
