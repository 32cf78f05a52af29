"""Encryption at rest for what only a few people may read: citizens' contact details, channel
credentials.

Keys come from CAUNOI_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first) or, in
embedded mode, from `encryption_keys` in the data directory, created once with mode 600.
The first key encrypts; every key decrypts, so `caunoi keys rotate` can add a new key and
re-encrypt every stored value while old values stay readable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


class DecryptionFailed(Exception):
    """A stored value could not be read with any configured key."""


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "encryption_keys"


def configured_keys() -> list[str]:
    """The keys in force, newest first. Creates the embedded key file on first use."""
    from_env = os.environ.get("CAUNOI_ENCRYPTION_KEYS", "").strip()
    if from_env:
        return [key.strip() for key in from_env.split(",") if key.strip()]
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(Fernet.generate_key().decode() + "\n")
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in configured_keys()])


def forget_keys() -> None:
    """Read the keys again on next use (after a rotation, or in tests)."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionFailed("not an encrypted value")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise DecryptionFailed("no configured key opens this value") from None


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; reads give the plain text back. Empty stays empty (not stored).

    Not searchable or orderable in SQL: only what a handler opens is ever decrypted."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypted_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, field name) that holds encrypted text, for key rotation."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedTextField):
                yield model, field.name


def add_key_and_reencrypt() -> int:
    """Rotation: a new key first, then every stored value re-encrypted under it.

    Embedded mode writes the new key into the key file itself. With CAUNOI_ENCRYPTION_KEYS the
    operator puts a new key first in the variable and restarts; this then only re-encrypts.
    Returns the number of values re-encrypted."""
    from django.db import transaction

    if not os.environ.get("CAUNOI_ENCRYPTION_KEYS", "").strip():
        keys = configured_keys()
        path = _key_file()
        fresh = path.with_suffix(".new")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join([Fernet.generate_key().decode(), *keys]) + "\n")
        fresh.replace(path)
        forget_keys()
    count = 0
    with transaction.atomic():
        for model, name in encrypted_fields():
            # Reading decrypts with whichever key opens the value; writing encrypts with the first.
            rows = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
            for pk, plain in rows.values_list("pk", name).iterator():
                model._base_manager.filter(pk=pk).update(**{name: plain})
                count += 1
    return count
