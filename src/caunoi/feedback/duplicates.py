"""Likely duplicates: the same category, near the same place, with similar words, open or
closed in the last 30 days. One index (category, grid cell, created_at) finds the candidates;
distance and word overlap are scored in Python on those few rows."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.core.text import fold
from caunoi.feedback.models import Category, Report
from caunoi.feedback.routing import cells_around

RADIUS_M = 250
WINDOW = timedelta(days=30)
MIN_SIMILARITY = 0.2
CLOSE_M = 40  # this close, the same category is enough
CANDIDATES = 400
_WORD = re.compile(r"\w{2,}")
_M_PER_DEGREE = 111_000  # of latitude, rounded down so the box is never smaller than the circle


@dataclass(frozen=True)
class Suggestion:
    report: Report
    distance_m: float | None
    similarity: float

    @property
    def score(self) -> float:
        nearness = 0.0 if self.distance_m is None else 1 - self.distance_m / RADIUS_M
        return self.similarity + 0.5 * nearness


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(text)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def candidates(
    *,
    category: Category,
    lat: float | None = None,
    lon: float | None = None,
    unit: Unit | None = None,
    exclude: Report | None = None,
) -> QuerySet[Report] | None:
    """The one query behind a suggestion (None when there is neither a place nor a unit)."""
    since = timezone.now() - WINDOW
    rows = Report.objects.filter(category=category, created_at__gte=since, duplicate_of=None)
    if lat is not None and lon is not None:
        # The nine cells find the rows through the index; the box around the radius keeps
        # the rows sent back and scored to the few that can be near enough.
        dlat = RADIUS_M / _M_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        rows = rows.filter(
            cell__in=cells_around(lat, lon),
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        )
    elif unit is not None:
        rows = rows.filter(unit=unit)
    else:
        return None
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.only(
        "id", "public_id", "lat", "lon", "folded", "status", "created_at", "category_id"
    ).order_by("-created_at")[:CANDIDATES]


def suggest_duplicates(
    *,
    category: Category,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    unit: Unit | None = None,
    exclude: Report | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    rows = candidates(category=category, lat=lat, lon=lon, unit=unit, exclude=exclude)
    if rows is None:
        return []
    mine = words(description)
    found = []
    for report in rows:
        distance = None
        if (
            lat is not None
            and lon is not None
            and report.lat is not None
            and report.lon is not None
        ):
            distance = distance_m(lat, lon, report.lat, report.lon)
            if distance > RADIUS_M:
                continue
        alike = similarity(mine, frozenset(_WORD.findall(report.folded)))
        if alike >= MIN_SIMILARITY or (distance is not None and distance <= CLOSE_M):
            found.append(Suggestion(report, distance, round(alike, 2)))
    found.sort(key=lambda s: -s.score)
    return found[:limit]
