"""The demo's three surveys: believable answers, idempotent, one showing merged small groups."""

from __future__ import annotations

import random

from caunoi.core.demo import DemoContext
from caunoi.core.models import Unit, UnitKind
from caunoi.surveys import demo, results
from caunoi.surveys.models import Answer, Survey
from tests.conftest import World


def _context(world: World) -> DemoContext:
    for n in range(2, 12):
        Unit.objects.add_child(
            Unit.objects.get(pk=world.province.pk),
            {"name": f"Xã {n}", "kind": UnitKind.COMMUNE, "slug": f"xa-{n}"},
        )
    world.refresh()
    places = {"province": world.province, "commune": world.commune}
    return DemoContext(world.province, world.commune, places, random.Random(1), False)


def test_the_demo_adds_three_surveys_once(world: World) -> None:
    context = _context(world)
    demo.load(context)
    assert Survey.objects.count() == 3
    answers = Answer.objects.count()
    assert answers > 300
    demo.load(context)
    assert Survey.objects.count() == 3
    assert Answer.objects.count() == answers


def test_the_health_survey_merges_communes_with_too_few_answers(world: World) -> None:
    demo.load(_context(world))
    health = Survey.objects.get(title__startswith="Tiếp cận dịch vụ y tế")
    table = results.crosstab(health, "insured", results.BY_UNIT, "vi")
    assert table is not None
    assert table.merged_note
    assert any(column.startswith("Gộp:") for column in table.columns)
    for row in table.cells:
        assert all(n == 0 or n >= health.k for n in row)
