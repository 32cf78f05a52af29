from __future__ import annotations

from django.test import Client
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from tests.conftest import World, make_person


def _published(world: World, unit: object, title: str, **extra: object) -> Article:
    author = make_person(f"a{Article.objects.count()}", world.province, RoleName.EDITOR)
    return Article.objects.create(
        unit=unit,
        kind="news",
        title=title,
        author=author,
        state=ArticleState.PUBLISHED,
        published_at=timezone.now(),
        **extra,
    )


def test_a_unit_shows_its_subtrees_latest_news(world: World) -> None:
    _published(world, world.village, "Họp thôn tháng 12", summary="Tại nhà văn hoá")
    Article.objects.create(
        unit=world.village,
        kind="news",
        title="Bản nháp bí mật",
        author=make_person("drafter"),
        state=ArticleState.DRAFT,
    )
    page = Client().get("/u/tinh-thu/").content.decode()
    assert "Họp thôn tháng 12" in page
    assert "Bản nháp bí mật" not in page


def test_the_news_page_pages_with_fixed_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(45):
        _published(world, [world.commune, world.village, world.sibling][n % 3], f"Tin số {n}")
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        first = Client().get("/u/tinh-thu/tin-tuc/")
    assert len(first.context["page"]) == 20
    assert 'href="?page=2"' in first.content.decode()
    third = Client().get("/u/tinh-thu/tin-tuc/", {"page": 3})
    assert len(third.context["page"]) == 5
    assert [a.title for a in third.context["page"]] == [f"Tin số {n}" for n in range(4, -1, -1)]
    assert 'href="?page=2"' in third.content.decode()
    assert "page=4" not in third.content.decode()
    assert Client().get("/u/tinh-thu/tin-tuc/", {"page": 4}).status_code == 404
    for odd in ["abc", "0", "-3", ""]:
        odd_page = Client().get("/u/tinh-thu/tin-tuc/", {"page": odd})
        assert odd_page.status_code == 200
        assert odd_page.context["page"].number == 1


def test_an_article_page_has_its_canonical_address_and_card_tags(world: World) -> None:
    article = _published(
        world,
        world.village,
        "Đường liên thôn đã thông xe",
        summary="Sau ba tháng thi công",
        body="<p>Chi tiết</p>",
    )
    url = f"/u/tinh-thu/xa-dong/thon-mot/bai/{article.pk}-duong-lien-thon-da-thong-xe/"
    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<link rel="canonical" href="http://testserver{url}">' in page
    assert '<meta property="og:title" content="Đường liên thôn đã thông xe">' in page
    assert "<p>Chi tiết</p>" in page
    assert not response.cookies
    moved = Client().get(f"/u/tinh-thu/bai/{article.pk}-old-title/")
    assert moved.status_code == 301
    assert moved["Location"] == url


def test_an_article_page_shows_its_photos_files_topics_and_corrections_in_few_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    from caunoi.publishing.models import ArticleImage, Attachment, Correction, Revision, Topic

    article = _published(world, world.commune, "Lịch tiếp dân", summary="Tháng 12")
    by = article.author
    for n, cover in ((1, False), (2, True), (3, False)):
        ArticleImage.objects.create(
            article=article,
            file=f"articles/{article.pk}/images/{n}.jpg",
            alt=f"Ảnh {n}",
            width=800,
            height=600,
            is_cover=cover,
            added_by=by,
        )
    Attachment.objects.create(
        article=article, file="articles/x/files/lich.pdf", title="Lịch PDF", size=2048, added_by=by
    )
    for name, slug in (("Tiếp dân", "tiep-dan"), ("Hành chính", "hanh-chinh")):
        article.topics.add(Topic.objects.create(unit=world.province, name=name, slug=slug))
    revision = Revision.objects.create(article=article, number=1, title="x", saved_by=by)
    for note in ("Sửa giờ tiếp", "Sửa địa điểm"):
        Correction.objects.create(article=article, note=note, revision=revision, corrected_by=by)
    url = f"/u/tinh-thu/xa-dong/bai/{article.pk}-lich-tiep-dan/"
    Client().get(f"/u/tinh-thu/xa-dong/bai/{_published(world, world.commune, 'x').pk}-x/")
    # page versions, no stored page, settings stamp (the units' trail is remembered),
    # article, four lists
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        page = Client().get(url).content.decode()
    assert page.index('alt="Ảnh 2"') < page.index('alt="Ảnh 1"') < page.index('alt="Ảnh 3"')
    assert 'data-testid="cover"' in page.split('alt="Ảnh 2"')[0][-200:]
    assert '>Lịch PDF</a> <small class="muted">(PDF, 2,0\xa0KB)' in page
    assert page.index("Hành chính</a>") < page.index("Tiếp dân</a>")
    assert page.index("Sửa giờ tiếp") < page.index("Sửa địa điểm")
    assert ">Xã Đông</a> ›" in page


def test_an_article_page_names_its_units_as_they_are_now(world: World) -> None:
    from caunoi.core.models import Unit

    article = _published(world, world.village, "Họp thôn")
    url = f"/u/tinh-thu/xa-dong/thon-mot/bai/{article.pk}-hop-thon/"
    assert ">Xã Đông</a>" in Client().get(url).content.decode()
    Unit.objects.filter(pk=world.commune.pk).update(name="Xã Đông Mới")  # no service, no signal
    from django.core.cache import cache

    cache.clear()  # the page cache is the service's to invalidate; the units' memory is not
    assert ">Xã Đông Mới</a>" in Client().get(url).content.decode()


def test_unpublished_articles_are_not_found(world: World) -> None:
    article = _published(world, world.commune, "Đã gỡ")
    Article.objects.filter(pk=article.pk).update(state=ArticleState.UNPUBLISHED)
    assert Client().get(f"/u/tinh-thu/xa-dong/bai/{article.pk}-da-go/").status_code == 404


def test_no_unit_can_take_a_slug_the_portal_uses(world: World) -> None:
    from caunoi.core.services import unit_create

    unit = unit_create(parent=world.commune, name="Tin tức", kind="organization", by=None)
    assert unit.slug == "tin-tuc-2"


def test_the_warnings_page_shows_scam_warnings_and_clarifications_only(world: World) -> None:
    _published(world, world.commune, "Họp dân")
    warning = _published(world, world.village, "Cảnh báo giả danh ngân hàng")
    Article.objects.filter(pk=warning.pk).update(kind="scam_warning")
    clarification = _published(world, world.commune, "Đính chính tin cắt nước")
    Article.objects.filter(pk=clarification.pk).update(kind="clarification")
    page = Client().get("/u/tinh-thu/canh-bao/").content.decode()
    assert "Cảnh báo giả danh ngân hàng" in page
    assert "Đính chính tin cắt nước" in page
    assert "Họp dân" not in page
