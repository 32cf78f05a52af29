"""Writes for training: courses and who should attend, sessions, participants, attendance and
completion. Atomic, permission-checked (TRAINING_MANAGE) and audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import RoleName, Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.selectors import people_in
from caunoi.training.models import Course, CourseTarget, Participant, TrainingSession


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    unknown = [r for r in chosen if r not in RoleName.values]
    if unknown:
        raise CaunoiError(_("Vai trò không hợp lệ: %(roles)s.") % {"roles": ", ".join(unknown)})
    return chosen


@transaction.atomic
def course_create(
    *, unit: Unit, by: User, topic: str, description: str = "", required_roles: Iterable[str] = ()
) -> Course:
    require(by, Action.TRAINING_MANAGE, unit)
    topic = " ".join(topic.split())
    if not topic:
        raise CaunoiError(_("Hãy nhập chủ đề khoá tập huấn."))
    course = Course.objects.create(
        unit=unit,
        topic=topic,
        description=description.strip(),
        required_roles=_clean_roles(required_roles),
        created_by=by,
    )
    audit.record(
        "caunoi.training.course.created",
        actor=by,
        unit=unit,
        obj=course,
        changes={"required_roles": course.required_roles},
    )
    return course


@transaction.atomic
def course_update(
    *, course: Course, by: User, topic: str, description: str, required_roles: Iterable[str]
) -> Course:
    require(by, Action.TRAINING_MANAGE, course.unit)
    topic = " ".join(topic.split())
    if not topic:
        raise CaunoiError(_("Hãy nhập chủ đề khoá tập huấn."))
    after = {
        "topic": topic,
        "description": description.strip(),
        "required_roles": _clean_roles(required_roles),
    }
    before = {key: getattr(course, key) for key in after}
    for key, value in after.items():
        setattr(course, key, value)
    course.save()
    audit.record(
        "caunoi.training.course.changed",
        actor=by,
        unit=course.unit,
        obj=course,
        changes=audit.diff(before, after),
    )
    return course


def _outsiders(unit: Unit, people: Iterable[User]) -> list[User]:
    staff = set(people_in(unit=unit).values_list("pk", flat=True))
    return [p for p in people if p.pk not in staff]


def _refuse_outsiders(unit: Unit, people: list[User]) -> None:
    strangers = _outsiders(unit, people)
    if strangers:
        raise CaunoiError(
            _(
                "%(names)s không phải cán bộ của %(unit)s hoặc đơn vị trực thuộc; "
                "chỉ chọn được người trong đơn vị. Chưa lưu gì."
            )
            % {"names": ", ".join(str(p) for p in strangers), "unit": unit.name}
        )


@transaction.atomic
def course_targets_add(*, course: Course, people: Iterable[User], by: User) -> int:
    """Name people who should attend (besides those who must by their role)."""
    require(by, Action.TRAINING_MANAGE, course.unit)
    chosen = list(people)
    _refuse_outsiders(course.unit, chosen)
    known = set(course.targets.values_list("person_id", flat=True))
    made = CourseTarget.objects.bulk_create(
        CourseTarget(course=course, person=p) for p in chosen if p.pk not in known
    )
    audit.record(
        "caunoi.training.course.targets_added",
        actor=by,
        unit=course.unit,
        obj=course,
        changes={"people": [p.pk for p in chosen]},
    )
    return len(made)


@transaction.atomic
def course_target_remove(*, course: Course, person: User, by: User) -> None:
    require(by, Action.TRAINING_MANAGE, course.unit)
    course.targets.filter(person=person).delete()
    audit.record(
        "caunoi.training.course.target_removed",
        actor=by,
        unit=course.unit,
        obj=course,
        changes={"person": person.pk},
    )


@transaction.atomic
def session_create(
    *,
    course: Course,
    by: User,
    unit: Unit,
    level: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    trainer: str = "",
) -> TrainingSession:
    """A class of the course, held by `unit` (the course's unit or one below it)."""
    require(by, Action.TRAINING_MANAGE, unit)
    if not unit.is_within(course.unit):
        raise CaunoiError(
            _("Lớp phải do %(unit)s hoặc một đơn vị trực thuộc tổ chức.") % {"unit": course.unit}
        )
    if ends_at <= starts_at:
        raise CaunoiError(
            _("Lớp tập huấn kết thúc trước khi bắt đầu: giờ kết thúc phải sau giờ bắt đầu.")
        )
    session = TrainingSession.objects.create(
        course=course,
        unit=unit,
        level=level,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        trainer=trainer.strip(),
    )
    audit.record("caunoi.training.session.created", actor=by, unit=unit, obj=session)
    return session


@transaction.atomic
def participants_add(*, session: TrainingSession, people: Iterable[User], by: User) -> int:
    """Register staff of the session's unit (and units below) for the class."""
    require(by, Action.TRAINING_MANAGE, session.unit)
    chosen = list(people)
    if not chosen:
        raise CaunoiError(_("Chọn ít nhất một người."))
    _refuse_outsiders(session.unit, chosen)
    known = set(session.participants.values_list("person_id", flat=True))
    made = Participant.objects.bulk_create(
        Participant(session=session, person=p) for p in chosen if p.pk not in known
    )
    audit.record(
        "caunoi.training.session.participants_added",
        actor=by,
        unit=session.unit,
        obj=session,
        changes={"people": [p.pk for p in chosen]},
    )
    return len(made)


@transaction.atomic
def attendance_record(
    *,
    session: TrainingSession,
    by: User,
    attended: Iterable[User],
    completed: Iterable[User] = (),
) -> tuple[int, int]:
    """Who was there and who completed. Someone not yet registered is registered if they are
    staff of the session's unit; anyone else is refused and nothing is saved. Completing
    implies attending; people left out are recorded as absent."""
    require(by, Action.TRAINING_MANAGE, session.unit)
    present = {p.pk: p for p in attended}
    done = {p.pk: p for p in completed}
    present.update(done)
    _refuse_outsiders(session.unit, list(present.values()))
    if session.starts_at > timezone.now() and present:
        raise CaunoiError(_("Lớp chưa diễn ra; điểm danh sau khi lớp bắt đầu."))
    known = set(session.participants.values_list("person_id", flat=True))
    Participant.objects.bulk_create(
        Participant(session=session, person=p) for pk, p in present.items() if pk not in known
    )
    now = timezone.now()
    rows = list(Participant.objects.select_for_update().filter(session=session))
    for row in rows:
        row.attended = row.person_id in present
        finished = row.person_id in done
        if finished and row.completed_at is None:
            row.completed_at = now
        if not finished:
            row.completed_at = None
        row.completed = finished
    Participant.objects.bulk_update(rows, ["attended", "completed", "completed_at"])
    audit.record(
        "caunoi.training.session.attendance",
        actor=by,
        unit=session.unit,
        obj=session,
        changes={"attended": len(present), "completed": len(done)},
    )
    return len(present), len(done)
