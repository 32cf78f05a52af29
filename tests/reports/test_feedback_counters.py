"""Citizen reports feed the reports roll-ups as they arrive and move with a re-route; the
check agrees with feedback's own recount, and catches a report written past the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from caunoi.feedback import handling
from caunoi.feedback.models import Report
from caunoi.feedback.report_section import RECEIVED
from caunoi.reports import counters
from caunoi.reports.check import differences
from caunoi.reports.sections import Period
from tests.feedback.conftest import Feedback
from tests.feedback.test_intake import submit

pytestmark = pytest.mark.django_db


def _received(unit: object) -> int:
    today = timezone.localdate()
    found = counters.totals(unit=unit, period=Period(today, today), keys=[RECEIVED])  # type: ignore[arg-type]
    return found[RECEIVED]


def test_a_citizen_report_counts_up_the_tree_and_moves_with_a_reroute(fb: Feedback) -> None:
    world = fb.world
    report = submit(fb)
    assert report.unit == world.commune
    assert (_received(world.commune), _received(world.province), _received(world.sibling)) == (
        1,
        1,
        0,
    )
    handling.report_reroute(report=report, to=world.sibling, reason="Thuộc xã Tây", by=fb.handler)
    assert (_received(world.commune), _received(world.province), _received(world.sibling)) == (
        0,
        1,
        1,
    )
    assert differences() == []


def test_check_catches_a_report_written_past_the_services(fb: Feedback) -> None:
    report = submit(fb)
    Report.objects.filter(pk=report.pk).update(unit=fb.world.sibling)  # the counters never knew
    found = {(d.unit_id, d.counted, d.raw) for d in differences()}
    assert (fb.world.commune.pk, 1, 0) in found
    assert (fb.world.sibling.pk, 0, 1) in found
