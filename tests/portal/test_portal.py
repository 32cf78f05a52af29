from __future__ import annotations

from django.test import Client

from tests.conftest import World


def test_a_unit_page_lists_its_sub_units_by_slug_path(world: World) -> None:
    response = Client().get("/u/tinh-thu/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xã Đông" in page
    assert "Xã Tây" in page
    assert 'href="/u/tinh-thu/xa-dong/"' in page
    deeper = Client().get("/u/tinh-thu/xa-dong/").content.decode()
    assert "Thôn Một" in deeper
    assert "Xã Tây" not in deeper


def test_an_unknown_path_is_a_friendly_404(world: World) -> None:
    response = Client().get("/u/tinh-thu/xa-khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert Client().get("/u/xa-dong/").status_code == 404  # right slug, wrong place


def test_anonymous_pages_set_no_cookie_and_may_be_cached(world: World) -> None:
    client = Client()
    for url in ("/", "/u/tinh-thu/", "/u/tinh-thu/xa-dong/thon-mot/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert not response.cookies, (url, response.cookies)
        assert "public" in response.headers["Cache-Control"]
    assert not client.cookies


def test_choosing_a_language_is_the_only_cookie_and_it_is_kept(world: World) -> None:
    client = Client()
    response = client.get("/lang/en/", {"next": "/u/tinh-thu/"})
    assert response.status_code == 302
    assert response["Location"] == "/u/tinh-thu/"
    assert list(response.cookies) == ["django_language"]
    page = client.get("/u/tinh-thu/")
    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_vietnamese_is_the_default_whatever_the_browser_says(world: World) -> None:
    page = Client().get("/u/tinh-thu/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "vi"


def test_the_language_switch_refuses_offsite_redirects(world: World) -> None:
    response = Client().get("/lang/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_pages_are_translated(world: World) -> None:
    client = Client()
    client.get("/lang/en/")
    page = client.get("/u/tinh-thu/").content.decode()
    assert "Sub-units" in page
    assert "Đơn vị trực thuộc" not in page
    login = client.get("/staff/login/").content.decode()
    assert "Log in" in login


def test_a_unit_page_costs_the_same_queries_however_many_sub_units(
    world: World, django_assert_max_num_queries: object
) -> None:
    from caunoi.core.models import Unit, UnitKind
    from caunoi.core.services import unit_create

    for n in range(40):
        unit_create(
            parent=Unit.objects.get(pk=world.province.pk),
            name=f"Xã Số {n}",
            kind=UnitKind.COMMUNE,
            by=None,
        )
    # unit, sub-units, latest news, topics, channels, and the page cache's versions
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        page = Client().get("/u/tinh-thu/")
    assert 'href="/u/tinh-thu/xa-so-39/"' in page.content.decode()
