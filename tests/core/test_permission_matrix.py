"""Every role × (own unit, a descendant, a sibling, the parent) × (read, write) for units,
people and the audit log, through the real staff screens."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from caunoi.core.models import AuditEntry, RoleName, Unit
from tests.conftest import World, logged_in, make_person

ROLES = [r.value for r in RoleName]
PLACES = ["own", "descendant", "sibling", "parent"]
INSIDE = {"own", "descendant"}


def _target(world: World, place: str) -> Unit:
    return {
        "own": world.commune,
        "descendant": world.village,
        "sibling": world.sibling,
        "parent": world.province,
    }[place]


def _client(world: World, role: str) -> Client:
    return logged_in(make_person("actor", world.commune, role))


def _expect(allowed: bool, status: int) -> None:
    if allowed:
        assert status in (200, 302), status
    else:
        assert status == 403, status


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_units_read(world: World, role: str, place: str) -> None:
    client = _client(world, role)
    response = client.get(f"/staff/units/{_target(world, place).pk}/")
    _expect(place in INSIDE, response.status_code)


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_units_write(world: World, role: str, place: str) -> None:
    client = _client(world, role)
    target = _target(world, place)
    response = client.post(
        f"/staff/units/{target.pk}/edit/", {"name": "Tên mới", "kind": target.kind, "code": ""}
    )
    allowed = role == RoleName.UNIT_ADMIN and place in INSIDE
    _expect(allowed, response.status_code)
    assert (Unit.objects.get(pk=target.pk).name == "Tên mới") is allowed


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_people_read(world: World, role: str, place: str) -> None:
    client = _client(world, role)
    response = client.get(f"/staff/units/{_target(world, place).pk}/people/")
    _expect(role == RoleName.UNIT_ADMIN and place in INSIDE, response.status_code)


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_people_write(world: World, role: str, place: str) -> None:
    client = _client(world, role)
    target = _target(world, place)
    response = client.post(
        f"/staff/units/{target.pk}/people/new/",
        {
            "username": "newcomer",
            "full_name": "Người Mới",
            "email": "",
            "password": "another-long-password-7",
            "unit": target.pk,
            "role": "viewer",
        },
    )
    allowed = role == RoleName.UNIT_ADMIN and place in INSIDE
    _expect(allowed, response.status_code)
    from caunoi.core.models import User

    assert User.objects.filter(username="newcomer", roles__unit=target).exists() is allowed


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_audit_read(world: World, role: str, place: str) -> None:
    client = _client(world, role)
    response = client.get(f"/staff/units/{_target(world, place).pk}/audit/")
    _expect(role == RoleName.UNIT_ADMIN and place in INSIDE, response.status_code)


@pytest.mark.parametrize(("role", "place"), list(itertools.product(ROLES, PLACES)))
def test_audit_write_is_refused_to_everyone(world: World, role: str, place: str) -> None:
    """No screen writes to the audit log, whatever the role."""
    client = _client(world, role)
    before = AuditEntry.objects.count()
    response = client.post(f"/staff/units/{_target(world, place).pk}/audit/", {"action": "x"})
    assert response.status_code in (403, 405)
    assert AuditEntry.objects.count() == before
