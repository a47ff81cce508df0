"""Every error Tangkal raises on purpose, in one tree.

Domain code raises these; it never returns error values. The web layer maps each class
to an RFC 9457 problem response in one place (``tangkal.web.problems``) and the CLI maps
them to a message and a non-zero exit code.

    TangkalError
    ├── InvalidInput            400/422  a field of the caller's input is wrong (names the field)
    │   └── PayloadTooLarge     413      a body or batch over its documented limit
    ├── AuthenticationRequired  401      no credentials, or unknown / revoked token
    ├── PermissionDenied        403      the caller's role or organisation may not do this
    ├── NotFound                404      the named object does not exist (or is not visible)
    ├── Conflict                409      the change contradicts the stored state
    │   └── IllegalTransition   409      a state machine refused a transition
    ├── RateLimited             429      a public client asked too often
    └── IntegrityFailure        —        stored data or a package failed verification
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthenticationRequired",
    "Conflict",
    "IllegalTransition",
    "IntegrityFailure",
    "InvalidInput",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "RateLimited",
    "Rejected",
    "TangkalError",
]


class TangkalError(Exception):
    """Base of every deliberate error; ``status`` and ``title`` feed the problem body."""

    status = 500
    title = "Internal error"
    type_slug = "internal"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail


class InvalidInput(TangkalError):
    status = 422
    title = "Invalid input"
    type_slug = "invalid-input"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail, field=field)
        # Several fields can be wrong at once; each entry is {"field": ..., "detail": ...}.
        self.errors = errors or ([{"field": field, "detail": detail}] if field else [])


class PayloadTooLarge(InvalidInput):
    status = 413
    title = "Payload too large"
    type_slug = "payload-too-large"


class AuthenticationRequired(TangkalError):
    status = 401
    title = "Authentication required"
    type_slug = "authentication-required"


class PermissionDenied(TangkalError):
    status = 403
    title = "Permission denied"
    type_slug = "permission-denied"


class NotFound(TangkalError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Conflict(TangkalError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class IllegalTransition(Conflict):
    title = "Illegal state transition"
    type_slug = "illegal-transition"


class RateLimited(TangkalError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"


class IntegrityFailure(TangkalError):
    status = 422
    title = "Integrity check failed"
    type_slug = "integrity-failure"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line of a bulk file that was refused: its number, the field at fault, and why.

    Bulk loaders (report import, allowlist import) collect these instead of raising at the
    first one, so that one run names every line to fix.
    """

    line: int
    field: str
    detail: str
    value: str = ""  # what the line held, where showing it helps the person find it

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "field": self.field, "detail": self.detail}
        if self.value:
            out["value"] = self.value
        return out
