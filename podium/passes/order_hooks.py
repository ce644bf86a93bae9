"""What passes does when sales says an order was paid (registered in apps.py)."""

from podium.sales.models import OrderItem

from .memberships import memberships_activate
from .vouchers import vouchers_activate


def order_paid(order_id: int) -> None:
    """The order-paid hook: the passes and vouchers the order bought become valid
    (one query for an order of tickets only)."""
    if not OrderItem._base_manager.filter(order_id=order_id).exists():
        return
    memberships_activate(order_id)
    vouchers_activate(order_id)
