"""Demo periodic reports: the province asked its units for a report every month and every
quarter of the past year; the demo units submitted them (a few late, the latest month still
missing for some), and the province sent one back for revision.

Snapshots are built from the figures the other apps' demo steps just made."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from caunoi.core.demo import DemoContext
from caunoi.core.models import Unit, User
from caunoi.reports.models import (
    DocumentSettings,
    PeriodicReport,
    PeriodKind,
    ReportComment,
    ReportRequest,
    ReportState,
)
from caunoi.reports.sections import Period
from caunoi.reports.selectors import report_data

ACHIEVEMENTS = [
    "Duy trì đăng tin đều đặn trên cổng thông tin và trang Facebook của đơn vị; "
    "kịp thời đưa tin về các chủ trương, chính sách mới.",
    "Tiếp nhận và chuyển xử lý đầy đủ các phản ánh của người dân; phần lớn được trả lời đúng hạn.",
    "Phối hợp với các thôn, bản tuyên truyền phòng chống lừa đảo trên mạng và an toàn giao thông.",
]
LIMITATIONS = [
    "Một số thôn, bản chưa có người phụ trách đăng tin; lượt tương tác còn thấp.",
    "Đường truyền Internet ở các thôn vùng cao chưa ổn định.",
    "",
]
NEXT_TASKS = [
    "Tiếp tục nâng cao chất lượng tin, bài; tăng cường tin video ngắn.",
    "Rà soát các phản ánh quá hạn, đôn đốc xử lý dứt điểm.",
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _periods(today: date) -> list[tuple[Period, date]]:
    """The 12 months and 4 quarters that ended before `today`, each with its deadline."""
    found: list[tuple[Period, date]] = []
    month = date(today.year, today.month, 1)
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        period = Period.month(month.year, month.month)
        found.append((period, period.end + timedelta(days=5)))
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1).previous()
    for _ in range(4):
        found.append((quarter, quarter.end + timedelta(days=10)))
        quarter = quarter.previous()
    return sorted(found, key=lambda p: (p[0].start, p[0].kind))


def _units(context: DemoContext) -> list[Unit]:
    places = context.places
    communes = list(
        Unit.objects.filter(
            path__startswith=context.province.path, depth=context.province.depth + 1
        )
        .exclude(pk=context.commune.pk)
        .filter(kind="commune")
        .order_by("code")[:1]
    )
    return [context.commune, places["centre"], *communes]


def load(context: DemoContext) -> None:
    # The other apps' demo steps bulk-write their rows past the services that feed the
    # roll-ups; bring the counters in line so `caunoi reports check` agrees on the demo office.
    from caunoi.reports.check import FIRST_DAY, differences, repair

    context.say("bringing the report roll-ups in line with the demo's data…")
    found = differences(start=FIRST_DAY, end=None)
    if found:
        repair(found)
    province = context.province
    today = timezone.localdate()
    periods = _periods(today)
    if ReportRequest.objects.filter(unit=province, start=periods[0][0].start).exists():
        return
    context.say("adding a year of periodic reports, submitted, late and sent back…")
    rng = context.rng
    reviewer = User.objects.filter(username="quantri.tinh").first()
    DocumentSettings.objects.get_or_create(
        unit=province,
        defaults={
            "symbol": "UBND",
            "place": "Lạng Sơn",
            "signer_title": "TM. Ủy ban nhân dân\nChủ tịch",
            "recipients": "Bộ Văn hóa, Thể thao và Du lịch\nThường trực Tỉnh ủy\nLưu: VT",
        },
    )
    DocumentSettings.objects.get_or_create(
        unit=context.commune,
        defaults={"symbol": "UBND", "place": "Đình Lập", "signer_title": "Chủ tịch"},
    )
    requests = ReportRequest.objects.bulk_create(
        [
            ReportRequest(
                unit=province,
                kind=period.kind,
                start=period.start,
                end=period.end,
                deadline=deadline,
                created_by=reviewer,
            )
            for period, deadline in periods
        ]
    )
    units = _units(context)
    reports: list[PeriodicReport] = []
    numbers = {unit.pk: 0 for unit in units}
    for request, (period, deadline) in zip(requests, periods, strict=True):
        for unit in units:
            if deadline >= today and rng.random() < 0.5:
                continue  # not submitted yet
            late = rng.random() < 0.15
            day = (
                deadline + timedelta(days=rng.randint(1, 6))
                if late
                else deadline - timedelta(days=rng.randint(0, 4))
            )
            day = min(day, today)
            numbers[unit.pk] += 1
            reports.append(
                PeriodicReport(
                    unit=unit,
                    kind=period.kind,
                    start=period.start,
                    end=period.end,
                    request=request,
                    state=ReportState.SUBMITTED,
                    number=numbers[unit.pk],
                    achievements=rng.choice(ACHIEVEMENTS),
                    limitations=rng.choice(LIMITATIONS),
                    next_tasks=rng.choice(NEXT_TASKS),
                    snapshot=report_data(unit=unit, period=period, children=False),
                    submitted_at=_at(day, rng.randint(8, 16)),
                )
            )
    created = PeriodicReport.objects.bulk_create(reports)
    sent_back = next(
        r
        for r in reversed(created)
        if r.unit_id == context.commune.pk and r.kind == PeriodKind.QUARTER
    )
    sent_back.state = ReportState.RETURNED
    sent_back.save(update_fields=["state"])
    ReportComment.objects.create(
        report=sent_back,
        author=reviewer,
        text="Đề nghị bổ sung số liệu tập huấn và làm rõ các phản ánh còn quá hạn.",
        asks_revision=True,
    )
