"""Reads for training: who should attend a course within a unit, who completed it in a period,
completion per unit (the unit and each unit directly below it), and the report figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from caunoi.core.models import Role, Unit, User
from caunoi.core.selectors import child_list
from caunoi.training.models import Course, Participant, TrainingSession


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def courses_for(*, unit: Unit) -> QuerySet[Course]:
    """Courses that concern the unit: its own, those of units above it and of units below it."""
    paths = [str(unit.path)[: Unit.steplen * depth] for depth in range(1, unit.depth + 1)]
    return (
        Course.objects.filter(Q(unit__path__in=paths) | Q(unit__path__startswith=unit.path))
        .select_related("unit")
        .order_by("-created_at", "-id")
    )


def sessions_of(*, course: Course) -> QuerySet[TrainingSession]:
    return course.sessions.select_related("unit").order_by("starts_at", "id")


def session_detail(*, pk: int) -> TrainingSession | None:
    found: TrainingSession | None = (
        TrainingSession.objects.filter(pk=pk).select_related("unit", "course__unit").first()
    )
    return found


def participants_of(*, session: TrainingSession) -> QuerySet[Participant]:
    return session.participants.select_related("person").order_by(
        "person__full_name", "person__username"
    )


def _roles_below(unit: Unit) -> list[tuple[int, str, str]]:
    """(person, role name, unit path) for every active person's role in the unit's subtree."""
    return list(
        Role.objects.filter(unit__path__startswith=unit.path, user__is_active=True).values_list(
            "user_id", "name", "unit__path"
        )
    )


@dataclass
class CompletionRow:
    unit: Unit
    expected: int
    completed: int

    @property
    def share(self) -> float | None:
        return round(100 * self.completed / self.expected, 1) if self.expected else None


@dataclass
class Completion:
    rows: list[CompletionRow]  # the unit itself first, then each unit directly below it
    missing: list[User]  # people of the unit who should attend and have not completed
    completed_ids: set[int]


def _expected_by_path(course: Course, roles: list[tuple[int, str, str]]) -> dict[int, set[str]]:
    """Who should attend, and under which unit paths they hold roles."""
    targets = set(course.targets.values_list("person_id", flat=True))
    wanted = set(course.required_roles)
    where: dict[int, set[str]] = defaultdict(set)
    for person, name, path in roles:
        if name in wanted or person in targets:
            where[person].add(path)
    return where


def completion(*, course: Course, unit: Unit, start: date, end: date) -> Completion:
    """Completion of `course` by the staff of `unit`'s subtree over the days start..end."""
    roles = _roles_below(unit)
    expected = _expected_by_path(course, roles)
    low, high = _bounds(start, end)
    done = set(
        Participant.objects.filter(
            session__course=course,
            completed=True,
            session__starts_at__gte=low,
            session__starts_at__lt=high,
            person_id__in=list(expected),
        ).values_list("person_id", flat=True)
    )
    rows = []
    for part in [unit, *child_list(unit)]:
        prefix = str(part.path)
        people = {p for p, paths in expected.items() if any(x.startswith(prefix) for x in paths)}
        rows.append(CompletionRow(part, len(people), len(people & done)))
    missing = list(
        User.objects.filter(pk__in=set(expected) - done).order_by("full_name", "username")
    )
    return Completion(rows, missing, done)


@dataclass(frozen=True)
class TrainingFigures:
    sessions_held: int
    people_trained: int  # distinct people who attended a session of the period
    people_completed: int
    expected: int  # people who should attend, over the courses taught in the period
    completed_expected: int

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed_expected / self.expected, 1) if self.expected else None


def figures(*, unit: Unit, start: date, end: date) -> TrainingFigures:
    low, high = _bounds(start, end)
    held = TrainingSession.objects.filter(
        unit__path__startswith=unit.path, starts_at__gte=low, starts_at__lt=high
    )
    present = Participant.objects.filter(session__in=held, attended=True)
    courses = (
        courses_for(unit=unit)
        .filter(sessions__starts_at__gte=low, sessions__starts_at__lt=high)
        .distinct()
    )
    expected = completed = 0
    roles = _roles_below(unit)
    for course in courses.prefetch_related("targets"):
        wanted = _expected_by_path(course, roles)
        done = set(
            Participant.objects.filter(
                session__course=course,
                completed=True,
                session__starts_at__gte=low,
                session__starts_at__lt=high,
                person_id__in=list(wanted),
            ).values_list("person_id", flat=True)
        )
        expected += len(wanted)
        completed += len(done)
    return TrainingFigures(
        sessions_held=held.count(),
        people_trained=present.values("person_id").distinct().count(),
        people_completed=present.filter(completed=True).values("person_id").distinct().count(),
        expected=expected,
        completed_expected=completed,
    )
