"""API keys and jurisdictions, managed from the command line as an administrator would."""

from __future__ import annotations

import pytest

from caunoi.cli import main
from caunoi.core.models import AuditEntry
from caunoi.open311 import selectors, services
from caunoi.open311.models import ApiKey, Jurisdiction
from tests.conftest import World


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_create_prints_the_key_once_and_keeps_only_its_hash(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "apikey", "create", "--unit", "xa-dong", "--name", "App 311 Đông")
    assert code == 0
    raw = out.splitlines()[0]
    assert raw.startswith("c311_")
    assert "only time it is shown" in out
    key = ApiKey.objects.get()
    assert key.unit == world.commune
    assert key.name == "App 311 Đông"
    assert raw not in (key.key_hash, key.prefix)
    assert selectors.key_by_raw(raw) == key
    assert AuditEntry.objects.filter(action="caunoi.apikey.created", unit=world.commune).exists()


def test_list_shows_keys_without_the_keys_and_revoke_stops_one(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    key, raw = services.apikey_create(unit=world.commune, name="App A", by=None)
    services.apikey_create(unit=world.other_province, name="App B", by=None)
    code, out, _ = run(capsys, "apikey", "list", "--unit", "tinh-thu")
    assert code == 0
    assert "App A" in out
    assert "App B" not in out
    assert "tinh-thu/xa-dong" in out
    assert raw not in out
    assert key.prefix in out
    code, out, _ = run(capsys, "apikey", "revoke", key.prefix)
    assert code == 0
    assert "revoked" in out
    key.refresh_from_db()
    assert key.revoked_at is not None
    code, _, err = run(capsys, "apikey", "revoke", str(key.pk))
    assert code == 2
    assert "đã bị thu hồi" in err
    assert AuditEntry.objects.filter(action="caunoi.apikey.revoked").count() == 1


def test_unknown_or_ambiguous_units_and_keys_get_one_line_that_says_what_to_do(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "apikey", "create", "--unit", "nowhere", "--name", "x")
    assert code == 2
    assert err.startswith("caunoi: no unit 'nowhere'")
    # Two units share a slug: the path tells them apart.
    from caunoi.core.models import Unit

    Unit.objects.add_child(
        Unit.objects.get(pk=world.other_province.pk),
        {"name": "Xã Đông khác", "kind": "commune", "slug": "xa-dong"},
    )
    code, _, err = run(capsys, "apikey", "create", "--unit", "xa-dong", "--name", "x")
    assert code == 2
    assert "give the path instead" in err
    code, out, _ = run(capsys, "apikey", "create", "--unit", "tinh-thu/xa-dong", "--name", "x")
    assert out.startswith("c311_")
    assert code == 0
    code, _, err = run(capsys, "apikey", "create", "--unit", "C1", "--name", "   ")
    assert code == 2
    assert "tên gợi nhớ" in err
    code, _, err = run(capsys, "apikey", "revoke", "c311_nothing")
    assert code == 2
    assert "caunoi apikey list" in err


def test_a_unit_gets_a_domain_as_its_jurisdiction_id(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "jurisdiction", "set", "--unit", "xa-dong", "--domain", "https://XaDong.gov.vn/"
    )
    assert code == 0
    assert "jurisdiction_id=xadong.gov.vn" in out
    assert Jurisdiction.objects.get().unit == world.commune
    code, _, err = run(
        capsys, "jurisdiction", "set", "--unit", "xa-tay", "--domain", "xadong.gov.vn"
    )
    assert code == 2
    assert "Xã Đông" in err
    code, _, err = run(
        capsys, "jurisdiction", "set", "--unit", "xa-tay", "--domain", "not a domain"
    )
    assert code == 2
    assert "xadong.gov.vn" in err
    code, out, _ = run(capsys, "jurisdiction", "list")
    assert "xadong.gov.vn  tinh-thu/xa-dong" in out
    code, out, _ = run(capsys, "jurisdiction", "remove", "--unit", "xa-dong")
    assert "no longer" in out
    assert code == 0
    assert not Jurisdiction.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"caunoi.jurisdiction.set", "caunoi.jurisdiction.removed"} <= actions


def test_a_key_is_marked_used_at_most_once_a_minute(world: World) -> None:
    from django.core.cache import cache

    cache.clear()
    key, _ = services.apikey_create(unit=world.commune, name="App", by=None)
    services.apikey_mark_used(key)
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    services.apikey_mark_used(key)
    key.refresh_from_db()
    assert key.last_used_at == first
