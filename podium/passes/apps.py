from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "podium.passes"
    label = "passes"
    verbose_name = _("Subscriptions and passes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from podium.sales import hooks

        from . import memberships, order_hooks, vouchers
        from .services import subscriptions_attach

        # Every registration is made once, even when ready() runs twice.
        # Inside the placement transaction: the order's tickets join their
        # subscriptions.
        hooks.on_order_placing(subscriptions_attach)
        # A friends pass opens member tariffs, early access and its maximum.
        hooks.on_tariff_unlock(memberships.unlock_member_tariffs)
        hooks.on_sales_start_advance(memberships.early_access)
        hooks.on_hold_claiming(memberships.member_tickets_guard)
        # Paid: passes and vouchers become valid and are mailed.
        if order_hooks.order_paid not in hooks.order_paid_callbacks():
            hooks.on_order_paid(order_hooks.order_paid)
        # Expired or cancelled: vouchers get their part back, passes end.
        hooks.on_order_released(vouchers.vouchers_give_back)
        hooks.on_order_released(memberships.memberships_release)
        # A refund's gift-voucher part goes back onto the vouchers.
        hooks.on_refund_to_voucher(vouchers.vouchers_refund)
