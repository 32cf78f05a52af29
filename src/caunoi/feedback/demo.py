"""Demo citizen reports: a year of them across the demo province's communes, in the categories
citizens raise most (roads, lighting, waste, land and site clearance, pavement encroachment,
scams). Most are answered, some late, some reopened; the last weeks' are still being handled.
Deterministic and idempotent: a second run changes nothing."""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from caunoi.core.models import Unit, UnitKind
from caunoi.core.text import fold
from caunoi.feedback.models import (
    AnswerTemplate,
    Category,
    CategoryAttribute,
    EventKind,
    Outcome,
    Report,
    ReportEvent,
    Source,
    Status,
    UnitArea,
    UnitGuidance,
)
from caunoi.feedback.routing import cell_of
from caunoi.feedback.worktime import WorkCalendar

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

DAYS = 365
# Đình Lập, roughly: a box for its area; reports fall inside it.
DINH_LAP = (21.50, 107.02, 0.12)  # south latitude, west longitude, size in degrees

_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "roads",
        "name": "Đường sá, cầu cống",
        "name_en": "Roads and bridges",
        "group": "Hạ tầng",
    },
    {
        "code": "lighting",
        "name": "Chiếu sáng công cộng",
        "name_en": "Street lighting",
        "group": "Hạ tầng",
        "ack_hours": 4,
    },
    {
        "code": "waste",
        "name": "Rác thải, vệ sinh môi trường",
        "name_en": "Waste and sanitation",
        "group": "Môi trường",
    },
    {
        "code": "land-clearance",
        "name": "Đất đai, giải phóng mặt bằng",
        "name_en": "Land and site clearance",
        "group": "Đất đai",
        "answer_days": 15,
    },
    {
        "code": "pavement",
        "name": "Lấn chiếm vỉa hè, lòng đường",
        "name_en": "Pavement encroachment",
        "group": "Trật tự đô thị",
    },
    {
        "code": "scams",
        "name": "Lừa đảo, giả mạo cơ quan nhà nước",
        "name_en": "Scams and impersonation",
        "group": "An ninh, trật tự",
        "urgent_by_default": True,
    },
]

_TEXTS = {
    "roads": [
        "Ổ gà lớn giữa đường liên thôn, xe máy đi qua rất nguy hiểm, nhất là buổi tối.",
        "Cống thoát nước trước chợ bị tắc, mưa xuống nước ngập cả đoạn đường.",
        "Mặt cầu tràn bị sạt một bên sau đợt mưa lũ, đề nghị kiểm tra.",
    ],
    "lighting": [
        "Đèn đường đoạn từ trường tiểu học đến nhà văn hóa không sáng mấy hôm nay.",
        "Cột đèn bị nghiêng sau gió lớn, dây điện võng thấp, sợ nguy hiểm cho trẻ em.",
    ],
    "waste": [
        "Rác tập kết ở đầu ngõ mấy ngày không được thu gom, bốc mùi.",
        "Có người đổ trộm phế thải xây dựng ven suối gần cầu.",
        "Xe thu gom rác đến không đúng giờ, rác bị chó mèo bới ra đường.",
    ],
    "land-clearance": [
        "Gia đình tôi chưa nhận được tiền hỗ trợ giải phóng mặt bằng dự án đường tránh.",
        "Đề nghị công khai phương án bồi thường đất nông nghiệp của dự án khu dân cư.",
        "Mốc giới thu hồi đất cắm lấn sang phần đất ở của gia đình, đề nghị đo lại.",
    ],
    "pavement": [
        "Quán ăn bày bàn ghế chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
        "Vật liệu xây dựng đổ tràn ra lòng đường trước số nhà 15 đã hơn một tuần.",
    ],
    "scams": [
        "Có người gọi điện xưng là công an xã, yêu cầu cài ứng dụng để cập nhật định danh.",
        "Nhận tin nhắn giả mạo điện lực báo cắt điện, kèm đường link lạ.",
    ],
}

_ANSWERS = {
    Outcome.FIXED: "Đơn vị đã kiểm tra hiện trường và khắc phục xong. Cảm ơn bạn đã phản ánh.",
    Outcome.CANNOT_FIX: "Đơn vị đã kiểm tra; hiện chưa có kinh phí, sẽ đưa vào kế hoạch năm sau.",
    Outcome.NOT_OURS: "Nội dung thuộc thẩm quyền của đơn vị khác; đã hướng dẫn người dân liên hệ.",
}


