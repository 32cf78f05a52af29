"""The same small world for every test: a province with two communes, a village under the first
commune, and people holding roles at each level (an owner, a member, an outsider)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from caunoi.core.models import Role, RoleName, Unit, UnitKind, User
from tests.mail import smtp_server  # noqa: F401 - the `smtp` fixture, for every test

PASSWORD = "a-long-test-password-42"


@dataclass
class World:
    province: Unit
    commune: Unit  # child of province
    sibling: Unit  # another commune of the same province
    village: Unit  # child of commune
    other_province: Unit

    def refresh(self) -> None:
        for name in ("province", "commune", "sibling", "village", "other_province"):
            setattr(self, name, Unit.objects.get(pk=getattr(self, name).pk))


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Real hashing costs ~0.3 s a password; tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Cached portal pages are keyed by versions kept in the database, which every test resets.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _forget_settings_memory() -> None:
    # Tests roll their changes back, and with them the settings stamp (core.memo).
    from caunoi.core import memo

    memo.forget()


@pytest.fixture
def world(db: None) -> World:
    def add(parent: Unit | None, name: str, kind: str, slug: str, code: str | None) -> Unit:
        fields = {"name": name, "kind": kind, "slug": slug, "code": code}
        if parent is None:
            return Unit.objects.add_root(fields)
        return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)

    province = add(None, "Tỉnh Thử", UnitKind.PROVINCE, "tinh-thu", "T1")
    commune = add(province, "Xã Đông", UnitKind.COMMUNE, "xa-dong", "C1")
    sibling = add(province, "Xã Tây", UnitKind.COMMUNE, "xa-tay", "C2")
    village = add(commune, "Thôn Một", UnitKind.VILLAGE, "thon-mot", None)
    other = add(None, "Tỉnh Khác", UnitKind.PROVINCE, "tinh-khac", "T2")
    w = World(province, commune, sibling, village, other)
    w.refresh()
    return w


def make_person(username: str, unit: Unit | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if unit is not None and role is not None:
        Role.objects.create(user=user, unit=unit, name=role)
    return user


def logged_in(user: User) -> Client:
    """A browser session for `user` (force_login: axes wants a request for real logins)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def commune_admin(world: World) -> User:
    return make_person("admin.dong", world.commune, RoleName.UNIT_ADMIN)


@pytest.fixture
def province_admin(world: World) -> User:
    return make_person("admin.tinh", world.province, RoleName.UNIT_ADMIN)
