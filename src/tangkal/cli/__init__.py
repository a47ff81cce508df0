"""The ``tangkal`` command: a thin shell over the library, one command group per domain."""

from __future__ import annotations

from importlib import import_module

from tangkal.cli.base import TangkalGroup

__all__ = ["COMMAND_MODULES", "main"]

# module: attribute — each attribute is a click command or group added to ``main``.
COMMAND_MODULES = [
    ("tangkal.cli.node", "init"),
    ("tangkal.cli.node", "serve"),
    ("tangkal.cli.node", "settings"),
    ("tangkal.cli.access", "org"),
    ("tangkal.cli.access", "token"),
    ("tangkal.cli.check", "check"),
    ("tangkal.cli.check", "analyze"),
    ("tangkal.cli.check", "allowlist"),
    ("tangkal.cli.detect", "detect"),
    ("tangkal.cli.report", "demo"),
    ("tangkal.cli.report", "import_"),
    ("tangkal.cli.link", "link"),
    ("tangkal.cli.link", "networks"),
    ("tangkal.cli.audit", "audit"),
    ("tangkal.cli.share", "export"),
    ("tangkal.cli.share", "import_stix"),
    ("tangkal.cli.share", "import_misp"),
    ("tangkal.cli.peers", "peers"),
    ("tangkal.cli.peers", "sync"),
    ("tangkal.cli.peers", "seen"),
    ("tangkal.cli.act", "case"),
    ("tangkal.cli.act", "request"),
    ("tangkal.cli.act", "evidence_group"),
    ("tangkal.cli.act", "dispute"),
    ("tangkal.cli.measure", "report"),
    ("tangkal.cli.measure", "stats"),
    ("tangkal.cli.measure", "measure"),
]

main = TangkalGroup(
    "tangkal",
    help="Tangkal: report, check, detect, share, link, act and measure online scams.",
)
for _module, _attr in COMMAND_MODULES:
    main.add_command(getattr(import_module(_module), _attr))
