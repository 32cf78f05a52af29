from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "caunoi.publishing"
    label = "publishing"
    verbose_name = _("Đăng tin")

    def schedule_periodic(self) -> None:
        """The sweep of uploaded files whose rows were never written (rolled back)."""
        from caunoi.publishing.tasks import orphans_schedule

        orphans_schedule()

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from caunoi.core.models import Unit
        from caunoi.publishing import pagecache

        # Unit names and addresses show on every public page.
        post_save.connect(pagecache.on_unit_change, sender=Unit, dispatch_uid="pagecache-unit")
        post_delete.connect(pagecache.on_unit_change, sender=Unit, dispatch_uid="pagecache-unit-d")
