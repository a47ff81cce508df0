"""The public pages, "Check" and "Report a scam": server-rendered HTML in the visitor's language.

No JavaScript is needed and nothing is fetched from elsewhere: every asset comes from this
node (``/static``), which the Content-Security-Policy enforces. Handlers stay thin: read the
input, call the check and report domains, render a template.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from tangkal.chain import file_and_propagate
from tangkal.check.analyze import analyze
from tangkal.check.lookup import check_one
from tangkal.errors import InvalidInput, PayloadTooLarge, RateLimited
from tangkal.report.prepare import prepare, score
from tangkal.vocabulary import ASEAN
from tangkal.web import advice
from tangkal.web.auth import client_ip
from tangkal.web.forms import (
    CHANNEL_LABELS,
    CURRENCIES,
    FIELDS,
    TYPOLOGY_LABELS,
    FormError,
    field_errors,
    parse_report_form,
    reporter_key,
)
from tangkal.web.i18n import Formatter, reason_text
from tangkal.web.rendering import (
    HERE,
    SECURITY_HEADERS,
    language,
    page_state,
    render,
    render_error,
    render_string,
)

# render, render_error and render_string stay importable from here for the other domains' pages.
__all__ = ["SECURITY_HEADERS", "operations", "render", "render_error", "render_string", "routes"]

FORM_LIMIT = 256 * 1024  # a 20,000-character story in Thai, percent-encoded, fits
MAX_PAGE_TEXT = 1500  # a GET URL must stay under the server's 16 KiB request-line limit
MAX_SHOWN = 30  # indicators of one pasted message that are checked and shown
CSRF_COOKIE = "tangkal_csrf"
_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}


@cache
def _countries(lang: str) -> list[tuple[str, str]]:
    """The ten ASEAN states, named and sorted in ``lang``."""
    fmt = Formatter(lang)
    return sorted(((c, fmt.country(c)) for c in ASEAN), key=lambda item: item[1])


# ---- Check -------------------------------------------------------------------------


def _check(request: Request, q: str, country: str | None) -> dict[str, Any]:
    """One value gets its verdict; a whole message gets analysed and each indicator checked."""
    state = request.app.state
    text = q.strip()
    if "\n" not in text:
        try:
            with state.store.read() as session:
                result = check_one(session, text, country, link_scorer=state.link_scorer)
            return {"mode": "single", "result": result.as_dict()}
        except InvalidInput:
            if not re.search(r"\s", text):
                raise
    analysis = analyze(text, country)
    checked = []
    with state.store.read() as session:
        for found in analysis["indicators"][:MAX_SHOWN]:
            try:
                # By kind: a canonical account number must not be re-read as a phone number.
                result = check_one(
                    session, found["value"], country, kind=found["kind"],
                    link_scorer=state.link_scorer,
                )  # fmt: skip
            except InvalidInput:
                continue
            checked.append(result.as_dict())
    return {"mode": "message", "analysis": analysis, "results": checked}


async def check_page(request: Request) -> Response:
    settings = request.app.state.settings
    q = request.query_params.get("q", "")
    country = request.query_params.get("country", "") or settings.node_country
    context: dict[str, Any] = {"q": q, "country": country, "error": None, "outcome": None}
    lang = language(request)
    context["countries"] = _countries(lang)
    if country not in ASEAN:
        context["country"] = settings.node_country
    if q.strip():
        try:
            request.app.state.limiter.hit(client_ip(request))
        except RateLimited:
            return render_error(request, 429, advice.TOO_MANY)
        if len(q) > MAX_PAGE_TEXT:
            context["error"] = advice.TOO_LONG
        else:
            try:
                outcome = await run_in_threadpool(_check, request, q, context["country"])
            except InvalidInput:
                context["error"] = advice.NOT_RECOGNISED
            else:
                context["outcome"] = _present(outcome, page_state(request).catalogues.get(lang))
    context["hotline"] = advice.HOTLINES.get(context["country"])
    return render(request, "check.html", context, status=422 if context["error"] else 200)


def _present(outcome: dict[str, Any], translations: Any) -> dict[str, Any]:
    """Add the translated reasons of a message; the template does the rest."""
    analysis = outcome.get("analysis")
    if analysis and "reasons" in analysis:
        outcome["reasons"] = [reason_text(translations, r) for r in analysis["reasons"] or []]
    return outcome


# ---- Report a scam -----------------------------------------------------------------


def _form_context(
    request: Request, values: Mapping[str, str], errors: Mapping[str, str], token: str
) -> dict[str, Any]:
    settings = request.app.state.settings
    lang = language(request)
    fmt = Formatter(lang)
    t = page_state(request).catalogues.get(lang)
    country = values.get("country") or request.query_params.get("country") or ""
    return {
        "values": values,
        # In the order of the boxes on the page, so the summary reads top to bottom.
        "errors": dict(sorted(errors.items(), key=lambda item: _FIELD_ORDER.get(item[0], 99))),
        "csrf": token,
        "country": country if country in ASEAN else settings.node_country,
        "countries": _countries(lang),
        "typologies_t": [(code, t.gettext(label)) for code, label in TYPOLOGY_LABELS.items()],
        "channels_t": [(code, t.gettext(label)) for code, label in CHANNEL_LABELS.items()],
        "currencies_t": [(code, fmt.currency_name(code)) for code in CURRENCIES],
    }


def _with_csrf(request: Request, build: Any) -> Response:
    """Render a form page with a token bound to this browser's CSRF cookie."""
    pages = page_state(request)
    cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    response: Response = build(pages.csrf.issue(cookie))
    secure = request.url.scheme == "https"
    response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", secure=secure)
    return response


