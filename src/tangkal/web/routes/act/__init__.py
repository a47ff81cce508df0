"""Act API: cases, cross-border requests, documents, evidence packages, disputes, metrics.

Thin by design: each handler checks the body's shape, opens one transaction, calls the act
domain and renders JSON. Every rule (who sees what, which step is legal) lives in the domain.

Split by concern because one module had grown to four (~650 lines): ``cases``, ``requests``,
``disputes`` (with the victim's status and response-time metrics) and ``federation``, over the
helpers in ``_shared``. The app still registers ``tangkal.web.routes.act`` as one route module;
``routes`` and ``operations`` keep the order they always had, since Starlette matches in order.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from tangkal.web.openapi import Operation
from tangkal.web.routes.act import cases, disputes, federation, requests

__all__ = ["operations", "routes"]

_MODULES = (cases, requests, disputes, federation)

routes: list[BaseRoute] = [route for module in _MODULES for route in module.routes]
operations: list[Operation] = [op for module in _MODULES for op in module.operations]
