from __future__ import annotations

from django.test import Client

from caunoi.core.models import RoleName, Unit
from tests.conftest import World, make_person


def test_every_page_sends_a_csp_without_unsafe_inline(world: World) -> None:
    for url in ("/u/tinh-thu/", "/staff/login/"):
        policy = Client().get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_carry_the_security_headers(world: World) -> None:
    response = Client().get("/staff/login/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(world: World) -> None:
    admin = make_person("admin", world.province, RoleName.UNIT_ADMIN)
    client = Client()
    client.force_login(admin)
    for url in (
        "/staff/",
        f"/staff/units/{world.commune.pk}/",
        f"/staff/units/{world.province.pk}/people/",
        "/u/tinh-thu/",
    ):
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page
        assert " onclick=" not in page


def test_writes_need_the_csrf_token(world: World) -> None:
    admin = make_person("admin", world.province, RoleName.UNIT_ADMIN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(
        f"/staff/units/{world.commune.pk}/edit/", {"name": "Hacked", "kind": "commune", "code": ""}
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=world.commune.pk).name == "Xã Đông"


def test_hsts_and_secure_cookies_behind_tls(settings: object, world: World) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    response = Client().get("/u/tinh-thu/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
