"""Measure: read-only regional figures — volumes, flows, networks and time to act — for
ministers and agencies, with small counts suppressed in anything shared beyond the node."""

from tangkal.measure.figures import FIGURES, Figure, compute
from tangkal.measure.filters import Filters, parse_filters
from tangkal.measure.privacy import suppress
from tangkal.measure.summaries import refresh

__all__ = ["FIGURES", "Figure", "Filters", "compute", "parse_filters", "refresh", "suppress"]
