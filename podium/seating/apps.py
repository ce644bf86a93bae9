from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeatingConfig(AppConfig):
    name = "podium.seating"
    label = "seating"
    verbose_name = _("Seating")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from podium.sales.services import inventory

        from .claimer import SeatClaimer

        inventory.claimer_register("seat", SeatClaimer())
