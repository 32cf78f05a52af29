from __future__ import annotations

import unicodedata

import pytest
from django.test import Client
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from caunoi.publishing.search import search_articles
from tests.conftest import World, make_person

ROWS = [
    ("Ủy ban nhân dân xã họp về giải phóng mặt bằng", "Tiến độ dự án đường tránh", "commune"),
    ("Uỷ ban mặt trận tổ chức hội nghị", "Lấy ý kiến nhân dân", "village"),
    ("Sửa chữa ĐƯỜNG liên thôn", "Đường Trần Phú tạm cấm xe", "village"),
    ("Lịch tiếp công dân", "Thứ Năm hằng tuần", "sibling"),
]


@pytest.fixture
def articles(world: World) -> dict[str, Article]:
    author = make_person("author", world.province, RoleName.EDITOR)
    made = {}
    for title, summary, where in ROWS:
        made[title] = Article.objects.create(
            unit=getattr(world, where),
            kind="news",
            title=title,
            summary=summary,
            author=author,
            state=ArticleState.PUBLISHED,
            published_at=timezone.now(),
        )
    Article.objects.create(
        unit=world.commune,
        kind="news",
        title="Ủy ban bản nháp",
        author=author,
        state=ArticleState.DRAFT,
    )
    return made


def _titles(world: World, text: str, unit: object = None) -> list[str]:
    return [h.article.title for h in search_articles(unit=unit or world.province, text=text)]


def test_unaccented_words_find_both_tone_placements(world: World, articles: object) -> None:
    found = _titles(world, "uy ban")
    assert set(found) == {
        "Ủy ban nhân dân xã họp về giải phóng mặt bằng",
        "Uỷ ban mặt trận tổ chức hội nghị",
    }


def test_d_without_stroke_and_capitals_match(world: World, articles: object) -> None:
    assert set(_titles(world, "duong")) == {
        "Sửa chữa ĐƯỜNG liên thôn",
        "Ủy ban nhân dân xã họp về giải phóng mặt bằng",
    }
    decomposed = unicodedata.normalize("NFD", "Đường")
    assert "Sửa chữa ĐƯỜNG liên thôn" in _titles(world, decomposed)


def test_every_word_must_match_and_a_word_may_be_a_prefix(world: World, articles: object) -> None:
    assert _titles(world, "uy ban hoi nghi") == ["Uỷ ban mặt trận tổ chức hội nghị"]
    assert _titles(world, "giai pho") == ["Ủy ban nhân dân xã họp về giải phóng mặt bằng"]
    assert _titles(world, "khong co dau") == []


def test_search_stays_inside_the_subtree_and_skips_drafts(world: World, articles: object) -> None:
    assert set(_titles(world, "uy ban", world.commune)) == {
        "Ủy ban nhân dân xã họp về giải phóng mặt bằng",
        "Uỷ ban mặt trận tổ chức hội nghị",
    }
    assert _titles(world, "lich tiep", world.commune) == []
    assert "Ủy ban bản nháp" not in _titles(world, "uy ban")


def test_the_title_match_ranks_first(world: World, articles: object) -> None:
    # "duong" is in the title of one and only in the summary of the other.
    assert _titles(world, "duong")[0] == "Sửa chữa ĐƯỜNG liên thôn"


def test_the_portal_page_highlights_matches(world: World, articles: object) -> None:
    response = Client().get("/u/tinh-thu/tim-kiem/", {"q": "duong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sửa chữa <mark>ĐƯỜNG</mark> liên thôn" in page
    assert "<mark>Đường</mark> Trần Phú" in page
    assert not response.cookies


def test_odd_input_is_harmless(world: World, articles: object) -> None:
    for text in ['"', "*", "uy AND OR NOT", "'); DROP TABLE", "   ", "a" * 500]:
        response = Client().get("/u/tinh-thu/tim-kiem/", {"q": text})
        assert response.status_code == 200


def test_on_postgresql_a_misspelled_search_still_finds_the_closest_articles(
    world: World, articles: dict[str, Article]
) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram fallback is PostgreSQL's (pg_trgm); SQLite has FTS5 alone")
    hits = search_articles(unit=world.province, text="lich tiep cong dam")
    assert [h.article.title for h in hits][:1] == ["Lịch tiếp công dân"]
    assert search_articles(unit=world.commune, text="lich tiep cong dam") == []
