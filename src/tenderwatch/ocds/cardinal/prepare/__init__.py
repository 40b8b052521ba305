"""`tenderwatch ocds prepare`: Cardinal 0.0.8's data-quality corrections of OCDS compiled releases.

One module per concern: jsonio (number-exact JSON lines), options (settings), ids, bids, awards,
statuses, modifications, release (the order of the steps), issues (the CSV) and runner (files).
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.prepare.options import PrepareOptions
from tenderwatch.ocds.cardinal.prepare.release import prepare_release
from tenderwatch.ocds.cardinal.prepare.runner import PrepareCounts, run_prepare

__all__ = ["PrepareCounts", "PrepareOptions", "prepare_release", "run_prepare"]
