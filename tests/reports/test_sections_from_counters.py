"""The feedback and publishing sections read the roll-up counters, not the raw tables: their
numbers are the raw data's numbers after every kind of change the apps make, the child-unit
table reads all children at once, and the streamed check finds what a whole-tree check finds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caunoi.channels.models import Channel, ChannelKind
from caunoi.core.models import Unit, UnitKind
from caunoi.feedback import handling
from caunoi.feedback.models import LegalKind, Outcome, Report
from caunoi.feedback.report_section import FeedbackSection
from caunoi.feedback.stats import figures
from caunoi.metrics.models import Metric
from caunoi.metrics.sections import PublishingSection
from caunoi.metrics.selectors import rollup
from caunoi.metrics.services import FigureIn, figures_write
from caunoi.reports.check import check, differences, iter_differences
from caunoi.reports.models import Count
from caunoi.reports.sections import Period
from caunoi.reports.selectors import report_data
from tests.conftest import World
from tests.feedback.conftest import IN_SIBLING, IN_VILLAGE, Feedback
from tests.feedback.test_intake import submit

from .conftest import SampleSection

pytestmark = pytest.mark.django_db


def _figures(result: Any) -> dict[str, Any]:
    return {f.key: f.value for f in result.figures}


def _table(result: Any, key: str) -> list[list[Any]]:
    return next(t.rows for t in result.tables if t.key == key)


def _handled_reports(fb: Feedback) -> None:
    """Reports going through every change that moves a counter."""
    first, second, late, third = (submit(fb) for _ in range(4))
    submit(
        fb, lat=IN_VILLAGE[0], lon=IN_VILLAGE[1], category=fb.roads, attributes={"size": "large"}
    )
    submit(fb, lat=IN_SIBLING[0], lon=IN_SIBLING[1])
    handling.report_resolve(report=first, by=fb.handler, outcome=Outcome.FIXED, answer="Đã sửa.")
    Report.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=1))
    handling.report_resolve(report=late, by=fb.handler, outcome=Outcome.FIXED, answer="Đã sửa.")
    handling.report_mark_legal(report=second, kind=LegalKind.COMPLAINT, by=fb.handler)
    handling.report_reroute(report=third, to=fb.world.sibling, reason="Thuộc xã Tây", by=fb.handler)
    first.refresh_from_db()
    handling.report_reopen(report=first, secret=first.secret, reason="Đèn lại hỏng.")


def test_the_feedback_section_gives_the_raw_reports_numbers_from_the_counters(
    fb: Feedback,
) -> None:
    _handled_reports(fb)
    today = timezone.localdate()
    period = Period.month(today.year, today.month)
    province = fb.world.province
    raw = figures(unit=province, start=period.start, end=period.end)
    result = FeedbackSection().build(unit=province, period=period)
    found = _figures(result)
    assert (found["received"], found["answered"], found["on_time"]) == (5, 2, 1)
    assert (found["complaints"], found["reopened"]) == (1, 1)
    assert (found["received"], found["answered"], found["on_time"]) == (
        raw.total.received,
        raw.total.answered,
        raw.total.on_time,
    )
    assert (found["complaints"], found["denunciations"], found["reopened"]) == (
        raw.complaints,
        raw.denunciations,
        raw.reopened,
    )
    # Answer times are counted per tenth of a working day.
    assert raw.total.median_days is not None
    assert abs(found["median_days"] - raw.total.median_days) <= 0.05
    by_unit = _table(result, "by_unit")
    assert [r[:4] for r in by_unit] == [
        [name, t.received, t.answered, t.on_time] for name, t in sorted(raw.by_unit.items())
    ]
    for row, (_name, tally) in zip(by_unit, sorted(raw.by_unit.items()), strict=True):
        assert (row[4] is None) == (tally.median_days is None)
        assert row[4] is None or abs(row[4] - tally.median_days) <= 0.05
    by_category = _table(result, "by_category")
    assert [r[:4] for r in by_category] == [
        [name, t.received, t.answered, t.on_time] for name, t in sorted(raw.by_category.items())
    ]
    assert any(row[4] is not None for row in by_category)
    for row, (_name, tally) in zip(by_category, sorted(raw.by_category.items()), strict=True):
        assert (row[4] is None) == (tally.median_days is None)
        assert row[4] is None or abs(row[4] - tally.median_days) <= 0.05
    assert differences() == []


def test_the_publishing_section_gives_the_daily_figures_numbers_from_the_counters(
    world: World,
) -> None:
    page = Channel.objects.create(unit=world.village, kind=ChannelKind.FACEBOOK, name="Thôn")
    zalo = Channel.objects.create(unit=world.sibling, kind=ChannelKind.ZALO, name="Xã Tây")
    day = date(2026, 2, 3)
    for channel, reach in ((page, 100), (zalo, 40)):
        figures_write(
            channel=channel,
            figures=[
                FigureIn(day, Metric.REACH, "reach", reach),
                FigureIn(day + timedelta(days=40), Metric.REACH, "reach", reach + 1),
                FigureIn(day, Metric.ENGAGEMENT, "engagement", reach // 10),
                FigureIn(day, Metric.FOLLOWERS, "followers", 500),
            ],
            source="file",
        )
    figures_write(  # a re-import replaces a day's figure
        channel=page, figures=[FigureIn(day, Metric.REACH, "reach", 70)], source="file"
    )
    period = Period.quarter(2026, 1)
    raw = rollup(unit=world.province, start=period.start, end=period.end, grain="month")
    result = PublishingSection().build(unit=world.province, period=period)
    found = _figures(result)
    assert (found["reach"], found["engagement"], found["followers"]) == (252, 14, 1000)
    assert (found["reach"], found["engagement"], found["views"], found["followers"]) == (
        raw.total(Metric.REACH),
        raw.total(Metric.ENGAGEMENT),
        raw.total(Metric.VIEWS),
        raw.followers,
    )
    assert _table(result, "by_channel") == [
        [r.label, r.items, r.reach, r.engagement, r.followers] for r in raw.by_channel
    ]
    assert _table(result, "by_period") == [
        [b.label, b.items, b.reach, b.engagement] for b in raw.buckets
    ]
    assert differences() == []


def _more_communes(world: World, n: int) -> list[Unit]:
    return [
        Unit.objects.add_child(
            Unit.objects.get(pk=world.province.pk),
            {"name": f"Xã Thêm {i}", "kind": UnitKind.COMMUNE, "slug": f"xa-them-{i}"},
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("section", [FeedbackSection(), PublishingSection()])
def test_children_are_read_in_one_grouped_pass_that_agrees_with_each_build(
    fb: Feedback, section: Any
) -> None:
    _handled_reports(fb)
    page = Channel.objects.create(unit=fb.world.village, kind=ChannelKind.FACEBOOK, name="Thôn")
    today = timezone.localdate()
    figures_write(
        channel=page,
        figures=[FigureIn(today, Metric.REACH, "reach", 9), FigureIn(today, "followers", "f", 3)],
        source="file",
    )
    period = Period.month(today.year, today.month)

    def grouped() -> tuple[dict[int, Any], int]:
        children = list(Unit.objects.get_children(fb.world.province))
        with CaptureQueriesContext(connection) as queries:
            found = section.figures_by_unit(units=children, period=period)
        return found, len(queries)

    found, few = grouped()
    for child in Unit.objects.get_children(fb.world.province):
        built = _figures(section.build(unit=child, period=period))
        assert {f.key: f.value for f in found[child.pk]} == built
    _more_communes(fb.world, 5)
    _found, many = grouped()
    assert many == few  # the same queries for 2 children or 7


def test_the_dashboard_child_table_shows_each_childs_own_report_figures(fb: Feedback) -> None:
    _handled_reports(fb)
    today = timezone.localdate()
    period = Period.month(today.year, today.month)
    data = report_data(unit=fb.world.province, period=period)
    for row in data["children"]:
        child = Unit.objects.get(pk=row["unit"]["id"])
        alone = report_data(unit=child, period=period, children=False)
        headline = {
            f"{s['key']}.{f['key']}": f["value"] for s in alone["sections"] for f in s["figures"]
        }
        assert row["values"] == {k: headline.get(k) for k in row["values"]}
    assert sum(r["values"]["feedback.received"] for r in data["children"]) == 5


def test_the_streamed_check_finds_what_the_whole_tree_check_finds_and_repairs_it(
    world: World, sample: SampleSection
) -> None:
    day = date(2026, 3, 10)
    for unit, n in ((world.village, 3), (world.commune, 2), (world.sibling, 4)):
        sample.add(unit, day, n=n)
        sample.add(unit, day + timedelta(days=200), key="sample.answered", n=1)
    Count.objects.filter(unit=world.province, day=day).update(value=99)
    Count.objects.filter(unit=world.village, key="sample.answered").delete()
    sample.raw.append(sample.raw[0].__class__(world.sibling.pk, "sample.received", day, 1))

    def found(**how: int) -> set[tuple[int, str, date, int, int]]:
        return {
            (d.unit_id, d.key, d.day, d.counted, d.raw)
            for batch in iter_differences(**how)  # type: ignore[arg-type]
            for d in batch
        }

    whole = found(batch_units=10_000, window_days=10_000)
    assert whole == {
        (world.province.pk, "sample.received", day, 99, 10),
        (world.sibling.pk, "sample.received", day, 4, 5),
        (world.village.pk, "sample.answered", day + timedelta(days=200), 0, 1),
    }
    assert found(batch_units=1, window_days=7) == whole
    assert found(batch_units=2, window_days=30) == whole
    steps: list[tuple[int, int]] = []
    summary = check(
        repair_found=True, batch_units=1, window_days=30, progress=lambda d, t: steps.append((d, t))
    )
    assert summary.differences == 3
    assert steps[-1][0] == steps[-1][1]
    assert differences() == []
