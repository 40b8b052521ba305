"""Receipt codes: 11 random Crockford base32 characters (55 bits) plus a Luhn mod 32 check character.

The check character lets the tracking page refuse a mistyped code without a database lookup; the code
itself is stored only as an HMAC under the secret key, so a copy of the database does not let anyone
follow someone else's complaint.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_CHARS = 11
# Characters people confuse with the alphabet's own (Crockford's decoding rules).
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _luhn_sum(values: list[int], start_factor: int) -> int:
    total, factor, n = 0, start_factor, len(ALPHABET)
    for value in reversed(values):
        addend = factor * value
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return total


def check_char(body: str) -> str:
    values = [ALPHABET.index(ch) for ch in body]
    return ALPHABET[(len(ALPHABET) - _luhn_sum(values, 2) % len(ALPHABET)) % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return body + check_char(body)


def normalise(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "").translate(_CONFUSED)


def is_well_formed(code: str) -> bool:
    code = normalise(code)
    if len(code) != RANDOM_CHARS + 1 or any(ch not in ALPHABET for ch in code):
        return False
    return _luhn_sum([ALPHABET.index(ch) for ch in code], 1) % len(ALPHABET) == 0


def display(code: str) -> str:
    code = normalise(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def digest(secret_key: str, code: str) -> str:
    return hmac.new(secret_key.encode(), b"receipt:" + normalise(code).encode(), hashlib.sha256).hexdigest()


def address_digest(secret_key: str, address: str) -> str:
    return hmac.new(secret_key.encode(), b"address:" + address.encode(), hashlib.sha256).hexdigest()
