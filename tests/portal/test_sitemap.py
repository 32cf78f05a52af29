from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from tests.conftest import World, make_person

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locs(body: bytes, tag: str) -> list[str]:
    root = ET.fromstring(body)
    return [el.text or "" for el in root.findall(f"s:{tag}/s:loc", NS)]


def test_the_sitemap_lists_every_unit_and_published_article(
    world: World, django_assert_max_num_queries: object
) -> None:
    author = make_person("author", world.province, RoleName.EDITOR)
    for n in range(12):
        Article.objects.create(
            unit=[world.village, world.sibling][n % 2],
            kind="news",
            title=f"Tin {n}",
            author=author,
            state=ArticleState.PUBLISHED,
            published_at=timezone.now(),
        )
    Article.objects.create(unit=world.village, kind="news", title="Nháp", author=author)
    client = Client()
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    maps = _locs(index.content, "sitemap")
    assert maps == [
        "http://testserver/sitemap-units.xml",
        "http://testserver/sitemap-articles-1.xml",
    ]
    units = _locs(client.get("/sitemap-units.xml").content, "url")
    assert "http://testserver/u/tinh-thu/xa-dong/thon-mot/" in units
    assert len(units) == 5
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        body = client.get("/sitemap-articles-1.xml").content
    articles = _locs(body, "url")
    assert len(articles) == 12
    assert all("/bai/" in url for url in articles)
    assert client.get("/sitemap-articles-2.xml").status_code == 404
