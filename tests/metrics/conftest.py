from __future__ import annotations

import pytest

from caunoi.channels.models import Channel, ChannelKind
from caunoi.core.models import RoleName, User
from tests.conftest import World, make_person


@pytest.fixture
def page(world: World) -> Channel:
    return Channel.objects.create(
        unit=world.commune, kind=ChannelKind.FACEBOOK, name="Xã Đông — Thông tin"
    )


@pytest.fixture
def oa(world: World) -> Channel:
    return Channel.objects.create(unit=world.sibling, kind=ChannelKind.ZALO, name="Xã Tây OA")


@pytest.fixture
def officer(world: World) -> User:
    return make_person("bientap.dong", world.commune, RoleName.EDITOR)
