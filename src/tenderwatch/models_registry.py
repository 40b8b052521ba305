"""Imports every ORM module, so ``Base.metadata`` is complete for Alembic and for tests.

A new domain package with a ``models.py`` adds one line here.
"""

from tenderwatch.audit import models as audit_models
from tenderwatch.auth import models as auth_models
from tenderwatch.broker import models as broker_models
from tenderwatch.case import models as case_models
from tenderwatch.complaint import models as complaint_models
from tenderwatch.credit import models as credit_models
from tenderwatch.engine import models as engine_models
from tenderwatch.ingest import models as ingest_models
from tenderwatch.jobs import models as jobs_models
from tenderwatch.push import models as push_models
from tenderwatch.warning import models as warning_models

__all__ = [
    "audit_models",
    "auth_models",
    "broker_models",
    "case_models",
    "complaint_models",
    "credit_models",
    "engine_models",
    "ingest_models",
    "jobs_models",
    "push_models",
    "warning_models",
]
