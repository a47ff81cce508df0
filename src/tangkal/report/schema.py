"""The shape of a report as callers send it: one validation path for API, form and import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tangkal.errors import InvalidInput
from tangkal.vocabulary import check_country, check_currency

__all__ = ["IndicatorIn", "ReportIn", "VictimContact", "invalid_from", "parse_report"]

Channel = Literal[
    "sms", "call", "whatsapp", "telegram", "line", "zalo", "facebook", "instagram",
    "tiktok", "website", "email", "app", "other",
]  # fmt: skip
Typology = Literal[
    "investment", "job_task", "romance", "impersonation_official", "impersonation_business",
    "phishing_credentials", "ecommerce", "loan_app", "lottery_prize", "sextortion",
    "malware_apk", "account_takeover", "other",
]  # fmt: skip
Source = Literal["web_form", "hotline", "bank", "telco", "import", "partner_node"]
PaymentMethod = Literal[
    "bank_transfer", "ewallet", "crypto", "card", "cash", "gift_card", "remittance", "other"
]
Kind = Literal[
    "phone", "url", "domain", "email", "bank_account", "ewallet", "crypto_wallet", "social_handle"
]  # fmt: skip
Role = Literal["contact", "payee", "link", "wallet", "sender"]
Distribution = Literal["organisation", "national", "asean", "partners", "public"]
Tlp = Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]

MAX_NARRATIVE = 20_000
MAX_INDICATORS = 50


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the class, the field values and the fields set, restored unvalidated.

        A pickled ``Prepared`` carries its model this way (import workers send plain values
        instead, ``Prepared.send``): pydantic's own state dict, built and read back in
        Python, cost about a third more instructions per report on each side. The models
        forbid extras and have no private attributes.
        """
        return (_restore, (type(self), self.__dict__, self.__pydantic_fields_set__))


_set = object.__setattr__


def _restore(cls: type[_Strict], values: dict[str, Any], fields_set: set[str]) -> _Strict:
    """A model from already validated values, as pydantic's ``__setstate__`` rebuilds it."""
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


class IndicatorIn(_Strict):
    value: Annotated[str, Field(min_length=1, max_length=512)]
    kind: Kind | None = None
    role: Role | None = None


class VictimContact(_Strict):
    name: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None


class ReportIn(_Strict):
    """A scam report as filed; unknown fields are refused rather than silently dropped."""

    victim_country: Annotated[str, Field(min_length=2, max_length=2)]
    narrative: Annotated[str, Field(max_length=MAX_NARRATIVE)] = ""
    received_at: dt.datetime | None = None
    source: Source = "web_form"
    language: Annotated[str, Field(max_length=8)] | None = None
    channel: Channel = "other"
    typology: Typology = "other"
    loss_amount: Annotated[Decimal, Field(ge=0, le=Decimal("1e13"), decimal_places=2)] | None = None
    loss_currency: Annotated[str, Field(min_length=3, max_length=4)] | None = None
    payment_method: PaymentMethod | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    credibility: Annotated[int, Field(ge=1, le=6)] = 6
    victim_contact: VictimContact | None = None
    indicators: Annotated[list[IndicatorIn], Field(max_length=MAX_INDICATORS)] = []
    external_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    distribution: Distribution = "national"
    tlp: Tlp = "AMBER"

    @field_validator("victim_country")
    @classmethod
    def _country(cls, v: str) -> str:
        return str(_as_value_error(check_country, v))

    @field_validator("loss_currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        return None if v is None else _as_value_error(check_currency, v)

    @field_validator("received_at")
    @classmethod
    def _aware(cls, v: dt.datetime | None) -> dt.datetime | None:
        if v is not None and v.tzinfo is None:
            v = v.replace(tzinfo=dt.UTC)
        return v

    @model_validator(mode="after")
    def _amount_needs_currency(self) -> ReportIn:
        if self.loss_amount is not None and self.loss_currency is None:
            raise ValueError("loss_currency is required with loss_amount")
        return self


def _as_value_error(check: Any, value: str) -> Any:
    try:
        return check(value)
    except InvalidInput as exc:
        raise ValueError(exc.detail) from None


def invalid_from(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """Turn pydantic's errors into one InvalidInput that names every bad field."""
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        if err["type"] == "value_error" and not err["loc"]:
            loc = "loss_currency"
        msg = err["msg"].removeprefix("Value error, ")
        errors.append({"field": prefix + loc, "detail": msg})
    first = errors[0]
    return InvalidInput(first["detail"], field=first["field"], errors=errors)


def parse_report(data: Any) -> ReportIn:
    """Validate one report body; raise InvalidInput naming the field."""
    if not isinstance(data, dict):
        raise InvalidInput("a report must be a JSON object", field="body")
    try:
        return ReportIn.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
