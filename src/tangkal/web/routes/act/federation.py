"""Act API, federation: peers deliver requests and report their steps."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from tangkal.act import requests
from tangkal.act.casefile import request_dict
from tangkal.act.federation import apply_step, receive_request
from tangkal.errors import InvalidInput
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.body import json_body
from tangkal.web.responses import json
from tangkal.web.routes.act._shared import Endpoint, _clock, _endpoints, _id, _write

__all__ = ["operations", "routes"]


async def federation_receive(request: Request) -> Response:
    who = require_permission(request, "request:federate")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    deadlines = requests.load_deadlines(request.app.state.settings.data_dir)
    clock = _clock(request)
    req = await _write(request, lambda s: request_dict(receive_request(
        s, who, body, deadlines=deadlines, clock=clock, remote=client_ip(request)), clock))  # fmt: skip
    return json(req, status=201)


async def federation_step(request: Request) -> Response:
    who = require_permission(request, "request:federate")
    request_id = _id(request, "id")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    clock = _clock(request)
    req = await _write(request, lambda s: request_dict(apply_step(
        s, who, request_id, body, clock=clock, remote=client_ip(request)), clock))  # fmt: skip
    return json(req)


# (method, path, handler, summary, permission or None for public)
_ENDPOINTS: list[Endpoint] = [
    ("POST", "/api/v1/federation/requests", federation_receive, "A peer delivers a request", "request:federate"),
    ("POST", "/api/v1/federation/requests/{id}/steps", federation_step, "A peer reports a step", "request:federate"),
]  # fmt: skip
routes, operations = _endpoints(_ENDPOINTS, created={"POST /api/v1/federation/requests"})
