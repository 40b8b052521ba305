"""The codes prepare accepts, after re-mapping with `[codelists.*]`."""

from __future__ import annotations

# https://extensions.open-contracting.org/en/extensions/bids/master/codelists/#bidStatus.csv
BID_STATUS = frozenset({"invited", "pending", "valid", "disqualified", "withdrawn"})

# https://standard.open-contracting.org/latest/en/schema/codelists/#award-status
AWARD_STATUS = frozenset({"pending", "active", "cancelled", "unsuccessful"})
