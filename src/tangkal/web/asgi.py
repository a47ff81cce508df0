"""Entry point for ASGI servers: ``uvicorn tangkal.web.asgi:app`` (settings from env)."""

from tangkal.config import Settings
from tangkal.web.app import create_app

app = create_app(Settings.from_env())
