from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from caunoi.core.models import AuditEntry, Role, RoleName, Unit, UnitKind
from caunoi.core.services import UnitError, unit_create, unit_move, unit_update
from tests.conftest import World, logged_in, make_person


def test_units_nest_to_any_depth(world: World) -> None:
    parent = world.village
    for depth in range(5):
        parent = unit_create(parent=parent, name=f"Tổ {depth}", kind=UnitKind.VILLAGE, by=None)
    assert parent.depth == world.village.depth + 5
    assert parent.get_portal_url().startswith("/u/tinh-thu/xa-dong/thon-mot/to-0/")


def test_creating_a_unit_makes_a_free_slug_among_siblings(world: World) -> None:
    first = unit_create(parent=world.commune, name="Khu 1", kind=UnitKind.VILLAGE, by=None)
    second = unit_create(parent=world.commune, name="Khu  1", kind=UnitKind.VILLAGE, by=None)
    assert (first.slug, second.slug) == ("khu-1", "khu-1-2")


def test_it_rejects_a_used_code_and_an_unknown_kind(world: World) -> None:
    with pytest.raises(UnitError, match="C1"):
        unit_create(parent=world.commune, name="X", kind=UnitKind.VILLAGE, code="C1", by=None)
    with pytest.raises(UnitError, match="hamlet"):
        unit_create(parent=world.commune, name="X", kind="hamlet", by=None)


def test_moving_a_unit_takes_its_subtree_people_and_audit_trail(
    world: World, province_admin: object
) -> None:
    handler = make_person("handler", world.village, RoleName.CASE_HANDLER)
    unit_update(unit=world.village, name="Thôn Một Mới", kind=UnitKind.VILLAGE, code=None, by=None)
    moved = unit_move(unit=world.commune, new_parent=world.sibling, by=province_admin)  # type: ignore[arg-type]
    world.refresh()
    assert Unit.objects.get_parent(moved) == world.sibling
    assert Unit.objects.get_parent(world.village) == moved
    assert world.village.is_within(world.sibling)
    assert Role.objects.get(user=handler).unit == world.village
    assert AuditEntry.objects.filter(
        unit__path__startswith=world.sibling.path, action="caunoi.unit.updated"
    ).exists()
    entry = AuditEntry.objects.get(action="caunoi.unit.moved")
    assert entry.changes == {"parent": ["Tỉnh Thử", "Xã Tây"]}
    assert entry.actor_label == "admin.tinh"
    assert moved.get_portal_url() == "/u/tinh-thu/xa-tay/xa-dong/"


def test_it_refuses_to_move_a_unit_into_its_own_subtree(world: World) -> None:
    with pytest.raises(UnitError, match="cấp dưới"):
        unit_move(unit=world.commune, new_parent=world.village, by=None)
    world.refresh()
    assert Unit.objects.get_parent(world.village) == world.commune


def test_a_commune_admin_cannot_move_their_commune_out(world: World, commune_admin: object) -> None:
    with pytest.raises(PermissionDenied):
        unit_move(unit=world.village, new_parent=world.sibling, by=commune_admin)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        unit_move(unit=world.commune, new_parent=world.other_province, by=commune_admin)  # type: ignore[arg-type]


def test_a_failed_move_writes_nothing(world: World) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(UnitError):
        unit_move(unit=world.province, new_parent=world.village, by=None)
    assert AuditEntry.objects.count() == before
    assert Unit.objects.get(pk=world.village.pk).path == world.village.path


def test_moving_through_the_staff_screen(world: World, province_admin: object) -> None:
    client = logged_in(province_admin)  # type: ignore[arg-type]
    page = client.get(f"/staff/units/{world.village.pk}/move/")
    assert page.status_code == 200
    assert "Xã Tây" in page.content.decode()
    response = client.post(
        f"/staff/units/{world.village.pk}/move/", {"new_parent": world.sibling.pk}
    )
    assert response.status_code == 302
    world.refresh()
    assert Unit.objects.get_parent(world.village) == world.sibling
    bad = client.post(f"/staff/units/{world.commune.pk}/move/", {"new_parent": "x"})
    assert bad.status_code == 400
