from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from caunoi.core.models import RoleName, User
from caunoi.core.permissions import Action, can, require, root_units, units_where
from tests.conftest import World, make_person


def test_a_role_covers_the_whole_subtree_and_nothing_else(world: World) -> None:
    handler = make_person("handler", world.commune, RoleName.CASE_HANDLER)
    assert can(handler, Action.REPORT_HANDLE, world.commune)
    assert can(handler, Action.REPORT_HANDLE, world.village)
    assert not can(handler, Action.REPORT_HANDLE, world.sibling)
    assert not can(handler, Action.REPORT_HANDLE, world.province)
    assert not can(handler, Action.ARTICLE_WRITE, world.commune)


def test_anonymous_and_inactive_people_can_do_nothing(world: World) -> None:
    admin = make_person("admin", world.province, RoleName.UNIT_ADMIN)
    assert not can(AnonymousUser(), Action.UNIT_VIEW, world.province)
    admin.is_active = False
    assert not can(admin, Action.UNIT_VIEW, world.province)


def test_require_raises_permission_denied(world: World) -> None:
    viewer = make_person("viewer", world.commune, RoleName.VIEWER)
    with pytest.raises(PermissionDenied):
        require(viewer, Action.UNIT_CHANGE, world.commune)


def test_units_where_lists_the_granting_subtrees(world: World) -> None:
    person = make_person("two-hats", world.commune, RoleName.UNIT_ADMIN)
    from caunoi.core.models import Role

    Role.objects.create(user=person, unit=world.other_province, name=RoleName.VIEWER)
    person = User.objects.get(pk=person.pk)
    manageable = set(units_where(person, Action.PERSON_MANAGE))
    viewable = set(units_where(person, Action.UNIT_VIEW))
    assert manageable == {world.commune, world.village}
    assert viewable == {world.commune, world.village, world.other_province}


def test_root_units_drops_units_inside_another(world: World) -> None:
    person = make_person("nested", world.province, RoleName.VIEWER)
    from caunoi.core.models import Role

    Role.objects.create(user=person, unit=world.commune, name=RoleName.EDITOR)
    person = User.objects.get(pk=person.pk)
    assert root_units(person) == [world.province]
