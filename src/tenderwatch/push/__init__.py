"""The live push API: trading platforms and source units push bidding events as they happen.

Events are validated against the catalogue exactly like file import, committed to the lake all or
nothing per request, idempotent by the caller's event id; an opened section has its per-section models
run before the answer; a red warning before the award holds the section (award clearance).
See docs/push.md.
"""
