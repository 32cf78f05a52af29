"""Reach and engagement figures feed the reports roll-ups when they are written; a re-import
that replaces a day's figure moves the counters by the difference."""

from __future__ import annotations

from datetime import date

import pytest

from caunoi.channels.models import Channel, ChannelKind
from caunoi.metrics.models import ChannelFigure, Metric
from caunoi.metrics.services import FigureIn, figures_write
from caunoi.reports import counters
from caunoi.reports.check import differences
from caunoi.reports.sections import Period
from tests.conftest import World

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
KEY = "metrics.facebook.reach"


def _reach(unit: object) -> int:
    found = counters.totals(unit=unit, period=Period.month(2026, 2), keys=[KEY])  # type: ignore[arg-type]
    return found[KEY]


def test_reach_counts_up_the_tree_and_a_reimport_replaces_it(world: World) -> None:
    page = Channel.objects.create(unit=world.village, kind=ChannelKind.FACEBOOK, name="Thôn Một")
    figures_write(channel=page, figures=[FigureIn(DAY, Metric.REACH, "reach", 100)], source="csv")
    assert (_reach(world.village), _reach(world.commune), _reach(world.province)) == (100, 100, 100)
    figures_write(channel=page, figures=[FigureIn(DAY, Metric.REACH, "reach", 70)], source="csv")
    assert (_reach(world.commune), _reach(world.province), _reach(world.sibling)) == (70, 70, 0)
    assert differences() == []

    ChannelFigure.objects.filter(channel=page).update(value=75)  # written past the service
    assert {(d.unit_id, d.counted, d.raw) for d in differences()} == {
        (world.village.pk, 70, 75),
        (world.commune.pk, 70, 75),
        (world.province.pk, 70, 75),
    }
