from __future__ import annotations

from datetime import date

import pytest

from caunoi.cli import main
from caunoi.reports import counters
from caunoi.reports.check import differences
from caunoi.reports.models import Count
from caunoi.reports.sections import Period, PeriodError
from tests.conftest import World
from tests.reports.conftest import SampleSection

pytestmark = pytest.mark.django_db


def test_a_period_that_ends_before_it_starts_says_so() -> None:
    with pytest.raises(PeriodError, match="2026-03-01"):
        Period(date(2026, 3, 5), date(2026, 3, 1))


def test_a_quarter_compares_with_the_previous_quarter_and_the_same_quarter_last_year() -> None:
    q1 = Period.quarter(2026, 1)
    assert q1.previous() == Period.quarter(2025, 4)
    assert q1.same_last_year() == Period.quarter(2025, 1)
    assert Period.half(2026, 1).previous() == Period.half(2025, 2)


def test_a_count_in_a_village_counts_in_its_commune_and_province_not_beside_them(
    world: World, sample: SampleSection
) -> None:
    sample.add(world.village, date(2026, 2, 3), n=4)
    sample.add(world.sibling, date(2026, 2, 3))
    q1 = Period.quarter(2026, 1)
    keys = ["sample.received"]
    assert counters.totals(unit=world.province, period=q1, keys=keys)["sample.received"] == 5
    assert counters.totals(unit=world.commune, period=q1, keys=keys)["sample.received"] == 4
    assert counters.totals(unit=world.sibling, period=q1, keys=keys)["sample.received"] == 1
    assert counters.totals(unit=world.other_province, period=q1, keys=keys) == {
        "sample.received": 0
    }
    by_unit = counters.totals_by_unit(units=[world.commune, world.sibling], period=q1, keys=keys)
    assert by_unit == {
        world.commune.pk: {"sample.received": 4},
        world.sibling.pk: {"sample.received": 1},
    }


def test_taking_a_count_back_lowers_every_level(world: World, sample: SampleSection) -> None:
    sample.add(world.village, date(2026, 2, 3), n=2)
    sample.add(world.village, date(2026, 2, 3), n=-1)
    q1 = Period.quarter(2026, 1)
    assert counters.totals(unit=world.province, period=q1, keys=["sample.received"]) == {
        "sample.received": 1
    }


def test_check_agrees_when_counters_follow_the_raw_data(
    world: World, sample: SampleSection, capsys: pytest.CaptureFixture[str]
) -> None:
    sample.add(world.village, date(2026, 1, 9), n=3)
    sample.add(world.sibling, date(2026, 3, 1), "sample.answered")
    assert differences() == []
    assert main(["reports", "check"]) == 0
    shown = capsys.readouterr()
    assert "agree" in shown.out
    assert "checking [##############################] 100%" in shown.err  # the progress bar
    assert main(["reports", "check", "--quiet"]) == 0
    assert "checking" not in capsys.readouterr().err


def test_check_catches_a_counter_that_disagrees_with_the_raw_data_and_repairs_it(
    world: World, sample: SampleSection, capsys: pytest.CaptureFixture[str]
) -> None:
    sample.add(world.village, date(2026, 1, 9), n=3)
    # A write that skipped the counters: the raw data has a row the roll-ups never saw.
    sample.raw.append(type(sample.raw[0])(world.sibling.pk, "sample.received", date(2026, 1, 9), 2))
    Count.objects.filter(unit=world.commune).update(value=7)

    found = {(d.unit_id, d.counted, d.raw) for d in differences()}
    assert found == {
        (world.commune.pk, 7, 3),
        (world.sibling.pk, 0, 2),
        (world.province.pk, 3, 5),
    }
    assert main(["reports", "check"]) == 1
    assert "3 counters disagree" in capsys.readouterr().out
    assert main(["reports", "check", "--repair"]) == 0
    assert differences() == []


def test_check_refuses_an_until_before_since(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["reports", "check", "--since", "2026-02-01", "--until", "2026-01-01"])
    assert "before --since" in capsys.readouterr().err
