"""Deliveries: one per article per active channel, each run by the worker in its own task so
a failing channel never holds up the portal or the others.

An attempt is claimed (status, attempt count) in a short transaction before the platform is
called, and recorded in another one after; the call itself holds no transaction. When an
earlier attempt may have reached the platform, the connector first looks there for the post,
so a retry never posts twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.channels.connectors import connector_for
from caunoi.channels.connectors.base import (
    AwaitingEntry,
    DeliveryError,
    Outcome,
    Pending,
    Posted,
    RetryLater,
)
from caunoi.channels.models import (
    BUILT_IN,
    OPEN,
    RETRYABLE,
    Channel,
    ChannelHealth,
    Delivery,
    DeliveryStatus,
    ErrorKind,
)
from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.notifications import notify
from caunoi.core.permissions import Action, can
from caunoi.core.tasks import enqueue_on_commit
from caunoi.publishing.models import Article, ArticleState

logger = logging.getLogger(__name__)
D = DeliveryStatus

MAX_ATTEMPTS = 8
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MAX_POLLS = 40  # Zalo's confirmation: about 20 minutes of asking
STALE = timedelta(minutes=10)  # an attempt not recorded by then was cut short (worker killed)
SWEEP_EVERY = timedelta(minutes=10)


class DeliveryRefused(CaunoiError):
    pass


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, never more than 6 hours."""
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _enqueue(delivery: Delivery, at: datetime | None = None) -> None:
    from caunoi.channels.tasks import deliver

    work = deliver.using(run_after=at) if at is not None else deliver
    enqueue_on_commit(work, delivery.pk)


# --- creating -----------------------------------------------------------------------------------


def deliveries_on_publish(article: Article, unit: Unit | None = None) -> None:
    """What publishing (and re-sharing, with the re-sharing unit) calls: once the publication
    has committed, one delivery per active channel. Robust: a fault here is logged and never
    undoes or delays the publication itself."""
    article_id, unit_id = article.pk, unit.pk if unit is not None else None
    transaction.on_commit(
        lambda: deliveries_create(article_id=article_id, unit_id=unit_id), robust=True
    )


@transaction.atomic
def deliveries_create(*, article_id: int, unit_id: int | None = None) -> list[Delivery]:
    from caunoi.channels.services import channels_ensure_built_in

    article = Article.objects.select_related("unit").get(pk=article_id)
    unit = article.unit if unit_id is None else Unit.objects.get(pk=unit_id)
    channels_ensure_built_in(unit=unit)
    channels = list(Channel.objects.filter(unit=unit, active=True).order_by("pk"))
    done = set(
        Delivery.objects.filter(article=article, channel__in=channels).values_list(
            "channel_id", flat=True
        )
    )
    now = timezone.now()
    made = []
    for channel in channels:
        if channel.pk in done:
            continue
        delivery = Delivery(
            channel=channel, article=article, unit=unit, reshare=unit.pk != article.unit_id
        )
        if channel.kind in BUILT_IN:  # caunoi's own pages: there the moment it is published
            posted = connector_for(channel.kind).send(delivery)
            assert isinstance(posted, Posted)
            delivery.status, delivery.sent_at = D.SENT, now
            delivery.first_tried_at, delivery.attempts = now, 1
            delivery.external_url = posted.external_url
        made.append(delivery)
    made = Delivery.objects.bulk_create(made)
    for delivery in made:
        if delivery.status == D.PENDING:
            _enqueue(delivery)
    return made


# --- the worker's side --------------------------------------------------------------------------


def _still_reshared(delivery: Delivery) -> bool:
    from caunoi.publishing.models import Reshare

    return Reshare.objects.filter(article_id=delivery.article_id, unit_id=delivery.unit_id).exists()


