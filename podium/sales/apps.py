from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "podium.sales"
    label = "sales"

    def ready(self):
        from . import hooks
        from .tickets.mail import on_order_paid

        # ready() may run twice in one process (e.g. some test runners); register once.
        if on_order_paid not in hooks.order_paid_callbacks():
            hooks.on_order_paid(on_order_paid)
