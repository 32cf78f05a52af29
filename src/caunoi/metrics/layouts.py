"""The file layouts caunoi reads: what people already export from Facebook and Zalo, and our own
template (docs/metrics.md). Each column keeps the platform's own header as the raw metric name.

Headers are matched without accents, case or underscores, so "Lượt tiếp cận", "luot_tiep_can"
and "LUOT TIEP CAN" are the same column."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caunoi.core.text import fold
from caunoi.metrics.models import Metric


def header_key(text: object) -> str:
    return fold(str(text or "").replace("_", " ").replace("\ufeff", ""))


@dataclass(frozen=True)
class Layout:
    key: str
    label: str | Promise
    date_headers: tuple[str, ...]
    # Candidate headers per metric, most preferred first; the first one present is read.
    metrics: dict[str, tuple[str, ...]]
    post_id_headers: tuple[str, ...] = ()
    post_required: bool = False  # every row is a post (a post export)
    title_headers: tuple[str, ...] = ()
    url_headers: tuple[str, ...] = ()
    article_headers: tuple[str, ...] = ()
    published_headers: tuple[str, ...] = ()  # a post's publish time: the day its figures go to
    day_first: bool = True  # 03/04/2026 is 3 April (Vietnam), else 4 March (Meta's US exports)
    signature: tuple[str, ...] = ()  # a header only this layout has
    raw_prefix: str = ""  # raw names of our own template: "caunoi:reach"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def date_example(self) -> str:
        return "31/03/2026" if self.day_first else "03/31/2026"

    def date_format(self) -> str:
        return "DD/MM/YYYY" if self.day_first else "MM/DD/YYYY"


FACEBOOK_PAGE = Layout(
    key="facebook_page",
    label=_("Facebook — số liệu trang (Page data)"),
    date_headers=("Date",),
    metrics={
        Metric.REACH: ("Daily Total Reach", "Facebook Page reach", "Page reach"),
        Metric.VIEWS: ("Daily Total Impressions", "Facebook Page views", "Views"),
        Metric.CLICKS: ("Daily Page Consumptions",),
        Metric.ENGAGEMENT: (
            "Daily Page Post Engagements",
            "Daily Post Engagements",
            "Daily Page Engaged Users",
            "Content interactions",
        ),
        Metric.FOLLOWERS: (
            "Lifetime Total Follows",
            "Lifetime Total Likes",
            "Facebook followers",
            "Facebook Page likes",
        ),
    },
    day_first=False,
    signature=("Lifetime Total Likes", "Daily Total Reach", "Facebook Page reach"),
)

FACEBOOK_POSTS = Layout(
    key="facebook_posts",
    label=_("Facebook — số liệu bài đăng (Post data)"),
    date_headers=(),
    metrics={
        Metric.REACH: ("Lifetime Post Total Reach", "Reach"),
        Metric.VIEWS: ("Lifetime Post Total Impressions", "Views", "Impressions"),
        Metric.REACTIONS: (
            "Reactions",
            "Lifetime Talking About This (Post) by action type - like",
        ),
        Metric.COMMENTS: (
            "Comments",
            "Lifetime Talking About This (Post) by action type - comment",
        ),
        Metric.SHARES: ("Shares", "Lifetime Talking About This (Post) by action type - share"),
        Metric.CLICKS: ("Total clicks", "Lifetime Post Consumptions"),
        Metric.ENGAGEMENT: ("Reactions, comments and shares",),
    },
    post_id_headers=("Post ID",),
    post_required=True,
    title_headers=("Post Message", "Title", "Description"),
    url_headers=("Permalink",),
    published_headers=("Posted", "Publish time"),
    day_first=False,
    # Not "Post ID": our template's English "post_id" header reads the same.
    signature=("Posted", "Publish time"),
)

ZALO = Layout(
    key="zalo",
    label=_("Zalo OA — thống kê"),
    date_headers=("Ngày", "Thời gian"),
    metrics={
        Metric.FOLLOWERS: ("Tổng người quan tâm", "Tổng số người quan tâm", "Người quan tâm"),
        Metric.REACH: ("Lượt tiếp cận", "Người nhận tin"),
        Metric.VIEWS: ("Lượt xem", "Lượt xem bài viết"),
        Metric.REACTIONS: ("Lượt thích", "Lượt bày tỏ cảm xúc"),
        Metric.COMMENTS: ("Lượt bình luận",),
        Metric.SHARES: ("Lượt chia sẻ",),
        Metric.CLICKS: ("Lượt nhấp", "Lượt click"),
        Metric.ENGAGEMENT: ("Lượt tương tác", "Tổng tương tác"),
    },
    signature=(
        "Tổng người quan tâm",
        "Tổng số người quan tâm",
        "Người quan tâm",
        "Người quan tâm mới",
    ),
)

# Our own template: Vietnamese headers, or the English keys of docs/metrics.md.
TEMPLATE_COLUMNS: dict[str, tuple[str, str]] = {
    # key: (Vietnamese header, English header)
    "date": ("Ngày", "date"),
    "post_id": ("Mã bài", "post_id"),
    "post_title": ("Tiêu đề bài", "post_title"),
    "article_id": ("Mã tin caunoi", "article_id"),
    Metric.REACH: ("Lượt tiếp cận", "reach"),
    Metric.VIEWS: ("Lượt xem", "views"),
    Metric.REACTIONS: ("Cảm xúc", "reactions"),
    Metric.COMMENTS: ("Bình luận", "comments"),
    Metric.SHARES: ("Chia sẻ", "shares"),
    Metric.CLICKS: ("Lượt nhấp", "clicks"),
    Metric.ENGAGEMENT: ("Lượt tương tác", "engagement"),
    Metric.FOLLOWERS: ("Người theo dõi", "followers"),
}
TEMPLATE = Layout(
    key="template",
    label=_("Mẫu của caunoi"),
    date_headers=TEMPLATE_COLUMNS["date"],
    metrics={m: TEMPLATE_COLUMNS[m] for m in Metric.values},
    post_id_headers=TEMPLATE_COLUMNS["post_id"],
    title_headers=TEMPLATE_COLUMNS["post_title"],
    article_headers=TEMPLATE_COLUMNS["article_id"],
    raw_prefix="caunoi:",
)

LAYOUTS = {layout.key: layout for layout in (FACEBOOK_PAGE, FACEBOOK_POSTS, ZALO, TEMPLATE)}


def detect(headers: list[str]) -> Layout | None:
    """The layout whose distinctive headers the file has; our template when its date is there."""
    keys = {header_key(h) for h in headers}
    for layout in (FACEBOOK_POSTS, FACEBOOK_PAGE, ZALO):
        if any(header_key(s) in keys for s in layout.signature):
            return layout
    if any(header_key(h) in keys for h in TEMPLATE.date_headers):
        return TEMPLATE
    return None
