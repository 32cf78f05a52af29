from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caunoi.feedback.duplicates import suggest_duplicates
from caunoi.feedback.models import Report
from tests.feedback.conftest import IN_COMMUNE, Feedback
from tests.feedback.test_intake import submit

pytestmark = pytest.mark.django_db


def test_a_similar_report_nearby_in_the_same_category_is_suggested(fb: Feedback) -> None:
    earlier = submit(fb, description="Đèn đường hỏng trước nhà văn hóa thôn")
    submit(fb, description="Đèn đường hỏng", lat=IN_COMMUNE[0] + 0.05)  # 5 km away
    submit(fb, category=fb.roads, description="Đèn đường hỏng", attributes={"size": "small"})
    found = suggest_duplicates(
        category=fb.lighting,
        description="den duong truoc nha van hoa bi hong",
        lat=IN_COMMUNE[0] + 0.0005,
        lon=IN_COMMUNE[1],
    )
    assert [s.report for s in found] == [earlier]
    assert found[0].distance_m is not None
    assert found[0].distance_m < 100


def test_reports_older_than_thirty_days_are_not_suggested(fb: Feedback) -> None:
    old = submit(fb, description="Đèn đường hỏng trước nhà văn hóa")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    found = suggest_duplicates(
        category=fb.lighting, description="Đèn đường hỏng", lat=IN_COMMUNE[0], lon=IN_COMMUNE[1]
    )
    assert found == []


def test_the_whole_radius_counts_east_west_and_north_south(fb: Feedback) -> None:
    import math

    lat, lon = IN_COMMUNE
    east = 240 / (111_320 * math.cos(math.radians(lat)))  # 240 m, inside the 250 m radius
    north = 240 / 111_320
    inside = [
        submit(fb, description="Đèn đường hỏng", lat=lat, lon=lon + east),
        submit(fb, description="Đèn đường hỏng", lat=lat - north, lon=lon),
    ]
    submit(fb, description="Đèn đường hỏng", lat=lat, lon=lon + east * 300 / 240)  # 300 m
    found = suggest_duplicates(category=fb.lighting, description="Đèn đường hỏng", lat=lat, lon=lon)
    assert sorted(s.report.pk for s in found) == sorted(r.pk for r in inside)
    assert all(235 < (s.distance_m or 0) < 245 for s in found)
