"""Cases, cross-border requests and evidence packages from the command line.

The operator acts for a named organisation (``--org``) with the node administrator's
role: the same rules as the API apply, so a case the organisation was not invited to is
not found here either.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.access.tokens import get_organisation
from tangkal.act import cases, disputes, documents, evidence, requests
from tangkal.act.casefile import case_dict, dispute_dict, request_dict
from tangkal.act.federation import HttpCourier
from tangkal.act.models import Case
from tangkal.cli.base import TangkalGroup, emit_json, open_store, settings_from_env
from tangkal.errors import IntegrityFailure, NotFound
from tangkal.share.peers import node_key

__all__ = ["case", "dispute", "evidence_group", "request"]


def _as(session: Session, org_name: str) -> Principal:
    org = get_organisation(session, org_name)
    return Principal(org.id, org.name, org.country, org.type, "admin")


@click.group(cls=TangkalGroup)
def case() -> None:
    """Cases shared between invited organisations."""


@case.command("open")
@click.option("--org", "org_name", required=True, help="Opening organisation (name).")
@click.option("--title", required=True)
@click.option("--summary", default="")
@click.option("--network", "network_id", default=None, help="Link's network id.")
@click.option("--report", "report_ids", multiple=True, type=int, help="Report id (repeatable).")
def case_open(
    org_name: str, title: str, summary: str, network_id: str | None, report_ids: tuple[int, ...]
) -> None:
    """Open a case and print its id."""
    store = open_store()
    try:
        with store.begin() as session:
            opened = cases.open_case(
                session, _as(session, org_name), title, summary=summary,
                network_id=network_id, report_ids=report_ids,
            )  # fmt: skip
            case_id = opened.id
    finally:
        store.close()
    click.echo(case_id)


@case.command("invite")
@click.argument("case_id", type=int)
@click.option("--org", "org_name", required=True, help="A member organisation (name).")
@click.option("--invite", "invitee", required=True, help="Organisation to invite (name).")
def case_invite(case_id: int, org_name: str, invitee: str) -> None:
    """Invite another organisation to a case."""
    store = open_store()
    try:
        with store.begin() as session:
            target = get_organisation(session, invitee)
            cases.invite(session, _as(session, org_name), case_id, target.id)
    finally:
        store.close()
    click.echo(f"{invitee} invited to case {case_id}.")


@case.command("list")
@click.option("--org", "org_name", required=True)
def case_list(org_name: str) -> None:
    """Cases an organisation is a member of, as JSON."""
    store = open_store()
    try:
        with store.begin() as session:
            out = [case_dict(session, c) for c in cases.list_cases(session, _as(session, org_name))]
    finally:
        store.close()
    emit_json(out)


@case.command("export")
@click.argument("case_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_name", default=None, help="Exporting member (default: the opener).")
def case_export(case_id: int, out: Path, org_name: str | None) -> None:
    """Write the signed evidence package of a case and print the key fingerprint."""
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.begin() as session:
            if org_name is None:
                opened = session.get(Case, case_id)
                if opened is None:
                    raise NotFound(f"no case {case_id}", field="case_id")
                org = session.get(Organisation, opened.org_id)
                assert org is not None  # foreign key
                who = _as(session, org.name)
            else:
                who = _as(session, org_name)
            pkg = evidence.export_case(
                session,
                who,
                case_id,
                data_dir=settings.data_dir,
                node=settings.node_name,
                country=settings.node_country,
            )
    finally:
        store.close()
    out.write_bytes(pkg.data)
    click.echo(f"Wrote {out} ({len(pkg.files)} files).")
    click.echo(f"Signing key fingerprint: {pkg.fingerprint}")


@click.group("evidence", cls=TangkalGroup)
def evidence_group() -> None:
    """Evidence packages."""


@evidence_group.command("verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The issuing node's public key (PEM), obtained out of band.")  # fmt: skip
def evidence_verify(package: Path, public_key: Path | None) -> None:
    """Exit 0 when the package is intact; 1 naming the changed, missing or extra file."""
    try:
        result = evidence.verify_package(
            package.read_bytes(), public_key.read_bytes() if public_key else None
        )
    except IntegrityFailure as exc:
        click.echo(f"Package FAILED: {exc.detail}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Package intact: case {result.case_id} from node {result.node}, "
               f"{result.files} files, signed by {result.fingerprint}")  # fmt: skip
    if public_key is None:
        click.echo("Compare the fingerprint with the issuing node's (or pass --public-key).")


@click.group(cls=TangkalGroup)
def request() -> None:
    """Cross-border requests (freeze, takedown, block_number, information, mla, extradition)."""


@request.command("create")
@click.option("--org", "org_name", required=True, help="Requesting organisation.")
@click.option("--case", "case_id", required=True, type=int)
@click.option("--type", "type_", required=True, type=click.Choice(requests.TYPES))
@click.option("--to", "to_org", required=True, help="Requested organisation (name).")
@click.option("--subject", "subjects", multiple=True, help="Indicator value (repeatable).")
@click.option("--legal-basis", default="")
@click.option("--facts", default="")
@click.option("--currency", default=None)
@click.option("--amount", default=None, help="Amount requested (freeze).")
@click.option("--language", default="en", type=click.Choice(documents.LANGUAGES))
def request_create(
    org_name: str, case_id: int, type_: str, to_org: str, subjects: tuple[str, ...],
    legal_basis: str, facts: str, currency: str | None, amount: str | None, language: str,
) -> None:  # fmt: skip
    """Draft a request and print it as JSON."""
    store = open_store()
    try:
        with store.begin() as session:
            target = get_organisation(session, to_org)
            req = requests.create_request(
                session, _as(session, org_name), case_id, type_, target.id,
                legal_basis=legal_basis, facts=facts, subjects=list(subjects),
                currency=currency, amount_requested=amount, language=language,
            )  # fmt: skip
            out = request_dict(req)
    finally:
        store.close()
    emit_json(out)


@request.command("move")
@click.argument("request_id", type=int)
@click.argument("action", type=click.Choice(list(requests.ACTIONS)))
@click.option("--org", "org_name", required=True, help="The organisation taking the step.")
@click.option("--reason", default=None, help="Required to refuse.")
@click.option("--amount-frozen", default=None)
def request_move(
    request_id: int, action: str, org_name: str, reason: str | None, amount_frozen: str | None
) -> None:
    """Take one step of the state machine (submit, acknowledge, execute, …)."""
    settings = settings_from_env()
    store = open_store(settings)
    try:
        with store.begin() as session:
            req = requests.transition(
                session, _as(session, org_name), request_id, action, reason=reason,
                amount_frozen=amount_frozen, deadlines=requests.load_deadlines(settings.data_dir),
                courier=HttpCourier(lambda: node_key(settings)),
            )  # fmt: skip
            out = request_dict(req)
    finally:
        store.close()
    emit_json(out)


@request.command("list")
@click.option("--org", "org_name", required=True)
@click.option("--box", default="all", type=click.Choice(["inbox", "outbox", "all"]))
def request_list(org_name: str, box: str) -> None:
    """An organisation's inbox or outbox, as JSON (with overdue flags)."""
    store = open_store()
    try:
        with store.begin() as session:
            rows = requests.list_requests(session, _as(session, org_name), box)
            out = [request_dict(r) for r in rows]
    finally:
        store.close()
    emit_json(out)