async def report_form(request: Request) -> Response:
    return _with_csrf(
        request, lambda token: render(request, "report.html", _form_context(request, {}, {}, token))
    )


async def _read_form(request: Request) -> dict[str, str]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip()
    if ctype != "application/x-www-form-urlencoded":
        raise InvalidInput("send the form as application/x-www-form-urlencoded", field="body")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > FORM_LIMIT:
        raise PayloadTooLarge(f"form over {FORM_LIMIT} bytes", field="body")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > FORM_LIMIT:
            raise PayloadTooLarge(f"form over {FORM_LIMIT} bytes", field="body")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=40)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("the form could not be read", field="body") from None
    return {k: v for k, v in pairs}


async def report_submit(request: Request) -> Response:
    state = request.app.state
    pages = page_state(request)
    try:
        state.limiter.hit(client_ip(request))
        form = await _read_form(request)
    except RateLimited:
        return render_error(request, 429, advice.TOO_MANY)
    except PayloadTooLarge:
        return render_error(request, 413, advice.FORM_TOO_LARGE)
    except InvalidInput:
        return render_error(request, 400, advice.FORM_UNREADABLE)
    if not pages.csrf.valid(form.get("csrf", ""), request.cookies.get(CSRF_COOKIE, "")):
        return render_error(request, 403, advice.FORM_EXPIRED)
    lang = language(request)
    try:
        data, fields = parse_report_form(
            form, lang=lang, default_country=state.settings.node_country
        )
        key = reporter_key(client_ip(request), form)
        try:
            prepared = prepare(data, key)
        except InvalidInput as exc:
            raise FormError(field_errors(exc, fields)) from None
    except FormError as exc:
        values = {k: v for k, v in form.items() if k != "csrf"}
        errors = exc.errors
        return _with_csrf(
            request,
            lambda token: render(
                request, "report.html", _form_context(request, values, errors, token), status=422
            ),
        )

    def store_it() -> Any:
        with state.store.begin() as session:
            return file_and_propagate(
                session, score([prepared]), state.settings, reporter_key=key,
                remote=client_ip(request),
            )[0]  # fmt: skip

    filed = await run_in_threadpool(store_it)
    # Redirecting would need the status secret in a URL or a session; show it once instead.
    status_link = (
        f"/status/{filed.reference}?k={filed.status_secret}" if filed.status_secret else None
    )
    context = {
        "filed": filed,
        "status_link": status_link,
        "country": data.victim_country,
        "hotline": advice.HOTLINES.get(data.victim_country),
    }
    return render(request, "report_done.html", context, status=200 if filed.duplicate else 201)


# ---- Static files and the HTML "not found" page ------------------------------------


class _Static:
    """Static files with the same nosniff and caching headers as the pages."""

    def __init__(self) -> None:
        self.files = StaticFiles(directory=HERE / "static")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", b"public, max-age=3600"),
                ]
            await send(message)

        await self.files(scope, receive, send_with_headers)


class PageNotFound(BaseRoute):
    """A browser asking for a page that does not exist gets an HTML page, not JSON.

    It matches only partially, and the router uses a partial match only when no route
    matched fully, so it never hides another domain's routes. API paths and clients that
    do not ask for HTML keep the problem+json answer.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not scope["path"].startswith(("/api/", "/taxii"))
            and "text/html" in Headers(scope=scope).get("accept", "")
        ):
            return Match.PARTIAL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        path = scope["path"]
        if path != "/" and path.rstrip("/") in ("/check", "/report"):
            response: Response = RedirectResponse(path.rstrip("/"), status_code=308)
        else:
            response = render_error(request, 404, advice.NOT_FOUND)
        await response(scope, receive, send)


routes: list[BaseRoute] = [
    Route("/", check_page, methods=["GET"]),
    Route("/check", check_page, methods=["GET"]),
    Route("/report", report_form, methods=["GET"]),
    Route("/report", report_submit, methods=["POST"]),
    Mount("/static", app=_Static(), name="static"),
    PageNotFound(),
]
operations: list[Any] = []  # pages are for people; the API description lists none of them
