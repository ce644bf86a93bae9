from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitingroomConfig(AppConfig):
    name = "podium.waitingroom"
    label = "waitingroom"
    verbose_name = _("Waiting room")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from podium.core.metrics import set_waiting_room_length

        from .selectors import waiting_total

        # /metrics reports podium_waiting_room_length from here (core knows no
        # domain app).
        set_waiting_room_length(waiting_total)
