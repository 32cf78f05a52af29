"""Which unit answers a report: the lowest unit whose area contains the place and that handles
the category; without a place, the nearest unit at or above the one the citizen picked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from caunoi.core import memo
from caunoi.core.models import Unit
from caunoi.feedback.models import Category, UnitArea

GRID = 0.01  # degrees (about 1.1 km): cells for finding nearby reports through an index


def cell_of(lat: float | None, lon: float | None) -> int | None:
    if lat is None or lon is None:
        return None
    return int((lat + 90) / GRID) * 100_000 + int((lon + 180) / GRID)


def cells_around(lat: float, lon: float) -> list[int]:
    """The cell of the point and its eight neighbours (a radius under one cell is covered)."""
    row, col = int((lat + 90) / GRID), int((lon + 180) / GRID)
    return [(row + dr) * 100_000 + (col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)]


def _ring_contains(ring: list[list[float]], lon: float, lat: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _polygon_contains(rings: list[list[list[float]]], lon: float, lat: float) -> bool:
    if not rings or not _ring_contains(rings[0], lon, lat):
        return False
    return not any(_ring_contains(hole, lon, lat) for hole in rings[1:])


def contains(geometry: dict[str, Any], lat: float, lon: float) -> bool:
    """Does a GeoJSON Polygon, MultiPolygon or Feature contain the point?"""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return _polygon_contains(coordinates, lon, lat)
    if kind == "MultiPolygon":
        return any(_polygon_contains(polygon, lon, lat) for polygon in coordinates)
    return False


def bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a Polygon or MultiPolygon."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    points = [p for polygon in polygons for ring in polygon for p in ring]
    if not points:
        raise ValueError("empty geometry")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lats), max(lats), min(lons), max(lons)


def _handles(unit: Unit, category: Category, handling: set[int]) -> bool:
    return unit.pk == category.unit_id or unit.pk in handling


def _areas_of(scope: str) -> list[UnitArea]:
    """Every area that takes reports in the subtree, the deepest units first."""
    return list(
        UnitArea.objects.filter(unit__path__startswith=scope, handles_reports=True)
        .select_related("unit")
        .order_by("-unit__depth", "id")
    )


def _areas_at(
    scope: str, lat: float, lon: float, settings: memo.Snapshot | None
) -> Iterable[UnitArea]:
    """The subtree's areas whose bounding box holds the point, the deepest units first."""
    if settings is None:
        return (
            UnitArea.objects.filter(
                unit__path__startswith=scope,
                handles_reports=True,
                min_lat__lte=lat,
                max_lat__gte=lat,
                min_lon__lte=lon,
                max_lon__gte=lon,
            )
            .select_related("unit")
            .order_by("-unit__depth", "id")
        )
    every = settings.get(("areas", scope), lambda: _areas_of(scope))
    return (a for a in every if a.min_lat <= lat <= a.max_lat and a.min_lon <= lon <= a.max_lon)


def route(
    *,
    category: Category,
    lat: float | None,
    lon: float | None,
    picked: Unit | None,
    settings: memo.Snapshot | None = None,
) -> Unit:
    """The responsible unit. Always within the category's subtree; its owner as a last resort.
    With `settings` (a memo snapshot) the areas come from memory instead of a query."""
    owner = category.unit
    scope = str(owner.path)
    if lat is not None and lon is not None:
        for area in _areas_at(scope, lat, lon, settings):
            if contains(area.geometry, lat, lon):
                return area.unit
    if picked is not None and str(picked.path).startswith(scope):
        handling = set(
            UnitArea.objects.filter(unit__path__startswith=scope, handles_reports=True).values_list(
                "unit_id", flat=True
            )
        )
        chain = [*Unit.objects.get_ancestors(picked), picked]
        for unit in reversed(chain):
            if str(unit.path).startswith(scope) and _handles(unit, category, handling):
                return unit
    return owner
