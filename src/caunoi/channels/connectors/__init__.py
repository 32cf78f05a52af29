"""One connector per kind of channel; each has `find` (did an earlier attempt reach the
platform?) and `send` (post once)."""

from __future__ import annotations

from caunoi.channels.connectors.base import Connector
from caunoi.channels.connectors.facebook import FacebookPage
from caunoi.channels.connectors.manual import Broadcast, LinkOut, OwnPages
from caunoi.channels.connectors.newsletter import Newsletter
from caunoi.channels.connectors.webhook import Webhook
from caunoi.channels.connectors.zalo import ZaloOA
from caunoi.channels.models import ChannelKind

CONNECTORS: dict[str, Connector] = {
    ChannelKind.PORTAL: OwnPages(),
    ChannelKind.FEED: OwnPages(),
    ChannelKind.EMAIL: Newsletter(),
    ChannelKind.WEBHOOK: Webhook(),
    ChannelKind.FACEBOOK: FacebookPage(),
    ChannelKind.ZALO: ZaloOA(),
    ChannelKind.YOUTUBE: LinkOut(),
    ChannelKind.BROADCAST: Broadcast(),
}


def connector_for(kind: str) -> Connector:
    return CONNECTORS[kind]
