from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from caunoi.channels.models import Channel, ChannelHealth, ChannelKind
from caunoi.core.models import AuditEntry
from caunoi.metrics.models import ChannelFigure, InsightsPull, PostFigure
from caunoi.metrics.pull import insights_pull
from tests.conftest import World
from tests.metrics.graph_server import TOKEN, Graph, graph_server

TODAY = date(2026, 3, 10)


@pytest.fixture
def graph() -> Iterator[Graph]:
    with graph_server() as running:
        yield running


def _pull(page: Channel, graph: Graph, token: str = TOKEN) -> InsightsPull:
    return insights_pull(
        channel=page, page_id=graph.page_id, token=token, base=graph.url, today=TODAY
    )


def test_a_pull_stores_the_pages_days_and_its_posts_with_graphs_metric_names(
    page: Channel, graph: Graph
) -> None:
    run = _pull(page, graph)
    assert run.ok, run.error
    reach = ChannelFigure.objects.get(channel=page, day=date(2026, 3, 5), metric="reach")
    assert reach.value == 305
    assert reach.raw_name == "page_impressions_unique"
    assert (
        ChannelFigure.objects.get(channel=page, day=date(2026, 3, 5), metric="reactions").value
        == 12
    )
    assert ChannelFigure.objects.filter(channel=page, metric="reach").count() == 90
    assert ChannelFigure.objects.get(day=date(2026, 3, 9), metric="followers").value == 3309
    post = {f.metric: f for f in PostFigure.objects.filter(post__external_id="1001_501")}
    assert post["reach"].value == 1200
    assert post["reactions"].value == 31
    assert post["comments"].value == 7
    assert post["engagement"].value == 31 + 7 + 3 + 30
    assert {f.day for f in post.values()} == {date(2026, 3, 2)}


def test_a_removed_metric_is_dropped_and_recorded_and_the_rest_still_arrives(
    page: Channel, graph: Graph
) -> None:
    graph.removed = {"page_impressions", "page_fans", "post_impressions"}
    run = _pull(page, graph)
    assert run.ok
    assert sorted(run.dropped) == ["page_fans", "page_impressions", "post_impressions"]
    assert ChannelFigure.objects.filter(channel=page, metric="reach").count() == 90
    assert ChannelFigure.objects.filter(channel=page, metric="followers").exists()
    asked_before = len(graph.requests)
    _pull(page, graph)
    later = graph.requests[asked_before:]
    assert all("page_fans" not in r.get("metric", "") for r in later)
    assert all("post_impressions," not in r.get("metric", "") + "," for r in later)


def test_a_removed_metric_named_by_graph_is_dropped_without_asking_one_by_one(
    page: Channel, graph: Graph
) -> None:
    graph.removed = {"page_fans"}
    graph.names_removed_metric = True
    run = _pull(page, graph)
    assert run.dropped == ["page_fans"]
    insight_calls = [r for r in graph.requests if r["path"].endswith(f"{graph.page_id}/insights")]
    assert len(insight_calls) == 2


def test_an_expired_token_fails_the_pull_writes_nothing_and_says_why(
    page: Channel, graph: Graph
) -> None:
    run = _pull(page, graph, token="expired")
    assert not run.ok
    assert "expired" in run.error
    assert not ChannelFigure.objects.exists()
    assert AuditEntry.objects.filter(action="caunoi.metrics.pull_failed").exists()


def test_pulling_again_replaces_the_overlapping_days_instead_of_adding(
    page: Channel, graph: Graph
) -> None:
    _pull(page, graph)
    _pull(page, graph)
    assert ChannelFigure.objects.filter(channel=page, metric="reach").count() == 90
    second = InsightsPull.objects.order_by("-id").first()
    assert second is not None
    asked = [r for r in graph.requests if r.get("period") == "day"][-1]
    assert asked["since"] == str(TODAY - timedelta(days=7))


def test_an_unreachable_platform_is_recorded_as_a_failed_pull(page: Channel) -> None:
    run = insights_pull(
        channel=page, page_id="1", token=TOKEN, base="http://127.0.0.1:9/v21.0", today=TODAY
    )
    assert not run.ok
    assert "cannot reach" in run.error


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_pull_runs_on_the_worker_and_queues_its_next_run() -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from caunoi.metrics.tasks import pull_connected_pages, schedule_ensure
    from tests.worker import run_worker

    assert schedule_ensure(delay=timedelta(0))
    assert not schedule_ensure(delay=timedelta(0))
    run_worker()
    results = DBTaskResult.objects.filter(task_path=pull_connected_pages.module_path)
    assert results.filter(status="SUCCESSFUL").count() == 1
    (waiting,) = results.filter(status="READY")
    assert waiting.run_after > timezone.now() + timedelta(hours=5)
    assert not schedule_ensure()


@pytest.mark.django_db(transaction=True)
def test_the_worker_pulls_every_connected_page_with_its_own_encrypted_token(
    world: World, graph: Graph, settings: Any
) -> None:
    from caunoi.metrics.tasks import pull_connected_pages
    from tests.worker import run_worker

    settings.CAUNOI_FACEBOOK_GRAPH_URL = graph.url
    connected = Channel(
        unit=world.commune, kind=ChannelKind.FACEBOOK, name="Trang xã", account_id=graph.page_id
    )
    connected.set_secrets({"page_token": TOKEN})
    connected.save()
    Channel.objects.create(unit=world.sibling, kind=ChannelKind.FACEBOOK, name="Chưa kết nối")
    pull_connected_pages.enqueue()
    run_worker()
    (run,) = InsightsPull.objects.all()
    assert run.ok, run.error
    assert run.channel_id == connected.pk
    assert ChannelFigure.objects.filter(channel=connected, metric="reach").exists()
    assert all(r["access_token"] == TOKEN for r in graph.requests)


def test_a_token_graph_no_longer_accepts_flags_the_channel_for_its_admins(
    page: Channel, graph: Graph
) -> None:
    _pull(page, graph, token="expired")
    page.refresh_from_db()
    assert page.health == ChannelHealth.NEEDS_CREDENTIALS
    assert "expired" in page.flag_reason
