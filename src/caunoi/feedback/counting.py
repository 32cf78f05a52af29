"""What one citizen report adds to the reports roll-up counters, and keeping them current.

Every figure of the periodic report's feedback section is a sum of these contributions over
the reports received in the period (counted on the local day the report arrived, in the unit
that holds it and every unit above). When a report changes (answered, re-routed, marked as a
complaint, reopened with a new deadline), `counted_save` moves the counters by the difference
between its contribution before and after, in the same transaction as the save.

Answer times are counted per tenth of a working day ("feedback.days.37" = 3.7 days, and per
category "feedback.category.<id>.days.37") so medians can be read back from the counters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.feedback.models import LegalKind, Report
from caunoi.reports import counters

PREFIX = "feedback."
RECEIVED = "feedback.received"  # every report, complaints and denunciations included
COMPLAINTS = "feedback.complaints"
DENUNCIATIONS = "feedback.denunciations"
ANSWERED = "feedback.answered"
ON_TIME = "feedback.on_time"
REOPENED = "feedback.reopened"
CATEGORY = "feedback.category."  # + "<id>.received|answered|on_time", "<id>.days.<tenths>"
DAYS = "feedback.days."  # + tenths of a working day

# The columns `contribution` reads: a recount asks the database for these only.
FIELDS = (
    "unit_id",
    "category_id",
    "created_at",
    "legal_kind",
    "answered_at",
    "deadline",
    "working_days_to_answer",
    "reopened",
)


def tenths(days: float) -> int:
    return int(days * 10 + 0.5) if days >= 0 else -int(-days * 10 + 0.5)


def keys_of(
    *,
    category_id: int,
    legal_kind: str,
    answered_at: datetime | None,
    deadline: datetime | None,
    working_days: float | None,
    reopened: int,
) -> list[str]:
    """The counter keys one report adds 1 to."""
    found = [RECEIVED]
    if legal_kind == LegalKind.COMPLAINT:
        return [*found, COMPLAINTS]
    if legal_kind == LegalKind.DENUNCIATION:
        return [*found, DENUNCIATIONS]
    category = f"{CATEGORY}{category_id}."
    found.append(category + "received")
    if answered_at is not None:
        found += [ANSWERED, category + "answered"]
        if deadline is not None and answered_at <= deadline:
            found += [ON_TIME, category + "on_time"]
        if working_days is not None:
            found += [f"{DAYS}{tenths(working_days)}", f"{category}days.{tenths(working_days)}"]
    if reopened:
        found.append(REOPENED)
    return found


def contribution(values: dict[str, Any] | Report) -> tuple[int, date, list[str]]:
    """(unit id, day of arrival, keys) of one report, from the model or a `FIELDS` row."""

    def get(name: str) -> Any:
        return values[name] if isinstance(values, dict) else getattr(values, name)

    day = timezone.localdate(get("created_at"))
    keys = keys_of(
        category_id=get("category_id"),
        legal_kind=get("legal_kind"),
        answered_at=get("answered_at"),
        deadline=get("deadline"),
        working_days=get("working_days_to_answer"),
        reopened=get("reopened"),
    )
    return get("unit_id"), day, keys


def _as_rows(sign: int, found: tuple[int, date, list[str]]) -> Counter[tuple[int, str, date]]:
    unit_id, day, keys = found
    return Counter({(unit_id, key, day): sign for key in keys})


def count_new(reports: Iterable[Report], *, chains: Mapping[int, list[int]] | None = None) -> None:
    """Count reports that have just been created. With `chains` (counters.ancestor_ids of
    their units, remembered by the caller) no unit is read from the database."""
    with connection.cursor() as cursor:
        for sql, params in new_count_statements(reports, chains=chains):
            cursor.execute(sql, params)


def new_count_statements(
    reports: Iterable[Report], *, chains: Mapping[int, list[int]] | None = None
) -> list[tuple[str, list[Any]]]:
    """What `count_new` runs, for a caller that sends it with its own statement."""
    moves: Counter[tuple[int, str, date]] = Counter()
    units: dict[int, Unit] = {}
    for report in reports:
        counted = contribution(report)
        moves.update(_as_rows(1, counted))
        report._counted = counted  # type: ignore[attr-defined]
        units[report.unit_id] = report.unit
    return _statements(moves, units=units if chains is not None else None, chains=chains)


def remember(report: Report) -> Report:
    """Note what the report counts for now (call on the row as read, before changing it)."""
    report._counted = contribution(report)  # type: ignore[attr-defined]
    return report


def counted_save(report: Report, **save: Any) -> None:
    """Save the report and move the counters by what the change does to its contribution."""
    before = getattr(report, "_counted", None)
    if before is None:
        before = contribution(Report.objects.only(*FIELDS).get(pk=report.pk))
    report.save(**save)
    after = contribution(report)
    moves = _as_rows(1, after)
    moves.subtract(_as_rows(1, before))
    _apply(moves)
    report._counted = after  # type: ignore[attr-defined]


def _apply(moves: Counter[tuple[int, str, date]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in _statements(moves):
            cursor.execute(sql, params)


def _statements(
    moves: Counter[tuple[int, str, date]],
    *,
    units: Mapping[int, Unit] | None = None,
    chains: Mapping[int, list[int]] | None = None,
) -> list[tuple[str, list[Any]]]:
    wanted = {(u, k, d): n for (u, k, d), n in moves.items() if n}
    if not wanted:
        return []
    if units is None or any(u not in units for u, _k, _d in wanted):
        units = Unit.objects.in_bulk({u for u, _k, _d in wanted})
    rows = [(units[u], k, d, n) for (u, k, d), n in wanted.items()]
    return counters.count_statements(rows, chains=chains)
