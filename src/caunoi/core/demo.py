"""The demo office: Lạng Sơn province from the real unit list, its organizations, staff for every
role and the channels a mountain province runs (sized from shared/DOMAIN.md).

Deterministic (fixed seed) and idempotent: running it again changes nothing.
Later apps add their own demo data through `load_demo`'s steps.
"""

from __future__ import annotations

import importlib
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from caunoi.channels.models import Channel, ChannelKind
from caunoi.core.imports import units_import_vn
from caunoi.core.models import Role, RoleName, Unit, UnitKind, User

DEMO_PROVINCE = "20"  # Lạng Sơn: 65 communes and wards since July 2025
DEMO_COMMUNE = "Xã Đình Lập"
DEMO_PASSWORD = "caunoi-demo-2026"  # noqa: S105 - documented demo login, printed by `caunoi demo`
SEED = 2025


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str


def _say(text: str, progress: bool) -> None:
    if progress:
        print(f"caunoi: {text}", file=sys.stderr, flush=True)


def _child(parent: Unit, name: str, kind: str) -> Unit:
    from caunoi.core.text import slug_for

    found = Unit.objects.get_children(parent).filter(slug=slug_for(name)).first()
    if found is not None:
        return found
    unit: Unit = Unit.objects.add_child(
        parent, {"name": name, "kind": kind, "slug": slug_for(name)}
    )
    return unit


