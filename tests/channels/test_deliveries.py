"""Publishing reaches every active channel through the worker; failures are classified and
never hold up the portal or the other channels; a retry never posts twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caunoi.channels.deliveries import backoff, delivery_attempt, delivery_retry
from caunoi.channels.models import Channel, ChannelHealth, ChannelKind, Delivery, DeliveryStatus
from caunoi.core.models import AuditEntry, Notification, RoleName
from tests.channels.conftest import due_now, facebook, publish, staff, webhook
from tests.channels.platforms import Platform
from tests.conftest import World
from tests.mail import Inbox, body_of, subject_of
from tests.worker import run_worker

D = DeliveryStatus
pytestmark = pytest.mark.django_db(transaction=True)


def test_publishing_makes_one_delivery_per_active_channel_and_the_worker_posts_them(
    world: World, platform: Platform
) -> None:
    page = facebook(world.commune, platform)
    hook = webhook(world.commune, platform)
    Channel.objects.create(
        unit=world.commune,
        kind=ChannelKind.YOUTUBE,
        name="Kênh video",
        url="https://www.youtube.com/@xadong",
    )
    Channel.objects.create(
        unit=world.commune, kind=ChannelKind.FACEBOOK, name="Trang cũ", active=False
    )
    facebook(world.sibling, platform)  # another commune's page: not this article's

    article = publish(world)
    kinds = sorted(Delivery.objects.filter(article=article).values_list("channel__kind", flat=True))
    assert kinds == ["facebook", "feed", "portal", "webhook", "youtube"]

    run_worker()

    by_kind = {
        d.channel.kind: d
        for d in Delivery.objects.filter(article=article).select_related("channel")
    }
    assert all(d.status == D.SENT for d in by_kind.values()), {
        k: d.last_error for k, d in by_kind.items()
    }
    assert by_kind["portal"].external_url.endswith(
        f"/bai/{article.pk}-lich-tiep-cong-dan-thang-12/"
    )
    assert by_kind["youtube"].external_url == "https://www.youtube.com/@xadong"
    fb = by_kind["facebook"]
    assert fb.external_id.startswith("55501_")
    [post] = platform.posts["55501"]
    assert "Lịch tiếp công dân tháng 12" in post["message"]
    assert by_kind["portal"].external_url in post["message"]
    assert list(platform.webhook_seen) == [by_kind["webhook"].key]
    assert platform.webhook_bad_signatures == 0
    assert page.pk
    assert hook.pk


def test_a_failing_channel_does_not_block_the_portal_or_the_other_channels(
    world: World, platform: Platform
) -> None:
    facebook(world.commune, platform)
    webhook(world.commune, platform)
    platform.force(
        "/graph/55501/feed", (503, {}, {"error": {"message": "Service unavailable", "code": 2}})
    )

    article = publish(world)
    run_worker()

    article.refresh_from_db()
    assert article.state == "published"
    statuses = dict(Delivery.objects.filter(article=article).values_list("channel__kind", "status"))
    assert statuses == {"portal": D.SENT, "feed": D.SENT, "webhook": D.SENT, "facebook": D.RETRYING}
    fb = Delivery.objects.get(article=article, channel__kind="facebook")
    assert fb.error_kind == "retry"
    assert "Service unavailable" in fb.last_error
    assert fb.next_try_at is not None
    assert fb.next_try_at > timezone.now()


def test_a_retry_finds_the_post_an_earlier_attempt_made_and_does_not_post_again(
    world: World, platform: Platform
) -> None:
    facebook(world.commune, platform)
    article = publish(world)
    fb = Delivery.objects.get(article=article, channel__kind="facebook")
    # The platform makes the post but the answer is lost on the way back (a 502 from a proxy).
    platform.force("/graph/55501/feed")
    original = platform.answer

    def lose_answer(request):  # type: ignore[no-untyped-def]
        reply = original(request)
        if request.method == "POST" and not platform.calls("POST", "/graph/55501/feed")[1:]:
            return 502, {}, {"error": {"message": "Bad gateway", "code": 1}}
        return reply

    platform.answer = lose_answer  # type: ignore[method-assign]
    run_worker()
    fb.refresh_from_db()
    assert fb.status == D.RETRYING
    assert fb.attempts == 1
    assert len(platform.posts["55501"]) == 1  # it did reach the page

    due_now(fb)
    delivery_attempt(delivery_id=fb.pk)

    fb.refresh_from_db()
    assert fb.status == D.SENT
    assert fb.attempts == 2
    assert len(platform.posts["55501"]) == 1
    assert len(platform.calls("POST", "/graph/55501/feed")) == 1
    assert fb.external_id == platform.posts["55501"][0]["id"]


def test_an_expired_page_token_flags_the_channel_and_emails_the_unit_admins_once(
    world: World, platform: Platform, smtp: Inbox
) -> None:
    staff("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
    staff("quantri.tinh", world.province, RoleName.UNIT_ADMIN, language="en")
    staff("quantri.ben", world.sibling, RoleName.UNIT_ADMIN)
    page = facebook(world.commune, platform)
    platform.page_token = "a-newer-token"  # the saved one has expired

    first = publish(world, title="Bài thứ nhất")
    second = publish(world, title="Bài thứ hai")
    run_worker()
    run_worker()  # the notification e-mails

    page.refresh_from_db()
    assert page.health == ChannelHealth.NEEDS_CREDENTIALS
    assert "#190" in page.flag_reason
    statuses = Delivery.objects.filter(channel=page).values_list("status", flat=True)
    assert sorted(statuses) == [D.NEEDS_CREDENTIALS, D.NEEDS_CREDENTIALS]
    # One flag, one e-mail each, to the unit's admins and those above, in their language.
    admins = sorted(a for rcpt, _m in smtp.received for a in rcpt if a.startswith("quantri"))
    assert admins == ["quantri.tinh@example.gov.vn", "quantri.xa@example.gov.vn"]
    [mail] = smtp.to("quantri.xa@example.gov.vn")
    assert subject_of(mail) == "[caunoi] Kênh “Trang Xã Đông” cần cấp lại thông tin đăng nhập"
    assert f"/staff/channels/{page.pk}/" in body_of(mail)
    [english] = smtp.to("quantri.tinh@example.gov.vn")
    assert subject_of(english) == "[caunoi] Channel “Trang Xã Đông” needs new login details"
    assert "enter a new access token" in body_of(english)
    assert AuditEntry.objects.filter(action="caunoi.channel.flagged").count() == 1
    assert first.pk
    assert second.pk


def test_saving_a_new_token_clears_the_flag_and_sends_what_was_held(
    world: World, platform: Platform
) -> None:
    admin = staff("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
    page = facebook(world.commune, platform)
    platform.page_token = "a-newer-token"
    publish(world)
    run_worker()
    from caunoi.channels.services import channel_update

    channel_update(
        channel=page,
        by=admin,
        name=page.name,
        active=True,
        account_id="55501",
        secrets={"page_token": "a-newer-token"},
    )
    run_worker()

    page.refresh_from_db()
    assert page.health == ChannelHealth.OK
    assert Delivery.objects.get(channel=page).status == D.SENT
    assert len(platform.posts["55501"]) == 1


def test_throttling_codes_and_usage_headers_keep_the_channel_off_the_platform(
    world: World, platform: Platform
) -> None:
    page = facebook(world.commune, platform)
    throttled = {"error": {"message": "(#32) Page request limit reached", "code": 32}}
    usage = {
        "x-business-use-case-usage": '{"55501": [{"type": "pages", "call_count": 100, '
        '"total_cputime": 20, "total_time": 30, "estimated_time_to_regain_access": 42}]}'
    }
    platform.force("/graph/55501/feed", (400, usage, throttled))

    article = publish(world)
    before = timezone.now()
    run_worker()

    fb = Delivery.objects.get(article=article, channel=page)
    page.refresh_from_db()
    assert fb.status == D.RETRYING
    assert "#32" in fb.last_error
    assert page.paused_until is not None
    assert page.paused_until >= before + timedelta(minutes=41)
    assert fb.next_try_at is not None
    assert fb.next_try_at >= page.paused_until - timedelta(seconds=5)
    # A second article waits for the pause without calling the platform or spending an attempt.
    other = publish(world, title="Bài khác")
    calls = len(platform.requests)
    run_worker()
    waiting = Delivery.objects.get(article=other, channel=page)
    assert len(platform.requests) == calls
    assert waiting.status == D.RETRYING
    assert waiting.attempts == 0
    assert waiting.next_try_at == page.paused_until


@pytest.mark.parametrize("code", [4, 17, 613, 80001])
def test_every_documented_throttling_code_means_try_later(
    world: World, platform: Platform, code: int
) -> None:
    facebook(world.commune, platform)
    platform.force("/graph/55501/feed", (400, {}, {"error": {"message": "limit", "code": code}}))
    article = publish(world)
    run_worker()
    fb = Delivery.objects.get(article=article, channel__kind="facebook")
    assert fb.status == D.RETRYING
    assert fb.error_kind == "retry"


def test_high_usage_after_a_post_pauses_the_page(world: World, platform: Platform) -> None:
    page = facebook(world.commune, platform)
    platform.usage_headers = {
        "x-app-usage": '{"call_count": 98, "total_cputime": 10, "total_time": 12}'
    }
    publish(world)
    run_worker()
    page.refresh_from_db()
    assert Delivery.objects.get(channel=page).status == D.SENT
    assert page.paused_until is not None
    assert page.paused_until > timezone.now()


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


def test_refused_content_is_shown_to_the_author_and_can_be_retried_by_staff(
    world: World, platform: Platform
) -> None:
    facebook(world.commune, platform)
    refused = {"error": {"message": "(#506) Duplicate status message", "code": 506}}
    platform.force("/graph/55501/feed", (400, {}, refused))
    article = publish(world)
    run_worker()

    fb = Delivery.objects.get(article=article, channel__kind="facebook")
    assert fb.status == D.REJECTED
    assert "#506" in fb.last_error
    note = Notification.objects.get(action="caunoi.delivery.rejected")
    assert note.recipient.username == "tac.gia"
    assert note.url == f"/staff/articles/{article.pk}/"

    officer = staff("bien.tap", world.commune, RoleName.EDITOR)
    delivery_retry(delivery=fb, by=officer)
    run_worker()
    fb.refresh_from_db()
    assert fb.status == D.SENT
    assert len(platform.posts["55501"]) == 1


def test_permission_removed_means_disconnected(world: World, platform: Platform) -> None:
    page = facebook(world.commune, platform)
    gone = {"error": {"message": "(#200) Requires pages_manage_posts permission", "code": 200}}
    platform.force("/graph/55501/feed", (403, {}, gone))
    publish(world)
    run_worker()
    page.refresh_from_db()
    assert page.health == ChannelHealth.DISCONNECTED
    assert Delivery.objects.get(channel=page).status == D.DISCONNECTED


def test_a_reshare_posts_on_the_resharing_units_channels_credited_to_the_source(
    world: World, platform: Platform
) -> None:
    from caunoi.publishing.sharing import article_reshare

    page = facebook(world.commune, platform)
    source = publish(world, unit=world.province, title="Cảnh báo lừa đảo qua điện thoại")
    assert not Delivery.objects.filter(channel=page).exists()  # the province's own channels only
    approver = staff("duyet.xa", world.commune, RoleName.APPROVER)
    article_reshare(article=source, unit=world.commune, by=approver)
    run_worker()

    delivery = Delivery.objects.get(channel=page)
    assert delivery.reshare
    assert delivery.unit == world.commune
    assert delivery.status == D.SENT
    [post] = platform.posts["55501"]
    assert "Nguồn: Tỉnh Thử" in post["message"]
    assert "/u/tinh-thu/bai/" in post["message"]  # the source's own address
    portal = Delivery.objects.get(unit=world.commune, channel__kind="portal")
    assert portal.reshare


def test_an_article_with_a_cover_image_goes_to_the_page_as_a_photo(
    world: World, platform: Platform
) -> None:
    from caunoi.publishing.models import ArticleImage

    facebook(world.commune, platform)
    author = staff("tac.gia", world.commune, RoleName.EDITOR)
    article = publish(world)
    Delivery.objects.filter(article=article).delete()
    ArticleImage.objects.create(
        article=article,
        file="articles/2026/11/le-hoi.jpg",
        alt="Lễ hội",
        width=1200,
        height=800,
        is_cover=True,
        added_by=author,
    )
    from caunoi.channels.deliveries import deliveries_create

    deliveries_create(article_id=article.pk)
    run_worker()
    [photo] = platform.calls("POST", "/graph/55501/photos")
    assert photo.form()["url"] == "https://caunoi.example.gov.vn/media/articles/2026/11/le-hoi.jpg"
    assert article.title in photo.form()["caption"]
    assert Delivery.objects.get(article=article, channel__kind="facebook").status == D.SENT


def test_an_attempt_cut_short_by_a_killed_worker_is_picked_up_by_the_sweep_without_reposting(
    world: World, platform: Platform
) -> None:
    from datetime import timedelta as td

    from caunoi.channels.deliveries import deliveries_requeue

    page = facebook(world.commune, platform)
    article = publish(world)
    run_worker()
    delivery = Delivery.objects.get(channel=page)
    assert delivery.status == D.SENT
    # Pretend the worker died after posting but before recording it, 20 minutes ago.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=D.SENDING, external_id="", updated_at=timezone.now() - td(minutes=20)
    )
    # While an attempt is fresh, nobody else starts one.
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=timezone.now())
    assert delivery_attempt(delivery_id=delivery.pk) is None
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=timezone.now() - td(minutes=20))

    assert deliveries_requeue() == 1
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert delivery.external_id == platform.posts["55501"][0]["id"]
    assert len(platform.posts["55501"]) == 1
    assert article.pk


def test_a_retry_searches_every_post_since_its_first_attempt_page_by_page(
    world: World, platform: Platform
) -> None:
    facebook(world.commune, platform)
    article = publish(world)
    fb = Delivery.objects.get(article=article, channel__kind="facebook")
    original = platform.answer

    def lose_answer(request):  # type: ignore[no-untyped-def]
        reply = original(request)
        if request.method == "POST" and not platform.calls("POST", "/graph/55501/feed")[1:]:
            # The post reached the page, then 250 more posts by others before the retry.
            feed = platform.posts["55501"]
            for n in range(250):
                feed.append(
                    {
                        "id": f"55501_x{n}",
                        "message": f"Tin khác {n}",
                        "created": feed[-1]["created"],
                    }
                )
            return 502, {}, {"error": {"message": "Bad gateway", "code": 1}}
        return reply

    platform.answer = lose_answer  # type: ignore[method-assign]
    run_worker()
    fb.refresh_from_db()
    assert fb.status == D.RETRYING

    due_now(fb)
    delivery_attempt(delivery_id=fb.pk)

    fb.refresh_from_db()
    assert fb.status == D.SENT
    assert len(platform.calls("POST", "/graph/55501/feed")) == 1  # never posted twice
    assert fb.external_id == platform.posts["55501"][0]["id"]
    searches = platform.calls("GET", "/graph/55501/feed")
    assert len(searches) == 3  # 251 posts, 100 a page
    first = searches[0].query
    assert first["limit"] == "100"
    assert int(first["since"]) <= int(fb.first_tried_at.timestamp())
