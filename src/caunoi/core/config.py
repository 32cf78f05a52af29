"""Reading configuration values that a person types, with errors that say what to fix."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import environ


class ConfigError(Exception):
    """A setting is wrong in a way the person running caunoi can fix."""


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}
_EXAMPLE = "postgres://USER:PASSWORD@HOST:5432/DBNAME or sqlite:////path/to/caunoi.sqlite3"


# psycopg prepares a statement once it ran this many times on a connection; Django's own
# statements never are (it binds values on the client), so this only allows the few
# statements caunoi asks to prepare (core.inserts). None: no prepared statements at all.
_NEVER_BY_ITSELF = 2**31 - 1


def database_from_url(url: str, *, prepared_statements: bool = True) -> dict[str, Any]:
    """Turn DATABASE_URL into a Django DATABASES entry, refusing anything we do not support.

    `prepared_statements=False` is for a PostgreSQL reached through a pooler in transaction
    mode that does not keep prepared statements (PgBouncer before 1.21, or without
    max_prepared_statements)."""
    parts = urlsplit(url)
    if parts.scheme not in _ENGINES or "://" not in url:
        raise ConfigError(
            f"DATABASE_URL {url!r} is not a database address caunoi understands; use {_EXAMPLE}"
        )
    if _ENGINES[parts.scheme].endswith("postgresql"):
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise ConfigError(f"DATABASE_URL has a bad port in {url!r}; use {_EXAMPLE}") from None
        if not parts.path.strip("/"):
            raise ConfigError(f"DATABASE_URL {url!r} names no database; use {_EXAMPLE}")
    config: dict[str, Any] = environ.Env.db_url_config(url)
    config["ENGINE"] = _ENGINES[parts.scheme]
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", 5)
        options.setdefault("prepare_threshold", _NEVER_BY_ITSELF if prepared_statements else None)
    return config
