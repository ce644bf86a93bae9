from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "podium.passes"
    label = "passes"
    verbose_name = _("Subscriptions and passes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from podium.sales import hooks

        from .services import subscriptions_attach

        # Inside the placement transaction: the order's tickets join their
        # subscriptions (registered once, even when ready() runs twice).
        hooks.on_order_placing(subscriptions_attach)
