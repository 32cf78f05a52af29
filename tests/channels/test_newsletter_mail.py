"""The newsletter over real SMTP: double opt-in, a one-click unsubscribe link and the RFC 8058
headers in every mail, and nobody mailed twice when the mail server fails half-way."""

from __future__ import annotations

import pytest
from django.test import Client

from caunoi.channels.deliveries import delivery_attempt
from caunoi.channels.models import Channel, ChannelKind, Delivery, DeliveryStatus, Subscriber
from caunoi.channels.services import newsletter_confirm, newsletter_subscribe
from tests.channels.conftest import due_now, publish
from tests.conftest import World
from tests.mail import Inbox, body_of
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _newsletter(world: World) -> Channel:
    return Channel.objects.create(
        unit=world.commune, kind=ChannelKind.EMAIL, name="Bản tin Xã Đông"
    )


def _confirmed(channel: Channel, *emails: str) -> list[Subscriber]:
    made = [newsletter_subscribe(channel=channel, email=e) for e in emails]
    return [newsletter_confirm(token=s.token) for s in made if s is not None]  # type: ignore[misc]


def test_every_mail_carries_a_one_click_unsubscribe_link_and_headers(
    world: World, smtp: Inbox
) -> None:
    channel = _newsletter(world)
    [reader] = _confirmed(channel, "ban.doc@example.com")
    article = publish(world)
    run_worker()

    [mail] = smtp.to("ban.doc@example.com")
    leave = f"https://caunoi.example.gov.vn/u/tinh-thu/xa-dong/ban-tin/huy/{reader.token}/"
    assert str(mail["List-Unsubscribe"]).strip() == f"<{leave}>"
    assert str(mail["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    assert str(mail["Subject"]).strip() == article.title
    assert leave in body_of(mail)
    assert Delivery.objects.get(channel=channel).status == DeliveryStatus.SENT


def test_only_confirmed_subscribers_receive_the_newsletter(world: World, smtp: Inbox) -> None:
    channel = _newsletter(world)
    _confirmed(channel, "da.xac.nhan@example.com")
    newsletter_subscribe(channel=channel, email="chua.xac.nhan@example.com")
    run_worker()
    [confirmation] = smtp.to("chua.xac.nhan@example.com")
    assert "/ban-tin/xac-nhan/" in body_of(confirmation)

    publish(world)
    run_worker()
    assert len(smtp.to("da.xac.nhan@example.com")) == 1  # the article
    assert len(smtp.to("chua.xac.nhan@example.com")) == 1  # the confirmation only


def test_one_click_unsubscribe_erases_the_address(world: World, smtp: Inbox) -> None:
    channel = _newsletter(world)
    [reader] = _confirmed(channel, "ban.doc@example.com")
    # RFC 8058: a POST with List-Unsubscribe=One-Click, no cookie, no confirmation page.
    response = Client(enforce_csrf_checks=True).post(
        f"/u/tinh-thu/xa-dong/ban-tin/huy/{reader.token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="ban.doc@example.com").exists()


def test_a_mail_server_failure_half_way_does_not_mail_anyone_twice(
    world: World, smtp: Inbox, settings: object
) -> None:
    channel = _newsletter(world)
    _confirmed(channel, "a@example.com", "b@example.com", "c@example.com")
    article = publish(world)
    delivery = Delivery.objects.get(channel=channel)
    calls = {"n": 0}
    original = smtp.handle_DATA

    async def refuse_second(server, session, envelope):  # type: ignore[no-untyped-def]
        if "b@example.com" in envelope.rcpt_tos and calls["n"] == 0:
            calls["n"] += 1
            return "451 Try again later"
        return await original(server, session, envelope)

    smtp.handle_DATA = refuse_second  # type: ignore[method-assign]
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert len(smtp.to("a@example.com")) == 1
    assert not smtp.to("b@example.com")

    due_now(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [len(smtp.to(f"{x}@example.com")) for x in "abc"] == [1, 1, 1]
    assert article.pk