def _categories(province: Unit) -> dict[str, Category]:
    made = {}
    for order, fields in enumerate(_CATEGORIES):
        values = dict(fields)
        code = values.pop("code")
        made[code], _ = Category.objects.get_or_create(
            code=code, defaults={"unit": province, "order": order, **values}
        )
    CategoryAttribute.objects.get_or_create(
        category=made["roads"],
        code="damage",
        defaults={
            "datatype": "singlevaluelist",
            "required": True,
            "description": "Hư hỏng thế nào?",
            "values": [
                {"key": "pothole", "name": "Ổ gà, lún sụt"},
                {"key": "drain", "name": "Cống, rãnh thoát nước"},
                {"key": "bridge", "name": "Cầu, ngầm tràn"},
            ],
        },
    )
    CategoryAttribute.objects.get_or_create(
        category=made["scams"],
        code="channel",
        defaults={
            "datatype": "multivaluelist",
            "description": "Kẻ gian liên hệ qua đâu?",
            "values": [
                {"key": "call", "name": "Gọi điện"},
                {"key": "sms", "name": "Tin nhắn"},
                {"key": "social", "name": "Mạng xã hội"},
            ],
        },
    )
    AnswerTemplate.objects.get_or_create(
        category=made["lighting"],
        title="Đã thay bóng đèn",
        defaults={"body": "Đội quản lý điện chiếu sáng đã thay bóng đèn hỏng. Cảm ơn bạn."},
    )
    return made


def _areas(commune: Unit) -> None:
    south, west, size = DINH_LAP
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    UnitArea.objects.get_or_create(
        unit=commune,
        defaults={
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "min_lat": south,
            "max_lat": south + size,
            "min_lon": west,
            "max_lon": west + size,
        },
    )


def load(context: DemoContext) -> None:
    province, commune = context.province, context.commune
    categories = _categories(province)
    _areas(commune)
    UnitGuidance.objects.get_or_create(
        unit=province,
        defaults={
            "complaint_guidance": "Gửi đơn khiếu nại, tố cáo đến Ban Tiếp công dân tỉnh "
            "(tiếp dân sáng thứ Năm hằng tuần) hoặc bộ phận tiếp công dân của Ủy ban nhân dân xã. "
            "Đơn ghi rõ họ tên, địa chỉ, nội dung và kèm giấy tờ liên quan."
        },
    )
    if Report.objects.filter(unit__path__startswith=province.path).exists():
        return
    context.say("adding a year of citizen reports…")
    rng = context.rng
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by("code")
    )
    others = [c for c in communes if c.pk != commune.pk][:40]
    now = timezone.now()
    calendar = WorkCalendar.between(
        (now - timedelta(days=DAYS + 5)).date(), (now + timedelta(days=60)).date()
    )
    codes = list(categories)
    weights = [5, 4, 4, 3, 3, 2]
    alphabet = string.digits[2:] + "ABCDEFGHJKLMNPQRSTUVWXYZ"
    reports: list[Report] = []
    plans: list[dict[str, Any]] = []
    count = 260 + 8 * len(others)
    for n in range(count):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        at_home = n % 2 == 0 or not others
        unit = commune if at_home else rng.choice(others)
        day = now - timedelta(days=rng.uniform(0, DAYS))
        created = day.replace(hour=rng.randint(6, 21), minute=rng.randint(0, 59))
        created = min(created, now - timedelta(minutes=5))
        lat = lon = None
        if at_home:
            south, west, size = DINH_LAP
            lat, lon = south + rng.random() * size, west + rng.random() * size
        text = rng.choice(_TEXTS[code])
        urgent = category.urgent_by_default
        ack_deadline = calendar.add_hours(created, category.ack_hours or 8)
        deadline = (
            calendar.add_hours(created, 4)
            if urgent
            else calendar.add_days(created, category.answer_days or 10)
        )
        public_id = "".join(rng.choice(alphabet) for _ in range(8))
        reports.append(
            Report(
                public_id=f"{public_id[:4]}-{public_id[4:]}",
                secret="".join(rng.choice(string.ascii_letters) for _ in range(24)),
                category=category,
                unit=unit,
                source=rng.choices(
                    [Source.PORTAL, Source.PHONE, Source.WALK_IN, Source.OPEN311], [6, 2, 1, 1]
                )[0],
                description=text,
                folded=fold(text),
                lat=lat,
                lon=lon,
                cell=cell_of(lat, lon),
                address="" if lat else f"{unit.name}",
                attributes={"damage": "pothole"} if code == "roads" else {},
                urgent=urgent,
                ack_deadline=ack_deadline,
                deadline=deadline,
                created_at=created,
            )
        )
        plans.append({"age": (now - created).days})
    for report, plan in zip(reports, plans, strict=True):
        _handle(report, plan["age"], calendar, rng, now)
    Report.objects.bulk_create(reports, batch_size=500)
    events = []
    for report in Report.objects.filter(unit__path__startswith=province.path):
        events.extend(_history(report))
    ReportEvent.objects.bulk_create(events, batch_size=1000)


