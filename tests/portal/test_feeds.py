from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from tests.conftest import World, make_person


@pytest.fixture
def news(world: World) -> list[Article]:
    author = make_person("author", world.province, RoleName.EDITOR)
    rows = [
        ("news", world.commune, "Lịch tiếp công dân", "Thứ Năm hằng tuần & <b>ngày 15</b>"),
        ("scam_warning", world.village, "Cảnh báo giả danh công an gọi điện", "Không chuyển tiền"),
        ("news", world.sibling, "Tin xã Tây", ""),
    ]
    return [
        Article.objects.create(
            unit=unit,
            kind=kind,
            title=title,
            summary=summary,
            author=author,
            state=ArticleState.PUBLISHED,
            published_at=timezone.now(),
        )
        for kind, unit, title, summary in rows
    ]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_units_feed_parses_cleanly_and_lists_its_subtree(
    world: World, news: list[Article], fmt: str
) -> None:
    response = Client().get(f"/u/tinh-thu/xa-dong/tin-tuc.{fmt}")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    titles = {entry.title for entry in parsed.entries}
    assert titles == {"Lịch tiếp công dân", "Cảnh báo giả danh công an gọi điện"}
    links = {entry.link for entry in parsed.entries}
    assert f"http://testserver/u/tinh-thu/xa-dong/bai/{news[0].pk}-lich-tiep-cong-dan/" in links


def test_a_feed_per_kind(world: World, news: list[Article]) -> None:
    parsed = feedparser.parse(Client().get("/u/tinh-thu/scam_warning.rss").content)
    assert [e.title for e in parsed.entries] == ["Cảnh báo giả danh công an gọi điện"]
    assert Client().get("/u/tinh-thu/rumour.rss").status_code == 404
