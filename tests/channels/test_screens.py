"""The staff screens: registering channels with write-only credentials, the delivery board
and its retry button, per-channel health, and the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caunoi.channels.models import Channel, ChannelHealth, ChannelKind, Delivery, DeliveryStatus
from caunoi.core.crypto import PREFIX
from caunoi.core.models import AuditEntry, RoleName
from tests.channels.conftest import facebook, publish, staff
from tests.channels.platforms import Platform
from tests.conftest import World, logged_in, make_person

D = DeliveryStatus


@pytest.mark.django_db
def test_an_admin_registers_a_facebook_page_and_the_token_is_never_shown_again(
    world: World,
) -> None:
    admin = make_person("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
    client = logged_in(admin)
    response = client.post(
        f"/staff/units/{world.commune.pk}/channels/new/",
        {
            "kind": "facebook",
            "name": "Trang Xã Đông",
            "account_id": "55501",
            "page_token": "EAAB-very-secret",
            "url": "https://www.facebook.com/xadong",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(kind="facebook")
    assert channel.secrets() == {"page_token": "EAAB-very-secret"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM channels_channel WHERE id = %s", [channel.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith(PREFIX)
    assert "EAAB-very-secret" not in stored

    page = client.get(f"/staff/channels/{channel.pk}/").content.decode()
    assert "EAAB-very-secret" not in page
    assert "Đã lưu (không hiển thị lại)" in page
    audit = AuditEntry.objects.get(action="caunoi.channel.created")
    assert "EAAB-very-secret" not in str(audit.changes)

    # Saving without a new token keeps the old one; a new one replaces it.
    edit = {"name": "Trang Xã Đông", "account_id": "55501", "active": "on", "page_token": ""}
    client.post(f"/staff/channels/{channel.pk}/", edit)
    channel.refresh_from_db()
    assert channel.secrets() == {"page_token": "EAAB-very-secret"}
    client.post(f"/staff/channels/{channel.pk}/", {**edit, "page_token": "EAAB-newer"})
    channel.refresh_from_db()
    assert channel.secrets() == {"page_token": "EAAB-newer"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint", ["ftp://example.gov.vn/in", "example.gov.vn/hook", "javascript:alert(1)"]
)
def test_a_webhook_address_that_is_not_http_is_refused_with_a_clear_message(
    world: World, endpoint: str
) -> None:
    admin = make_person("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
    response = logged_in(admin).post(
        f"/staff/units/{world.commune.pk}/channels/new/",
        {"kind": "webhook", "name": "Cổng tỉnh", "endpoint": endpoint, "signing_secret": "s3cret"},
    )
    assert response.status_code == 400
    assert (
        "Địa chỉ webhook phải là một địa chỉ http:// hoặc https:// đầy đủ"
        in response.content.decode()
    )
    assert not Channel.objects.filter(kind="webhook").exists()


@pytest.mark.django_db
def test_only_unit_admins_register_channels(world: World) -> None:
    editor = make_person("bien.tap", world.commune, RoleName.EDITOR)
    client = logged_in(editor)
    assert client.get(f"/staff/units/{world.commune.pk}/channels/").status_code == 200
    response = client.post(
        f"/staff/units/{world.commune.pk}/channels/new/",
        {"kind": "youtube", "name": "Kênh video"},
    )
    assert response.status_code == 403
    outsider = make_person("quantri.ben", world.sibling, RoleName.UNIT_ADMIN)
    assert logged_in(outsider).get(f"/staff/units/{world.commune.pk}/channels/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_board_retries_a_failed_delivery_and_health_shows_the_flag(
    world: World, platform: Platform
) -> None:
    from tests.worker import run_worker

    officer = staff("bien.tap", world.commune, RoleName.EDITOR)
    page = facebook(world.commune, platform)
    platform.force("/graph/55501/feed", (500, {}, {"error": {"message": "Unknown", "code": 1}}))
    publish(world)
    run_worker()
    delivery = Delivery.objects.get(channel=page)
    Delivery.objects.filter(pk=delivery.pk).update(status=D.FAILED)

    client = logged_in(officer)
    board = client.get(
        f"/staff/units/{world.commune.pk}/deliveries/?status=failed"
    ).content.decode()
    assert f'data-testid="delivery-{delivery.pk}"' in board
    response = client.post(f"/staff/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert AuditEntry.objects.filter(action="caunoi.delivery.retried", actor=officer).exists()

    Channel.objects.filter(pk=page.pk).update(health=ChannelHealth.NEEDS_CREDENTIALS)
    listing = client.get(f"/staff/units/{world.province.pk}/channels/")
    assert listing.status_code == 403  # an editor of the commune does not see the province
    listing = client.get(f"/staff/units/{world.commune.pk}/channels/").content.decode()
    assert 'data-testid="flagged"' in listing


@pytest.mark.django_db
def test_the_board_reads_a_fixed_number_of_queries_however_many_deliveries(
    world: World, django_assert_max_num_queries: object
) -> None:
    officer = make_person("bien.tap", world.province, RoleName.EDITOR)
    client = logged_in(officer)
    from caunoi.publishing.models import Article

    def grow(n: int) -> None:
        for i in range(n):
            unit = [world.commune, world.sibling, world.village][i % 3]
            article = Article.objects.create(
                unit=unit,
                kind="news",
                title=f"Tin {i}",
                author=officer,
                state="published",
                published_at=timezone.now(),
            )
            channel = Channel.objects.create(
                unit=unit, kind=ChannelKind.FACEBOOK, name=f"Trang {i}"
            )
            Delivery.objects.create(channel=channel, article=article, unit=unit, status=D.SENT)

    grow(3)
    client.get(f"/staff/units/{world.province.pk}/deliveries/")  # the session's first visit
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/staff/units/{world.province.pk}/deliveries/").status_code == 200
    grow(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/staff/units/{world.province.pk}/deliveries/").status_code == 200
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
    client.get(f"/staff/units/{world.province.pk}/channels/")  # adds the built-in channels
    with CaptureQueriesContext(connection) as health:
        assert client.get(f"/staff/units/{world.province.pk}/channels/").status_code == 200
    grow(10)
    with CaptureQueriesContext(connection) as more_health:
        client.get(f"/staff/units/{world.province.pk}/channels/")
    assert len(more_health) == len(health)


@pytest.mark.django_db
def test_the_calendar_shows_scheduled_and_published_items_of_the_subtree(world: World) -> None:
    from caunoi.publishing.models import Article

    viewer = make_person("xem", world.commune, RoleName.VIEWER)
    now = timezone.now()
    Article.objects.create(
        unit=world.village,
        kind="news",
        title="Đã đăng ở thôn",
        author=viewer,
        state="published",
        published_at=now,
    )
    Article.objects.create(
        unit=world.commune,
        kind="news",
        title="Hẹn đăng ngày mai",
        author=viewer,
        state="scheduled",
        scheduled_for=now + timedelta(days=1),
    )
    Article.objects.create(
        unit=world.sibling,
        kind="news",
        title="Của xã khác",
        author=viewer,
        state="published",
        published_at=now,
    )
    Article.objects.create(unit=world.commune, kind="news", title="Bản nháp", author=viewer)
    client = logged_in(viewer)
    for view in ("week", "month"):
        page = client.get(
            f"/staff/units/{world.commune.pk}/calendar/?view={view}&date={timezone.localdate():%Y-%m-%d}"
        )
        text = page.content.decode()
        assert "Đã đăng ở thôn" in text
        assert "Của xã khác" not in text
        assert "Bản nháp" not in text
    far = client.get(
        f"/staff/units/{world.commune.pk}/calendar/?view=week&date=2020-01-06"
    ).content.decode()
    assert "Đã đăng ở thôn" not in far


@pytest.mark.django_db
def test_the_article_screen_shows_what_a_platform_refused(world: World) -> None:
    from caunoi.publishing.models import Article

    editor = make_person("bien.tap", world.commune, RoleName.EDITOR)
    article = Article.objects.create(
        unit=world.commune,
        kind="news",
        title="Tin có ảnh lỗi",
        author=editor,
        state="published",
        published_at=timezone.now(),
    )
    page = Channel.objects.create(unit=world.commune, kind=ChannelKind.FACEBOOK, name="Trang xã")
    Delivery.objects.create(
        channel=page,
        article=article,
        unit=world.commune,
        status=D.REJECTED,
        error_kind="rejected",
        last_error="Facebook #1609005: link could not be read",
    )
    text = logged_in(editor).get(f"/staff/articles/{article.pk}/").content.decode()
    assert 'data-testid="delivery-refused"' in text
    assert "Facebook #1609005: link could not be read" in text


@pytest.mark.django_db
def test_a_busy_day_in_the_month_view_links_to_its_week(world: World) -> None:
    from caunoi.publishing.models import Article

    viewer = make_person("xem", world.commune, RoleName.VIEWER)
    noon = timezone.localtime().replace(hour=12, minute=0)
    for n in range(8):
        Article.objects.create(
            unit=world.commune,
            kind="news",
            title=f"Tin số {n}",
            author=viewer,
            state="published",
            published_at=noon + timedelta(minutes=n),
        )
    text = (
        logged_in(viewer)
        .get(f"/staff/units/{world.commune.pk}/calendar/?view=month")
        .content.decode()
    )
    assert text.count('class="story"') == 6
    assert "và 2 bài nữa" in text
    week = (
        logged_in(viewer)
        .get(f"/staff/units/{world.commune.pk}/calendar/?view=week")
        .content.decode()
    )
    assert week.count('class="story"') == 8


@pytest.mark.django_db
def test_a_flagged_channel_must_be_reconnected_before_a_retry(world: World) -> None:
    from caunoi.publishing.models import Article

    officer = make_person("bien.tap", world.commune, RoleName.EDITOR)
    article = Article.objects.create(
        unit=world.commune,
        kind="news",
        title="Tin",
        author=officer,
        state="published",
        published_at=timezone.now(),
    )
    page = Channel.objects.create(
        unit=world.commune,
        kind=ChannelKind.FACEBOOK,
        name="Trang xã",
        health=ChannelHealth.NEEDS_CREDENTIALS,
    )
    delivery = Delivery.objects.create(
        channel=page, article=article, unit=world.commune, status=D.NEEDS_CREDENTIALS
    )
    response = logged_in(officer).post(f"/staff/deliveries/{delivery.pk}/retry/", follow=True)
    assert "cần được kết nối lại trước" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == D.NEEDS_CREDENTIALS


@pytest.mark.django_db
def test_a_broadcast_is_recorded_with_its_programme_and_air_time(world: World) -> None:
    from caunoi.publishing.models import Article

    officer = make_person("bien.tap", world.commune, RoleName.EDITOR)
    article = Article.objects.create(
        unit=world.commune,
        kind="news",
        title="Tin",
        author=officer,
        state="published",
        published_at=timezone.now(),
    )
    radio = Channel.objects.create(unit=world.commune, kind=ChannelKind.BROADCAST, name="Đài xã")
    delivery = Delivery.objects.create(
        channel=radio, article=article, unit=world.commune, status=D.AWAITING_ENTRY
    )
    client = logged_in(officer)
    refused = client.post(
        f"/staff/deliveries/{delivery.pk}/record/", {"programme": ""}, follow=True
    )
    assert "Ghi tên chương trình và giờ phát." in refused.content.decode()
    client.post(
        f"/staff/deliveries/{delivery.pk}/record/",
        {"programme": "Thời sự tối", "aired_at": "2026-11-23T19:00"},
    )
    delivery.refresh_from_db()
    assert delivery.status == D.SENT
    assert delivery.programme == "Thời sự tối"
    assert delivery.aired_at is not None
    assert timezone.localtime(delivery.aired_at).hour == 19


@pytest.mark.django_db
def test_the_screens_read_in_english_for_an_english_speaking_officer(world: World) -> None:
    officer = make_person("officer", world.commune, RoleName.UNIT_ADMIN)
    officer.language = "en"
    officer.save()
    client = logged_in(officer)
    board = client.get(f"/staff/units/{world.commune.pk}/deliveries/").content.decode()
    assert "Delivery board" in board
    assert "No delivery matches these filters." in board
    channels = client.get(f"/staff/units/{world.commune.pk}/channels/").content.decode()
    assert "Channel health over the last 30 days" in channels
    form = client.get(f"/staff/units/{world.commune.pk}/channels/new/?kind=zalo").content.decode()
    assert "Zalo app secret key" in form
    assert "Refresh token" in form
