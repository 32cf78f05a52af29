"""The same small world for every test: a province with two communes, a village under the first
commune, and people holding roles at each level (an owner, a member, an outsider)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from caunoi.core.models import Role, RoleName, Unit, UnitKind, User

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


@pytest.fixture
def world(db: None) -> World:
    province = Unit.add_root(name="Tỉnh Thử", kind=UnitKind.PROVINCE, slug="tinh-thu", code="T1")
    commune = province.add_child(name="Xã Đông", kind=UnitKind.COMMUNE, slug="xa-dong", code="C1")
    sibling = Unit.objects.get(pk=province.pk).add_child(
        name="Xã Tây", kind=UnitKind.COMMUNE, slug="xa-tay", code="C2"
    )
    village = Unit.objects.get(pk=commune.pk).add_child(
        name="Thôn Một", kind=UnitKind.VILLAGE, slug="thon-mot"
    )
    other = Unit.add_root(name="Tỉnh Khác", kind=UnitKind.PROVINCE, slug="tinh-khac", code="T2")
    w = World(province, commune, sibling, village, other)
    w.refresh()
    return w


def make_person(username: str, unit: Unit | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if unit is not None and role is not None:
        Role.objects.create(user=user, unit=unit, name=role)
    return user


@pytest.fixture
def commune_admin(world: World) -> User:
    return make_person("admin.dong", world.commune, RoleName.UNIT_ADMIN)


@pytest.fixture
def province_admin(world: World) -> User:
    return make_person("admin.tinh", world.province, RoleName.UNIT_ADMIN)
