"""A unit administrator draws the unit's area on the map in a real browser, instead of
pasting GeoJSON; reports inside it are then routed to the unit."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caunoi.core.models import RoleName
from caunoi.feedback.models import Category, Source, UnitArea
from caunoi.feedback.routing import contains
from caunoi.feedback.services import report_submit
from tests.conftest import PASSWORD, World, make_person
from tests.e2e.test_demo_office import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def tiles(settings: Any) -> None:
    # Any same-origin image will do as a tile: the test must not reach the internet.
    settings.CAUNOI_MAP_TILES = "/static/caunoi/favicon.svg?z={z}&x={x}&y={y}"
    settings.CAUNOI_MAP_CENTER = "21.0,106.0,9"


def test_an_administrator_draws_the_area_and_reports_inside_go_to_the_unit(
    world: World, page: Page, tiles: None, artifacts: Path
) -> None:
    category = Category.objects.create(unit=world.province, code="roads", name="Đường sá")
    admin = make_person("qt.dong", world.commune, RoleName.UNIT_ADMIN)
    log_in(page, admin.username, PASSWORD)
    page.goto(f"/staff/units/{world.commune.pk}/report-settings/")
    area_map = page.get_by_test_id("area-map")
    expect(area_map.locator(".leaflet-draw-draw-polygon")).to_be_visible()
    expect(area_map.locator(".leaflet-draw-draw-polygon")).to_have_attribute(
        "title", "Vẽ vùng (đa giác)"
    )
    area_map.locator(".leaflet-draw-draw-polygon").click()
    box = area_map.bounding_box()
    assert box is not None
    corners = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]
    for fx, fy in corners:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)  # close it
    expect(page.locator("#id_a-geojson")).to_have_value(json_polygon())
    page.screenshot(path=str(artifacts / "feedback-area-drawn.png"), full_page=True)
    page.get_by_test_id("area-save").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    area = UnitArea.objects.get(unit=world.commune)
    assert area.geometry["type"] == "Polygon"
    assert len(area.geometry["coordinates"][0]) == 5
    middle_lat = (area.min_lat + area.max_lat) / 2
    middle_lon = (area.min_lon + area.max_lon) / 2
    assert contains(area.geometry, middle_lat, middle_lon)
    report = report_submit(
        category=category,
        description="Ổ gà giữa đường.",
        lat=middle_lat,
        lon=middle_lon,
        source=Source.PORTAL,
    )
    assert report.unit == world.commune

    # The saved area comes back on the map, and a second shape makes it a MultiPolygon.
    page.goto(f"/staff/units/{world.commune.pk}/report-settings/")
    expect(area_map.locator("path.leaflet-interactive")).to_have_count(1)
    area_map.locator(".leaflet-draw-draw-rectangle").click()
    box = area_map.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.05, box["y"] + box["height"] * 0.05)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.15, box["y"] + box["height"] * 0.15, steps=5)
    page.mouse.up()
    expect(area_map.locator("path.leaflet-interactive")).to_have_count(2)
    page.get_by_test_id("area-save").click()
    expect(page.locator("#id_a-geojson")).to_have_value(json_multipolygon())
    geometry = UnitArea.objects.get(unit=world.commune).geometry
    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"]) == 2


def json_polygon() -> re.Pattern[str]:
    return re.compile(r'^\{"type":"Polygon","coordinates":\[\[\[')


def json_multipolygon() -> re.Pattern[str]:
    return re.compile(r'"type": ?"MultiPolygon"')


def test_a_pasted_area_with_swapped_coordinates_is_refused_with_the_reason(
    world: World, page: Page, tiles: None
) -> None:
    admin = make_person("qt.dong", world.commune, RoleName.UNIT_ADMIN)
    log_in(page, admin.username, PASSWORD)
    page.goto(f"/staff/units/{world.commune.pk}/report-settings/")
    swapped = {
        "type": "Polygon",
        "coordinates": [[[21, 106], [21.1, 106], [21.1, 106.1], [21, 106]]],
    }
    page.locator("#id_a-geojson").fill(json.dumps(swapped))
    page.get_by_test_id("area-save").click()
    expect(page.get_by_text("có thể hai số đang bị đảo")).to_be_visible()
    assert not UnitArea.objects.filter(unit=world.commune).exists()
