"""Demo press work for the province's communication centre: the province's outlets and their
journalists' work contacts, a year of briefings in Hải Phòng's rhythm (DOMAIN.md: the regular
briefing on the Thursday afternoon of the second week, plus urgent ones, about twice a month in
all), one moved and one cancelled, invitations and attendance (about 90% of those invited come),
press releases sent to outlets, and the coverage that followed (Đình Lập: about 10 press
articles a year, "over 20 in two years"). Deterministic and idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from caunoi.core.models import User
from caunoi.press.models import (
    Attendance,
    Briefing,
    BriefingSeries,
    BriefingStatus,
    CoverageItem,
    Invitation,
    InvitationMethod,
    Journalist,
    Outlet,
    OutletKind,
    ReleaseOutlet,
)
from caunoi.press.recurrence import occurrences
from caunoi.publishing.models import Article, ArticleKind, ArticleState, Revision

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext
    from caunoi.core.models import Unit

MAIL = "demo.caunoi.invalid"
SEED = 2027
_OUTLETS = [
    ("Báo Lạng Sơn", OutletKind.NEWSPAPER, "baolangson", ["Hoàng Thu Trang", "Vy Văn Nam"]),
    ("Đài Phát thanh và Truyền hình Lạng Sơn", OutletKind.TV, "lstv", ["Lương Minh Đức"]),
    ("Báo Nhân Dân — thường trú tại Lạng Sơn", OutletKind.NEWSPAPER, "nhandan", ["Trần Hải"]),
    ("Thông tấn xã Việt Nam — cơ quan thường trú", OutletKind.ONLINE, "ttxvn", ["Nông Thị Mai"]),
    ("Đài Tiếng nói Việt Nam — khu vực Đông Bắc", OutletKind.RADIO, "vov", ["Lò Văn Phúc"]),
    ("Báo Tiền Phong — văn phòng đại diện", OutletKind.ONLINE, "tienphong", ["Chu Minh Hằng"]),
    ("Truyền hình Quốc hội — phóng viên thường trú", OutletKind.TV, "qhtv", []),
]
_URGENT = [
    "Thông tin về mưa lũ, sạt lở đất trên địa bàn tỉnh",
    "Tình hình dịch tả lợn châu Phi và biện pháp khống chế",
    "Vụ cháy rừng tại huyện biên giới và công tác khắc phục",
    "Cảnh báo thủ đoạn lừa đảo qua mạng mạo danh cơ quan nhà nước",
    "Bình ổn giá cả thị trường dịp Tết Nguyên đán",
    "Thông tin về sự cố ngộ độc thực phẩm tại khu công nghiệp",
    "Tiến độ giải phóng mặt bằng cao tốc Đồng Đăng – Trà Lĩnh",
    "Ùn tắc hàng hoá nông sản tại cửa khẩu Tân Thanh",
    "Thông tin chính thức về thông tin sai sự thật lan truyền trên mạng",
    "Phương án ứng phó bão số 3",
]
_STORIES = ["mùa hồi chín", "đường về bản", "chợ phiên vùng cao", "trường nội trú", "rừng thông"]
_RELEASES = [
    "Kết quả phát triển kinh tế – xã hội tháng {month}",
    "Lễ hội Kỳ Lừa năm {year}",
    "Tỉnh công bố quy hoạch khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
    "Chương trình xúc tiến thương mại, tiêu thụ na Chi Lăng",
    "Kết quả tiếp công dân, giải quyết khiếu nại quý {quarter}",
    "Tuần lễ văn hoá, du lịch Lạng Sơn năm {year}",
]


def _outlets(province: Unit, commune: Unit) -> list[Outlet]:
    made = Outlet.objects.bulk_create(
        Outlet(
            unit=province,
            name=name,
            kind=kind,
            email=f"toasoan@{slug}.{MAIL}" if slug != "qhtv" else "",
            phone="0205 38" + f"{n:05d}"[-5:],
        )
        for n, (name, kind, slug, _people) in enumerate(_OUTLETS, start=11)
    )
    Journalist.objects.bulk_create(
        Journalist(
            outlet=outlet,
            name=person,
            work_email=f"pv{i}@{slug}.{MAIL}",
            work_phone=f"0912 000 {i:03d}",
            beat="Chính quyền, xã hội",
        )
        for outlet, (_name, _kind, slug, people) in zip(made, _OUTLETS, strict=True)
        for i, person in enumerate(people, start=1)
    )
    # The commune's own loudspeaker station: no e-mail, reached by phone.
    Outlet.objects.create(
        unit=commune,
        name="Đài truyền thanh xã Đình Lập",
        kind=OutletKind.RADIO,
        phone="0205 3845 100",
    )
    return made


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _briefings(centre: Unit, officer: User, first_day: date, rng: random.Random) -> list[Briefing]:
    rule = "FREQ=MONTHLY;BYDAY=2TH"
    series = BriefingSeries.objects.create(
        unit=centre,
        title="Giao ban báo chí định kỳ",
        rule=rule,
        first_day=first_day,
        time=time(14, 0),
        minutes=120,
        place="Hội trường Trung tâm Hội nghị tỉnh",
        created_by=officer,
    )
    rows = []
    for n, start in enumerate(occurrences(rule, first_day=first_day, at=time(14, 0))):
        briefing = Briefing(
            unit=centre,
            series=series,
            uid=f"demo-{series.pk}-{start:%Y%m%d}@caunoi",
            title=series.title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            planned_at=start,
            place=series.place,
            agenda="Thông tin tình hình kinh tế – xã hội trong tháng; trả lời câu hỏi của báo chí.",
            speakers="Phó Chủ tịch UBND tỉnh; Giám đốc Sở Văn hoá, Thể thao và Du lịch",
        )
        if n == 1:  # the second month's falls near Tết: held a week earlier
            briefing.starts_at -= timedelta(days=7)
            briefing.ends_at -= timedelta(days=7)
            briefing.change_note = "Dời sớm một tuần do trùng lịch nghỉ Tết"
            briefing.sequence = 1
        if n == 6:
            briefing.status = BriefingStatus.CANCELLED
            briefing.change_note = "Trùng lịch kỳ họp Hội đồng nhân dân tỉnh"
            briefing.sequence = 1
        rows.append(briefing)
    span = (rows[-1].starts_at.date() - first_day).days
    for n, title in enumerate(_URGENT):
        day = first_day + timedelta(days=int(span * (n + rng.random()) / len(_URGENT)))
        start = _at(day, rng.choice([8, 9, 15, 16]), 30)
        rows.append(
            Briefing(
                unit=centre,
                uid=f"demo-urgent-{n}-{day:%Y%m%d}@caunoi",
                title=title,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                place="Phòng họp báo, UBND tỉnh",
                urgent=True,
                agenda=title,
                speakers="Người phát ngôn của UBND tỉnh",
            )
        )
    return Briefing.objects.bulk_create(rows)


def _releases(centre: Unit, officer: User, approver: User, first_day: date) -> list[Article]:
    made = []
    for n in range(12):
        when = _at(first_day + timedelta(days=15 + 30 * n), 10)
        if when > timezone.now():
            break
        text = _RELEASES[n % len(_RELEASES)].format(
            month=when.month, year=when.year, quarter=(when.month - 1) // 3 + 1
        )
        article = Article(
            unit=centre,
            kind=ArticleKind.PRESS_RELEASE,
            title=text,
            summary=f"{centre.name} trân trọng thông tin tới các cơ quan báo chí: {text}.",
            body=f"<p>{text}.</p><p>Mọi thông tin xin liên hệ {centre.name}.</p>",
            author=officer,
            approved_by=approver,
            state=ArticleState.PUBLISHED,
            published_at=when,
        )
        article.save()
        Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)
        made.append(article)
    Revision.objects.bulk_create(
        Revision(
            article=a, number=1, title=a.title, summary=a.summary, body=a.body, saved_by=officer
        )
        for a in made
    )
    return made


def _follow_up(
    context: DemoContext,
    officer: User,
    outlets: list[Outlet],
    briefings: list[Briefing],
    releases: list[Article],
) -> None:
    rng, now = random.Random(SEED + 1), timezone.now()
    reachable = [o for o in outlets if o.email]
    invitations, present, sent, coverage = [], [], [], []
    for briefing in briefings:
        if briefing.starts_at > now + timedelta(days=40):
            continue
        invitations += [
            Invitation(
                briefing=briefing,
                outlet=o,
                method=InvitationMethod.CANCEL if briefing.cancelled else InvitationMethod.REQUEST,
                sequence=briefing.sequence,
                recipients=o.email,
                sent_at=briefing.starts_at - timedelta(days=5),
            )
            for o in reachable
        ]
        if briefing.cancelled or briefing.starts_at > now:
            continue
        came = [o for o in outlets if rng.random() < 0.9]  # "over 90% attendance"
        present += [Attendance(briefing=briefing, outlet=o, people=rng.randint(1, 3)) for o in came]
        for outlet in rng.sample(came, min(len(came), rng.randint(1, 3))):
            coverage.append(
                CoverageItem(
                    unit=briefing.unit,
                    outlet=outlet,
                    title=f"{briefing.title}: những thông tin chính",
                    url=f"https://{outlet.pk}.{MAIL}/bai/{briefing.pk}",
                    published_on=(briefing.starts_at + timedelta(days=rng.randint(0, 2))).date(),
                    briefing=briefing,
                    recorded_by=officer,
                )
            )
    for release in releases:
        assert release.published_at is not None
        chosen = rng.sample(reachable, 4)
        sent += [
            ReleaseOutlet(
                article=release, outlet=o, sent_at=release.published_at, recipients=o.email
            )
            for o in chosen
        ]
        coverage.append(
            CoverageItem(
                unit=release.unit,
                outlet=chosen[0],
                title=release.title,
                url=f"https://{chosen[0].pk}.{MAIL}/thong-cao/{release.pk}",
                published_on=release.published_at.date() + timedelta(days=1),
                release=release,
                recorded_by=officer,
            )
        )
    # Đình Lập: about 10 press articles a year about the commune.
    commune_officer = User.objects.filter(username="bientap.dinhlap").first() or officer
    for n in range(10):
        day = (now - timedelta(days=18 + 35 * n)).date()
        outlet = outlets[n % len(outlets)]
        coverage.append(
            CoverageItem(
                unit=context.commune,
                outlet=outlet,
                title=f"Đình Lập: {_STORIES[n % len(_STORIES)]} ({day:%m/%Y})",
                url=f"https://{outlet.pk}.{MAIL}/dinh-lap/{n}",
                published_on=day,
                recorded_by=commune_officer,
            )
        )
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(present)
    ReleaseOutlet.objects.bulk_create(sent)
    CoverageItem.objects.bulk_create(coverage)


def load(context: DemoContext) -> None:
    if Outlet.objects.filter(unit=context.province).exists():
        return
    context.say("adding press outlets, a year of briefings, releases and coverage…")
    centre = context.places["centre"]
    officer = User.objects.get(username="bientap.ttvh")
    approver = User.objects.get(username="duyet.ttvh")
    today = timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    first_day = date(month // 12, month % 12 + 1, 1)
    outlets = _outlets(context.province, context.commune)
    briefings = _briefings(centre, officer, first_day, random.Random(SEED))
    releases = _releases(centre, officer, approver, first_day)
    _follow_up(context, officer, outlets, briefings, releases)
