"""Counts per survey, version, unit, question and value, kept current from the answers.

Results read these counts instead of scanning every answer. Answers are folded in when results
are read: each answer not yet counted is marked and counted in the same statement (PostgreSQL)
or transaction (SQLite), so an answer is counted exactly once even when two readers fold at
the same time, and an answer committed late is still counted by the next fold. Nothing is
added to the answer path: storing an answer writes one row, as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from caunoi.surveys.models import Answer, Survey, Tally

ANSWERS = ""  # the key under which the answers themselves are counted
GIVEN = "*"  # the value counted for free text: that it was given, never what it says
CHUNK = 500


@dataclass
class Counts:
    """What the tally holds for one survey, summed the ways results need it."""

    total: int = 0
    by_version: Counter[int] = field(default_factory=Counter)  # version id -> answers
    by_unit: Counter[int] = field(default_factory=Counter)  # unit id -> answers
    # question -> unit id -> value -> answers
    values: dict[str, dict[int, Counter[str]]] = field(default_factory=dict)

    def overall(self, name: str) -> Counter[str]:
        """The values of one question over every unit."""
        found: Counter[str] = Counter()
        for per_unit in self.values.get(name, {}).values():
            found.update(per_unit)
        return found


def fold(survey: Survey, closed: Iterable[str], given: Iterable[str]) -> None:
    """Count the survey's answers not yet counted: `closed` questions by value, `given`
    (free text) only as given or not. Other keys (calculations) are not counted."""
    closed, given = list(closed), list(given)
    if connection.vendor == "postgresql":
        _fold_in_one_statement(survey, closed, given)
    else:
        _fold_in_python(survey, closed, given)


def _fold_in_one_statement(survey: Survey, closed: list[str], given: list[str]) -> None:
    quote = connection.ops.quote_name
    answers, tallies = quote(Answer._meta.db_table), quote(Tally._meta.db_table)
    values = quote("values")
    # Only quoted table and column names are formatted in; every value is a parameter.
    moved = (
        f"UPDATE {answers} SET tallied = true WHERE survey_id = %s AND NOT tallied "  # noqa: S608
        f"RETURNING version_id, unit_id, {values}"
    )
    each = " ".join(
        [
            "SELECT version_id, unit_id, pair.key AS key,",
            "CASE WHEN pair.key = ANY(%s) THEN %s ELSE pair.value END AS value, count(*) AS n",
            f"FROM moved, jsonb_each_text(moved.{values}) AS pair",
            "WHERE pair.key = ANY(%s) AND pair.value <> '' GROUP BY 1, 2, 3, 4",
        ]
    )
    whole = (
        "SELECT version_id, unit_id, %s::text AS key, %s::text AS value, count(*) AS n "
        "FROM moved GROUP BY 1, 2"
    )
    sql = " ".join(
        [
            f"WITH moved AS ({moved}), counted AS ({whole} UNION ALL {each})",
            f"INSERT INTO {tallies} (survey_id, version_id, unit_id, key, value, n)",
            "SELECT %s, version_id, unit_id, key, value, n FROM counted",
            "ON CONFLICT (survey_id, version_id, unit_id, key, value)",
            f"DO UPDATE SET n = {tallies}.n + EXCLUDED.n",
        ]
    )
    params: list[Any] = [survey.pk, ANSWERS, ANSWERS, given, GIVEN, [*closed, *given], survey.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _fold_in_python(survey: Survey, closed: list[str], given: list[str]) -> None:
    wanted, texts = set(closed) | set(given), set(given)
    with transaction.atomic():
        rows = list(
            Answer.objects.filter(survey=survey, tallied=False).values_list(
                "pk", "version_id", "unit_id", "values"
            )
        )
        if not rows:
            return
        found: Counter[tuple[int, int, str, str]] = Counter()
        for _pk, version, unit, values in rows:
            found[(version, unit, ANSWERS, ANSWERS)] += 1
            for key, value in values.items():
                if key in wanted and value not in (None, ""):
                    found[(version, unit, key, GIVEN if key in texts else str(value))] += 1
        known = {
            (t.version_id, t.unit_id, t.key, t.value): t
            for t in Tally.objects.filter(survey=survey).select_for_update()
        }
        changed, added = [], []
        for (version, unit, key, value), n in found.items():
            row = known.get((version, unit, key, value))
            if row is None:
                added.append(
                    Tally(
                        survey=survey, version_id=version, unit_id=unit, key=key, value=value, n=n
                    )
                )
            else:
                row.n += n
                changed.append(row)
        Tally.objects.bulk_create(added, batch_size=CHUNK)
        Tally.objects.bulk_update(changed, ["n"], batch_size=CHUNK)
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), CHUNK):
            Answer.objects.filter(pk__in=ids[start : start + CHUNK]).update(tallied=True)


def read(survey: Survey) -> Counts:
    counts = Counts()
    rows = Tally.objects.filter(survey=survey).values_list(
        "version_id", "unit_id", "key", "value", "n"
    )
    for version, unit, key, value, n in rows:
        if key == ANSWERS:
            counts.total += n
            counts.by_version[version] += n
            counts.by_unit[unit] += n
        else:
            counts.values.setdefault(key, {}).setdefault(unit, Counter())[value] += n
    return counts
