"""Every domain's tables, imported in one place so Alembic and tests see the whole schema."""

import tangkal.act.models
import tangkal.link.models
import tangkal.measure.models
import tangkal.share.models
import tangkal.share.peer_models  # noqa: F401  (registers the peers tables on the metadata)
from tangkal.access.models import ApiToken, Organisation
from tangkal.audit.models import AuditEvent
from tangkal.check.models import AllowlistEntry
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.store.base import Base

metadata = Base.metadata

__all__ = [
    "AllowlistEntry",
    "ApiToken",
    "AuditEvent",
    "Indicator",
    "Organisation",
    "Report",
    "ReportIndicator",
    "metadata",
]
