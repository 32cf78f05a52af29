"""The largest request the site reads at all."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_a_body_over_the_site_limit_is_refused_before_it_is_read(
    client: Any, settings: Any, db: None
) -> None:
    settings.CAUNOI_MAX_BODY_MB = 1
    response = client.post(
        "/open311/v2/requests.json",
        data=b"x" * (1024 * 1024 + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert client.get("/healthz").status_code == 200


def test_staff_uploads_are_left_to_their_own_screens_limits(settings: Any, world: Any) -> None:
    from tests.conftest import logged_in, make_person

    settings.CAUNOI_MAX_BODY_MB = 1
    staff = logged_in(make_person("editor", world.commune, "editor"))
    big = b"x" * (1024 * 1024 + 1)
    assert Client().post("/healthz", data=big, content_type="text/plain").status_code == 413
    # Logged in, the request reaches the page, which applies its own limits.
    response = staff.post("/healthz", data=big, content_type="text/plain")
    assert response.status_code == 200
