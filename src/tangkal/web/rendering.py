"""Rendering pages: one Jinja2 environment, the visitor's language, the security headers.

Every server-rendered page of Tangkal (the public pages and the other domains' pages) goes
through ``render`` so that language choice, the switcher and the headers are the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from tangkal.web import advice
from tangkal.web.forms import CsrfSigner, node_secret
from tangkal.web.i18n import COOKIE, Catalogues, Formatter

__all__ = [
    "SECURITY_HEADERS",
    "PageState",
    "language",
    "page_state",
    "render",
    "render_error",
    "render_string",
]

HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Vary": "Accept-Language, Cookie",
}


# The catalogue of the page being rendered. A context variable rather than a template
# variable, so that imported macros (cached, without context) translate too.
_TRANSLATIONS: ContextVar[NullTranslations] = ContextVar("tangkal_translations")


def _gettext(message: str) -> str:
    return str(_TRANSLATIONS.get().gettext(message))


def _ngettext(singular: str, plural: str, n: int) -> str:
    return str(_TRANSLATIONS.get().ngettext(singular, plural, n))


def _templates() -> Jinja2Templates:
    # One environment for all languages: render() sets the catalogue in _TRANSLATIONS.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship in the package; no stat() per request
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        VERDICTS=advice.VERDICTS, KINDS=advice.KIND_LABELS, TYPOLOGY_NAMES=advice.TYPOLOGY_NAMES
    )
    return Jinja2Templates(env=env)


@cache
def _shared_templates() -> Jinja2Templates:
    return _templates()


class PageState:
    """What the pages of one app share, built on first use from the app's settings."""

    def __init__(self, request: Request) -> None:
        settings = request.app.state.settings
        self.catalogues = Catalogues.for_node(settings.data_dir, settings.default_language)
        self.templates = _shared_templates()
        self.csrf = CsrfSigner(node_secret(settings))


def page_state(request: Request) -> PageState:
    state = request.app.state
    if getattr(state, "pages", None) is None:
        state.pages = PageState(request)
    pages: PageState = state.pages
    return pages


def language(request: Request) -> str:
    return page_state(request).catalogues.choose(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language", ""),
    )


def _same_page(request: Request, **params: str) -> str:
    """A relative link to this page with ``params`` changed (the host is never echoed)."""
    url = request.url.include_query_params(**params)
    return f"{url.path}?{url.query}"


def render_string(name: str, context: Mapping[str, Any], translations: NullTranslations) -> str:
    """Render a template outside a request (tests, previews) in the given language."""
    token = _TRANSLATIONS.set(translations)
    try:
        return _shared_templates().env.get_template(name).render(context)
    finally:
        _TRANSLATIONS.reset(token)


def render(
    request: Request, name: str, context: Mapping[str, Any], *, status: int = 200
) -> Response:
    """Render a page with the language, the switcher and the security headers."""
    pages = page_state(request)
    lang = language(request)
    switcher = [
        (code, pages.catalogues.native_name(code), _same_page(request, lang=code))
        for code in pages.catalogues
    ]
    full = {
        "lang": lang,
        "i18n": pages.catalogues.get(lang),
        "fmt": Formatter(lang),
        "languages": switcher,
        "path": request.url.path,
        **context,
    }
    headers = dict(SECURITY_HEADERS)
    headers["Cache-Control"] = "no-store"
    token = _TRANSLATIONS.set(full["i18n"])
    try:
        response = pages.templates.TemplateResponse(request, name, full, status, headers)
    finally:
        _TRANSLATIONS.reset(token)
    if request.query_params.get("lang") == lang:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax")
    return response


def render_error(request: Request, status: int, message: str) -> Response:
    response = render(request, "error.html", {"status": status, "message": message}, status=status)
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response
