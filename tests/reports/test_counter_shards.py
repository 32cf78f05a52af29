"""Counters written from several connections land in several shards; every reader, the check
and its repair see their sum, and the fold merges past days into one row each."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from caunoi.reports import counters
from caunoi.reports.check import differences, repair
from caunoi.reports.models import Count
from caunoi.reports.sections import Period
from tests.conftest import World
from tests.reports.conftest import SampleSection

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 3)
TODAY = date(2026, 2, 10)
Q1 = Period.quarter(2026, 1)
KEY = "sample.received"


def _from_shards(
    sample: SampleSection,
    monkeypatch: pytest.MonkeyPatch,
    unit: object,
    day: date,
    shards: list[int],
) -> None:
    """One count from each shard, as if each came from a different server connection."""
    for number in shards:
        monkeypatch.setattr(counters, "shard", lambda number=number: number)
        sample.add(unit, day)  # type: ignore[arg-type]


def test_every_reader_sums_the_shards(
    world: World, sample: SampleSection, monkeypatch: pytest.MonkeyPatch
) -> None:
    _from_shards(sample, monkeypatch, world.village, DAY, [0, 3, 3, 17])
    _from_shards(sample, monkeypatch, world.sibling, TODAY, [5])
    assert Count.objects.filter(unit=world.village, key=KEY).count() == 3
    province = world.province
    assert counters.totals(unit=province, period=Q1, keys=[KEY]) == {KEY: 5}
    assert counters.totals_by_unit(units=[world.commune], period=Q1, keys=[KEY]) == {
        world.commune.pk: {KEY: 4}
    }
    assert counters.monthly(unit=province, period=Q1, keys=[KEY])["2026-02"][KEY] == 5
    assert counters.by_key(units=[province], period=Q1, prefixes=("sample.",)) == {
        province.pk: {KEY: 5}
    }
    assert counters.by_day(unit=province, period=Q1, keys=[KEY]) == {KEY: {DAY: 4, TODAY: 1}}


def test_the_check_and_its_repair_count_a_counter_as_the_sum_of_its_shards(
    world: World, sample: SampleSection, monkeypatch: pytest.MonkeyPatch
) -> None:
    _from_shards(sample, monkeypatch, world.village, DAY, [1, 2, 2])
    assert differences() == []
    Count.objects.filter(unit=world.commune, shard=2).update(value=7)
    found = differences()
    assert [(d.unit_id, d.counted, d.raw) for d in found] == [(world.commune.pk, 8, 3)]
    repair(found)
    assert differences() == []
    assert counters.totals(unit=world.commune, period=Q1, keys=[KEY]) == {KEY: 3}


def test_the_fold_merges_past_days_into_shard_0_and_leaves_today_alone(
    world: World, sample: SampleSection, monkeypatch: pytest.MonkeyPatch
) -> None:
    _from_shards(sample, monkeypatch, world.village, DAY, [0, 4, 9, 9])
    _from_shards(sample, monkeypatch, world.village, TODAY, [4, 9])
    before = counters.by_day(unit=world.province, period=Q1, keys=[KEY])

    assert counters.fold(before=TODAY) == 2 * 3  # shards 4 and 9 of DAY, for 3 units

    rows = Count.objects.filter(unit=world.village, key=KEY)
    assert sorted(rows.values_list("day", "shard", "value")) == [
        (DAY, 0, 4),
        (TODAY, 4, 1),
        (TODAY, 9, 1),
    ]
    assert counters.by_day(unit=world.province, period=Q1, keys=[KEY]) == before
    assert differences() == []
    assert counters.fold(before=TODAY) == 0


def test_a_postgresql_connection_writes_to_its_own_shard(world: World) -> None:
    if connection.vendor != "postgresql":
        assert counters.shard() == 0
        return
    connection.ensure_connection()
    expected = connection.connection.info.backend_pid % counters.SHARDS
    assert counters.shard() == expected
    counters.count(unit=world.village, key=KEY, day=DAY)
    assert set(Count.objects.filter(key=KEY).values_list("shard", flat=True)) == {expected}


def test_any_key_is_counted_as_written(world: World) -> None:
    # Keys travel to PostgreSQL inside an array literal: quotes, commas, braces and
    # backslashes must arrive as they are.
    odd = ['sample."quoted"', "sample.a,b", "sample.{braces}", "sample.back\\slash", "sample. s"]
    counters.count_many([(world.commune, key, DAY, 2) for key in odd])
    counters.count_many([(world.commune, key, DAY, 1) for key in odd])
    stored = {
        key: sum(Count.objects.filter(unit=world.commune, key=key).values_list("value", flat=True))
        for key in odd
    }
    assert stored == dict.fromkeys(odd, 3)
