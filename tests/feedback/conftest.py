"""Categories and areas on the shared test world: the province defines the categories, both
communes have a square area, the village a smaller square inside its commune."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from caunoi.core.models import RoleName, User
from caunoi.feedback.models import Category, CategoryAttribute, UnitArea
from caunoi.feedback.routing import bounds
from tests.conftest import World, make_person


def square(lat: float, lon: float, size: float) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def set_area(unit: object, geometry: dict[str, object], handles: bool = True) -> UnitArea:
    min_lat, max_lat, min_lon, max_lon = bounds(geometry)
    return UnitArea.objects.create(
        unit=unit,
        geometry=geometry,
        min_lat=min_lat,
        max_lat=max_lat,
        min_lon=min_lon,
        max_lon=max_lon,
        handles_reports=handles,
    )


# Points: inside the commune (and not the village), inside the village, inside the sibling.
IN_COMMUNE = (21.05, 106.05)
IN_VILLAGE = (21.15, 106.15)
IN_SIBLING = (21.05, 106.55)


@dataclass
class Feedback:
    world: World
    roads: Category
    lighting: Category
    handler: User  # case handler of the commune
    sibling_handler: User


@pytest.fixture
def fb(world: World) -> Feedback:
    roads = Category.objects.create(unit=world.province, code="roads", name="Đường sá, cầu cống")
    lighting = Category.objects.create(
        unit=world.province, code="lighting", name="Chiếu sáng công cộng"
    )
    CategoryAttribute.objects.create(
        category=roads,
        code="size",
        datatype="singlevaluelist",
        required=True,
        description="Ổ gà lớn cỡ nào?",
        values=[{"key": "small", "name": "Nhỏ"}, {"key": "large", "name": "Lớn"}],
    )
    CategoryAttribute.objects.create(
        category=roads, code="depth", datatype="number", description="Sâu bao nhiêu cm?"
    )
    set_area(world.commune, square(21.0, 106.0, 0.3))
    set_area(world.village, square(21.1, 106.1, 0.1))
    set_area(world.sibling, square(21.0, 106.5, 0.3))
    return Feedback(
        world,
        roads,
        lighting,
        make_person("xuly.dong", world.commune, RoleName.CASE_HANDLER),
        make_person("xuly.tay", world.sibling, RoleName.CASE_HANDLER),
    )


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
