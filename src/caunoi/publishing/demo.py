"""Demo articles: the last year of a province's official news, in the rhythm DOMAIN.md reports
(the province 2–3 items a day, an active commune 2, the other communes about twice a week),
with topics, press releases, scam warnings the commune re-shares, a few corrections, and a
few items still moving through review. Deterministic, idempotent, and written with
bulk_create so it takes seconds."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from caunoi.core.models import Unit, UnitKind, User
from caunoi.core.text import fold, slug_for
from caunoi.publishing.models import (
    Article,
    ArticleKind,
    ArticleState,
    Correction,
    Reshare,
    Revision,
    Topic,
)
from caunoi.publishing.tasks import prerender_schedule

if TYPE_CHECKING:
    from caunoi.core.demo import DemoContext

DAYS = 365
BATCH = 1000

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
# The topic of each news item above, in order (DOMAIN.md: what citizens care about).
_NEWS_TOPICS = [
    "Cải cách hành chính",
    "Giải phóng mặt bằng",
    "Quy hoạch, đất đai",
    "An ninh trật tự",
    "Chuyển đổi số",
    "Cải cách hành chính",
    "Y tế",
    "Chuyển đổi số",
    "Phòng chống thiên tai",
    "Giải phóng mặt bằng",
]
TOPICS = sorted(set(_NEWS_TOPICS) | {"Phòng chống lừa đảo"})
_PRESS = [
    (
        "Thông cáo báo chí về kết quả phát triển kinh tế – xã hội quý {quarter}",
        "Tổng sản phẩm trên địa bàn tăng so với cùng kỳ; thu ngân sách đạt kế hoạch đề ra.",
    ),
    (
        "Thông cáo báo chí về công tác phòng chống thiên tai mùa mưa lũ",
        "Các lực lượng sẵn sàng phương án sơ tán dân ở vùng trũng, ven suối.",
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


def _pick(rng: random.Random) -> tuple[str, tuple[str, str], str]:
    roll = rng.random()
    if roll < 0.12:
        return ArticleKind.SCAM_WARNING, rng.choice(_WARNINGS), "Phòng chống lừa đảo"
    if roll < 0.16:
        return ArticleKind.CLARIFICATION, rng.choice(_CLARIFICATIONS), ""
    if roll < 0.19:
        return ArticleKind.PRESS_RELEASE, rng.choice(_PRESS), ""
    index = rng.randrange(len(_NEWS))
    return ArticleKind.NEWS, _NEWS[index], _NEWS_TOPICS[index]


def _article(unit: Unit, author: User, when: datetime, rng: random.Random) -> tuple[Article, str]:
    kind, (title, summary), topic = _pick(rng)
    values = {
        "unit": unit.name,
        "month": when.month,
        "year": when.year,
        "quarter": (when.month - 1) // 3 + 1,
    }
    title, summary = title.format(**values), summary.format(**values)
    body = (
        f"<p>{summary}</p><p>{unit.name} đề nghị người dân theo dõi thông tin chính thức trên "
        "cổng thông tin và các trang của đơn vị.</p>"
    )
    article = Article(
        unit=unit,
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        search_text=fold(f"{title}\n{summary}\n{strip_tags(body)}"),
        author=author,
        state=ArticleState.PUBLISHED,
        published_at=when,
    )
    return article, topic


def _topics(province: Unit) -> dict[str, Topic]:
    Topic.objects.bulk_create(
        [Topic(unit=province, name=name, slug=slug_for(name)) for name in TOPICS],
        ignore_conflicts=True,
    )
    return {t.name: t for t in Topic.objects.filter(unit=province)}


def load_demo_articles(*, province: Unit, commune: Unit, author: User) -> None:
    if Article.objects.filter(unit__path__startswith=province.path).exists():
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    communes = list(
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by("code")
    )
    topics = _topics(province)
    made: list[tuple[Article, str]] = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)

        def at(hour: int, day: object = day) -> datetime:
            return datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=zone)  # type: ignore[arg-type]

        made += [_article(province, author, at(h), rng) for h in (8, 10, 15)[: rng.randint(2, 3)]]
        made += [_article(commune, author, at(h), rng) for h in (9, 16)]
        for other in rng.sample(communes, min(9, len(communes))):  # about twice a week each
            if other.pk != commune.pk:
                made.append(_article(other, author, at(rng.randint(7, 17)), rng))
    articles = Article.objects.bulk_create([a for a, _ in made], batch_size=BATCH)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        created_at=F("published_at"), updated_at=F("published_at")
    )
    Article.topics.through.objects.bulk_create(
        [
            Article.topics.through(article_id=a.pk, topic_id=topics[topic].pk)
            for a, topic in made
            if topic
        ],
        batch_size=BATCH,
    )
    Revision.objects.bulk_create(
        (
            Revision(
                article=a, number=1, title=a.title, summary=a.summary, body=a.body, saved_by=author
            )
            for a in articles
        ),
        batch_size=BATCH,
    )
    _corrections(articles, author, rng)
    _reshares(articles, province, commune, author)
    _pending(commune, author)
    prerender_schedule(after=timedelta(0))  # the worker stores the recent articles' pages


def _corrections(articles: list[Article], author: User, rng: random.Random) -> None:
    """About one item in sixty was corrected a few hours after it went out."""
    corrected = [a for a in articles if rng.random() < 1 / 60]
    fixes = []
    for a in corrected:
        a.body += "<p>Thời gian đã được điều chỉnh theo thông báo mới.</p>"
        a.search_text = fold(f"{a.title}\n{a.summary}\n{strip_tags(a.body)}")
        fixes.append(
            Revision(
                article=a, number=2, title=a.title, summary=a.summary, body=a.body, saved_by=author
            )
        )
    Article.objects.bulk_update(corrected, ["body", "search_text"], batch_size=BATCH)
    second = Revision.objects.bulk_create(fixes, batch_size=BATCH)
    made = Correction.objects.bulk_create(
        Correction(
            article=r.article,
            note="Điều chỉnh thời gian cho đúng với thông báo mới nhất.",
            revision=r,
            corrected_by=author,
        )
        for r in second
    )
    for c in made:
        assert c.article.published_at is not None
        c.corrected_at = c.article.published_at + timedelta(hours=3)
    Correction.objects.bulk_update(made, ["corrected_at"], batch_size=BATCH)


def _reshares(articles: list[Article], province: Unit, commune: Unit, author: User) -> None:
    """The demo commune re-shares every scam warning the province publishes."""
    made = Reshare.objects.bulk_create(
        Reshare(article=a, unit=commune, shared_by=author)
        for a in articles
        if a.unit_id == province.pk and a.kind == ArticleKind.SCAM_WARNING
    )
    for r in made:
        assert r.article.published_at is not None
        r.shared_at = r.article.published_at + timedelta(minutes=30)
    Reshare.objects.bulk_update(made, ["shared_at"], batch_size=BATCH)


def _pending(commune: Unit, author: User) -> None:
    """A few items still on their way, so the workflow screens have something to show."""
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
    context.say("adding a year of published news…")
    load_demo_articles(
        province=context.province,
        commune=context.commune,
        author=User.objects.get(username="bientap.dinhlap"),
    )
