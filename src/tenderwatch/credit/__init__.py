"""信用: bad-conduct records, industry credit scores, the blacklist and the credit gate (一处违规、处处受限)."""
