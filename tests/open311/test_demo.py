"""The demo office can be tried with a 311 client at once: `caunoi demo` sets up a
jurisdiction and a key whose value it prints."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client

from caunoi.core.demo import DemoContext
from caunoi.feedback import demo as feedback_demo
from caunoi.feedback.models import Report, Source
from caunoi.open311 import demo
from caunoi.open311.models import ApiKey, Jurisdiction
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _load(world: World) -> None:
    context = DemoContext(world.province, world.commune, {}, random.Random(7), False)
    feedback_demo.load(context)
    demo.load(context)


def test_the_demo_key_files_a_report_in_the_demo_jurisdiction(world: World) -> None:
    _load(world)
    _load(world)  # idempotent: still one key, one domain
    assert ApiKey.objects.filter(name=demo.DEMO_KEY_NAME).count() == 1
    assert Jurisdiction.objects.get(unit=world.province).domain == demo.DEMO_JURISDICTION
    response: Any = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": demo.DEMO_API_KEY,
            "jurisdiction_id": demo.DEMO_JURISDICTION,
            "service_code": "lighting",
            "lat": "21.55",
            "long": "107.07",
            "description": "Đèn đường trước chợ không sáng.",
        },
        REMOTE_ADDR="203.0.113.20",
    )
    assert response.status_code == 200, response.content
    (answer,) = response.json()
    report = Report.objects.get(public_id=answer["service_request_id"])
    assert report.source == Source.OPEN311
    assert report.unit == world.commune  # routed by the demo commune's area


def test_a_wrong_demo_key_is_refused(world: World) -> None:
    _load(world)
    response: Any = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": demo.DEMO_API_KEY + "x",
            "jurisdiction_id": demo.DEMO_JURISDICTION,
            "service_code": "lighting",
            "address_string": "Chợ Đình Lập",
        },
        REMOTE_ADDR="203.0.113.21",
    )
    assert response.status_code == 403
