"""Article pages rendered ahead by the task worker: a reader's first visit gets the stored
page, never a stale one, and the stored pages follow every change."""

from __future__ import annotations

import zlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from caunoi.core.models import RoleName
from caunoi.core.services import unit_update
from caunoi.publishing import prerender, services, sharing
from caunoi.publishing.models import Article, PrerenderedPage
from caunoi.publishing.selectors import article_url
from tests.conftest import World, logged_in, make_person
from tests.publishing.helpers import published
from tests.worker import run_worker

# The real worker commits, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _first_visit(path: str, language: str = "") -> tuple[str, str]:
    cache.clear()  # a new web process: nothing in its page cache
    client = Client()
    if language:
        client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200, path
    return response.headers["X-Caunoi-Cache"], response.content.decode()


@pytest.fixture
def article(world: World) -> Article:
    found = published(world.commune, "Lịch cắt điện tuần này")
    run_worker()
    return Article.objects.select_related("unit").get(pk=found.pk)


def test_a_published_article_is_stored_in_every_language_as_readers_get_it(
    article: Article,
) -> None:
    path = article_url(article)
    stored = {p.language: p for p in PrerenderedPage.objects.filter(article=article)}
    assert set(stored) == {"vi", "en"}
    assert all(p.path == path for p in stored.values())

    how, page = _first_visit(path)
    assert how == "prerendered"
    assert "Lịch cắt điện tuần này" in page
    assert "Cán bộ đăng nhập" in page
    assert page.encode() == zlib.decompress(bytes(stored["vi"].content))
    how, english = _first_visit(path, "en")
    assert how == "prerendered"
    assert 'lang="en"' in english

    # The stored page is what a render on request gives to a reader of the site's address
    # (the worker renders on CAUNOI_BASE_URL).
    PrerenderedPage.objects.all().delete()
    cache.clear()
    live = Client(HTTP_HOST="127.0.0.1:8000").get(path)
    assert live.headers["X-Caunoi-Cache"] == "miss"
    assert live.content.decode() == page


def test_a_correction_is_never_hidden_by_a_stored_page(world: World, article: Article) -> None:
    approver = make_person("sua", world.commune, RoleName.APPROVER)
    sharing.article_correct(
        article=article,
        title=article.title,
        summary="",
        body="<p>Lịch mới: thứ Năm</p>",
        note="Đổi ngày cắt điện",
        by=approver,
    )
    path = article_url(article)
    how, page = _first_visit(path)  # the worker has not run yet: rendered on request
    assert how == "miss"
    assert "Đổi ngày cắt điện" in page

    run_worker()
    how, page = _first_visit(path)
    assert how == "prerendered"
    assert "Đổi ngày cắt điện" in page
    assert "Lịch mới: thứ Năm" in page


def test_an_unpublished_article_leaves_no_stored_page(world: World, article: Article) -> None:
    approver = make_person("go", world.commune, RoleName.APPROVER)
    services.article_unpublish(article=article, by=approver)
    cache.clear()
    assert Client().get(article_url(article)).status_code == 404
    run_worker()
    assert not PrerenderedPage.objects.filter(article=article).exists()


def test_a_reshared_copy_is_stored_too_and_dropped_when_withdrawn(
    world: World, article: Article
) -> None:
    province = Article.objects.select_related("unit").get(
        pk=published(world.province, "Cảnh báo lừa đảo qua điện thoại").pk
    )
    sharer = make_person("chia.se", world.commune, RoleName.APPROVER)
    reshare = sharing.article_reshare(article=province, unit=world.commune, by=sharer)
    run_worker()
    copy = f"{world.commune.get_portal_url()}bai/{province.pk}-canh-bao-lua-dao-qua-dien-thoai/"
    how, page = _first_visit(copy)
    assert how == "prerendered"
    assert 'data-testid="reshare-credit"' in page

    sharing.reshare_withdraw(reshare=reshare, by=sharer)
    run_worker()
    assert set(PrerenderedPage.objects.filter(article=province).values_list("path", flat=True)) == {
        article_url(province)
    }


def test_a_unit_renamed_makes_stored_pages_stale_until_the_worker_renders_them_again(
    world: World, article: Article
) -> None:
    path = article_url(article)
    unit_update(unit=world.commune, name="Xã Đông Hưng", kind="commune", code="C1", by=None)
    how, page = _first_visit(path)
    assert how == "miss"
    assert "Xã Đông Hưng" in page

    # A burst of unit edits is rendered once, a few seconds later.
    waiting = DBTaskResult.objects.filter(task_path="caunoi.publishing.tasks.prerender_recent")
    assert waiting.count() == 1
    waiting.update(run_after=timezone.now())
    run_worker()
    how, page = _first_visit(path)
    assert how == "prerendered"
    assert "Xã Đông Hưng" in page


def test_old_articles_are_not_kept_after_a_units_change(world: World, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=90))
    assert prerender.recent_pages(30) == (0, 0)
    assert not PrerenderedPage.objects.exists()
    how, _page = _first_visit(article_url(article))
    assert how == "miss"


def test_a_shared_links_query_string_gets_the_stored_page_and_staff_never_do(
    world: World, article: Article
) -> None:
    path = article_url(article)
    cache.clear()
    for shared in ("?fbclid=IwAR3x", "?zarsrc=30&utm_source=zalo", "?utm_medium=social"):
        answer = Client().get(path + shared)
        assert answer.headers["X-Caunoi-Cache"] == "prerendered", shared
    # A render on request is cached under the address without its query string, too.
    PrerenderedPage.objects.all().delete()
    cache.clear()
    assert Client().get(path + "?fbclid=a").headers["X-Caunoi-Cache"] == "miss"
    assert Client().get(path + "?fbclid=b").headers["X-Caunoi-Cache"] == "hit"
    editor = make_person("bien.tap", world.commune, RoleName.EDITOR)
    staff = logged_in(editor)
    assert "X-Caunoi-Cache" not in staff.get(path).headers


def test_the_prerender_command_stores_recent_articles_with_a_progress_bar(
    world: World, article: Article, capsys: pytest.CaptureFixture[str]
) -> None:
    from caunoi.cli import main

    PrerenderedPage.objects.all().delete()
    assert main(["portal", "prerender", "--days", "7"]) == 0
    out = capsys.readouterr()
    assert "caunoi: pages stored: 2 (articles: 1)" in out.out
    assert "prerender: 100%" in out.err
    assert PrerenderedPage.objects.filter(article=article).count() == 2
    with pytest.raises(SystemExit):
        main(["portal", "prerender", "--days", "-1"])
    assert "--days must be 0 or more" in capsys.readouterr().err
