"""Demo articles: the last 30 days of a province's official news, in the rhythm DOMAIN.md
reports (province channels 3–5 items a day, an active commune 2–3, others about one a week),
plus a few items still moving through review. Deterministic and idempotent."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from caunoi.core.models import Unit, UnitKind, User
from caunoi.publishing.models import Article, ArticleKind, ArticleState, Revision

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

DAYS = 30

_NEWS = [
    (
        "Thông báo lịch tiếp công dân tháng {month}",
        "Lãnh đạo {unit} tiếp công dân định kỳ vào sáng thứ Năm hằng tuần tại trụ sở.",
    ),
    (
        "{unit} họp bàn công tác giải phóng mặt bằng dự án đường liên xã",
        "Cuộc họp thống nhất phương án bồi thường, hỗ trợ và tiến độ bàn giao mặt bằng.",
    ),
    (
        "Công khai quy hoạch sử dụng đất năm {year}",
        "Người dân có thể xem bản đồ quy hoạch tại trụ sở và góp ý trong 30 ngày.",
    ),
    (
        "Ra quân lập lại trật tự vỉa hè, lòng đường",
        "Lực lượng chức năng nhắc nhở các hộ kinh doanh không lấn chiếm vỉa hè.",
    ),
    (
        "Hướng dẫn đăng ký tài khoản định danh điện tử mức 2",
        "Công an xã hỗ trợ người dân đăng ký tại nhà văn hoá các thôn vào cuối tuần.",
    ),
    (
        "Kết quả kỳ họp Hội đồng nhân dân {unit}",
        "Kỳ họp đã thông qua các nghị quyết về kinh tế – xã hội và dự toán ngân sách.",
    ),
    (
        "Tiêm vắc xin phòng bệnh cho trẻ dưới 5 tuổi",
        "Trạm Y tế tổ chức tiêm chủng mở rộng vào ngày 25 hằng tháng.",
    ),
    (
        "Hội nghị tập huấn chuyển đổi số cho cán bộ thôn, bản",
        "Hơn 60 cán bộ được hướng dẫn sử dụng các dịch vụ công trực tuyến.",
    ),
    (
        "Phòng chống cháy rừng mùa khô",
        "Các thôn tăng cường tuần tra, không đốt nương rẫy khi trời hanh khô, gió lớn.",
    ),
    (
        "Khởi công xây dựng nhà văn hoá thôn",
        "Công trình có tổng vốn đầu tư hơn 1,2 tỷ đồng, dự kiến hoàn thành trong 6 tháng.",
    ),
]
_WARNINGS = [
    (
        "Cảnh báo thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền",
        "Công an không làm việc qua điện thoại và không yêu cầu chuyển tiền; hãy báo ngay cho "
        "công an xã khi gặp cuộc gọi như vậy.",
    ),
    (
        "Cảnh báo lừa đảo mua bán đất nền qua mạng xã hội",
        "Không đặt cọc khi chưa kiểm tra thông tin quy hoạch và giấy tờ tại cơ quan nhà nước.",
    ),
    (
        "Cảnh báo tin nhắn giả mạo thông báo trúng thưởng",
        "Không bấm vào đường link lạ, không cung cấp mã OTP cho bất kỳ ai.",
    ),
]
_CLARIFICATIONS = [
    (
        "Thông tin chính thức về việc điều chỉnh giờ cấp nước",
        "Việc tạm ngừng cấp nước chỉ diễn ra từ 8h đến 11h ngày Chủ nhật để bảo trì đường ống.",
    ),
]


def _article(unit: Unit, author: User, when: datetime, rng: random.Random) -> Article:
    roll = rng.random()
    if roll < 0.12:
        kind, (title, summary) = ArticleKind.SCAM_WARNING, rng.choice(_WARNINGS)
    elif roll < 0.16:
        kind, (title, summary) = ArticleKind.CLARIFICATION, rng.choice(_CLARIFICATIONS)
    else:
        kind, (title, summary) = ArticleKind.NEWS, rng.choice(_NEWS)
    values = {"unit": unit.name, "month": when.month, "year": when.year}
    article = Article(
        unit=unit,
        kind=kind,
        title=title.format(**values),
        summary=summary.format(**values),
        body=f"<p>{summary.format(**values)}</p><p>{unit.name}</p>",
        author=author,
        state=ArticleState.PUBLISHED,
        published_at=when,
    )
    article.save()
    Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)
    return article


def load_demo_articles(*, province: Unit, commune: Unit, author: User) -> None:
    if Article.objects.filter(unit__path__startswith=province.path).exists():
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by("code")
    )
    made: list[Article] = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)

        def at(hour: int, day: object = day) -> datetime:
            return datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=zone)  # type: ignore[arg-type]

        made += [_article(province, author, at(h), rng) for h in (8, 10, 15)[: rng.randint(2, 3)]]
        made += [_article(commune, author, at(h), rng) for h in (9, 16)]
        for other in rng.sample(communes, 9):  # each commune about twice a week
            if other.pk != commune.pk:
                made.append(_article(other, author, at(rng.randint(7, 17)), rng))
    Revision.objects.bulk_create(
        Revision(
            article=a, number=1, title=a.title, summary=a.summary, body=a.body, saved_by=author
        )
        for a in made
    )
    # A few items still on their way, so the workflow screens have something to show.
    for title, state in [
        ("Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc", ArticleState.IN_REVIEW),
        ("Thông báo thu hồi đất thực hiện dự án kè suối", ArticleState.CHANGES_REQUESTED),
        ("Lịch cắt điện tuần tới", ArticleState.DRAFT),
    ]:
        pending = Article(
            unit=commune,
            kind=ArticleKind.NEWS,
            title=title,
            author=author,
            state=state,
            summary=title,
            review_comment="Bổ sung số quyết định và thời gian cụ thể."
            if state == ArticleState.CHANGES_REQUESTED
            else "",
        )
        pending.save()
        Revision.objects.create(
            article=pending, number=1, title=title, summary=title, body="", saved_by=author
        )


def load(context: DemoContext) -> None:
    context.say("adding a month of published news…")
    load_demo_articles(
        province=context.province,
        commune=context.commune,
        author=User.objects.get(username="bientap.dinhlap"),
    )
