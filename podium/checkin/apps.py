from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "podium.checkin"
    label = "checkin"
    verbose_name = _("Check-in")
    default_auto_field = "django.db.models.BigAutoField"
