from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from caunoi.core.models import AuditEntry, Role, RoleName, User
from caunoi.core.services import (
    PersonError,
    person_create,
    person_set_active,
    role_grant,
    role_revoke,
)
from tests.conftest import World, logged_in, make_person


def test_a_unit_admin_creates_a_person_in_their_subtree(world: World, commune_admin: User) -> None:
    person = person_create(
        username="bientap.thon",
        full_name="Người Biên Tập",
        email="bt@example.org",
        password="a-long-enough-password-1",
        unit=world.village,
        role=RoleName.EDITOR,
        by=commune_admin,
    )
    assert Role.objects.get(user=person).unit == world.village
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["caunoi.person.created", "caunoi.role.granted"]


def test_it_refuses_a_weak_password_with_the_validators_message(
    world: World, commune_admin: User
) -> None:
    with pytest.raises(PersonError, match=r"(?i)mật khẩu|password"):
        person_create(
            username="weak",
            full_name="W",
            email="",
            password="12345678",
            unit=world.commune,
            role=RoleName.VIEWER,
            by=commune_admin,
        )
    assert not User.objects.filter(username="weak").exists()


def test_it_refuses_a_taken_username_whatever_the_case(world: World, commune_admin: User) -> None:
    with pytest.raises(PersonError, match=r"ADMIN\.DONG"):
        person_create(
            username="ADMIN.DONG",
            full_name="X",
            email="",
            password="a-long-enough-password-1",
            unit=world.commune,
            role=RoleName.VIEWER,
            by=commune_admin,
        )


def test_a_unit_admin_cannot_grant_outside_their_subtree(world: World, commune_admin: User) -> None:
    person = make_person("someone", world.village, RoleName.VIEWER)
    with pytest.raises(PermissionDenied):
        role_grant(user=person, unit=world.sibling, name=RoleName.EDITOR, by=commune_admin)
    with pytest.raises(PermissionDenied):
        role_grant(user=person, unit=world.province, name=RoleName.EDITOR, by=commune_admin)
    assert Role.objects.filter(user=person).count() == 1


def test_granting_the_same_role_twice_says_so(world: World, commune_admin: User) -> None:
    person = make_person("twice", world.village, RoleName.VIEWER)
    with pytest.raises(PersonError, match="đã có vai trò"):
        role_grant(user=person, unit=world.village, name=RoleName.VIEWER, by=commune_admin)


def test_a_commune_admin_cannot_revoke_or_lock_a_province_official(
    world: World, commune_admin: User
) -> None:
    official = make_person("official", world.province, RoleName.VIEWER)
    role = Role.objects.get(user=official)
    with pytest.raises(PermissionDenied):
        role_revoke(role=role, by=commune_admin)
    with pytest.raises(PermissionDenied):
        person_set_active(user=official, active=False, by=commune_admin)


def test_locking_a_person_stops_their_access(world: World, commune_admin: User) -> None:
    person = make_person("leaver", world.village, RoleName.EDITOR)
    person_set_active(user=person, active=False, by=commune_admin)
    person.refresh_from_db()
    assert not person.is_active
    assert logged_in(person).get("/staff/").status_code == 302  # back to the login page
    assert AuditEntry.objects.filter(action="caunoi.person.deactivated").exists()


def test_nobody_locks_themselves_out(world: World, commune_admin: User) -> None:
    with pytest.raises(PersonError):
        person_set_active(user=commune_admin, active=False, by=commune_admin)


def test_a_person_without_roles_is_managed_by_system_admins_only(
    world: World, commune_admin: User
) -> None:
    loose = make_person("loose")
    with pytest.raises(PermissionDenied):
        person_set_active(user=loose, active=False, by=commune_admin)


def test_viewing_a_persons_details_is_logged(world: World, commune_admin: User) -> None:
    person = make_person("watched", world.village, RoleName.EDITOR)
    client = logged_in(commune_admin)
    response = client.get(f"/staff/units/{world.commune.pk}/people/{person.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="caunoi.person.viewed")
    assert (entry.actor, entry.object_id) == (commune_admin, str(person.pk))


def test_people_outside_the_subtree_are_not_found(world: World, commune_admin: User) -> None:
    stranger = make_person("stranger", world.sibling, RoleName.EDITOR)
    client = logged_in(commune_admin)
    response = client.get(f"/staff/units/{world.commune.pk}/people/{stranger.pk}/")
    assert response.status_code == 404
    listing = client.get(f"/staff/units/{world.commune.pk}/people/").content.decode()
    assert "stranger" not in listing
    assert "admin.dong" in listing


def test_the_people_screen_shows_form_errors(world: World, commune_admin: User) -> None:
    client = logged_in(commune_admin)
    response = client.post(
        f"/staff/units/{world.commune.pk}/people/new/",
        {
            "username": "",
            "full_name": "",
            "password": "x",
            "unit": world.commune.pk,
            "role": "viewer",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"username", "full_name"}


def test_the_people_list_does_not_grow_queries_with_people(
    world: World, commune_admin: User, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        make_person(f"p{n}", world.village, RoleName.VIEWER)
    client = logged_in(commune_admin)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(f"/staff/units/{world.commune.pk}/people/").status_code == 200
