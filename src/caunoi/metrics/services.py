"""Writing figures: one upsert shared by file imports, the insights pull and the demo, so the
same day of the same metric is stored once however often it arrives (the last value wins)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.channels.models import Channel
from caunoi.core import audit
from caunoi.core.errors import CaunoiError, ImportRejected, RowError
from caunoi.core.models import User
from caunoi.core.permissions import Action, require
from caunoi.metrics.models import (
    ChannelFigure,
    ImportBatch,
    ImportState,
    Post,
    PostFigure,
)
from caunoi.metrics.parsing import Parsed, ParsedPost, parse
from caunoi.metrics.sections import counter_key
from caunoi.metrics.selectors import FLOWS
from caunoi.reports import counters

BATCH = 2000


@dataclass(frozen=True)
class FigureIn:
    day: date
    metric: str
    raw_name: str
    value: int
    post: str | None = None  # the platform's post id; None for the channel as a whole


@dataclass(frozen=True)
class PostIn:
    external_id: str
    title: str = ""
    url: str = ""
    published_at: datetime | None = None
    article_id: int | None = None


def _posts_upsert(channel: Channel, posts: Iterable[PostIn]) -> dict[str, int]:
    """Post ids by external id; new posts created, known ones completed (never blanked)."""
    wanted = {p.external_id: p for p in posts}
    known = {p.external_id: p for p in Post.objects.filter(channel=channel, external_id__in=wanted)}
    Post.objects.bulk_create(
        [
            Post(
                channel=channel,
                external_id=p.external_id,
                title=p.title,
                url=p.url,
                published_at=p.published_at,
                article_id=p.article_id,
            )
            for key, p in wanted.items()
            if key not in known
        ],
        batch_size=BATCH,
    )
    changed = []
    for key, post in known.items():
        new = wanted[key]
        before = (post.title, post.url, post.published_at, post.article_id)
        post.title = new.title or post.title
        post.url = new.url or post.url
        post.published_at = new.published_at or post.published_at
        post.article_id = new.article_id or post.article_id
        if before != (post.title, post.url, post.published_at, post.article_id):
            changed.append(post)
    Post.objects.bulk_update(changed, ["title", "url", "published_at", "article"], batch_size=BATCH)
    return dict(
        Post.objects.filter(channel=channel, external_id__in=wanted).values_list(
            "external_id", "id"
        )
    )


def existing_count(channel: Channel, figures: list[FigureIn]) -> int:
    """How many of these figures are already stored (an import would replace them)."""
    if not figures:
        return 0
    first, last = min(f.day for f in figures), max(f.day for f in figures)
    keys = set(
        ChannelFigure.objects.filter(channel=channel, day__range=(first, last)).values_list(
            "day", "metric"
        )
    )
    post_keys = set(
        PostFigure.objects.filter(post__channel=channel, day__range=(first, last)).values_list(
            "post__external_id", "day", "metric"
        )
    )
    return sum(
        1
        for f in figures
        if ((f.day, f.metric) in keys if f.post is None else (f.post, f.day, f.metric) in post_keys)
    )


def _count_flows(channel: Channel, rows: list[ChannelFigure]) -> None:
    """Feed the reports roll-ups with what this write changes (a re-import replaces a day's
    figure, so the counter moves by the difference)."""
    flows = [r for r in rows if r.metric in FLOWS]
    if not flows:
        return
    before = {
        (day, metric): value
        for day, metric, value in ChannelFigure.objects.filter(
            channel=channel, day__in={r.day for r in flows}, metric__in={r.metric for r in flows}
        ).values_list("day", "metric", "value")
    }
    counters.count_many(
        [
            (
                channel.unit,
                counter_key(r.metric, channel.kind),
                r.day,
                r.value - before.get((r.day, r.metric), 0),
            )
            for r in flows
        ]
    )


def figures_write(
    *,
    channel: Channel,
    figures: list[FigureIn],
    posts: Iterable[PostIn] = (),
    source: str,
    batch: ImportBatch | None = None,
) -> int:
    """Insert or replace figures on their natural keys; returns how many were written."""
    now = timezone.now()
    described = {p.external_id: p for p in posts}
    for f in figures:
        if f.post is not None and f.post not in described:
            described[f.post] = PostIn(f.post)
    post_ids = _posts_upsert(channel, described.values())
    channel_rows = [
        ChannelFigure(
            channel=channel,
            day=f.day,
            metric=f.metric,
            raw_name=f.raw_name[:160],
            value=f.value,
            source=source,
            batch=batch,
            updated_at=now,
        )
        for f in figures
        if f.post is None
    ]
    post_rows = [
        PostFigure(
            post_id=post_ids[f.post],
            day=f.day,
            metric=f.metric,
            raw_name=f.raw_name[:160],
            value=f.value,
            source=source,
            batch=batch,
            updated_at=now,
        )
        for f in figures
        if f.post is not None
    ]
    _count_flows(channel, channel_rows)
    update = ["raw_name", "value", "source", "batch", "updated_at"]
    ChannelFigure.objects.bulk_create(
        channel_rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["channel", "day", "metric"],
        update_fields=update,
    )
    PostFigure.objects.bulk_create(
        post_rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["post", "day", "metric"],
        update_fields=update,
    )
    return len(channel_rows) + len(post_rows)


# --- imports from files -------------------------------------------------------------------------


def _figures_of(parsed: Parsed) -> tuple[list[FigureIn], list[PostIn]]:
    figures = [FigureIn(f.day, f.metric, f.raw_name, f.value, f.post) for f in parsed.figures]
    posts = [_post_in(p) for p in parsed.posts.values()]
    return figures, posts


def _post_in(post: ParsedPost) -> PostIn:
    return PostIn(post.external_id, post.title, post.url, post.published_at, post.article_id)


def _check_articles(parsed: Parsed, channel: Channel) -> None:
    from caunoi.publishing.selectors import article_units

    wanted = {p.article_id: p.line for p in parsed.posts.values() if p.article_id is not None}
    if not wanted:
        return
    units = article_units(ids=list(wanted))
    errors = []
    for article_id, line in sorted(wanted.items(), key=lambda item: item[1]):
        unit = units.get(article_id)
        if unit is None or not (channel.unit.is_within(unit) or unit.is_within(channel.unit)):
            errors.append(
                RowError(
                    line,
                    _("không có tin caunoi số %(id)d của đơn vị này hoặc cấp trên")
                    % {"id": article_id},
                )
            )
    if errors:
        raise ImportRejected(errors)


def import_preview(
    *, channel: Channel, by: User, file_name: str, data: bytes, layout: str = "auto"
) -> tuple[ImportBatch, Parsed]:
    """Read and check the whole file; keep it for confirmation. Nothing is imported yet."""
    require(by, Action.METRICS_IMPORT, channel.unit)
    parsed = parse(file_name, data, layout=layout)
    _check_articles(parsed, channel)
    figures, _posts = _figures_of(parsed)
    ImportBatch.objects.filter(
        state=ImportState.PREVIEWED, created_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    batch = ImportBatch.objects.create(
        channel=channel,
        by=by,
        file_name=file_name[:255],
        file_format=parsed.layout.key,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        state=ImportState.PREVIEWED,
        rows=parsed.rows,
        figures=len(figures),
        replaced=existing_count(channel, figures),
        first_day=parsed.first_day,
        last_day=parsed.last_day,
    )
    return batch, parsed


def import_confirm(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Import a previewed file, all of it or nothing."""
    channel = batch.channel
    require(by, Action.METRICS_IMPORT, channel.unit)
    if batch.state != ImportState.PREVIEWED:
        raise CaunoiError(_("Tệp này đã được nhập rồi; số liệu không bị tính hai lần."))
    if batch.by_id != by.pk:
        raise CaunoiError(_("Chỉ người đã tải tệp lên mới xác nhận được lần nhập này."))
    parsed = parse(batch.file_name, bytes(batch.content), layout=batch.file_format)
    _check_articles(parsed, channel)
    figures, posts = _figures_of(parsed)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.PREVIEWED:
            raise CaunoiError(_("Tệp này đã được nhập rồi; số liệu không bị tính hai lần."))
        replaced = existing_count(channel, figures)
        written = figures_write(
            channel=channel, figures=figures, posts=posts, source="file", batch=locked
        )
        locked.state = ImportState.IMPORTED
        locked.content = b""
        locked.figures = written
        locked.replaced = replaced
        locked.imported_at = timezone.now()
        locked.save()
        audit.record(
            "caunoi.metrics.imported",
            actor=by,
            unit=channel.unit,
            obj=locked,
            changes={
                "channel": [None, channel.name],
                "format": [None, locked.file_format],
                "figures": [None, written],
                "replaced": [None, replaced],
                "days": [None, f"{locked.first_day}…{locked.last_day}"],
            },
        )
    return locked
