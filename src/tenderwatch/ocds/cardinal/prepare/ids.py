"""Organization and award identifiers: numbers become strings, placeholders are removed, prefixes
added, and (with `party_roles`) the role each reference implies is recorded for its party."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.cardinal.prepare.jsonio import is_number, number_text, swap_remove

RolesLookup = dict[str, set[str]]


def stringify(obj: dict[str, Any], key: str) -> None:
    """A numeric id becomes its text (`1` → `"1"`, `1.0` → `"1.0"`), so lookups by id match."""
    value = obj.get(key)
    if is_number(value):
        obj[key] = number_text(value)


def prepare_id(
    obj: dict[str, Any], redact: frozenset[str], prefix: str, lookup: RolesLookup, role: str
) -> None:
    stringify(obj, "id")
    ident = obj.get("id")
    if not isinstance(ident, str):
        return
    if ident in redact:
        swap_remove(obj, "id")
        return
    if not ident.startswith(prefix):
        ident = prefix + ident
        obj["id"] = ident
    roles = lookup.get(ident)
    if roles is not None:
        roles.add(role)


def prepare_id_object(
    parent: dict[str, Any], key: str, redact: frozenset[str], prefix: str, lookup: RolesLookup, role: str
) -> None:
    """An organization reference such as /buyer."""
    obj = parent.get(key)
    if isinstance(obj, dict):
        prepare_id(obj, redact, prefix, lookup, role)


def prepare_id_array(
    parent: dict[str, Any], key: str, redact: frozenset[str], prefix: str, lookup: RolesLookup, role: str
) -> None:
    """An array of organization references such as /awards[]/suppliers; a lone object where the
    array belongs is wrapped into an array first."""
    value = parent.get(key)
    if isinstance(value, dict):
        value = [value]
        parent[key] = value
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict):
                prepare_id(entry, redact, prefix, lookup, role)


def party_roles_lookup(release: dict[str, Any]) -> RolesLookup:
    """Each party id's current string roles; a repeated id keeps the last party's roles."""
    lookup: RolesLookup = {}
    parties = release.get("parties")
    if isinstance(parties, list):
        for party in parties:
            if isinstance(party, dict) and isinstance(ident := party.get("id"), str):
                roles = party.get("roles")
                lookup[ident] = {r for r in roles if isinstance(r, str)} if isinstance(roles, list) else set()
    return lookup


def apply_party_roles(release: dict[str, Any], lookup: RolesLookup) -> None:
    """Write back each party's roles, sorted, if it has any (every party with the id gets them)."""
    parties = release.get("parties")
    if isinstance(parties, list):
        for party in parties:
            if isinstance(party, dict) and isinstance(ident := party.get("id"), str):
                roles = sorted(lookup[ident])
                if roles:
                    party["roles"] = roles
