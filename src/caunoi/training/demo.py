"""Demo training: two courses in DOMAIN.md's proportions. Đình Lập's own course ran 3 classes
that reached 100% of the staff concerned; the province's social-media course ran one
province-level class and commune-level classes (Võ Nhai: 1 district-level and 5 commune-level
conferences), with someone still missing. Deterministic and idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from caunoi.core.models import RoleName, User
from caunoi.training.models import Course, Level, Participant, TrainingSession

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext
    from caunoi.core.models import Unit

COMMUNE_TOPIC = "Nghiệp vụ thông tin cơ sở và sử dụng caunoi"
PROVINCE_TOPIC = "Kỹ năng sử dụng mạng xã hội trong thông tin, tuyên truyền"


def _people(*usernames: str) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames if name in found]


def _session(
    course: Course, unit: Unit, level: str, days_ago: int, place: str, trainer: str
) -> TrainingSession:
    day = timezone.localdate() - timedelta(days=days_ago)
    start = datetime.combine(day, time(8, 0), tzinfo=timezone.get_current_timezone())
    return TrainingSession.objects.create(
        course=course,
        unit=unit,
        level=level,
        starts_at=start,
        ends_at=start + timedelta(hours=8, minutes=30),
        place=place,
        trainer=trainer,
    )


def _took_part(session: TrainingSession, people: list[User], completed: bool = True) -> None:
    Participant.objects.bulk_create(
        Participant(
            session=session,
            person=p,
            attended=True,
            completed=completed,
            completed_at=session.ends_at if completed else None,
        )
        for p in people
    )


def load(context: DemoContext) -> None:
    commune, province, centre = context.commune, context.province, context.places["centre"]
    if Course.objects.filter(unit=commune, topic=COMMUNE_TOPIC).exists():
        return
    context.say("adding two training courses, their classes and attendance…")
    admin = User.objects.get(username="quantri.dinhlap")
    local = Course.objects.create(
        unit=commune,
        topic=COMMUNE_TOPIC,
        description="Viết tin, duyệt tin, tiếp nhận và trả lời phản ánh của người dân.",
        required_roles=[
            RoleName.EDITOR,
            RoleName.APPROVER,
            RoleName.CASE_HANDLER,
            RoleName.UNIT_ADMIN,
        ],
        created_by=admin,
    )
    hall = "Hội trường UBND xã Đình Lập"
    trainer = "Trung tâm VHTT&TT tỉnh"
    first = _session(local, commune, Level.COMMUNE, 200, hall, trainer)
    second = _session(local, commune, Level.COMMUNE, 140, hall, trainer)
    third = _session(local, commune, Level.COMMUNE, 60, hall, trainer)
    _took_part(first, _people("bientap.dinhlap", "duyet.dinhlap"))
    _took_part(second, _people("xuly.dinhlap"))
    _took_part(third, _people("quantri.dinhlap"))

    province_admin = User.objects.get(username="quantri.tinh")
    wide = Course.objects.create(
        unit=province,
        topic=PROVINCE_TOPIC,
        description=(
            "Quản lý trang chính thức, đăng tin đúng quy trình, xử lý thông tin sai sự thật."
        ),
        required_roles=[RoleName.EDITOR, RoleName.APPROVER],
        created_by=province_admin,
    )
    top = _session(
        wide,
        centre,
        Level.PROVINCE,
        120,
        "Trung tâm Hội nghị tỉnh",
        "Sở Văn hoá, Thể thao và Du lịch",
    )
    _took_part(top, _people("bientap.ttvh", "duyet.ttvh"))
    down = _session(wide, commune, Level.COMMUNE, 90, hall, "Trung tâm VHTT&TT tỉnh")
    _took_part(down, _people("bientap.dinhlap"))
    _took_part(down, _people("duyet.dinhlap"), completed=False)