@request.command("document")
@click.argument("request_id", type=int)
@click.option("--org", "org_name", required=True)
@click.option("--lang", default=None, type=click.Choice(documents.LANGUAGES))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file; .pdf for PDF, anything else for HTML.")  # fmt: skip
def request_document(request_id: int, org_name: str, lang: str | None, out: Path) -> None:
    """Render the formal document of a request."""
    store = open_store()
    try:
        with store.begin() as session:
            doc = documents.render(
                session, requests.get_request(session, _as(session, org_name), request_id), lang
            )
    finally:
        store.close()
    if out.suffix.lower() == ".pdf":
        out.write_bytes(doc.pdf)
    else:
        out.write_text(doc.html, encoding="utf-8")
    click.echo(f"Wrote {out}.")


@click.group(cls=TangkalGroup)
def dispute() -> None:
    """Disputes of flagged values (and unfreeze requests), resolved by analysts."""


@dispute.command("list")
@click.option("--org", "org_name", required=True, help="The analysts' organisation.")
@click.option("--status", default="open",
              type=click.Choice(["open", "upheld", "delisted", "allowlisted", "all"]))  # fmt: skip
def dispute_list(org_name: str, status: str) -> None:
    """Disputes as JSON (claimants' contacts included: answer them)."""
    store = open_store()
    try:
        with store.begin() as session:
            rows = disputes.list_disputes(
                session, _as(session, org_name), None if status == "all" else status
            )
            out = [dispute_dict(d) for d in rows]
    finally:
        store.close()
    emit_json(out)


@dispute.command("resolve")
@click.argument("dispute_id", type=int)
@click.option("--org", "org_name", required=True, help="The analysts' organisation.")
@click.option("--outcome", required=True, type=click.Choice(list(disputes.OUTCOMES)))
@click.option("--reason", required=True, help="Why; kept on the record and in the audit log.")
def dispute_resolve(dispute_id: int, org_name: str, outcome: str, reason: str) -> None:
    """Uphold the flag, delist the value, or delist and allowlist it."""
    store = open_store()
    try:
        with store.begin() as session:
            d = disputes.resolve_dispute(
                session, _as(session, org_name), dispute_id, outcome, reason
            )
            status = d.status
    finally:
        store.close()
    click.echo(f"Dispute {dispute_id}: {status}.")
