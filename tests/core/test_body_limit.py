"""The largest request the site reads at all."""

from __future__ import annotations

from typing import Any


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
