"""The portal's anonymous pages come from a cache that each change makes stale exactly where
it shows: the article's page, its unit's and ancestors' lists and feeds, its topic pages."""

from __future__ import annotations

import pytest
from django.test import Client

from caunoi.core.models import RoleName, User
from caunoi.publishing import services, sharing
from caunoi.publishing.models import Article
from tests.conftest import World, logged_in, make_person
from tests.publishing.helpers import published

PAGES = {
    "province home": "/u/tinh-thu/",
    "province news": "/u/tinh-thu/tin-tuc/",
    "province feed": "/u/tinh-thu/tin-tuc.rss",
    "province warnings": "/u/tinh-thu/canh-bao/",
    "commune home": "/u/tinh-thu/xa-dong/",
    "commune news": "/u/tinh-thu/xa-dong/tin-tuc/",
    "commune atom": "/u/tinh-thu/xa-dong/tin-tuc.atom",
    "commune news kind feed": "/u/tinh-thu/xa-dong/news.rss",
    "commune warnings": "/u/tinh-thu/xa-dong/canh-bao/",
    "commune topic": "/u/tinh-thu/xa-dong/chu-de/nuoc-sach/",
    "commune other topic": "/u/tinh-thu/xa-dong/chu-de/giao-thong/",
    "village news": "/u/tinh-thu/xa-dong/thon-mot/tin-tuc/",
    "sibling news": "/u/tinh-thu/xa-tay/tin-tuc/",
    "other province news": "/u/tinh-khac/tin-tuc/",
    "province search": "/u/tinh-thu/tim-kiem/?q=cat+nuoc",
    "commune search": "/u/tinh-thu/xa-dong/tim-kiem/?q=cat+nuoc",
    "sibling search": "/u/tinh-thu/xa-tay/tim-kiem/?q=cat+nuoc",
}


