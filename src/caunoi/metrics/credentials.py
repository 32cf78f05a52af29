"""Which Facebook pages are connected, and their page tokens: read from the channel's own
credentials (page id in `account_id`, the token encrypted in its secrets as `page_token`)."""

from __future__ import annotations

from caunoi.channels.models import Channel, ChannelKind

PAGE_ID = "account_id"


def page_token(channel: Channel) -> str | None:
    secrets = getattr(channel, "secrets", None)
    if secrets is None:
        return None
    token = secrets().get("page_token", "")
    return str(token) or None


def connected_pages() -> list[tuple[int, str]]:
    """(channel id, page id) of every active Facebook channel that has a page id and a token."""
    if not hasattr(Channel, PAGE_ID):  # channel credentials not installed yet
        return []
    pages = []
    facebook = Channel.objects.filter(kind=ChannelKind.FACEBOOK, active=True)
    for channel in facebook.exclude(**{PAGE_ID: ""}):
        if page_token(channel) is not None:
            pages.append((channel.pk, str(getattr(channel, PAGE_ID))))
    return pages
