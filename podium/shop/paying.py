"""Paying an order from the shop: which online provider, where to send the buyer,
and the orders this browser placed (for the confirmation page)."""

from django.urls import reverse

from podium.sales.models import Order
from podium.sales.payments.base import provider_get
from podium.sales.selectors import payment_open
from podium.sales.services.payments import payment_start
from podium.sales.services.pricing import sales_settings_get
from podium.tenancy.models import House

# {order code: house id}: the orders this browser placed, whose tickets it may
# download from the confirmation page (the e-mail carries them for everyone else).
SESSION_ORDERS = "shop_orders"
ONLINE_PROVIDERS = ("mollie", "bank_transfer")


def online_provider(house: House, total) -> str | None:
    """The provider an order of `total` is paid with online, or None when the
    house takes no payments online."""
    if total == 0:
        return "free"
    settings_row = sales_settings_get(house=house)
    for name in ONLINE_PROVIDERS:
        provider = provider_get(name)
        if provider is not None and provider.available(settings_row):
            return name
    return None


def remember_order(request, order: Order) -> None:
    orders = request.session.get(SESSION_ORDERS, {})
    orders[order.code] = order.house_id
    request.session[SESSION_ORDERS] = dict(list(orders.items())[-20:])


def order_payment_url(request, house: House, order: Order, provider) -> str:
    """Start paying `order`, or go on with the payment a first request started."""
    back = request.build_absolute_uri(reverse("shop:payment-return", args=[order.code]))
    if order.state != Order.State.PENDING:
        return back
    payment = payment_open(order=order)
    if payment is None:
        payment = payment_start(
            house=house, actor=None, order=order, provider=provider, return_url=back
        )
    return payment.checkout_url or back