def _claim(delivery_id: int) -> tuple[Delivery, bool] | None:
    """Take the delivery for one attempt. Returns it and whether an earlier attempt may have
    reached the platform, or None when there is nothing to do now."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("channel__unit", "article__unit", "unit")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in OPEN:
            return None
        now = timezone.now()
        if delivery.next_try_at and delivery.next_try_at > now + timedelta(seconds=5):
            return None  # an older task; the one queued for next_try_at will come
        if delivery.status == D.SENDING and delivery.updated_at > now - STALE:
            return None  # another worker is on it right now
        channel = delivery.channel
        withdrawn = delivery.reshare and not _still_reshared(delivery)
        if delivery.article.state != ArticleState.PUBLISHED or not channel.active or withdrawn:
            delivery.status, delivery.next_try_at = D.CANCELLED, None
            delivery.save()
            return None
        if channel.health != ChannelHealth.OK:
            held = (
                D.NEEDS_CREDENTIALS
                if channel.health == ChannelHealth.NEEDS_CREDENTIALS
                else D.DISCONNECTED
            )
            delivery.status, delivery.next_try_at = held, None
            delivery.error_kind = (
                ErrorKind.CREDENTIALS if held == D.NEEDS_CREDENTIALS else ErrorKind.DISCONNECTED
            )
            delivery.last_error = channel.flag_reason
            delivery.save()
            return None
        if channel.paused_until and channel.paused_until > now:
            # The platform asked us to slow down: wait without spending an attempt.
            delivery.status, delivery.next_try_at = D.RETRYING, channel.paused_until
            delivery.save()
            _enqueue(delivery, channel.paused_until)
            return None
        earlier = delivery.attempts > 0
        if delivery.status == D.CONFIRMING:
            delivery.progress["polls"] = int(delivery.progress.get("polls", 0)) + 1
        else:
            delivery.attempts += 1
        delivery.status, delivery.next_try_at = D.SENDING, None
        delivery.first_tried_at = delivery.first_tried_at or now
        delivery.save()
        return delivery, earlier


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    claimed = _claim(delivery_id)
    if claimed is None:
        return None
    delivery, earlier = claimed
    connector = connector_for(delivery.channel.kind)
    try:
        outcome = connector.find(delivery) if earlier else None
        if outcome is None:
            outcome = connector.send(delivery)
    except DeliveryError as error:
        return _failed(delivery, error)
    except Exception:
        logger.exception("delivery %s to channel %s failed", delivery.pk, delivery.channel_id)
        return _failed(delivery, RetryLater(f"unexpected error, logged as delivery {delivery.pk}"))
    return _succeeded(delivery, outcome)


@transaction.atomic
def _succeeded(delivery: Delivery, outcome: Outcome) -> Delivery:
    now = timezone.now()
    delivery.refresh_from_db(fields=["progress"])
    if isinstance(outcome, Posted):
        delivery.status, delivery.sent_at = D.SENT, now
        delivery.external_id = outcome.external_id[:200]
        delivery.external_url = outcome.external_url[:500]
        delivery.error_kind, delivery.last_error = "", ""
        if outcome.pause is not None:
            Channel.objects.filter(pk=delivery.channel_id).update(paused_until=now + outcome.pause)
    elif isinstance(outcome, Pending):
        if int(delivery.progress.get("polls", 0)) >= MAX_POLLS:
            delivery.status = D.FAILED
            delivery.error_kind, delivery.last_error = ErrorKind.RETRY, outcome.note
        else:
            delivery.status, delivery.next_try_at = D.CONFIRMING, now + outcome.check_after
            _enqueue(delivery, delivery.next_try_at)
    elif isinstance(outcome, AwaitingEntry):
        delivery.status = D.AWAITING_ENTRY
    delivery.save()
    return delivery


@transaction.atomic
def _failed(delivery: Delivery, error: DeliveryError) -> Delivery:
    now = timezone.now()
    delivery.refresh_from_db(fields=["progress"])
    delivery.error_kind, delivery.last_error = error.kind, str(error)[:2000]
    channel = delivery.channel
    if error.kind == ErrorKind.RETRY:
        spent = delivery.attempts - int(delivery.progress.get("budget_from", 0))
        if spent >= MAX_ATTEMPTS:
            delivery.status = D.FAILED
        else:
            wait = max(backoff(spent), error.wait or timedelta(0))
            delivery.status, delivery.next_try_at = D.RETRYING, now + wait
            _enqueue(delivery, delivery.next_try_at)
        if error.wait is not None:
            Channel.objects.filter(pk=channel.pk).update(paused_until=now + error.wait)
    elif error.kind == ErrorKind.CREDENTIALS:
        delivery.status = D.NEEDS_CREDENTIALS
        channel_flag(channel=channel, health=ChannelHealth.NEEDS_CREDENTIALS, reason=str(error))
    elif error.kind == ErrorKind.DISCONNECTED:
        delivery.status = D.DISCONNECTED
        channel_flag(channel=channel, health=ChannelHealth.DISCONNECTED, reason=str(error))
    else:
        delivery.status = D.REJECTED
        _tell_author(delivery)
    delivery.save()
    return delivery


def _admins(unit: Unit) -> list[User]:
    from caunoi.core.permissions import roles_granting

    units = [unit, *Unit.objects.get_ancestors(unit)]
    return list(
        User.objects.filter(
            roles__unit__in=units, roles__name__in=roles_granting(Action.CHANNEL_MANAGE)
        )
        .distinct()
        .order_by("pk")
    )


def channel_flag(*, channel: Channel, health: str, reason: str) -> None:
    """Mark a channel as needing a person; its unit admins hear of it once, by e-mail too."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.health == health:
        return
    before = channel.health
    channel.health, channel.flagged_at, channel.flag_reason = health, timezone.now(), reason
    channel.save(update_fields=["health", "flagged_at", "flag_reason"])
    audit.record(
        "caunoi.channel.flagged",
        actor=None,
        unit=channel.unit,
        obj=channel,
        changes={"health": [before, health], "reason": [None, reason[:300]]},
    )
    if health == ChannelHealth.NEEDS_CREDENTIALS:
        title = format_lazy(
            gettext_lazy("Kênh “{name}” cần cấp lại thông tin đăng nhập"), name=channel.name
        )
        body = format_lazy(
            gettext_lazy(
                "Nền tảng không nhận thông tin đăng nhập của kênh nữa, nên các bài mới đang "
                "được giữ lại. Hãy mở trang kênh và nhập mã truy cập mới; các bài đang chờ sẽ "
                "được gửi tiếp.\n\nNền tảng trả lời: {reason}"
            ),
            reason=reason,
        )
    else:
        title = format_lazy(gettext_lazy("Kênh “{name}” mất kết nối"), name=channel.name)
        body = format_lazy(
            gettext_lazy(
                "Nền tảng cho biết kênh không còn cho phép đăng bài (quyền bị thu hồi hoặc kênh "
                "không còn). Hãy kiểm tra lại kênh rồi lưu lại thông tin kết nối.\n\n"
                "Nền tảng trả lời: {reason}"
            ),
            reason=reason,
        )
    notify(
        recipients=_admins(channel.unit),
        action="caunoi.channel.flagged",
        unit=channel.unit,
        title=title,
        body=body,
        url=f"/staff/channels/{channel.pk}/",
    )


