"""Channels with nothing to call. The portal and the feeds are caunoi's own pages; a YouTube
channel is a link out (the delivery records the link); a broadcast waits for staff to enter
the programme log."""

from __future__ import annotations

from caunoi.channels.connectors.base import AwaitingEntry, Outcome, Posted
from caunoi.channels.connectors.content import post_of
from caunoi.channels.models import ChannelKind, Delivery
from caunoi.core.notifications import absolute_url


class OwnPages:
    def find(self, delivery: Delivery) -> Outcome | None:
        return None

    def send(self, delivery: Delivery) -> Outcome:
        url = post_of(delivery).url
        if delivery.channel.kind == ChannelKind.FEED:
            url = absolute_url(f"{delivery.unit.get_portal_url()}tin-tuc.rss")
        return Posted("", url)


class LinkOut:
    def find(self, delivery: Delivery) -> Outcome | None:
        return None

    def send(self, delivery: Delivery) -> Outcome:
        return Posted("", delivery.channel.url or post_of(delivery).url)


class Broadcast:
    def find(self, delivery: Delivery) -> Outcome | None:
        return None

    def send(self, delivery: Delivery) -> Outcome:
        return AwaitingEntry()