def _state(client: Client, pages: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        out[name] = response.headers.get("X-Caunoi-Cache", "")
    return out


def _stale_after(client: Client, pages: dict[str, str], change: object) -> set[str]:
    """The pages a change made stale: all are cached before it; those served fresh after."""
    _state(client, pages)
    assert set(_state(client, pages).values()) == {"hit"}
    if callable(change):
        change()
    return {name for name, how in _state(client, pages).items() if how != "hit"}


def _setup(world: World) -> tuple[User, Article]:
    approver = make_person("tinh", world.province, RoleName.APPROVER)
    water = sharing.topic_create(unit=world.province, name="Nước sạch", by=approver)
    sharing.topic_create(unit=world.province, name="Giao thông", by=approver)
    writer = make_person("viet", world.commune, RoleName.EDITOR)
    article = services.article_create(
        unit=world.commune, kind="news", title="Cắt nước", topics=[water], by=writer
    )
    services.article_submit(article=article, by=writer)
    services.article_approve(article=article, by=approver)
    return approver, article


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_cookie(
    world: World, django_assert_max_num_queries: object
) -> None:
    published(world.commune, "Họp dân")
    client = Client()
    assert client.get("/u/tinh-thu/xa-dong/tin-tuc/")["X-Caunoi-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        response = client.get("/u/tinh-thu/xa-dong/tin-tuc/")
    assert response["X-Caunoi-Cache"] == "hit"
    assert "Họp dân" in response.content.decode()
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_staff_never_get_a_cached_page(world: World) -> None:
    staff = logged_in(make_person("ai", world.commune, RoleName.EDITOR))
    staff.get("/u/tinh-thu/")
    assert "X-Caunoi-Cache" not in staff.get("/u/tinh-thu/").headers


def test_publishing_makes_stale_exactly_the_pages_that_show_the_article(world: World) -> None:
    approver, article = _setup(world)
    stale = _stale_after(
        Client(), PAGES, lambda: services.article_publish(article=article, by=approver)
    )
    assert stale == {
        "province home",
        "province news",
        "province feed",
        "commune home",
        "commune news",
        "commune atom",
        "commune news kind feed",
        "commune topic",
        "province search",
        "commune search",
    }
    assert "Cắt nước" in Client().get("/u/tinh-thu/xa-dong/chu-de/nuoc-sach/").content.decode()
    assert "<mark>nước</mark>" in Client().get(PAGES["commune search"]).content.decode()


def test_a_new_topic_makes_stale_the_topic_lists_and_no_article_page(world: World) -> None:
    approver, article = _setup(world)
    article = services.article_publish(article=article, by=approver)
    pages = {
        **PAGES,
        "article": f"/u/tinh-thu/xa-dong/bai/{article.pk}-cat-nuoc/",
        "province topics": "/u/tinh-thu/chu-de/",
        "commune topics": "/u/tinh-thu/xa-dong/chu-de/",
    }
    stale = _stale_after(
        Client(), pages, lambda: sharing.topic_create(unit=world.province, name="Y tế", by=approver)
    )
    assert stale == {"province home", "commune home", "province topics", "commune topics"}
    assert "Y tế" in Client().get("/u/tinh-thu/xa-dong/chu-de/").content.decode()


def test_a_correction_makes_the_article_page_stale_and_shows_at_once(world: World) -> None:
    approver, article = _setup(world)
    article = services.article_publish(article=article, by=approver)
    page = f"/u/tinh-thu/xa-dong/bai/{article.pk}-cat-nuoc/"
    pages = {**PAGES, "article": page}
    stale = _stale_after(
        Client(),
        pages,
        lambda: sharing.article_correct(
            article=article, title="Cắt nước", summary="", body="", note="Đổi giờ", by=approver
        ),
    )
    assert "article" in stale
    assert "sibling news" not in stale
    assert "village news" not in stale
    assert "Đổi giờ" in Client().get(page).content.decode()


def test_unpublishing_takes_the_article_off_every_cached_page(world: World) -> None:
    approver, article = _setup(world)
    article = services.article_publish(article=article, by=approver)
    client = Client()
    page = f"/u/tinh-thu/xa-dong/bai/{article.pk}-cat-nuoc/"
    client.get(page)
    client.get("/u/tinh-thu/tin-tuc/")
    services.article_unpublish(article=article, by=approver)
    assert client.get(page).status_code == 404
    assert "Cắt nước" not in client.get("/u/tinh-thu/tin-tuc/").content.decode()


def test_a_reshare_makes_stale_the_sharing_units_pages_and_not_the_siblings(
    world: World,
) -> None:
    approver = make_person("tinh", world.province, RoleName.APPROVER)
    source = published(world.province, "Lịch nghỉ Tết", by=approver)
    pages = {name: path for name, path in PAGES.items() if "topic" not in name}
    stale = _stale_after(
        Client(),
        pages,
        lambda: sharing.article_reshare(article=source, unit=world.village, by=approver),
    )
    assert {"village news", "commune news", "commune home", "province news"} <= stale
    assert "sibling news" not in stale
    assert "other province news" not in stale
    assert "Lịch nghỉ Tết" in Client().get(PAGES["village news"]).content.decode()


def test_a_cached_page_keeps_the_headers_the_middleware_gave_it(world: World) -> None:
    published(world.commune, "Họp dân")
    client = Client()
    first = client.get("/u/tinh-thu/xa-dong/tin-tuc/")
    again = client.get("/u/tinh-thu/xa-dong/tin-tuc/")
    assert (first["X-Caunoi-Cache"], again["X-Caunoi-Cache"]) == ("miss", "hit")
    for header in ["Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"]:
        assert again[header] == first[header], header
    assert again.content == first.content


def test_a_visitor_who_chose_english_gets_the_english_page_from_the_cache(world: World) -> None:
    client = Client()
    client.get("/u/tinh-thu/tin-tuc/")
    assert client.get("/u/tinh-thu/tin-tuc/")["X-Caunoi-Cache"] == "hit"
    client.cookies["django_language"] = "en"
    english = client.get("/u/tinh-thu/tin-tuc/")
    assert english["X-Caunoi-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert client.get("/u/tinh-thu/tin-tuc/")["Content-Language"] == "en"


@pytest.mark.django_db(transaction=True)
def test_a_page_is_served_after_the_database_dropped_the_kept_connection(world: World) -> None:
    """The page cache's first read is the kept connection's health check: a connection the
    database dropped (a restart) is replaced, and the reader still gets the page."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    import psycopg

    published(world.commune, "Họp dân")
    client = Client()
    assert client.get("/u/tinh-thu/xa-dong/tin-tuc/").status_code == 200
    assert connection.connection is not None
    pid = connection.connection.info.backend_pid
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres"
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get("/u/tinh-thu/xa-dong/tin-tuc/")
    assert response.status_code == 200
    assert "Họp dân" in response.content.decode()
    assert connection.connection.info.backend_pid != pid
