"""Which Facebook pages are connected, and their page tokens: the channel's own connection
details, set on the channel screen (page id in `account_id`, the page token encrypted at rest
among its secrets as `page_token`)."""

from __future__ import annotations

from caunoi.channels.models import Channel, ChannelHealth, ChannelKind


def page_token(channel: Channel) -> str | None:
    return channel.secrets().get("page_token") or None


def connected_pages() -> list[tuple[int, str]]:
    """(channel id, page id) of every active Facebook channel with a page id, a token, and no
    flag saying its credentials need renewing."""
    pages = []
    channels = (
        Channel.objects.filter(kind=ChannelKind.FACEBOOK, active=True)
        .exclude(account_id="")
        .exclude(health=ChannelHealth.NEEDS_CREDENTIALS)
        .order_by("pk")
    )
    for channel in channels:
        if page_token(channel) is not None:
            pages.append((channel.pk, channel.account_id))
    return pages
