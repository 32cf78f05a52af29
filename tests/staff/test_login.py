from __future__ import annotations

from django.test import Client

from caunoi.core.models import RoleName, User
from tests.conftest import PASSWORD, World, make_person


def _login(client: Client, username: str, password: str) -> object:
    return client.post("/staff/login/", {"username": username, "password": password})


def test_staff_log_in_and_land_on_their_unit(world: World) -> None:
    make_person("editor", world.commune, RoleName.EDITOR)
    client = Client()
    response = _login(client, "editor", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    home = client.get("/staff/")
    assert home.status_code == 200
    assert home.context["unit"] == world.commune


def test_a_wrong_password_says_what_happened(world: World) -> None:
    make_person("editor", world.commune, RoleName.EDITOR)
    response = _login(Client(), "editor", "wrong")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()  # type: ignore[attr-defined]


def test_repeated_failures_lock_the_login_with_a_clear_message(world: World) -> None:
    make_person("editor", world.commune, RoleName.EDITOR)
    client = Client()
    for _ in range(5):
        _login(client, "editor", "wrong")
    locked = _login(client, "editor", PASSWORD)  # even the right password now waits
    assert locked.status_code == 429  # type: ignore[attr-defined]
    text = locked.content.decode()  # type: ignore[attr-defined]
    assert "tạm thời bị khoá" in text
    assert "5" in text
    assert "_auth_user_id" not in client.session
    # Another person on the same machine is not locked out.
    make_person("other", world.commune, RoleName.EDITOR)
    assert _login(Client(), "other", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_a_person_without_roles_is_told_to_ask_for_one(world: World) -> None:
    make_person("nobody")
    client = Client()
    _login(client, "nobody", PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "chưa được giao vai trò" in response.content.decode()


def test_switching_unit_stays_within_the_persons_roles(world: World) -> None:
    person = make_person("two", world.commune, RoleName.VIEWER)
    from caunoi.core.models import Role

    Role.objects.create(user=person, unit=world.other_province, name=RoleName.VIEWER)
    client = Client()
    client.force_login(User.objects.get(pk=person.pk))
    assert client.post("/staff/switch/", {"unit": world.other_province.pk}).status_code == 302
    assert client.get("/staff/").context["unit"] == world.other_province
    assert client.post("/staff/switch/", {"unit": world.sibling.pk}).status_code == 403


def test_language_choice_is_kept_on_the_person(world: World) -> None:
    person = make_person("lang", world.commune, RoleName.VIEWER)
    client = Client()
    client.force_login(person)
    assert client.get("/staff/").headers["Content-Language"] == "vi"
    client.post("/staff/language/", {"language": "en", "next": "/staff/"})
    person.refresh_from_db()
    assert person.language == "en"
    fresh = Client()
    fresh.force_login(person)
    assert fresh.get("/staff/").headers["Content-Language"] == "en"


def test_a_new_password_from_the_unit_admin_lifts_the_lock(world: World) -> None:
    make_person("editor", world.village, RoleName.EDITOR)
    admin = make_person("admin", world.commune, RoleName.UNIT_ADMIN)
    for _ in range(5):
        _login(Client(), "editor", "wrong")
    assert _login(Client(), "editor", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    staff = Client()
    staff.force_login(admin)
    editor = User.objects.get(username="editor")
    url = f"/staff/units/{world.commune.pk}/people/{editor.pk}/password/"
    staff.post(url, {"password": "brand-new-password-9"})
    assert _login(Client(), "editor", "brand-new-password-9").status_code == 302  # type: ignore[attr-defined]


def test_a_weak_new_password_is_refused_with_the_reason(world: World) -> None:
    editor = make_person("editor", world.village, RoleName.EDITOR)
    admin = make_person("admin", world.commune, RoleName.UNIT_ADMIN)
    staff = Client()
    staff.force_login(admin)
    url = f"/staff/units/{world.commune.pk}/people/{editor.pk}/password/"
    page = staff.post(url, {"password": "123"}, follow=True).content.decode()
    assert "8" in page  # the validator's "at least 8 characters"
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
