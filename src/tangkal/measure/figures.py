"""Every figure by name: what the API, the dashboard, the CLI and the brief all call.

>>> sorted(FIGURES)
['action', 'flows', 'networks', 'outcomes', 'volumes']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.measure.action import action, outcomes
from tangkal.measure.filters import Filters
from tangkal.measure.flows import flows
from tangkal.measure.networks import networks
from tangkal.measure.privacy import suppress
from tangkal.measure.table import Figure
from tangkal.measure.volumes import volumes

__all__ = ["FIGURES", "Figure", "compute"]

FigureFn = Callable[[Session, Filters, Mapping[str, str | None]], Figure]
FIGURES: dict[str, FigureFn] = {
    "volumes": volumes,
    "flows": flows,
    "networks": networks,
    "action": action,
    "outcomes": outcomes,
}


def compute(
    session: Session,
    name: str,
    filters: Filters,
    params: Mapping[str, str | None] | None = None,
    *,
    min_count: int = 0,
) -> Figure:
    """Figure ``name`` for ``filters``, suppressed below ``min_count`` (0: exact).

    ``params`` carries the figure's own options (``by``, ``kind``, ``order``, ``limit``,
    ``type``); each figure checks its own and names the bad field.
    """
    fn = FIGURES.get(name)
    if fn is None:
        raise InvalidInput(f"must be one of: {', '.join(FIGURES)}", field="figure")
    figure = fn(session, filters, params or {})
    return suppress(figure, min_count) if min_count else figure
