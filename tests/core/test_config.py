"""DATABASE_URL into Django's settings."""

from __future__ import annotations

import pytest

from caunoi.core.config import ConfigError, database_from_url


def test_postgresql_connections_are_kept_checked_and_may_prepare_statements() -> None:
    config = database_from_url("postgres://caunoi:secret@db.example:5432/caunoi")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["prepare_threshold"] is not None


def test_prepared_statements_can_be_switched_off_for_a_pooler() -> None:
    config = database_from_url("postgres://caunoi@db.example/caunoi", prepared_statements=False)
    assert config["OPTIONS"]["prepare_threshold"] is None


def test_a_database_address_without_a_name_says_what_to_write() -> None:
    with pytest.raises(ConfigError, match="names no database"):
        database_from_url("postgres://caunoi@db.example:5432/")
