"""The public newsletter pages: subscribe, confirm (a button, so link scanners confirm no
one), and what a wrong address gets told."""

from __future__ import annotations

import pytest
from django.test import Client

from caunoi.channels.models import Channel, ChannelKind, Subscriber
from tests.conftest import World
from tests.mail import Inbox, body_of
from tests.worker import run_worker

URL = "/u/tinh-thu/xa-dong/ban-tin/"


@pytest.fixture
def newsletter(world: World) -> Channel:
    return Channel.objects.create(unit=world.commune, kind=ChannelKind.EMAIL, name="Bản tin xã")


@pytest.mark.django_db
def test_a_wrong_address_is_refused_with_what_to_fix(newsletter: Channel) -> None:
    response = Client().post(URL, {"email": "khong-phai-email"})
    assert response.status_code == 400
    assert "Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.com." in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_unit_without_a_newsletter_has_no_subscribe_page(world: World) -> None:
    assert Client().get(URL).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_subscribing_sends_a_confirmation_and_only_the_button_confirms(
    newsletter: Channel, smtp: Inbox
) -> None:
    client = Client()
    page = client.get("/u/tinh-thu/xa-dong/").content.decode()
    assert f'href="{URL}"' in page  # the unit's portal page links to it
    response = client.post(URL, {"email": "Ban.Doc@Example.com"})
    assert 'data-testid="check-mail"' in response.content.decode()
    run_worker()
    [mail] = smtp.to("ban.doc@example.com")
    body = body_of(mail)
    link = next(line.strip() for line in body.splitlines() if "/ban-tin/xac-nhan/" in line)
    path = link.removeprefix("https://caunoi.example.gov.vn")
    assert "Someone (probably you)" in body

    client.get(path)  # a mail scanner following the link
    assert Subscriber.objects.get().confirmed_at is None
    confirmed = client.post(path)
    assert 'data-testid="confirmed"' in confirmed.content.decode()
    assert Subscriber.objects.get().confirmed_at is not None


@pytest.mark.django_db(transaction=True)
def test_asking_again_with_a_confirmed_address_reveals_nothing_and_mails_nothing(
    newsletter: Channel, smtp: Inbox
) -> None:
    from django.utils import timezone

    Subscriber.objects.create(
        channel=newsletter, email="ban.doc@example.com", confirmed_at=timezone.now()
    )
    response = Client().post(URL, {"email": "ban.doc@example.com"})
    assert 'data-testid="check-mail"' in response.content.decode()
    run_worker()
    assert not smtp.to("ban.doc@example.com")
