"""An Open311 world: the province's categories (one with every kind of question), areas for
routing, a domain for the province and one for the first commune, and keys for both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from caunoi.feedback.models import Category, CategoryAttribute
from caunoi.open311 import services
from tests.conftest import World
from tests.feedback.conftest import IN_COMMUNE, IN_SIBLING, set_area, square

__all__ = ["IN_COMMUNE", "IN_SIBLING"]


@dataclass
class Open311:
    world: World
    roads: Category
    lighting: Category
    commune_key: str
    province_key: str
    sibling_key: str
    client: Client

    def post(self, fmt: str = "json", **fields: Any) -> Any:
        data = {
            "api_key": self.commune_key,
            "jurisdiction_id": "xadong.gov.vn",
            "service_code": "lighting",
            "lat": IN_COMMUNE[0],
            "long": IN_COMMUNE[1],
            "description": "Đèn đường trước nhà văn hóa không sáng.",
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return self.client.post(f"/open311/v2/requests.{fmt}", data, REMOTE_ADDR="203.0.113.9")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/open311/v2/{path}", params)


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    settings.CAUNOI_RATE_LIMITS = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def o311(world: World) -> Open311:
    roads = Category.objects.create(
        unit=world.province,
        code="roads",
        name="Đường sá, cầu cống",
        name_en="Roads and bridges",
        description="Ổ gà, sụt lún, cầu hỏng.",
        group="Hạ tầng",
        keywords="ổ gà, đường, cầu",
    )
    lighting = Category.objects.create(
        unit=world.province, code="lighting", name="Chiếu sáng công cộng", group="Hạ tầng"
    )
    questions = [
        (
            "size",
            "singlevaluelist",
            True,
            [{"key": "small", "name": "Nhỏ"}, {"key": "large", "name": "Lớn"}],
        ),
        ("depth", "number", False, []),
        ("seen", "datetime", False, []),
        (
            "lanes",
            "multivaluelist",
            False,
            [{"key": "left", "name": "Trái"}, {"key": "right", "name": "Phải"}],
        ),
    ]
    for order, (code, datatype, required, values) in enumerate(questions):
        CategoryAttribute.objects.create(
            category=roads,
            code=code,
            datatype=datatype,
            required=required,
            description=f"Câu hỏi {code}",
            order=order,
            values=values,
        )
    set_area(world.commune, square(21.0, 106.0, 0.3))
    set_area(world.sibling, square(21.0, 106.5, 0.3))
    services.jurisdiction_set(unit=world.province, domain="tinhthu.gov.vn", by=None)
    services.jurisdiction_set(unit=world.commune, domain="xadong.gov.vn", by=None)
    _, commune_key = services.apikey_create(unit=world.commune, name="App xã Đông", by=None)
    _, province_key = services.apikey_create(unit=world.province, name="App tỉnh", by=None)
    _, sibling_key = services.apikey_create(unit=world.sibling, name="App xã Tây", by=None)
    return Open311(world, roads, lighting, commune_key, province_key, sibling_key, Client())
