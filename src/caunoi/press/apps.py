from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from caunoi.core.menus import MenuLink
    from caunoi.core.models import Unit, User


class PressConfig(AppConfig):
    name = "caunoi.press"
    label = "press"
    verbose_name = gettext_lazy("Báo chí")

    def ready(self) -> None:
        from caunoi.press.report import PressSection
        from caunoi.reports.sections import register

        register(PressSection())

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink
        from caunoi.core.permissions import Action, can

        if not can(user, Action.PRESS_MANAGE, unit):
            return []
        return [MenuLink(f"/staff/units/{unit.pk}/press/", _("Báo chí"), "nav-press")]

    def portal_menu(self, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink

        return [MenuLink(f"{unit.get_portal_url()}bao-chi/", _("Báo chí"), "portal-press")]
