from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass


class FeedbackConfig(AppConfig):
    name = "caunoi.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")
