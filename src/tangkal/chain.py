"""What happens when reports are filed, in one place: store, link, publish.

``report`` must not import ``link`` or ``share`` (the dependency rule), so the adapters
that file reports — the API, the web form, ``tangkal import`` and ``tangkal demo`` — call
this instead of ``file_reports`` directly. One transaction covers all three steps: a report
is never stored outside its network, nor stored without its indicators being published to
the node's TAXII collections (which pushes them to peers after commit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.config import Settings
from tangkal.link.incremental import link_reports
from tangkal.report.intake import Filed, file_reports
from tangkal.report.prepare import Prepared
from tangkal.share.publish import NodeIdentity, materialise

__all__ = ["file_and_propagate", "propagate", "propagating_writer"]


def file_and_propagate(
    session: Session,
    prepared: Sequence[Prepared],
    settings: Settings,
    *,
    reporter_key: str,
    principal: Principal | None = None,
    trusted: bool = False,
    remote: str | None = None,
    audit_each: bool = True,
) -> list[Filed]:
    """File, then link the new reports and publish their indicators, in the caller's transaction."""
    filed = file_reports(
        session, prepared, reporter_key=reporter_key, principal=principal, trusted=trusted,
        remote=remote, audit_each=audit_each,
    )  # fmt: skip
    propagate(session, filed, settings)
    return filed


def propagate(session: Session, filed: Sequence[Filed], settings: Settings) -> None:
    """Link the newly stored reports and publish their indicators (duplicates are skipped)."""
    new = [f.report_id for f in filed if not f.duplicate]
    if new:
        link_reports(session, new, degree_cap=settings.link_degree_cap)
        materialise(
            session, _indicator_ids(session, new), node=NodeIdentity.from_settings(settings)
        )


def propagating_writer(
    settings: Settings, *, reporter_key: str, principal: Principal | None = None,
    trusted: bool = False,
) -> Callable[[Session, list[Prepared]], list[Filed]]:  # fmt: skip
    """A batch writer for ``report.importer.import_file(write=...)``."""

    def write(session: Session, prepared: list[Prepared]) -> list[Filed]:
        return file_and_propagate(
            session, prepared, settings, reporter_key=reporter_key, principal=principal,
            trusted=trusted, audit_each=False,
        )  # fmt: skip

    return write


def _indicator_ids(session: Session, report_ids: list[int]) -> list[int]:
    from sqlalchemy import select

    from tangkal.report.models import ReportIndicator

    ids: set[int] = set()
    for i in range(0, len(report_ids), 500):
        ids.update(
            session.scalars(
                select(ReportIndicator.indicator_id).where(
                    ReportIndicator.report_id.in_(report_ids[i : i + 500])
                )
            )
        )
    return sorted(ids)
