from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from caunoi.core.menus import MenuLink
    from caunoi.core.models import Unit, User


class TrainingConfig(AppConfig):
    name = "caunoi.training"
    label = "training"
    verbose_name = gettext_lazy("Tập huấn")

    def ready(self) -> None:
        from caunoi.reports.sections import register
        from caunoi.training.report import TrainingSection

        register(TrainingSection())

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink
        from caunoi.core.permissions import Action, can

        if not can(user, Action.TRAINING_MANAGE, unit):
            return []
        return [MenuLink(f"/staff/units/{unit.pk}/training/", _("Tập huấn"), "nav-training")]
