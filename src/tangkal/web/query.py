"""Query strings of the staff API: a parameter nobody reads is refused, not ignored.

An analyst who types ``?countyr=ID`` must hear about it: ignoring it would list every
country's reports as if they were Indonesia's (QA pass, session 10).
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.requests import Request

from tangkal.errors import InvalidInput

__all__ = ["refuse_unknown_params"]


def refuse_unknown_params(request: Request, known: Collection[str]) -> None:
    """Raise a 4xx problem naming the first query parameter the endpoint does not take."""
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(sorted(known))
            raise InvalidInput(
                f"unknown query parameter (this endpoint takes {allowed})", field=name
            )