def _organizations(province: Unit, commune: Unit) -> dict[str, Unit]:
    units = {
        "centre": _child(
            province, "Trung tâm Văn hóa, Thể thao và Truyền thông tỉnh", UnitKind.ORGANIZATION
        ),
        "youth": _child(province, "Tỉnh đoàn Lạng Sơn", UnitKind.ORGANIZATION),
        "women": _child(province, "Hội Liên hiệp Phụ nữ tỉnh", UnitKind.ORGANIZATION),
        "front": _child(province, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", UnitKind.ORGANIZATION),
        "commune_youth": _child(commune, "Đoàn Thanh niên xã Đình Lập", UnitKind.ORGANIZATION),
        "commune_health": _child(commune, "Trạm Y tế xã Đình Lập", UnitKind.ORGANIZATION),
    }
    for n in range(1, 5):
        _child(commune, f"Khu {n}", UnitKind.VILLAGE)
    for name in ("Thôn Bản Chắt", "Thôn Khe Mò", "Thôn Pò Khoang"):
        _child(commune, name, UnitKind.VILLAGE)
    return units


_PEOPLE = [
    # username, full name, role, which unit
    ("quantri.tinh", "Hoàng Văn Quản", RoleName.UNIT_ADMIN, "province"),
    ("lanhdao.tinh", "Nông Thị Lãnh", RoleName.VIEWER, "province"),
    ("duyet.ttvh", "Lương Văn Duyệt", RoleName.APPROVER, "centre"),
    ("bientap.ttvh", "Vi Thị Biên", RoleName.EDITOR, "centre"),
    ("quantri.dinhlap", "Lộc Văn Trị", RoleName.UNIT_ADMIN, "commune"),
    ("duyet.dinhlap", "Hoàng Thị Duyên", RoleName.APPROVER, "commune"),
    ("bientap.dinhlap", "Chu Văn Tập", RoleName.EDITOR, "commune"),
    ("xuly.dinhlap", "Triệu Thị Xuân", RoleName.CASE_HANDLER, "commune"),
    ("xem.doanxa", "Lăng Văn Xem", RoleName.VIEWER, "commune_youth"),
]


def _people(places: dict[str, Unit]) -> list[DemoLogin]:
    logins = []
    for username, full_name, role, place in _PEOPLE:
        unit = places[place]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@demo.caunoi.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Role.objects.get_or_create(user=user, unit=unit, name=role)
        logins.append(DemoLogin(username, full_name, str(role), unit.name))
    return logins


def _channels(province: Unit, places: dict[str, Unit], rng: random.Random) -> None:
    if Channel.objects.filter(unit__path__startswith=province.path).exists():
        return
    base = "https://demo.caunoi.invalid"
    rows: list[Channel] = [
        Channel(unit=province, kind=ChannelKind.PORTAL, name="Cổng thông tin điện tử tỉnh"),
        Channel(unit=province, kind=ChannelKind.FEED, name="RSS tin của tỉnh"),
        Channel(
            unit=province,
            kind=ChannelKind.FACEBOOK,
            name="Thông tin Lạng Sơn",
            url=f"{base}/fb/thongtinlangson",
            followers=48_200,
        ),
        Channel(unit=province, kind=ChannelKind.ZALO, name="Lạng Sơn OA", followers=21_500),
        Channel(unit=province, kind=ChannelKind.EMAIL, name="Bản tin tuần"),
        Channel(
            unit=places["centre"],
            kind=ChannelKind.FACEBOOK,
            name="Trung tâm VHTT&TT Lạng Sơn",
            followers=12_400,
        ),
        Channel(unit=places["centre"], kind=ChannelKind.YOUTUBE, name="Truyền hình Lạng Sơn"),
        Channel(unit=places["centre"], kind=ChannelKind.BROADCAST, name="Đài phát thanh tỉnh"),
        Channel(
            unit=places["youth"],
            kind=ChannelKind.FACEBOOK,
            name="Tuổi trẻ Lạng Sơn",
            followers=9_800,
        ),
        Channel(
            unit=places["women"], kind=ChannelKind.FACEBOOK, name="Phụ nữ Lạng Sơn", followers=5_100
        ),
    ]
    communes = Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by(
        "code"
    )
    for commune in communes:
        rows.append(
            Channel(unit=commune, kind=ChannelKind.PORTAL, name=f"Trang thông tin {commune.name}")
        )
        rows.append(Channel(unit=commune, kind=ChannelKind.FEED, name=f"RSS {commune.name}"))
        # Đình Lập's page had over 3,200 followers by 2023 (DOMAIN.md); others are sized near it.
        followers = 3_240 if commune.name == DEMO_COMMUNE else rng.randint(600, 3_500)
        rows.append(
            Channel(
                unit=commune,
                kind=ChannelKind.FACEBOOK,
                name=f"{commune.name} — Thông tin",
                followers=followers,
            )
        )
        if rng.random() < 0.35:
            rows.append(
                Channel(
                    unit=commune,
                    kind=ChannelKind.ZALO,
                    name=f"{commune.name} OA",
                    followers=rng.randint(300, 2_000),
                )
            )
        if rng.random() < 0.5:
            rows.append(
                Channel(
                    unit=commune,
                    kind=ChannelKind.BROADCAST,
                    name=f"Đài truyền thanh {commune.name}",
                )
            )
    rows.append(
        Channel(
            unit=places["commune_youth"],
            kind=ChannelKind.FACEBOOK,
            name="Tuổi trẻ Đình Lập",
            followers=1_150,
        )
    )
    Channel.objects.bulk_create(rows)


def load_demo(*, progress: bool = False) -> list[DemoLogin]:
    rng = random.Random(SEED)
    _say("importing Lạng Sơn and its communes from the official list…", progress)
    with transaction.atomic():
        units_import_vn(province_codes=[DEMO_PROVINCE], by=None)
        province = Unit.objects.get(code=DEMO_PROVINCE)
        commune = Unit.objects.get(path__startswith=province.path, name=DEMO_COMMUNE)
        _say("adding organizations, villages, staff and channels…", progress)
        places = _organizations(province, commune)
        places.update({"province": province, "commune": commune})
        logins = _people(places)
        _channels(province, places, rng)
        context = DemoContext(province, commune, places, rng, progress)
        for step in _app_steps():
            step(context)
    _say("demo office ready", progress)
    return logins


@dataclass
class DemoContext:
    """What every app's demo step builds on: `caunoi/<app>/demo.py` defines `load(context)`."""

    province: Unit
    commune: Unit  # Đình Lập, the demo commune
    places: dict[str, Unit]  # province, commune, centre, youth, women, commune_youth, villages…
    rng: random.Random
    progress: bool

    def say(self, text: str) -> None:
        _say(text, self.progress)


def _app_steps() -> list[Callable[[DemoContext], None]]:
    """Each installed caunoi app's demo step, in INSTALLED_APPS order."""
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("caunoi.") or config.label == "core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as missing:
            if missing.name == f"{config.name}.demo":
                continue
            raise
        steps.append(module.load)
    return steps
