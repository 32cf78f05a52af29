from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from caunoi.channels.models import Channel
from caunoi.core.models import User
from caunoi.metrics.sections import PublishingSection
from caunoi.metrics.selectors import rollup
from caunoi.metrics.services import FigureIn, figures_write
from caunoi.publishing.models import Article, ArticleKind, ArticleState
from caunoi.reports.sections import Period, sections
from tests.conftest import World


def _year(channel: Channel, reach: int, followers_start: int) -> None:
    figures = []
    day = date(2026, 1, 1)
    for n in range(365):
        current = date.fromordinal(day.toordinal() + n)
        figures.append(FigureIn(current, "reach", "r", reach))
        figures.append(FigureIn(current, "engagement", "e", 2))
        figures.append(FigureIn(current, "followers", "f", followers_start + n))
    figures_write(channel=channel, figures=figures, source="demo")


def test_a_communes_figures_count_in_its_province_and_not_in_its_sibling(
    world: World, page: Channel, oa: Channel
) -> None:
    _year(page, 10, 1000)
    _year(oa, 1, 500)
    province = rollup(unit=world.province, start=date(2026, 1, 1), end=date(2026, 3, 31))
    commune = rollup(unit=world.commune, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert commune.total("reach") == 90 * 10
    assert province.total("reach") == 90 * 11
    assert [b.reach for b in commune.buckets] == [310, 280, 310]
    other = rollup(unit=world.other_province, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert other.total("reach") == 0


def test_followers_are_the_latest_count_not_a_sum_over_days(world: World, page: Channel) -> None:
    _year(page, 10, 1000)
    result = rollup(unit=world.province, start=date(2026, 4, 1), end=date(2026, 6, 30))
    assert result.followers == 1000 + date(2026, 6, 30).timetuple().tm_yday - 1


def test_a_year_rolls_up_by_quarter_and_each_unit_below_is_compared(
    world: World, page: Channel, oa: Channel
) -> None:
    _year(page, 10, 1000)
    _year(oa, 1, 500)
    result = rollup(
        unit=world.province, start=date(2026, 1, 1), end=date(2026, 12, 31), grain="quarter"
    )
    assert [b.label for b in result.buckets] == ["Q1/2026", "Q2/2026", "Q3/2026", "Q4/2026"]
    assert sum(b.reach for b in result.buckets) == 365 * 11
    by_child = {row.unit.name if row.unit else "": row.reach for row in result.by_child}
    assert by_child == {"Xã Đông": 3650, "Xã Tây": 365}


def test_items_published_are_counted_by_kind_and_month(world: World, officer: User) -> None:
    for month, kind in (
        (1, ArticleKind.NEWS),
        (1, ArticleKind.SCAM_WARNING),
        (2, ArticleKind.NEWS),
    ):
        Article.objects.create(
            unit=world.village,
            kind=kind,
            title="t",
            author=officer,
            state=ArticleState.PUBLISHED,
            published_at=timezone.make_aware(datetime(2026, month, 10, 9)),
        )
    result = rollup(unit=world.province, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert [b.items for b in result.buckets] == [2, 1, 0]
    assert dict(result.items_by_kind) == {"Tin, bài": 2, "Cảnh báo lừa đảo": 1}
    portal = next(row for row in result.by_channel if row.label == "Trang thông tin điện tử")
    assert portal.items == 3


def test_the_publishing_section_of_periodic_reports_gives_figures_tables_and_charts(
    world: World, page: Channel
) -> None:
    _year(page, 10, 1000)
    assert any(isinstance(s, PublishingSection) for s in sections())
    built = PublishingSection().build(unit=world.province, period=Period.quarter(2026, 1))
    figures = {f.key: f.value for f in built.figures}
    assert figures["reach"] == 900
    assert figures["engagement"] == 180
    assert figures["followers"] == 1089
    assert [c.key for c in built.charts] == ["reach", "items"]
    assert len(built.charts[0].labels) == 3


def test_posts_made_by_hand_count_for_their_channel_but_delivered_articles_are_not_counted_twice(
    world: World, page: Channel, officer: User
) -> None:
    from caunoi.metrics.models import Post

    when = timezone.make_aware(datetime(2026, 1, 10, 9))
    article = Article.objects.create(
        unit=world.commune,
        kind=ArticleKind.NEWS,
        title="t",
        author=officer,
        state=ArticleState.PUBLISHED,
        published_at=when,
    )
    Post.objects.create(channel=page, external_id="by-hand", published_at=when)
    Post.objects.create(channel=page, external_id="from-caunoi", article=article, published_at=when)
    result = rollup(unit=world.province, start=date(2026, 1, 1), end=date(2026, 1, 31))
    facebook = next(row for row in result.by_channel if row.label == "Trang Facebook")
    assert facebook.items == 1