def _tell_author(delivery: Delivery) -> None:
    article = delivery.article
    notify(
        recipients=[article.author],
        action="caunoi.delivery.rejected",
        unit=delivery.unit,
        title=format_lazy(
            gettext_lazy("“{channel}” không nhận bài “{title}”"),
            channel=delivery.channel.name,
            title=article.title,
        ),
        body=format_lazy(gettext_lazy("Nền tảng trả lời: {reason}"), reason=delivery.last_error),
        url=f"/staff/articles/{article.pk}/",
    )


def deliveries_stuck(*, now: datetime | None = None) -> list[int]:
    """Open deliveries nobody is working on: an attempt started long ago and never recorded
    (a worker killed mid-call), or a try due long ago whose task was lost."""
    from django.db.models import Q

    before = (now or timezone.now()) - STALE
    stuck = Delivery.objects.filter(
        Q(status=D.SENDING, updated_at__lt=before)
        | Q(status__in=[D.PENDING, D.RETRYING, D.CONFIRMING], next_try_at__lt=before)
        | Q(status=D.PENDING, next_try_at__isnull=True, created_at__lt=before)
    )
    return list(stuck.order_by("pk").values_list("pk", flat=True)[:1000])


def deliveries_requeue(*, now: datetime | None = None) -> int:
    """The sweep: queue every stuck delivery again. Harmless if its task was only late: the
    claim lets one attempt through, and the attempt looks on the platform first."""
    from caunoi.channels.tasks import deliver

    stuck = deliveries_stuck(now=now)
    for delivery_id in stuck:
        deliver.enqueue(delivery_id)
    return len(stuck)


