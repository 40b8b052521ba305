"""Verification guides (核查指引): one per detection model, as data in zh-CN and English.

The workflow reads a guide with :func:`get_guide` and asks the verifier every item of
``guide.items_for(warning_rules)``; a conclusion is allowed only with what
``getattr(guide.outcomes, key)`` requires, and offers ``guide.disposal_for(key)``.
"""

from tenderwatch.guides.loader import GuideError, all_guides, get_guide
from tenderwatch.guides.schema import OUTCOME_KEYS, OUTCOME_LABELS, Guide, OutcomeKey

__all__ = ["OUTCOME_KEYS", "OUTCOME_LABELS", "Guide", "GuideError", "OutcomeKey", "all_guides", "get_guide"]
