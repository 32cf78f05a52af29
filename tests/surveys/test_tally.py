"""The results' tally: every answer counted once, whoever reads results and however often;
its numbers agree with a count of the answers themselves."""

from __future__ import annotations

from collections import Counter

from caunoi.core.models import User
from caunoi.surveys import results, tally
from caunoi.surveys.models import Answer, Survey, Tally
from caunoi.surveys.tasks import fold_tallies
from tests.conftest import World
from tests.surveys.conftest import GOOD, answer


def _direct(survey: Survey, name: str) -> Counter[str]:
    return Counter(
        str(v[name])
        for v in Answer.objects.filter(survey=survey).values_list("values", flat=True)
        if v.get(name) not in (None, "")
    )


def test_reading_results_twice_counts_each_answer_once(survey: Survey, world: World) -> None:
    for used in ("yes", "yes", "no", "yes", "no", "yes"):
        answer(survey, world, {**GOOD, "used": [used]})
    first = results.survey_results(survey, "vi")
    again = results.survey_results(survey, "vi")
    assert first.total == again.total == 6
    assert again.counts["used"]["yes"] == 4
    assert again.counts["used"]["no"] == 2
    answer(survey, world, {**GOOD, "used": ["no"]}, unit=world.village)
    later = results.survey_results(survey, "vi")
    assert later.total == 7
    assert later.counts["used"] == Counter({"yes": 4, "no": 3, "": 0})
    assert not Answer.objects.filter(survey=survey, tallied=False).exists()


def test_the_tally_agrees_with_the_answers_and_keeps_no_free_text(
    survey: Survey, world: World
) -> None:
    for age in ("34", "35", "34", "61", "18"):
        answer(survey, world, {**GOOD, "age": [age]})
    found = results.survey_results(survey, "vi")
    for name in ("age", "used", "services", "score", "priority"):
        assert found.counts[name] - Counter({"": found.counts[name][""]}) == _direct(survey, name)
    assert found.counts["comment"] == Counter({tally.GIVEN: 5, "": 0})
    assert not Tally.objects.filter(value__contains="0912").exists()


def test_the_worker_counts_new_answers_before_anyone_reads_results(
    survey: Survey, world: World, officer: User
) -> None:
    for _ in range(3):
        answer(survey, world)
    assert fold_tallies.call(False) == 1
    assert not Answer.objects.filter(tallied=False).exists()
    assert tally.read(survey).total == 3
    assert fold_tallies.call(False) == 0
