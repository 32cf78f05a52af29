"""Article pages rendered ahead by the task worker: a reader's first visit gets the stored
page, never a stale one, and the stored pages follow every change."""

from __future__ import annotations

import zlib
from datetime import timedelta
from typing import Any

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
    waiting = DBTaskResult.objects.filter(task_path="caunoi.publishing.tasks.prerender_again")
    assert waiting.count() == 1
    waiting.update(run_after=timezone.now())
    run_worker()
    how, page = _first_visit(path)
    assert how == "prerendered"
    assert "Xã Đông Hưng" in page


def _rename_and_run(world: World, name: str) -> None:
    unit_update(unit=world.commune, name=name, kind="commune", code="C1", by=None)
    DBTaskResult.objects.filter(task_path="caunoi.publishing.tasks.prerender_again").update(
        run_after=timezone.now()
    )
    run_worker()


def test_after_a_units_change_every_article_is_rendered_again_in_batches(
    world: World, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = published(world.commune, "Thông báo tiêm chủng năm ngoái")
    oldest = published(world.commune, "Kế hoạch giải phóng mặt bằng")
    for days, found in ((400, older), (800, oldest)):
        when = timezone.now() - timedelta(days=days)
        Article.objects.filter(pk=found.pk).update(published_at=when)
    run_worker()
    assert PrerenderedPage.objects.count() == 6

    monkeypatch.setattr(prerender, "BATCH", 1)
    _rename_and_run(world, "Xã Đông Hưng")
    batches = DBTaskResult.objects.filter(task_path="caunoi.publishing.tasks.prerender_batch")
    assert batches.count() == 3  # the next batch is queued by the one before; the last finds none
    assert PrerenderedPage.objects.count() == 6
    for found in (article, older, oldest):
        how, page = _first_visit(article_url(Article.objects.get(pk=found.pk)))
        assert how == "prerendered"
        assert "Xã Đông Hưng" in page


def test_a_batch_of_an_older_units_change_stops(world: World, article: Article) -> None:
    from caunoi.publishing.tasks import prerender_batch

    unit_update(unit=world.commune, name="Xã Tân Lập", kind="commune", code="C1", by=None)
    assert prerender_batch.call(0) == 0  # the tree changed since: a newer run was queued
    how, _page = _first_visit(article_url(article))
    assert how == "miss"


def test_with_a_window_old_articles_are_dropped_after_a_units_change(
    world: World, article: Article, settings: Any
) -> None:
    settings.CAUNOI_PRERENDER_DAYS = 30
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=90))
    _rename_and_run(world, "Xã Đông Hưng")
    assert not PrerenderedPage.objects.exists()
    how, _page = _first_visit(article_url(article))
    assert how == "miss"
    assert prerender.all_pages(days=None) == (0, 0)
    assert prerender.all_pages(days=365) == (1, 2)


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


def test_the_prerender_command_stores_published_articles_with_a_progress_bar(
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


def test_the_command_shares_the_work_between_processes(
    world: World, article: Article, capsys: pytest.CaptureFixture[str]
) -> None:
    from caunoi.cli import main

    for n in range(4):
        published(world.commune, f"Thông báo số {n}")
    PrerenderedPage.objects.all().delete()
    assert main(["portal", "prerender", "--jobs", "3"]) == 0
    assert "caunoi: pages stored: 10 (articles: 5)" in capsys.readouterr().out
    assert PrerenderedPage.objects.count() == 10
    how, _page = _first_visit(article_url(article))
    assert how == "prerendered"
    with pytest.raises(SystemExit):
        main(["portal", "prerender", "--jobs", "0"])
    assert "--jobs must be 1 or more" in capsys.readouterr().err
