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


def database_from_url(url: str) -> dict[str, Any]:
    """Turn DATABASE_URL into a Django DATABASES entry, refusing anything we do not support."""
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
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config