# --- people's side ------------------------------------------------------------------------------


def may_run(user: User, unit: Unit) -> bool:
    """Who runs the channels day to day: the unit's communication officers and its admins."""
    return can(user, Action.ARTICLE_WRITE, unit) or can(user, Action.CHANNEL_MANAGE, unit)


@transaction.atomic
def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    from django.core.exceptions import PermissionDenied

    if not may_run(by, delivery.unit):
        raise PermissionDenied(f"retry delivery {delivery.pk}")
    delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
    if delivery.status not in RETRYABLE:
        raise DeliveryRefused(
            _("Không thể gửi lại: lượt đăng đang ở trạng thái “%(status)s”.")
            % {"status": delivery.get_status_display()}
        )
    if delivery.channel.health != ChannelHealth.OK:
        raise DeliveryRefused(
            _(
                "Kênh “%(name)s” cần được kết nối lại trước: người quản trị đơn vị nhập thông "
                "tin đăng nhập mới ở trang kênh, các bài đang chờ sẽ tự gửi tiếp."
            )
            % {"name": delivery.channel.name}
        )
    before = delivery.status
    delivery.status, delivery.next_try_at = D.RETRYING, timezone.now()
    delivery.progress["budget_from"] = delivery.attempts
    delivery.progress.pop("polls", None)
    delivery.save()
    audit.record(
        "caunoi.delivery.retried",
        actor=by,
        unit=delivery.unit,
        obj=delivery,
        changes={"status": [before, D.RETRYING]},
    )
    _enqueue(delivery)
    return delivery


def deliveries_resume(*, channel: Channel) -> int:
    """After new credentials: send again what the channel held back."""
    held = list(
        Delivery.objects.filter(
            channel=channel, status__in=[D.NEEDS_CREDENTIALS, D.DISCONNECTED]
        ).select_for_update()
    )
    for delivery in held:
        delivery.status, delivery.next_try_at = D.RETRYING, timezone.now()
        delivery.progress["budget_from"] = delivery.attempts
        delivery.save(update_fields=["status", "next_try_at", "progress", "updated_at"])
        _enqueue(delivery)
    return len(held)


@transaction.atomic
def delivery_record(
    *,
    delivery: Delivery,
    by: User,
    programme: str = "",
    aired_at: datetime | None = None,
    url: str = "",
) -> Delivery:
    """Staff record what was done by hand: a broadcast's programme log, a YouTube link."""
    from django.core.exceptions import PermissionDenied

    if not may_run(by, delivery.unit):
        raise PermissionDenied(f"record delivery {delivery.pk}")
    delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
    programme = " ".join(programme.split())
    if delivery.channel.kind == "broadcast" and (not programme or aired_at is None):
        raise DeliveryRefused(_("Ghi tên chương trình và giờ phát."))
    if url and not url.startswith(("http://", "https://")):
        raise DeliveryRefused(_("Đường dẫn phải bắt đầu bằng http:// hoặc https://."))
    before = delivery.status
    delivery.programme, delivery.aired_at = programme[:300], aired_at
    if url:
        delivery.external_url = url[:500]
    delivery.status, delivery.sent_at = D.SENT, delivery.sent_at or timezone.now()
    delivery.error_kind, delivery.last_error = "", ""
    delivery.save()
    audit.record(
        "caunoi.delivery.recorded",
        actor=by,
        unit=delivery.unit,
        obj=delivery,
        changes={"status": [before, D.SENT], "programme": [None, delivery.programme]},
    )
    return delivery