def _handle(report: Report, age: int, calendar: WorkCalendar, rng: Any, now: datetime) -> None:
    """Where a report stands today: most answered (some late, some reopened), recent ones open."""
    created = report.created_at
    report.acknowledged_at = calendar.add_hours(created, rng.uniform(0.5, 10))
    if age < 3 and rng.random() < 0.6:
        report.status = Status.RECEIVED
        report.acknowledged_at = None
        return
    late = rng.random() < 0.15
    days = rng.uniform(11, 20) if late else rng.uniform(0.5, 9)
    if report.urgent:
        days = rng.uniform(0.6, 1.5) if late else rng.uniform(0.1, 0.45)
    answered = calendar.add_days(created, days)
    if answered > now:
        report.status = rng.choice([Status.ACKNOWLEDGED, Status.VERIFYING, Status.IN_PROGRESS])
        return
    outcome = rng.choices([Outcome.FIXED, Outcome.CANNOT_FIX, Outcome.NOT_OURS], [8, 1, 1])[0]
    report.outcome = outcome
    report.outcome_note = {
        Outcome.CANNOT_FIX: "Chưa có kinh phí năm nay.",
        Outcome.NOT_OURS: "Công ty Điện lực Lạng Sơn, tổng đài 1900 1288.",
    }.get(outcome, "")
    report.public_answer = _ANSWERS[outcome]
    report.answered_at = answered
    report.working_days_to_answer = calendar.days_between(created, answered)
    report.status = Status.RESOLVED
    if rng.random() < 0.06:
        report.reopened = 1
    if rng.random() < 0.4:
        report.rating = rng.choices([5, 4, 3, 2, 1], [5, 4, 2, 1, 1])[0]
    if (now - answered).days > 30:
        report.status = Status.CLOSED
        report.closed_at = answered + timedelta(days=30)
        if (now - report.closed_at).days <= 90 and rng.random() < 0.3:
            report.contact_name = "Người dân (demo)"
            report.contact_phone = f"09{rng.randint(10_000_000, 99_999_999)}"


def _history(report: Report) -> list[ReportEvent]:
    steps: list[tuple[datetime, str, str]] = [
        (report.created_at, EventKind.STATUS, Status.RECEIVED)
    ]
    if report.acknowledged_at:
        steps.append((report.acknowledged_at, EventKind.STATUS, Status.ACKNOWLEDGED))
    if report.status in (Status.VERIFYING, Status.IN_PROGRESS):
        steps.append((report.acknowledged_at or report.created_at, EventKind.STATUS, report.status))
    if report.answered_at:
        if report.reopened:
            first = report.created_at + (report.answered_at - report.created_at) / 2
            steps.append((first, EventKind.STATUS, Status.RESOLVED))
            steps.append((first + timedelta(days=2), EventKind.REOPENED, Status.IN_PROGRESS))
        steps.append((report.answered_at, EventKind.STATUS, Status.RESOLVED))
    if report.closed_at:
        steps.append((report.closed_at, EventKind.STATUS, Status.CLOSED))
    return [
        ReportEvent(report=report, at=at, kind=kind, status=status, to_unit=report.unit)
        for at, kind, status in steps
    ]
