"""The store: one SQLAlchemy schema on SQLite (embedded default) or PostgreSQL (production)."""

from tangkal.store.base import Base, utcnow
from tangkal.store.engine import Store, make_engine
from tangkal.store.migrate import upgrade

__all__ = ["Base", "Store", "make_engine", "upgrade", "utcnow"]
