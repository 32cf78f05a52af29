"""Links each app adds to the staff menu and to a unit's portal page, so no screen has to
know every app. An AppConfig may define:

    def staff_menu(self, user, unit) -> list[MenuLink]    # links for the staff top menu
    def portal_menu(self, unit) -> list[MenuLink]         # links on the unit's public page
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from caunoi.core.models import Unit, User


@dataclass(frozen=True)
class MenuLink:
    url: str
    label: str
    testid: str = ""


def staff_menu(user: User, unit: Unit | None) -> list[MenuLink]:
    links: list[MenuLink] = []
    if unit is None:
        return links
    for config in apps.get_app_configs():
        hook = getattr(config, "staff_menu", None)
        if hook is not None:
            links.extend(hook(user, unit))
    return links


def portal_menu(unit: Unit) -> list[MenuLink]:
    links: list[MenuLink] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "portal_menu", None)
        if hook is not None:
            links.extend(hook(unit))
    return links
