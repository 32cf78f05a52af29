from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from caunoi.core import crypto


@pytest.fixture
def key_dir(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CAUNOI_ENCRYPTION_KEYS", raising=False)
    settings.DATA_DIR = tmp_path
    crypto.forget_keys()
    yield tmp_path
    crypto.forget_keys()


def test_it_reads_back_what_it_encrypted_and_stores_no_plain_text(key_dir: Path) -> None:
    stored = crypto.encrypt("0912 345 678")
    assert "0912" not in stored
    assert crypto.decrypt(stored) == "0912 345 678"


def test_the_embedded_key_file_is_private(key_dir: Path) -> None:
    crypto.encrypt("x")
    assert (key_dir / "encryption_keys").stat().st_mode & 0o777 == 0o600


def test_keys_from_the_environment_win(key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("CAUNOI_ENCRYPTION_KEYS", key)
    crypto.forget_keys()
    stored = crypto.encrypt("secret")
    assert Fernet(key.encode()).decrypt(stored.removeprefix(crypto.PREFIX).encode()) == b"secret"
    assert not (key_dir / "encryption_keys").exists()


@pytest.mark.django_db
def test_old_values_stay_readable_after_a_new_key_is_added(key_dir: Path) -> None:
    old = crypto.encrypt("before rotation")
    crypto.add_key_and_reencrypt()
    assert len(crypto.configured_keys()) == 2
    assert crypto.decrypt(old) == "before rotation"


def test_a_value_no_key_opens_is_reported(key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = crypto.encrypt("x")
    monkeypatch.setenv("CAUNOI_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    crypto.forget_keys()
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(stored)
